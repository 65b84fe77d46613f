package vn

import (
	"fmt"
	"testing"
)

// TestISORemembered checks the full dates ISO remembers against fmt's
// text, made and then read back, at the ends of the years remembered and
// outside them.
func TestISORemembered(t *testing.T) {
	for _, y := range []int{MinYear - 1, MinYear, 1990, MaxYear, MaxYear + 1, 9999} {
		for m := 1; m <= 12; m++ {
			for _, day := range []int{1, 15, 29, 31} {
				d := Date{Year: y, Month: m, Day: day, Precision: PrecisionDay}
				want := fmt.Sprintf("%04d-%02d-%02d", y, m, day)
				for pass := range 2 {
					if got := d.ISO(); got != want {
						t.Fatalf("pass %d: %+v.ISO() = %q, want %q", pass, d, got, want)
					}
				}
			}
		}
	}
	if got := (Date{Year: 1990, Month: 3, Precision: PrecisionMonth}).ISO(); got != "1990-03" {
		t.Errorf("month precision: %q", got)
	}
}

// BenchmarkISO formats the birth dates of a list (a few thousand distinct
// days, each many times).
func BenchmarkISO(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		d := Date{Year: 1950 + i%60, Month: 1 + i%12, Day: 1 + i%28, Precision: PrecisionDay}
		n += len(d.ISO())
	}
	if n == 0 {
		b.Fatal("nothing formatted")
	}
}
