package main

import (
	"errors"
	"io"
)

// normalizeAddress reads one address per line from in and writes one JSON
// object per line to out. asOf is the date the addresses describe
// (YYYY-MM-DD), which decides the era of bare codes.
func normalizeAddress(g *globals, in io.Reader, out io.Writer, asOf string) error {
	return errors.New("normalize address: not implemented yet")
}
