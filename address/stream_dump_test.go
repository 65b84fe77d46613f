package address

import (
	"bufio"
	"fmt"
	"os"
	"testing"
)

// TestDumpStream writes the result of every string of the realistic
// stream (see realisticStream), resolved in order through Resolve as
// dancu link does, to the file DANCU_ADDR_STREAM_DUMP names: one line an
// address, with its codes of both eras, confidence, candidates, street,
// hamlet and old names. Two builds' dumps compared with cmp show that a
// change to the resolver or its cache changed no result. With
// DANCU_ADDR_STREAM_COLD=1 every string is resolved afresh instead (no
// cache), so that the search itself runs on all of them:
//
//	DANCU_ADDR_GEN=DIR DANCU_ADDR_STREAM_DUMP=out.tsv go test ./address -run DumpStream
func TestDumpStream(t *testing.T) {
	out := os.Getenv("DANCU_ADDR_STREAM_DUMP")
	if out == "" {
		t.Skip("DANCU_ADDR_STREAM_DUMP not set")
	}
	texts, dates := realisticStreamT(t)
	fh, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	cold := os.Getenv("DANCU_ADDR_STREAM_COLD") == "1"
	codes := os.Getenv("DANCU_ADDR_STREAM_CODES") == "1"
	for i, s := range texts {
		if codes {
			p := Prepare(s, dates[i])
			c := p.Codes()
			fmt.Fprintf(w, "%s\t%s %s %s %s %s\n", s, c.Province, c.District, c.Commune, c.NewProvince, c.NewCommune)
			continue
		}
		var r Result
		if cold {
			r = resolveText(s, !dates[i].Before(ReformDate), false)
		} else {
			r = Resolve(s, dates[i])
		}
		fmt.Fprintf(w, "%s\t%s %s %s %s %s\t%.3f\t", s, r.Province.Code, r.District.Code, r.Commune.Code, r.NewProvince.Code, r.NewCommune.Code, r.Confidence)
		for _, c := range r.Candidates {
			fmt.Fprintf(w, "%s/%s/%s/%s/%s ", c.Province.Code, c.District.Code, c.Commune.Code, c.NewProvince.Code, c.NewCommune.Code)
		}
		fmt.Fprintf(w, "\t%s\t%s\t%q\n", r.Street, r.Hamlet, r.OldNames)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
}
