package matching

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestVetoesKeepTheirOwnUnless: two vetoes on one comparison are lifted
// each by its own conditions. Given names that differ are one person's
// only with the same number and the same date; a birth-order name on one
// side is one person's with the same number, whatever the date. Before,
// the conditions of every veto on a comparison were pooled, so the
// second veto also asked for the first one's exact date.
func TestVetoesKeepTheirOwnUnless(t *testing.T) {
	lv := func(labels ...string) []settings.Level {
		var out []settings.Level
		for _, l := range labels {
			out = append(out, settings.Level{Label: l})
		}
		return out
	}
	s := &settings.Settings{
		Comparisons: []settings.Comparison{
			{Name: "given", Levels: lv("exact", "rank on one side")},
			{Name: "id", Levels: lv("same number", "same CMND")},
			{Name: "dob", Levels: lv("exact")},
		},
		Vetoes: []settings.Veto{
			{Comparison: "given", Levels: []string{"else"}, Unless: []settings.Veto{
				{Comparison: "id", Levels: []string{"same number"}},
				{Comparison: "dob", Levels: []string{"exact"}},
			}},
			{Comparison: "given", Levels: []string{"rank on one side"}, Unless: []settings.Veto{
				{Comparison: "id", Levels: []string{"same number", "same CMND"}},
			}},
		},
	}
	c := &compiled{s: s}
	for _, sc := range s.Comparisons {
		c.comps = append(c.comps, cComparison{name: sc.Name})
	}
	if err := c.compileVetoes(); err != nil {
		t.Fatal(err)
	}
	// Levels: 0 null, 1.. the levels, len+1 else.
	const (
		givenExact, givenRank, givenElse = 1, 2, 3
		idSame, idCMND, idElse           = 1, 2, 3
		dobNull, dobExact, dobElse       = 0, 1, 2
	)
	tests := []struct {
		name   string
		gs     []uint8
		vetoed bool
	}{
		{"same given name", []uint8{givenExact, idElse, dobElse}, false},
		{"names differ, no number", []uint8{givenElse, idElse, dobExact}, true},
		{"names differ, same number, other date", []uint8{givenElse, idSame, dobElse}, true},
		{"names differ, same number and date", []uint8{givenElse, idSame, dobExact}, false},
		{"rank, no number, same date (twins)", []uint8{givenRank, idElse, dobExact}, true},
		{"rank, no number, no date", []uint8{givenRank, 0, dobNull}, true},
		{"rank, same number, other date", []uint8{givenRank, idSame, dobElse}, false},
		{"rank, same CMND, same date", []uint8{givenRank, idCMND, dobExact}, false},
	}
	for _, tt := range tests {
		if got := c.vetoed(tt.gs); got != tt.vetoed {
			t.Errorf("%s: vetoed %v, want %v", tt.name, got, tt.vetoed)
		}
	}
}
