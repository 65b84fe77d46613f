package pipelines

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
)

// TestStatsKeptApartFromDropped: a report's "notes" are the fields
// dropped; the dates kept but read another way (day and month exchanged)
// are under "kept", with their examples under "kept_examples" — they
// shared "notes", which the console split with ingest.NoteKept.
func TestStatsKeptApartFromDropped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "list.csv")
	rows := "ho_ten,ngay_sinh\n" +
		"Nguyễn Văn An,03/25/1990\n" + // kept, exchanged
		"Trần Thị Thủy,32/13/1990\n" + // dropped
		"Lê Văn Hộ,25/12/1970\n" +
		"Phạm Thị Lan,13/05/1980\n"
	st := countCSV(t, path, rows)
	b, err := json.Marshal(st.clone())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Notes        map[string]int64         `json:"notes"`
		NoteExamples map[string][]NoteExample `json:"note_examples"`
		Kept         map[string]int64         `json:"kept"`
		KeptExamples map[string][]NoteExample `json:"kept_examples"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	kept := "birth_date: " + ingest.NoteDayMonthExchanged
	if len(got.Kept) != 1 || got.Kept[kept] != 1 || len(got.KeptExamples[kept]) != 1 || got.KeptExamples[kept][0].Value != "03/25/1990" {
		t.Errorf("kept %v, examples %v: want one %q at 03/25/1990", got.Kept, got.KeptExamples, kept)
	}
	if len(got.Notes) != 1 || len(got.NoteExamples) != 1 {
		t.Errorf("notes %v, examples %v: want the one dropped date", got.Notes, got.NoteExamples)
	}
	for k := range got.Notes {
		if ingest.NoteKept(k[len("birth_date: "):]) || got.NoteExamples[k][0].Value != "32/13/1990" {
			t.Errorf("notes (dropped) hold %q at %v", k, got.NoteExamples[k])
		}
	}
}
