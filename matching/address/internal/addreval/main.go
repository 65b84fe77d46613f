// Command addreval prints the accuracy of address resolution on labelled
// address files:
//
//	go run ./matching/address/internal/addreval testdata/addresses/generated.csv testdata/addresses/handwritten.csv
//
// For each file, and for its addresses dated before and after the 2025
// reform, it prints per level (province, district, commune, new province,
// new commune) the strict accuracy (an ambiguous result counts as wrong),
// the lenient accuracy (right when the truth is among the candidates) and
// the share of wrong guesses.
package main

import (
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/matching/address"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "addreval:", err)
		os.Exit(1)
	}
}

func run(paths []string) error {
	if len(paths) == 0 {
		return fmt.Errorf("usage: addreval FILE.csv…")
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open labelled addresses: %w", err)
		}
		xs, err := address.ReadLabelled(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		if err := address.WriteEvaluation(os.Stdout, p, xs); err != nil {
			return err
		}
	}
	return nil
}
