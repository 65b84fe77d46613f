// Command genlabelled writes the generated part of the labelled address
// set from the synthetic generator's address renderer and noise
// (synth.AddressSample):
//
//	go run ./matching/address/internal/genlabelled -seed 2 -n 2000 -o testdata/addresses/generated.csv
//
// The committed file uses seed 2; the resolver was developed against
// seed 1, so the gate in eval_test.go scores addresses it was not tuned on.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/address"
)

func main() {
	seed := flag.Int64("seed", 2, "generator seed")
	n := flag.Int("n", 2000, "number of addresses")
	out := flag.String("o", "testdata/addresses/generated.csv", "output CSV")
	flag.Parse()
	if err := run(*seed, *n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genlabelled:", err)
		os.Exit(1)
	}
}

func run(seed int64, n int, out string) error {
	xs := synth.AddressSample(seed, n)
	if len(xs) != n {
		return fmt.Errorf("generate addresses: got %d of %d", len(xs), n)
	}
	ls := make([]address.Labelled, len(xs))
	for i, x := range xs {
		ls[i] = address.Labelled{Text: x.Text, AsOf: x.AsOf, ProvinceCode: x.ProvinceCode, DistrictCode: x.DistrictCode,
			CommuneCode: x.CommuneCode, NewProvinceCode: x.NewProvinceCode, NewCommuneCode: x.NewCommuneCode,
			Note: fmt.Sprintf("synth.AddressSample seed %d #%d", seed, i)}
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
