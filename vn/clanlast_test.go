package vn

import "testing"

// TestClanLast checks that Ê Đê and M'nông names, written with the prefix
// Y or H' first and the clan last, split with the clan as the family name,
// as the same name written clan first does, and that a name whose first
// word Y is a family name stays as it is.
func TestClanLast(t *testing.T) {
	for _, c := range []struct{ in, family, middle, given string }{
		{"H' Nhi Byă", "Byă", "H'", "Nhi"},
		{"Byă H' Nhi", "Byă", "H'", "Nhi"},
		{"H'Hen Niê", "Niê", "H'", "Hen"},
		{"Y Bôn Niê", "Niê", "Y", "Bôn"},
		{"Y BÔN NIÊ", "Niê", "Y", "Bôn"},
		{"Y Thu Hằng", "Y", "Thu", "Hằng"},
		{"Ksor H'Bia", "Ksor", "", "H'bia"},
		{"Nguyễn Thị Hồng", "Nguyễn", "Thị", "Hồng"},
	} {
		n := ParseName(c.in)
		if n.Family != c.family || n.Middle != c.middle || n.Given != c.given {
			t.Errorf("ParseName(%q) = %q / %q / %q, want %q / %q / %q", c.in, n.Family, n.Middle, n.Given, c.family, c.middle, c.given)
		}
	}
	// Two sisters of one clan no longer share their "given" name.
	if a, b := ParseName("H' Nhi Byă"), ParseName("H' Krông Byă"); a.Given == b.Given {
		t.Errorf("sisters H' Nhi Byă and H' Krông Byă share the given name %q", a.Given)
	}
}
