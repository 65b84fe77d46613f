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
		{"THI LAN TRAN", "Tran Thi Lan"},
		{"Thu Hà Nguyễn", "Nguyễn Thu Hà"},
		{"DUC ANH TRAN", "Tran Duc Anh"},
		{"Đức Minh Hoàng Lê", "Lê Đức Minh Hoàng"},
		{"Nam Quang Phạm", "Phạm Quang Nam"},
		{"Tuyền Hoàng Phạm", "Phạm Hoàng Tuyền"},
		{"Minh Nguyễn Văn", "Nguyễn Văn Minh"}, // givenFirst's
		{"Minh Trần Lê", "Trần Lê Minh"},       // Trần 12.1% × Lê 594 middle names > Lê 9.5% × Trần 525
		// a first word that is a family name too, when ngxson's counts
		// make the name 1,000 times likelier family last (acc55)
		{"Ngọc Lan Phạm", "Phạm Ngọc Lan"},
		{"An Văn Nguyễn", "Nguyễn Văn An"},
		{"Ngọc Quân Huỳnh", "Huỳnh Ngọc Quân"},
		{"Duy Huy Nguyễn", "Nguyễn Duy Huy"},
		{"Linh Anh Đặng", "Đặng Anh Linh"},
		{"Ánh Thị Nguyễn", "Nguyễn Thị Ánh"},
		// left alone: a family name first, however rare; Văn before Thị
		// or before a given name; a last word that is not one of the
		// sixteen, or is one only without its marks; two words
		{"Nguyễn Văn Hoàng", "Nguyễn Văn Hoàng"},
		{"Trần Văn Nguyễn", "Trần Văn Nguyễn"},
		{"Sa Ri Lý", "Sa Ri Lý"}, // Sa: the family name of 8 names, a given or middle name of 52: ×30
		{"Hà Văn Lê", "Hà Văn Lê"},
		{"Hoàng Thị Nguyễn", "Hoàng Thị Nguyễn"}, // ×136 by the counts: not enough
		{"Vi Thị Lý", "Vi Thị Lý"},
		{"ANH THI NGUYEN", "Anh Thi Nguyen"}, // no marks: as written
		{"Ngọc Lan Phạm Thị", "Ngọc Lan Phạm Thị"},
		{"VAN AN NGUYEN", "Van An Nguyen"}, // Nguyen may be Nguyên, a given name
		{"Vi Thị Lý", "Vi Thị Lý"},
		{"Kim Pha Ly", "Kim Pha Ly"},
		{"Lâm Ngọc Huynh", "Lâm Ngọc Huynh"},
		{"Văn Thị Đang", "Văn Thị Đang"},
		{"Văn Quốc Hoàng", "Văn Quốc Hoàng"},
		{"Hoàng Thị Mai", "Hoàng Thị Mai"},
		{"Văn Nguyễn", "Văn Nguyễn"},
		{"Văn An Mai", "Văn An Mai"},
	} {
		if got := ParseName(c.in).Normalized; got != c.want {
			t.Errorf("ParseName(%q).Normalized = %q, want %q", c.in, got, c.want)
		}
	}
	if n := ParseName("Văn An Nguyễn"); n.Family != "Nguyễn" || n.Middle != "Văn" || n.Given != "An" {
		t.Errorf("Văn An Nguyễn: %+v", n)
	}
}

func TestParseNameNgDot(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Ng. Thị Đang", "Nguyễn Thị Đang"},
		{"NG. VAN AN", "Nguyen Van An"},
		{"Ng.Văn Bình", "Nguyễn Văn Bình"},
		{"Ng Văn Bình", "Ng Văn Bình"}, // no dot: as written
		{"Ngô Văn Bình", "Ngô Văn Bình"},
		{"Ng.", "Ng"},
		{"Trọng Công Ng.", "Nguyễn Trọng Công"}, // family last (acc55)
		{"THI LAN NG.", "Nguyen Thi Lan"},
	} {
		if got := ParseName(c.in).Normalized; got != c.want {
			t.Errorf("ParseName(%q).Normalized = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestParseNameJoinSplit: a space a form reader put inside a word is
// taken out when one half is no word of the name lists and the two make a
// name word; names of known words are read as written (acc55).
func TestParseNameJoinSplit(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"PHAN VĂN THU ẬN", "Phan Văn Thuận"},
		{"ĐỖ THỊ G IANG", "Đỗ Thị Giang"},
		{"NGU YỄN THỊ HIỀN", "Nguyễn Thị Hiền"},
		{"LÊ QUỲNH HẰ NG", "Lê Quỳnh Hằng"},
		{"T RAN VAN CHINH", "Tran Van Chinh"},
		// left as written: words the lists know, a join no list counts
		{"Nguyễn Thị Thu Hà", "Nguyễn Thị Thu Hà"},
		{"Tôn Nữ Thu Hà", "Tôn Nữ Thu Hà"},
		{"Lò Văn A Sa", "Lò Văn A Sa"},
		{"TRẦN VĂN N GAN", "Trần Văn N Gan"},
		{"Thu Ận", "Thu Ận"}, // two words: as written
	} {
		if got := ParseName(c.in).Normalized; got != c.want {
			t.Errorf("ParseName(%q).Normalized = %q, want %q", c.in, got, c.want)
		}
	}
}
