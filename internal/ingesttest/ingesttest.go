package ingesttest

import (
	"errors"
	"io"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/schemas"
)

// Records reads the records of the files at paths, in order, through
// ingest.Open with opts; it fails tb on any error. Rows ingest rejects
// (an item without a record) are left out: callers are benchmarks and
// tests of what comes after ingest, on generated files.
func Records(tb testing.TB, opts ingest.Options, paths ...string) []*schemas.Record {
	tb.Helper()
	var recs []*schemas.Record
	for _, p := range paths {
		src, err := ingest.Open(p, opts)
		if err != nil {
			tb.Fatal(err)
		}
		for {
			it, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				src.Close()
				tb.Fatal(err)
			}
			if it.Record != nil {
				recs = append(recs, it.Record)
			}
		}
		src.Close()
	}
	return recs
}
