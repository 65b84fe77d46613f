package vn

// MiddleInitial returns n's normalised name with a middle name written as
// its initial read as the middle name it stands for, ok false otherwise:
// a middle name of one letter, T for a woman ("Nguyễn T. Thảo", a
// province's sheet abbreviating Thị) or V for a man ("Trần V. Hùng"), is
// Thị or Văn ("Nguyễn Thị Thảo", "Trần Văn Hùng"). sex is the record's
// ticked sex, "F" or "M"; without it, or for the other sex, nothing is
// read (Thị is a woman's, Văn a man's middle name). The middle name is
// written without marks when the name has none ("NGUYEN T. THAO" →
// "Nguyen Thi Thao").
//
// Why these two: of the first middle names of names/middle_names.csv
// (the ngxson sample, distinct names labelled by sex) that begin with T,
// 18,071 of 21,084 women's are Thị (86%) and 1 of 5,818 men's; of those
// that begin with V, 4,832 of 5,955 men's are Văn (81%) and 2 of 340
// women's. Another name of that initial (Thu, Thanh; Việt) compares as
// else with Thị as it did with the bare initial, so the reading costs
// those nothing, and a woman's T. meets a Thị on the other record as one
// middle name (issue 12, acc51).
func (n Name) MiddleInitial(sex string) (string, bool) {
	var full, bare string
	switch {
	case sex == "F" && (n.Middle == "T" || n.Middle == "t"):
		full, bare = "Thị", "Thi"
	case sex == "M" && (n.Middle == "V" || n.Middle == "v"):
		full, bare = "Văn", "Van"
	default:
		return "", false
	}
	if n.Family == "" || n.Given == "" {
		return "", false
	}
	if hasMarks(n.Normalized) {
		return n.Family + " " + full + " " + n.Given, true
	}
	return n.Family + " " + bare + " " + n.Given, true
}
