package schemas_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/schemas"
)

// recordsApart returns n full records each allocated on its own, its
// strings copied into bytes of their own right after it, as a reader
// returns them to the import (manyRecords' strings share the literals'
// bytes and sit in one array: a cache-friendlier picture than the
// import's).
func recordsApart(n int) []*schemas.Record {
	out := make([]*schemas.Record, n)
	for i := range out {
		r := new(schemas.Record)
		*r = fullRecord(i)
		if i%3 == 0 {
			r.OCRConfidence, r.IDNumber = nil, ""
		}
		v := reflect.ValueOf(r).Elem()
		for j := 0; j < v.NumField(); j++ {
			if f := v.Field(j); f.Kind() == reflect.String {
				f.SetString(strings.Clone(f.String()))
			}
		}
		out[i] = r
	}
	return out
}

// BenchmarkEncodeRecordsApart encodes 20,000 records held by pointer,
// each apart with its own strings, as ten messages of 2,000 (the import's
// publishing: pipelines.ImportConfig.BatchRows).
func BenchmarkEncodeRecordsApart(b *testing.B) {
	rs := recordsApart(20000)
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		for i := 0; i < len(rs); i += 2000 {
			if _, err := schemas.EncodeRecordPtrs(rs[i : i+2000]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(b.N)/float64(len(rs)), "cpu-ns/record")
}

// BenchmarkDecodeRecordsInto decodes ten messages of 2,000 records into
// one array of 20,000 (DecodeRowsInto), as the match stage's micro-batch
// reads them.
func BenchmarkDecodeRecordsInto(b *testing.B) {
	rs := recordsApart(20000)
	var msgs [][]byte
	for i := 0; i < len(rs); i += 2000 {
		m, err := schemas.EncodeRecordPtrs(rs[i : i+2000])
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	out := make([]schemas.Record, len(rs))
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		clear(out)
		at := 0
		for _, m := range msgs {
			if err := schemas.DecodeRowsInto(m, func(n int) []schemas.Record {
				at += n
				return out[at-n : at]
			}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(b.N)/float64(len(rs)), "cpu-ns/record")
}
