package matching

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestFloorElseM: else_m_min raises an else m EM left below it and scales
// the other levels down in proportion, so that m sums to 1 and their
// ratios stay; an else m at or above it, or no else_m_min, is left as EM
// gave it.
func TestFloorElseM(t *testing.T) {
	sc := settings.Comparison{Name: "address", ElseMMin: 0.032}
	m := []float64{0.94, 0.04, 0.01998, 0.00002}
	note := floorElseM(sc, m)
	if m[3] != 0.032 {
		t.Errorf("else's m %g, want 0.032", m[3])
	}
	sum := 0.0
	for _, v := range m {
		sum += v
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("m sums to %g, want 1: %v", sum, m)
	}
	if r := m[0] / m[1]; math.Abs(r-0.94/0.04) > 1e-9 {
		t.Errorf("the first two levels' ratio %g, want %g", r, 0.94/0.04)
	}
	if !strings.Contains(note, "address") || !strings.Contains(note, "0.032") {
		t.Errorf("note %q, want the comparison and the floor named", note)
	}
	for _, c := range []struct {
		min float64
		m   []float64
	}{
		{0.032, []float64{0.9, 0.05, 0.05}}, // already above
		{0, []float64{0.99, 0.00999, 0.00001}},
	} {
		was := append([]float64(nil), c.m...)
		if note := floorElseM(settings.Comparison{Name: "x", ElseMMin: c.min}, c.m); note != "" || !slices.Equal(c.m, was) {
			t.Errorf("else_m_min %g on %v: %v (%q), want it left alone", c.min, was, c.m, note)
		}
	}
	if _, err := settings.Parse([]byte(strings.Replace(sexUnlessSettings, "null_columns: [name]", "null_columns: [name]\n    else_m_min: 0.7", 1))); err == nil || !strings.Contains(err.Error(), "else_m_min") {
		t.Errorf("else_m_min 0.7 parsed (%v), want an error naming it", err)
	}
}

// TestFloorLevelM: m_min raises a level EM left below it, beside else's
// else_m_min, and scales only the levels not raised, so that m sums to 1;
// a level at or above its m_min is left as EM gave it.
func TestFloorLevelM(t *testing.T) {
	sc := settings.Comparison{Name: "address", ElseMMin: 0.032, Levels: []settings.Level{
		{Label: "same commune"}, {Label: "same province"}, {Label: "the number names the other's", MMin: 0.016}}}
	m := []float64{0.95, 0.04998, 0.00001, 0.00001}
	note := floorElseM(sc, m)
	if m[2] != 0.016 || m[3] != 0.032 {
		t.Errorf("m %v, want the level at 0.016 and else at 0.032", m)
	}
	sum := 0.0
	for _, v := range m {
		sum += v
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("m sums to %g, want 1: %v", sum, m)
	}
	if r := m[0] / m[1]; math.Abs(r-0.95/0.04998) > 1e-9 {
		t.Errorf("the first two levels' ratio %g, want %g", r, 0.95/0.04998)
	}
	if !strings.Contains(note, "the number names the other's") || !strings.Contains(note, "0.016") || !strings.Contains(note, "else_m_min") {
		t.Errorf("note %q, want both raises named", note)
	}
	m = []float64{0.9, 0.03, 0.03, 0.04}
	was := slices.Clone(m)
	if note := floorElseM(sc, m); note != "" || !slices.Equal(m, was) {
		t.Errorf("floors already met: %v (%q), want %v left alone", m, note, was)
	}
	if _, err := settings.Parse([]byte(strings.Replace(sexUnlessSettings, "op: exact", "op: exact, m_min: 0.6", 1))); err == nil || !strings.Contains(err.Error(), "m_min") {
		t.Errorf("m_min 0.6 parsed (%v), want an error naming it", err)
	}
}
