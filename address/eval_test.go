package address

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

//go:generate go run ./internal/genlabelled -seed 2 -n 2000 -o ../testdata/addresses/generated.csv
//go:generate go run ./internal/genlabelled -seed 4 -n 2000 -typos -o ../testdata/addresses/generated_typos.csv
//go:generate go run ./internal/genhard -seed 11 -n 1000 -o ../testdata/addresses/hard_tune.csv
//go:generate go run ./internal/genhard -seed 7919 -n 1000 -o ../testdata/addresses/hard_heldout.csv
//go:generate go run ./internal/genhard -real -seed 29 -n 400 -o ../testdata/addresses/realworld_tune.csv
//go:generate go run ./internal/genhard -real -seed 8117 -n 400 -o ../testdata/addresses/realworld_heldout.csv

func readSet(t *testing.T, name string) []Labelled {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "addresses", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xs, err := ReadLabelled(f)
	if err != nil {
		t.Fatal(err)
	}
	return xs
}

// TestAccuracyFloors gates resolution on the committed labelled sets.
// The generated set was made with seed 2 (and the one with typos with
// seed 4) while the resolver was developed on seeds 1 and 3; the
// hand-written set is gated on its holdout half only (the
// dev half was looked at while developing). An ambiguous result counts as
// right only when the truth is among its candidates (lenient); the strict
// figures are logged, and wrong guesses are bounded separately.
func TestAccuracyFloors(t *testing.T) {
	gen := readSet(t, "generated.csv")
	typos := readSet(t, "generated_typos.csv")
	hand := readSet(t, "handwritten.csv")
	if len(gen) < 2000 || len(hand) < 150 {
		t.Fatalf("labelled sets too small: %d generated, %d hand-written", len(gen), len(hand))
	}
	var holdout []Labelled
	for _, x := range hand {
		if strings.HasPrefix(x.Note, "holdout") {
			holdout = append(holdout, x)
		}
	}
	floors := [5]float64{0.99, 0.96, 0.93, 0.99, 0.93} // the targets; new era at the commune target
	for _, set := range []struct {
		name string
		xs   []Labelled
	}{{"generated", gen}, {"generated with typos", typos}, {"hand-written holdout", holdout}} {
		rep := Evaluate(set.xs)
		var b strings.Builder
		rep.Write(&b, set.name)
		t.Log("\n" + b.String())
		for l, s := range rep.Levels {
			if s.N == 0 {
				continue
			}
			if got := s.Lenient(); got < floors[l] {
				t.Errorf("%s: %s accuracy %.4f below %.2f", set.name, Level[l], got, floors[l])
			}
			if w := ratio(s.Wrong, s.N); w > 0.01 {
				t.Errorf("%s: %s wrong guesses %.4f above 1%%", set.name, Level[l], w)
			}
		}
	}
}

// TestLabelledTruth checks that every code in the labelled sets names a
// unit of the right era and that the levels agree with each other and
// with the official old→new mapping.
func TestLabelledTruth(t *testing.T) {
	g, err := load()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"generated.csv", "generated_typos.csv", "handwritten.csv", "hard_tune.csv", "hard_heldout.csv", "handwritten_hard.csv", "realworld_tune.csv", "realworld_heldout.csv", "realworld2_dev.csv", "realworld2_heldout.csv", "realworld3_dev.csv", "realworld3_heldout.csv", "realworld4_heldout.csv"} {
		for i, x := range readSet(t, name) {
			where := func(f string, a ...any) {
				t.Helper()
				t.Errorf("%s row %d (%q): "+f, append([]any{name, i + 2, x.Text}, a...)...)
			}
			var p, d, c, np, nc int32 = -1, -1, -1, -1, -1
			var ok bool
			if x.ProvinceCode != "" {
				if p, ok = g.byCode[kProvince][x.ProvinceCode]; !ok {
					where("province %s unknown", x.ProvinceCode)
				}
			}
			if x.DistrictCode != "" {
				if d, ok = g.byCode[kDistrict][x.DistrictCode]; !ok || g.units[d].prov != p {
					where("district %s unknown or not in province %s", x.DistrictCode, x.ProvinceCode)
				}
			}
			if x.CommuneCode != "" {
				if c, ok = g.byCode[kCommune][x.CommuneCode]; !ok || g.units[c].parent != d || !g.units[c].final {
					where("commune %s unknown, not in district %s or not in the final list", x.CommuneCode, x.DistrictCode)
				}
			}
			if x.NewProvinceCode != "" {
				if np, ok = g.byCode[kNewProvince][x.NewProvinceCode]; !ok {
					where("new province %s unknown", x.NewProvinceCode)
				}
				if p >= 0 && !contains(g.units[p].to, np) {
					where("province %s did not become %s", x.ProvinceCode, x.NewProvinceCode)
				}
			}
			if x.NewCommuneCode != "" {
				if nc, ok = g.byCode[kNewCommune][x.NewCommuneCode]; !ok || g.units[nc].parent != np {
					where("new commune %s unknown or not in %s", x.NewCommuneCode, x.NewProvinceCode)
				}
				if c >= 0 && !contains(g.units[c].to, nc) {
					where("commune %s is not mapped to %s", x.CommuneCode, x.NewCommuneCode)
				}
			}
		}
	}
}

