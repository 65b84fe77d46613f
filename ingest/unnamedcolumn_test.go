package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnnamedColumnNoted: a column holding values under a blank header
// cell is not read, and the sheet's note says so, with the mapping that
// reads it (user30: the identification numbers under a header cell a
// clerk cleared were dropped without a word, and the column was missing
// from the mapping listed). A stray value or two under no header is not
// noted; a mapping naming the column reads it, and no note is left.
func TestUnnamedColumnNoted(t *testing.T) {
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("STT,Họ và tên,Ngày sinh,,Số CMND,\n")
	for i := range 30 {
		stray := ""
		if i == 4 {
			stray = "x"
		}
		fmt.Fprintf(&csv, "%d,Nguyễn Văn %c,01/02/1990,0010900%05d,,%s\n", i+1, 'A'+rune(i%20), 12345+i, stray)
	}
	path := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, path, Options{})
	checkAccount(t, items, d)
	note := d.Sheets[0].Note
	if !strings.Contains(note, "column D has no header but holds identification numbers (30 of the first 30 rows): not read") ||
		!strings.Contains(note, "id_any: D") {
		t.Errorf("note %q, want it to say column D holds identification numbers it does not read, and the mapping id_any: D", note)
	}
	if strings.Contains(note, "column F") {
		t.Errorf("note %q names column F, which holds one stray value", note)
	}
	for _, it := range items {
		if it.Record == nil || it.Record.IDNumber != "" {
			t.Fatalf("item %+v: want a record without number (column D unread)", it)
		}
	}

	items, d = openAll(t, path, Options{Mapping: &Mapping{Columns: map[string]string{FieldIDAny: "D"}}})
	checkAccount(t, items, d)
	if note := d.Sheets[0].Note; strings.Contains(note, "no header") {
		t.Errorf("with a mapping naming column D: note %q, want none of it", note)
	}
	if it := items[0]; it.Record == nil || !strings.HasPrefix(it.Record.IDNumber, "0010900") {
		t.Errorf("with a mapping naming column D: first item %+v, want its number read", it)
	}
}
