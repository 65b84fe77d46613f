package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgress reads a CSV file, a JSON-lines batch and a two-sheet
// workbook, each large enough to be read in several buffers, and checks
// that Progress knows the total before the first row (and is short of
// it), never goes back,
// is part-way somewhere in the middle, and reaches the total at the end.
func TestProgress(t *testing.T) {
	const n = 12000
	dir := t.TempDir()
	var csv, jsonl strings.Builder
	csv.WriteString("Họ và tên,Ngày sinh,Giới tính\n")
	rows := [][]any{{"Họ và tên", "Ngày sinh", "Giới tính"}}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "Nguyễn Văn An %d,%02d/03/1990,Nam\n", i, i%28+1)
		fmt.Fprintf(&jsonl, `{"form_id":"DC01-%05d","collected_on":"2019-04-01","fields":{"full_name":{"text":"Lê Thị Hoa %d","confidence":0.9}}}`+"\n", i, i)
		rows = append(rows, []any{fmt.Sprintf("Trần Thị Bình %d", i), "1990-03-15", "Nữ"})
	}
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{
		write("list.csv", csv.String()),
		write("batch.jsonl", jsonl.String()),
		writeXLSX(t, dir, "book.xlsx", map[string][][]any{"Xã A": rows, "Xã B": rows}, "Xã A", "Xã B"),
	}
	for _, path := range files {
		t.Run(filepath.Ext(path), func(t *testing.T) {
			src, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			p, ok := src.(Progresser)
			if !ok {
				t.Fatalf("%T is not a Progresser", src)
			}
			st, _ := os.Stat(path)
			done, total := p.Progress()
			if total <= 0 || done >= total { // a CSV's first 64 KiB are read to sniff its encoding
				t.Fatalf("before reading: %d of %d", done, total)
			}
			if filepath.Ext(path) != ".xlsx" && total != st.Size() {
				t.Fatalf("total %d, want the file's %d bytes", total, st.Size())
			}
			last, partway, items := int64(0), false, 0
			for {
				_, err := src.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				items++
				d, tt := p.Progress()
				if d < last || tt != total || d > total {
					t.Fatalf("after item %d: %d of %d (before: %d of %d)", items, d, tt, last, total)
				}
				if d > 0 && d < total {
					partway = true
				}
				last = d
			}
			if done, _ := p.Progress(); done != total || !partway {
				t.Errorf("after %d items: %d of %d, part-way seen: %v", items, done, total, partway)
			}
		})
	}
}
