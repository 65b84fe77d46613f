package ingest

import (
	"fmt"
	"path/filepath"
	"testing"
)

func TestTmpGen(t *testing.T) {
	files, _ := filepath.Glob("/tmp/gen1/danhsach*")
	files = append(files, "/tmp/gen1/phieu_dc01.jsonl")
	for _, f := range files {
		items, d := openAll(t, f, Options{})
		acc, rej := 0, 0
		reasons := map[string]int{}
		for _, it := range items {
			if it.Record != nil {
				acc++
				for _, n := range it.Notes {
					reasons["note "+n.Field+": "+n.Reason]++
				}
			} else {
				rej++
				reasons["rej "+it.Reject.Reason]++
			}
		}
		fmt.Println(f, d.Encoding, acc, rej, len(d.Sheets))
		for _, l := range d.Sheets {
			fmt.Printf("  %s header %v title %d blank %d footer %d other %d skipped %q\n", l.Sheet, l.HeaderRows, l.TitleRows, l.BlankRows, l.FooterRows, l.OtherRows, l.Skipped)
		}
		for k, v := range reasons {
			fmt.Println("   ", v, k)
		}
	}
}
