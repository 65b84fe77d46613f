package coverage

import (
	"slices"
	"testing"
)

// With demo-sized data every province's share rounds to 0.01%: the bars
// (highest first) and "lowest first" order by the unrounded share, not by
// the code the rounded ties fell back to (user31).
func TestBarsOrderByUnroundedShare(t *testing.T) {
	rows := []Row{
		{Kind: KindUnit, Code: "01", Persons: 101, Population2024: 1_000_000, PersonsWithID: 50},
		{Kind: KindUnit, Code: "02", Persons: 149, Population2024: 1_000_000, PersonsWithID: 100},
		{Kind: KindUnit, Code: "04", Persons: 120, Population2019: 1_000_000, PersonsWithID: 61},
	}
	for i := range rows {
		rows[i].finish()
		if rows[i].PersonsPct != 0.01 {
			t.Fatalf("row %s: %v%%, want a share that rounds to 0.01", rows[i].Code, rows[i].PersonsPct)
		}
	}
	var bars []Bar
	for _, r := range rows {
		bars = append(bars, Bar{Code: r.Code, Value: metricOf(r, "persons_pct"), Key: exactMetric(r, "persons_pct")})
	}
	var got []string
	for _, b := range sortedBars(bars) {
		got = append(got, b.Code)
	}
	if want := []string{"02", "04", "01"}; !slices.Equal(got, want) {
		t.Errorf("bars highest first %v, want %v (149, 120, 101 persons of a million)", got, want)
	}
	for metric, want := range map[string][]string{"persons_pct": {"01", "04", "02"}, "with_id_pct": {"01", "04", "02"}} {
		got = got[:0]
		for _, r := range lowestFirst(rows, metric, false) {
			got = append(got, r.Code)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s lowest first %v, want %v", metric, got, want)
		}
	}
}