// TestHardFloors gates resolution of addresses as people really type them
// (issue 13): the tuning split of the corruption model (hard_tune.csv,
// seed 11, looked at while developing), its held-out split
// (hard_heldout.csv, seed 7919, evaluated once when the resolver was done
// and gated since at the targets) and the holdout half of the
// hand-written hard set. Strict accuracy counts an ambiguous result as
// wrong. A wrong guess must be rarer than an honest "ambiguous".
func TestHardFloors(t *testing.T) {
	var holdout []Labelled
	for _, x := range readSet(t, "handwritten_hard.csv") {
		if strings.HasPrefix(x.Note, "holdout") {
			holdout = append(holdout, x)
		}
	}
	if len(holdout) < 50 {
		t.Fatalf("only %d hand-written hard holdout addresses", len(holdout))
	}
	floors := [5]float64{0.98, 0.95, 0.90, 0.96, 0.90} // the targets; new era like the old
	for _, set := range []struct {
		name string
		xs   []Labelled
	}{{"hard tuning split", readSet(t, "hard_tune.csv")}, {"hard held-out split", readSet(t, "hard_heldout.csv")}, {"hand-written hard holdout", holdout}} {
		rep := Evaluate(set.xs)
		var b strings.Builder
		rep.Write(&b, set.name)
		t.Log("\n" + b.String())
		for l, s := range rep.Levels {
			if s.N == 0 {
				continue
			}
			if got := s.Strict(); got < floors[l] {
				t.Errorf("%s: %s strict accuracy %.4f below %.2f", set.name, Level[l], got, floors[l])
			}
			if w := ratio(s.Wrong, s.N); w > 0.02 {
				t.Errorf("%s: %s wrong guesses %.4f above 2%%", set.name, Level[l], w)
			}
			if ambiguous := s.N - s.Right - s.Wrong; s.Wrong > ambiguous {
				t.Errorf("%s: %s: %d wrong guesses, more than the %d honest ambiguous results", set.name, Level[l], s.Wrong, ambiguous)
			}
		}
	}
}

// TestRealWorldFloors gates resolution of addresses as web pages and
// forms write them (genhard -real: house numbers and alleys, hamlets,
// English, no diacritics, short forms, labels, telephone numbers, the
// country, the old name beside the new …): the tuning split
// (realworld_tune.csv, seed 29, looked at while developing) and the
// held-out split (realworld_heldout.csv, seed 8117, evaluated once when
// the resolver was done). The floors are just below what the held-out
// split gave then (README, "The real-world set"); strict accuracy counts
// an ambiguous result as wrong, and a wrong guess must stay rarer than
// an honest "ambiguous" (counted over the five levels: a province
// guessed wrong is also a commune guessed wrong). The second real-world
// set (addr5: written by hand, blind to the resolver; README "The second
// real-world set") is gated the same way, its dev half (looked at while
// mending) and its held-out half (evaluated once with the resolver of
// that change) just below what each gave then, wrong guesses up to 2%
// (one wrong new commune in a hundred is 1.01% of its 199).
func TestRealWorldFloors(t *testing.T) {
	for _, set := range []struct {
		name     string
		min      int
		maxWrong float64
		floors   [5]float64
	}{
		{"realworld_tune.csv", 300, 0.01, [5]float64{0.98, 0.97, 0.95, 0.99, 0.97}},
		{"realworld_heldout.csv", 300, 0.01, [5]float64{0.98, 0.97, 0.97, 0.98, 0.97}},
		{"realworld2_dev.csv", 250, 0.02, [5]float64{0.99, 0.99, 0.98, 0.99, 0.98}},
		{"realworld2_heldout.csv", 250, 0.02, [5]float64{0.99, 0.98, 0.97, 0.99, 0.97}},
		{"realworld3_dev.csv", 200, 0.01, [5]float64{0.99, 0.99, 0.99, 0.99, 0.99}},
		{"realworld3_heldout.csv", 200, 0.01, [5]float64{0.99, 0.97, 0.98, 0.99, 0.98}},
	} {
		name, floors := set.name, set.floors
		xs := readSet(t, name)
		if len(xs) < set.min {
			t.Fatalf("%s: only %d addresses", name, len(xs))
		}
		rep := Evaluate(xs)
		var b strings.Builder
		rep.Write(&b, name)
		t.Log("\n" + b.String())
		wrong, ambiguous := 0, 0
		for l, s := range rep.Levels {
			if got := s.Strict(); got < floors[l] {
				t.Errorf("%s: %s strict accuracy %.4f below %.2f", name, Level[l], got, floors[l])
			}
			if w := ratio(s.Wrong, s.N); w > set.maxWrong {
				t.Errorf("%s: %s wrong guesses %.4f above %.0f%%", name, Level[l], w, 100*set.maxWrong)
			}
			wrong += s.Wrong
			ambiguous += s.N - s.Right - s.Wrong
		}
		if wrong > ambiguous {
			t.Errorf("%s: %d wrong guesses, more than the %d honest ambiguous results", name, wrong, ambiguous)
		}
	}
}
