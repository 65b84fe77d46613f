package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dancu-vn/dancu/address"
)

// normalizeAddress reads one address per line from in and writes one JSON
// object per line to out. asOf is the date the addresses describe
// (YYYY-MM-DD), which decides the era of bare codes.
//
// Each object has input, province, district, commune, new_province,
// new_commune (each {code, name}), street, hamlet, confidence and
// candidates, and old_names when a unit is named by an earlier name: see
// address.Result.
func normalizeAddress(g *globals, in io.Reader, out io.Writer, asOf string) error {
	d, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		return fmt.Errorf("parse as-of date %q: want YYYY-MM-DD: %w", asOf, err)
	}
	if err := address.Warm(); err != nil {
		return fmt.Errorf("load gazetteer: %w", err)
	}
	return eachLine(in, out, func(s string) any { return address.Resolve(s, d) })
}

// evalAddresses scores address resolution on labelled CSV files
// (testdata/addresses/*.csv: text, as_of, the true codes of both eras)
// and prints, for each file and for its addresses dated before and after
// the 2025 reform, the accuracy per level: strict (an ambiguous result is
// wrong) and lenient (right when the truth is among the candidates), and
// the share of wrong guesses: `dancu normalize address --eval FILE…`.
func evalAddresses(g *globals, paths []string, out io.Writer) error {
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
		if err := address.WriteEvaluation(out, p, xs); err != nil {
			return err
		}
	}
	return nil
}
