package vn

import "testing"

// Two syllables written as one word are read as two; slips of typing
// that look alike (letters swapped, a letter doubled, a word without
// diacritics) are left as they are.
func TestParseNameSplitsJoinedWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Nguyễn Văn Ngọcanh", "Nguyễn Văn Ngọc Anh"},
		{"Lê Thịhà", "Lê Thị Hà"},
		{"Nguyễn Hoàngtrinh", "Nguyễn Hoàng Trinh"},
		{"Phan Thị HuỳnhHoa", "Phan Thị Huỳnh Hoa"},
		{"Trương Thị NgọcHoài", "Trương Thị Ngọc Hoài"},
		{"Đặng VănLâm", "Đặng Văn Lâm"},
		// left alone
		{"Nguyễn hTị Linh", "Nguyễn Htị Linh"},
		{"NGUYỄN THAANH TÀI", "Nguyễn Thaanh Tài"},
		{"Nguyễn Dơưng Tú", "Nguyễn Dơưng Tú"},
		{"TRAN QUANG HAONG", "Tran Quang Haong"},
		{"Nguyễn Văn An", "Nguyễn Văn An"},
		{"Y Bih Niê", "Y Bih Niê"},
	} {
		if got := ParseName(c.in).Normalized; got != c.want {
			t.Errorf("ParseName(%q).Normalized = %q, want %q", c.in, got, c.want)
		}
	}
	if n := ParseName("Nguyễn Văn Ngọcanh"); n.Given != "Anh" || n.Middle != "Văn Ngọc" {
		t.Errorf("Ngọcanh split: %+v", n)
	}
}
