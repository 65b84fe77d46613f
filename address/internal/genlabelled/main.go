package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/internal/synth"
)

func main() {
	seed := flag.Int64("seed", 2, "generator seed")
	n := flag.Int("n", 2000, "number of addresses")
	out := flag.String("o", "testdata/addresses/generated.csv", "output CSV")
	typos := flag.Bool("typos", false, "also misspell one word of each address's units (drop, double or swap a letter)")
	flag.Parse()
	if err := run(*seed, *n, *out, *typos); err != nil {
		fmt.Fprintln(os.Stderr, "genlabelled:", err)
		os.Exit(1)
	}
}

func run(seed int64, n int, out string, typos bool) error {
	xs := synth.AddressSample(seed, n)
	if len(xs) != n {
		return fmt.Errorf("generate addresses: got %d of %d", len(xs), n)
	}
	ls := make([]address.Labelled, len(xs))
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	for i, x := range xs {
		note := fmt.Sprintf("synth.AddressSample seed %d #%d", seed, i)
		if typos {
			x.Text = addTypo(x.Text, rng)
			note += " + one typo"
		}
		ls[i] = address.Labelled{Text: x.Text, AsOf: x.AsOf, ProvinceCode: x.ProvinceCode, DistrictCode: x.DistrictCode,
			CommuneCode: x.CommuneCode, NewProvinceCode: x.NewProvinceCode, NewCommuneCode: x.NewCommuneCode,
			Note: note}
	}
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	if err := address.WriteLabelled(f, ls); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// addTypo drops, doubles or swaps one letter (not the first) of one word
// of four letters or more in the last two comma-separated parts — the
// units — of s.
func addTypo(s string, r *rand.Rand) string {
	parts := strings.Split(s, ", ")
	k := len(parts) - 1 - r.IntN(min(2, len(parts)))
	words := strings.Fields(parts[k])
	var cand []int
	for i, w := range words {
		if len([]rune(w)) >= 4 && i > 0 {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return s
	}
	wi := cand[r.IntN(len(cand))]
	rs := []rune(words[wi])
	p := 1 + r.IntN(len(rs)-1)
	switch r.IntN(3) {
	case 0:
		rs = append(rs[:p], rs[p+1:]...)
	case 1:
		rs = append(rs[:p+1], rs[p:]...)
	default:
		if p+1 < len(rs) {
			rs[p], rs[p+1] = rs[p+1], rs[p]
		}
	}
	words[wi] = string(rs)
	parts[k] = strings.Join(words, " ")
	return strings.Join(parts, ", ")
}
