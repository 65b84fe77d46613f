package vn_test

import (
	"testing"

	"github.com/dancu-vn/dancu/vn"
)

func TestSureFamily(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"Lường Văn Bun", "luong"},
		{"TÒNG VĂN BUN", "tong"},
		{"Tong Van Bun", "tong"},
		{"Nguyễn Thị Lan", "nguyen"},
		// The South's spellings are one family with the North's.
		{"Huỳnh Văn Tâm", "huang"},
		// Written by ear: one family by its sound.
		{"Quàng Văn Ún", "huang"},
		{"Giàng Thị Tủa", "dang"},
		{"Dàng Thị Tủa", "dang"},
		{"Hoàng Văn Tâm", "huang"},
		{"Võ Thị Mai Anh", "vu"},
		// The last word a family name too: perhaps written given name
		// first ("Sa Rết Thạch" is Thạch Sa Rết), so nothing is sure.
		{"Trần Văn Hoàng", ""},
		{"Sa Rết Thạch", ""},
		// No family of the list: a scanner's garble, a clan the list
		// does not hold, a name of one word, no name.
		{"Ncuyễh Văn An", ""},
		{"Ksor H'Bia", ""},
		{"Lan", ""},
		{"", ""},
	} {
		if got := vn.SureFamily(vn.ParseName(c.name)); got != c.want {
			t.Errorf("SureFamily(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSureFamilyAllocatesNothing(t *testing.T) {
	n := vn.ParseName("Lường Văn Bun")
	if a := testing.AllocsPerRun(100, func() { vn.SureFamily(n) }); a != 0 {
		t.Errorf("SureFamily allocates %v times a call", a)
	}
}

func TestSureFamilyAllocatesNothingForAnyName(t *testing.T) {
	for _, name := range []string{"Hoàng Văn Tâm", "Nguyễn Thị Lan", "Trần Văn Hoàng", "Giàng A Páo", "Nguyen Van An"} {
		n := vn.ParseName(name)
		if a := testing.AllocsPerRun(100, func() { vn.SureFamily(n) }); a != 0 {
			t.Errorf("SureFamily(%q) allocates %v times a call", name, a)
		}
	}
}
