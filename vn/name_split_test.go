package vn

import "testing"

// Two syllables written as one word are read as two, with diacritics or
// without; slips of typing that look alike (letters swapped, a letter
// doubled) are left as they are.
func TestParseNameSplitsJoinedWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Nguyễn Văn Ngọcanh", "Nguyễn Văn Ngọc Anh"},
		{"Lê Thịhà", "Lê Thị Hà"},
		{"Nguyễn Hoàngtrinh", "Nguyễn Hoàng Trinh"},
		{"Phan Thị HuỳnhHoa", "Phan Thị Huỳnh Hoa"},
		{"Trương Thị NgọcHoài", "Trương Thị Ngọc Hoài"},
		{"Đặng VănLâm", "Đặng Văn Lâm"},
		// like letters at the join, not a letter typed twice
		{"Nguyễn Văn Mạnhhiệp", "Nguyễn Văn Mạnh Hiệp"},
		{"Le Thanhhoa", "Le Thanh Hoa"},
		// without diacritics
		{"Nguyen Thi Thulinh", "Nguyen Thi Thu Linh"},
		{"TRAN KIMLY", "Tran Kim Ly"},
		// the tone mark normalisation moved (Thịanh reads Thiạnh)
		{"Nguyễn Thịanh", "Nguyễn Thị Anh"},
		{"Võ Thị Ngọcánh", "Võ Thị Ngọc Ánh"},
		// left alone
		{"Nguuyen Van An", "Nguuyen Van An"},
		{"TRAN VAN HOAGN", "Tran Van Hoagn"},
		{"NGUYEN THI QUYEM", "Nguyen Thi Quyem"},
		{"Nguyễn hTị Linh", "Nguyễn Htị Linh"},
		{"NGUYỄN THAANH TÀI", "Nguyễn Thaanh Tài"},
		{"Nguyễn Dơưng Tú", "Nguyễn Dơưng Tú"},
		{"TRAN QUANG HAONG", "Tran Quang Haong"},
		{"Nguyễn Văn An", "Nguyễn Văn An"},
		// not split; written clan first since clanLast (TestClanLast)
		{"Y Bih Niê", "Niê Y Bih"},
	} {
		if got := ParseName(c.in).Normalized; got != c.want {
			t.Errorf("ParseName(%q).Normalized = %q, want %q", c.in, got, c.want)
		}
	}
	if n := ParseName("Nguyễn Văn Ngọcanh"); n.Given != "Anh" || n.Middle != "Văn Ngọc" {
		t.Errorf("Ngọcanh split: %+v", n)
	}
	if n := ParseName("Nguyễn Thịanh"); n.Family != "Nguyễn" || n.Middle != "Thị" || n.Given != "Anh" {
		t.Errorf("Thịanh split: %+v", n)
	}
}

// A given name written first, before one of the most frequent family
// names, is moved to the end; a first word that is also a family name,
// however rare, is not.
func TestParseNameGivenFirst(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Minh Nguyễn Văn", "Nguyễn Văn Minh"},
		{"Khánh Nguyễn Thị Minh", "Nguyễn Thị Minh Khánh"},
		{"MINH TRAN VAN", "Tran Van Minh"},
		// left alone
		{"Nguyễn Văn Minh", "Nguyễn Văn Minh"},
		{"Trang Hoàng Hạnh", "Trang Hoàng Hạnh"},
		{"An Nguyễn Văn", "An Nguyễn Văn"},
		{"Chung Huỳnh Linh", "Chung Huỳnh Linh"},
	} {
		if got := ParseName(c.in).Normalized; got != c.want {
			t.Errorf("ParseName(%q).Normalized = %q, want %q", c.in, got, c.want)
		}
	}
	if n := ParseName("Minh Nguyễn Văn"); n.Family != "Nguyễn" || n.Given != "Minh" {
		t.Errorf("Minh Nguyễn Văn: %+v", n)
	}
}

func TestParseNameFamilyLast(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Văn An Nguyễn", "Nguyễn Văn An"},
		{"Thị Lan Trần", "Trần Thị Lan"},
		{"VAN AN NGUYEN", "Nguyen Van An"},
		{"Ngọc Lan Phạm", "Phạm Ngọc Lan"},
		{"Đức Minh Hoàng Lê", "Lê Đức Minh Hoàng"},
		{"An Văn Nguyễn", "Nguyễn Văn An"},
		{"Lan Thị Trần", "Trần Thị Lan"},
		{"Nam Quang Phạm", "Phạm Quang Nam"},
		{"Ánh Thị Huỳnh", "Huỳnh Thị Ánh"}, // Ánh is no family name (Anh is)
		{"Trân Thị Nguyễn", "Nguyễn Thị Trân"},
		// left alone: a family name first, a family name last that is not
		// one of the sixteen, two words
		{"Nguyễn Văn Hoàng", "Nguyễn Văn Hoàng"},
		{"Trần Văn Nguyễn", "Trần Văn Nguyễn"},
		{"Kim Anh Nguyễn", "Nguyễn Kim Anh"}, // nobody's given name is Nguyễn
		{"Kim Anh Hoàng", "Hoàng Kim Anh"},   // Kim 0.01% of family names
		{"AN VAN NGUYEN", "Nguyen Van An"},
		{"Mai Văn Hoàng", "Mai Văn Hoàng"}, // Mai 0.8%, Hoàng a given name too
		{"Lưu Thị Dương", "Lưu Thị Dương"},
		{"Hoàng Thị Mai", "Hoàng Thị Mai"},
		{"Văn Nguyễn", "Văn Nguyễn"},
		{"Văn An Mai", "Văn An Mai"},
		{"Minh Nguyễn Văn", "Nguyễn Văn Minh"}, // givenFirst's
		{"Tuyền Hoàng Phạm", "Phạm Hoàng Tuyền"},
		{"Minh Trần Lê", "Trần Lê Minh"}, // Trần 12.1% × Lê 594 middle names > Lê 9.5% × Trần 525
	} {
		if got := ParseName(c.in).Normalized; got != c.want {
			t.Errorf("ParseName(%q).Normalized = %q, want %q", c.in, got, c.want)
		}
	}
	if n := ParseName("Văn An Nguyễn"); n.Family != "Nguyễn" || n.Middle != "Văn" || n.Given != "An" {
		t.Errorf("Văn An Nguyễn: %+v", n)
	}
}
