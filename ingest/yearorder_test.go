package ingest

import (
	"path/filepath"
	"testing"
)

// TestYearColumnTextDatesOrder: a "Năm sinh" column holding whole dates
// typed as text (kept whole since user26) was read day first whatever its
// dates said, as a date column's are not: a list saved with United States
// dates ("03/25/1990") had 05/06/1980 read as 5 June, silently. Its text
// dates are now counted as a date column's — read month first when the
// first rows can only be so, with the date-order warning — and a column
// mixing both orders is warned of.
func TestYearColumnTextDatesOrder(t *testing.T) {
	dir := t.TempDir()
	us := filepath.Join(dir, "us.xlsx")
	s := "Sheet1"
	writeFontBook(t, us, []bookCell{
		{s, "A1", "TT", ""}, {s, "B1", "Họ tên", ""}, {s, "C1", "Năm sinh", ""},
		{s, "A2", 1, ""}, {s, "B2", "Nguyễn Văn An", ""}, {s, "C2", "03/25/1990", ""},
		{s, "A3", 2, ""}, {s, "B3", "Trần Thị Bình", ""}, {s, "C3", "04/17/1985", ""},
		{s, "A4", 3, ""}, {s, "B4", "Lê Văn Cường", ""}, {s, "C4", "12/30/1970", ""},
		{s, "A5", 4, ""}, {s, "B5", "Phạm Thị Dung", ""}, {s, "C5", "05/06/1980", ""},
		{s, "A6", 5, ""}, {s, "B6", "Hồ Văn Em", ""}, {s, "C6", 1975, ""},
	})
	items, desc := openAll(t, us, Options{})
	if cols := desc.Sheets[0].Columns; len(cols) < 3 || cols[2].Field != FieldBirthYear {
		t.Fatalf("column C is not read as a year column (%+v): the test tests nothing", cols)
	}
	recs, _, _ := byRow(items)
	for row, want := range map[int]string{2: "1990-03-25", 3: "1985-04-17", 4: "1970-12-30", 5: "1980-05-06", 6: "1975"} {
		if recs[row] == nil || recs[row].BirthDate != want {
			t.Errorf("US dates row %d: %+v; want born %s", row, recs[row], want)
		}
	}
	if n := desc.Sheets[0].WarningCounts[WarnDateOrder]; n != 1 {
		t.Errorf("US dates: %d date-order warnings; want 1", n)
	}

	mixed := filepath.Join(dir, "mixed.xlsx")
	writeFontBook(t, mixed, []bookCell{
		{s, "A1", "TT", ""}, {s, "B1", "Họ tên", ""}, {s, "C1", "Năm sinh", ""},
		{s, "A2", 1, ""}, {s, "B2", "Nguyễn Văn An", ""}, {s, "C2", "25/03/1990", ""},
		{s, "A3", 2, ""}, {s, "B3", "Trần Thị Bình", ""}, {s, "C3", "1985", ""},
		{s, "A4", 3, ""}, {s, "B4", "Lê Văn Cường", ""}, {s, "C4", "12/30/1970", ""},
	})
	items, desc = openAll(t, mixed, Options{})
	recs, _, _ = byRow(items)
	if recs[2] == nil || recs[2].BirthDate != "1990-03-25" {
		t.Errorf("mixed row 2: %+v; want born 1990-03-25", recs[2])
	}
	var warned bool
	for _, w := range desc.Sheets[0].Warnings {
		warned = warned || w.Kind == WarnDateOrder && w.Row == 4 && w.Column == "Năm sinh"
	}
	if !warned {
		t.Errorf("mixed: warnings %+v; want a date-order warning naming row 4's 12/30/1970 in Năm sinh", desc.Sheets[0].Warnings)
	}
}
