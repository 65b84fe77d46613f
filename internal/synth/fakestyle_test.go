package synth

import (
	"reflect"
	"testing"
	"time"
)

// TestFakeStyleProfile checks FakeStyle against the profile its doc
// states (measured on the public fake_1000): cluster sizes one to seven,
// per-field blank rates, names swapped, dates moved by about a month, a
// year or ten years, and the same rows for the same seed.
func TestFakeStyleProfile(t *testing.T) {
	ps := FakeStyle(3000, 1)
	if !reflect.DeepEqual(ps.Rows[:50], FakeStyle(3000, 1).Rows[:50]) {
		t.Fatal("the same seed gave other rows")
	}
	sizes := map[string]int{}
	for _, r := range ps.Rows {
		sizes[r[6]]++
	}
	if len(sizes) != 3000 {
		t.Fatalf("%d people, want 3000", len(sizes))
	}
	for p, n := range sizes {
		if n < 1 || n > 7 {
			t.Fatalf("person %s has %d records, want 1 to 7", p, n)
		}
	}
	if mean := float64(len(ps.Rows)) / 3000; mean < 3.8 || mean > 4.2 {
		t.Errorf("%.2f records per person, want about 4", mean)
	}
	n := float64(len(ps.Rows))
	for c, want := range map[int]float64{1: 0.17, 2: 0.18, 3: 0, 4: 0.19, 5: 0.21} {
		blank := 0
		for _, r := range ps.Rows {
			if r[c] == "" {
				blank++
			}
		}
		if got := float64(blank) / n; got < want-0.02 || got > want+0.02 {
			t.Errorf("%s blank in %.3f of the records, want %.2f", ps.Header[c], got, want)
		}
	}
	// The first record of a person is not the truth, but most of its
	// fields are: compare every other record's date with the person's
	// commonest.
	dates := map[string]map[string]int{}
	for _, r := range ps.Rows {
		if dates[r[6]] == nil {
			dates[r[6]] = map[string]int{}
		}
		dates[r[6]][r[3]]++
	}
	moved, kinds := 0, map[string]int{}
	for _, r := range ps.Rows {
		best, bn := "", 0
		for d, k := range dates[r[6]] {
			if k > bn || k == bn && d < best {
				best, bn = d, k
			}
		}
		if r[3] == best {
			continue
		}
		moved++
		a, err1 := time.Parse("2006-01-02", r[3])
		b, err2 := time.Parse("2006-01-02", best)
		if err1 != nil || err2 != nil {
			kinds["digit"]++
			continue
		}
		switch d := a.Sub(b).Hours() / 24; {
		case d < 0 && -d <= 40 || d >= 0 && d <= 40:
			kinds["month"]++
		case d < 0 && -d <= 400 || d >= 0 && d <= 400:
			kinds["year"]++
		default:
			kinds["decade"]++
		}
	}
	if got := float64(moved) / n; got < 0.2 || got > 0.4 {
		t.Errorf("%.3f of the dates differ from their person's commonest, want about 0.3", got)
	}
	for _, k := range []string{"month", "year", "decade"} {
		if kinds[k] < moved/6 {
			t.Errorf("dates moved by about a %s: %d of %d, want about a third", k, kinds[k], moved)
		}
	}
	swapped := 0
	for _, r := range ps.Rows {
		if r[1] != "" && r[2] != "" && inPool(fakeLast, r[1]) && inPool(fakeFirst, r[2]) && !inPool(fakeFirst, r[1]) {
			swapped++
		}
	}
	if got := float64(swapped) / n; got < 0.03 || got > 0.09 {
		t.Errorf("names swapped in %.3f of the records, want about 0.055", got)
	}
}

func inPool(pool []string, s string) bool {
	for _, p := range pool {
		if p == s {
			return true
		}
	}
	return false
}
