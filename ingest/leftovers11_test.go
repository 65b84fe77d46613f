package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGarbledNameSaysLineForScans: a full name over 120 characters is
// rejected as a garbled row; a scanned form is a line, as every other
// message about scanned forms says (RowWord), a CSV row a row.
func TestGarbledNameSaysLineForScans(t *testing.T) {
	long := strings.Repeat("Nguyễn Văn An ", 10)
	dir := t.TempDir()
	scan := filepath.Join(dir, "forms.jsonl")
	if err := os.WriteFile(scan, []byte(`{"form_id":"DC01-1","fields":{"full_name":{"text":"`+long+`","confidence":0.9}}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(csv, []byte("Họ và tên,Năm sinh\n"+long+",1970\nTrần Thị Thủy,1978\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{scan: "the line looks garbled", csv: "the row looks garbled"} {
		items, _ := openAll(t, path, Options{})
		var reasons []string
		for _, it := range items {
			if it.Reject != nil {
				reasons = append(reasons, it.Reject.Reason)
			}
		}
		if len(reasons) != 1 || !strings.HasSuffix(reasons[0], want) {
			t.Errorf("%s: rejects %q, want one ending %q", filepath.Base(path), reasons, want)
		}
	}
}

// TestExchangedDateOutOfRangeOneNote: a date valid only with day and
// month exchanged whose year is then out of range is dropped, and its
// one note says so; it was also noted "day and month exchanged" (kept),
// which it was not. An exchanged date in range keeps its one kept note.
func TestExchangedDateOutOfRangeOneNote(t *testing.T) {
	path := filepath.Join(t.TempDir(), "list.csv")
	rows := "Họ và tên,Ngày sinh\n" +
		"Nguyễn Văn An,03/25/1850\n" +
		"Trần Thị Thủy,03/25/1990\n" +
		"Lê Văn Hộ,25/12/1970\n" +
		"Phạm Thị Lan,13/05/1980\n" +
		"Hoàng Văn Nam,28/02/1965\n"
	if err := os.WriteFile(path, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	want := map[string]string{"Nguyễn Văn An": "year of birth 1850 out of range", "Trần Thị Thủy": NoteDayMonthExchanged}
	for _, it := range items {
		if it.Record == nil {
			t.Fatalf("reject %+v", it.Reject)
		}
		w, ok := want[it.Record.FullName]
		if !ok {
			if len(it.Notes) != 0 {
				t.Errorf("%s: notes %+v", it.Record.FullName, it.Notes)
			}
			continue
		}
		delete(want, it.Record.FullName)
		if len(it.Notes) != 1 || it.Notes[0].Reason != w {
			t.Errorf("%s: notes %+v, want one: %s", it.Record.FullName, it.Notes, w)
		}
		if kept := it.Record.BirthDate != ""; kept != NoteKept(w) {
			t.Errorf("%s: birth date %q, kept should be %v", it.Record.FullName, it.Record.BirthDate, NoteKept(w))
		}
	}
	if len(want) != 0 {
		t.Errorf("rows not read: %v", want)
	}
}
