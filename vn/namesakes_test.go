package vn_test

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/vn"
)

// A common man's name is held by about two men of the register on one
// day, the same name with a woman's given-name shares by none, a rare
// name by none, and a name without its marks counts as rare (its words
// are not the tables').
func TestNamesakes(t *testing.T) {
	for _, tc := range []struct {
		family, middle, given string
		female                bool
		lo, hi                float64
	}{
		{"Nguyễn", "Văn", "Nam", false, 1.5, 3},
		{"Nguyễn", "Văn", "Nam", true, 0, 0.01},
		{"Nguyễn", "Thị", "Hà", true, 0.1, 0.5},
		{"Khổng", "Minh", "Triết", false, 0, 0.001},
		{"NGUYEN", "VAN", "NAM", false, 0, 0.001},
		{"Nguyễn", "", "", false, 0, 0},
	} {
		if l := vn.Namesakes(tc.family, tc.middle, tc.given, tc.female); l < tc.lo || l > tc.hi {
			t.Errorf("Namesakes(%s %s %s, female %v) = %g, want in [%g, %g]", tc.family, tc.middle, tc.given, tc.female, l, tc.lo, tc.hi)
		}
	}
}

func ExampleNamesakes() {
	fmt.Printf("%.1f\n", vn.Namesakes("Nguyễn", "Văn", "Nam", false))
	fmt.Printf("%.1f\n", vn.Namesakes("Lê", "Đức", "Thịnh", false))
	// Output:
	// 2.1
	// 0.0
}
