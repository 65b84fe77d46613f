package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A row whose full name is only a word or sign for "none" (NA, KR, N/A,
// không rõ, …: vn.NoName, as the matcher reads it) is rejected like a
// blank name, by every source — CSV, XLSX (one name column, or family and
// given name columns) and scanned forms — the reject naming the file,
// row, column and value. A name that only looks like one (Na, a given
// name; Nguyễn Thị Na) is accepted. Before, such rows were accepted as
// persons with no name at all.
func TestNameThatSaysNoneRejected(t *testing.T) {
	names := []string{"Nguyễn Thị Na", "NA", "không rõ", "Na", "KR", "N/A", "KHÔNG RÕ"}
	none := map[string]bool{"NA": true, "không rõ": true, "KR": true, "N/A": true, "KHÔNG RÕ": true}
	dir := t.TempDir()

	var csv strings.Builder
	csv.WriteString("Họ và tên,Ngày sinh,Giới tính\n")
	for _, n := range names {
		fmt.Fprintf(&csv, "%s,01/02/1990,Nữ\n", n)
	}
	csvPath := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(csvPath, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	one := [][]any{{"STT", "Họ và tên", "Ngày sinh"}}
	parts := [][]any{{"STT", "Họ và tên đệm", "Tên", "Ngày sinh"}}
	var scan strings.Builder
	for i, n := range names {
		one = append(one, []any{i + 1, n, "01/02/1990"})
		parts = append(parts, []any{i + 1, n, "", "01/02/1990"}) // "none" in the family column, the given name blank
		fmt.Fprintf(&scan, `{"form_id":"F%d","fields":{"full_name":{"text":%q,"confidence":0.9},"birth_date":{"text":"1990","confidence":0.9}}}`+"\n", i, n)
	}
	scanPath := filepath.Join(dir, "forms.jsonl")
	if err := os.WriteFile(scanPath, []byte(scan.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, src := range []struct {
		path, column string
		firstRow     int
	}{
		{csvPath, "Họ và tên", 2},
		{writeXLSX(t, dir, "one.xlsx", map[string][][]any{"DS": one}, "DS"), "Họ và tên", 2},
		{writeXLSX(t, dir, "parts.xlsx", map[string][][]any{"DS": parts}, "DS"), "Họ và tên đệm", 2},
		{scanPath, "full_name", 1},
	} {
		items, d := openAll(t, src.path, Options{})
		checkAccount(t, items, d)
		file := filepath.Base(src.path)
		if len(items) != len(names) {
			t.Fatalf("%s: %d items, want %d", file, len(items), len(names))
		}
		for i, n := range names {
			it := items[i]
			if !none[n] {
				if it.Record == nil || it.Record.FullName != n {
					t.Errorf("%s: name %q: %+v, want a record of %q", file, n, it, n)
				}
				continue
			}
			x := it.Reject
			if x == nil {
				t.Errorf("%s: name %q accepted: %+v, want a reject", file, n, it.Record)
				continue
			}
			if x.SourceFile != file || int(x.Row) != src.firstRow+i || x.Column != src.column || x.Value != n || !strings.HasPrefix(x.Reason, "missing full name") {
				t.Errorf("%s: name %q: reject %s row %d column %q value %q (%s), want %s row %d column %q value %q, missing full name",
					file, n, x.SourceFile, x.Row, x.Column, x.Value, x.Reason, file, src.firstRow+i, src.column, n)
			}
		}
	}
}
