package vn

import (
	"fmt"
	"sync"
	"testing"
	"time"
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

// TestISOEveryDay checks every full date of MinYear–MaxYear (days 1–31
// of every month) against fmt's text, four goroutines making the years'
// texts at once (go test -race checks they share them safely).
func TestISOEveryDay(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := MaxYear - g; y >= MinYear; y-- {
				for m := 1; m <= 12; m++ {
					for day := 1; day <= 31; day++ {
						d := Date{Year: y, Month: m, Day: day, Precision: PrecisionDay}
						if got, want := d.ISO(), fmt.Sprintf("%04d-%02d-%02d", y, m, day); got != want {
							errs <- fmt.Sprintf("%+v.ISO() = %q, want %q", d, got, want)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestAfterThisYear checks AfterThisYear against the clock, asked for
// years after this one first (the clock is read), then before.
func TestAfterThisYear(t *testing.T) {
	now := time.Now().Year()
	for _, y := range []int{now + 2, now + 1, now, now - 1, 1800, now + 1, now} {
		if got := AfterThisYear(y); got != (y > now) {
			t.Errorf("AfterThisYear(%d) = %v in %d", y, got, now)
		}
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
