package ingest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/schemas"
)

// clerkCell is a cell of a commune's workbook as its clerk typed it: a
// text (already in the font's bytes) or a number, in a font.
type clerkCell struct {
	ref  string
	v    any
	font string
}

// writeClerkBook writes one sheet of clerkCells with the merged ranges
// given ("A7:A8"), as Excel saves a list typed in .VnTime.
func writeClerkBook(t *testing.T, path string, cells []clerkCell, merges ...string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	styles := map[string]int{}
	for _, c := range cells {
		st, ok := styles[c.font]
		if !ok {
			var err error
			if st, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: c.font}}); err != nil {
				t.Fatal(err)
			}
			styles[c.font] = st
		}
		if err := f.SetCellValue("Sheet1", c.ref, c.v); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", c.ref, c.ref, st); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range merges {
		a, b, _ := strings.Cut(m, ":")
		if err := f.MergeCell("Sheet1", a, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// byRow indexes the records and rejects of items by their sheet row.
func byRow(items []Item) (recs map[int]*schemas.Record, rejects map[int]*schemas.Reject, notes map[int][]Note) {
	recs, rejects, notes = map[int]*schemas.Record{}, map[int]*schemas.Reject{}, map[int][]Note{}
	for _, it := range items {
		switch {
		case it.Record != nil:
			recs[int(it.Record.Row)] = it.Record
			notes[int(it.Record.Row)] = it.Notes
		case it.Reject != nil:
			rejects[int(it.Reject.Row)] = it.Reject
		}
	}
	return recs, rejects, notes
}

// TestCommuneTotalsTypedInSTTColumn: the totals of a list typed in .VnTime
// across the STT and name columns merged ("Tổng cộng: 3 người"), with the
// count of men and women under "Giới tính / Nam | Nữ". The STT column has
// no text encoding of its own, so the line read "Tæng céng: 3 ngêi" and
// was rejected as a row with no name; the place-and-date line under it
// then read as a section heading.
func TestCommuneTotalsTypedInSTTColumn(t *testing.T) {
	tc := func(s string) string { return tcvn3(t, s, false) }
	cells := []clerkCell{
		{"A1", tc("UBND XÃ VĂN LĂNG"), ".VnTimeH"},
		{"A3", tc("DANH SÁCH NHÂN KHẨU"), ".VnTimeH"},
		{"A5", "STT", ".VnTimeH"}, {"B5", tcvn3(t, "HỌ VÀ TÊN", true), ".VnTimeH"},
		{"C5", tcvn3(t, "GIỚI TÍNH", true), ".VnTimeH"}, {"C6", "NAM", ".VnTimeH"}, {"D6", tcvn3(t, "NỮ", true), ".VnTimeH"},
		{"E5", tcvn3(t, "NGÀY SINH", true), ".VnTimeH"},
		{"A7", 1, ".VnTime"}, {"B7", tc("Nguyễn Văn An"), ".VnTime"}, {"C7", "x", ".VnTime"}, {"E7", "12/3/1985", ".VnTime"},
		{"A8", 2, ".VnTime"}, {"B8", tc("Trần Thị Bình"), ".VnTime"}, {"D8", "x", ".VnTime"}, {"E8", "5/7/1990", ".VnTime"},
		{"A9", 3, ".VnTime"}, {"B9", tc("Bùi Văn Lưu"), ".VnTime"}, {"C9", "x", ".VnTime"}, {"E9", "1950", ".VnTime"},
		{"A10", tc("Tổng cộng: 3 người"), ".VnTime"}, {"C10", 2, ".VnTime"}, {"D10", 1, ".VnTime"},
		{"C12", tc("Văn Lăng, ngày 15 tháng 10 năm 2024"), ".VnTime"},
		{"B13", tcvn3(t, "NGƯỜI LẬP BIỂU", true), ".VnTimeH"},
		{"B16", tc("Đỗ Thị Hạnh"), ".VnTime"},
	}
	path := filepath.Join(t.TempDir(), "van_lang.xlsx")
	writeClerkBook(t, path, cells, "A1:B1", "A3:E3", "A5:A6", "B5:B6", "C5:D5", "E5:E6", "A10:B10", "C12:E12")
	items, d := openAll(t, path, Options{})
	recs, rejects, _ := byRow(items)
	if len(recs) != 3 || len(rejects) != 0 {
		t.Fatalf("%d records, rejects %v; want 3 records, no reject", len(recs), rejects)
	}
	if rec := recs[9]; rec.FullName != "Bùi Văn Lưu" || rec.Sex != "M" {
		t.Errorf("row 9: %q %q", rec.FullName, rec.Sex)
	}
	l := d.Sheets[0]
	if l.ByKind[SkipFooter] != 4 || l.ByKind[SkipSection] != 0 {
		t.Errorf("skipped %v, want 4 footer rows (totals, date, signature, name) and no section: %+v", l.ByKind, l.Skips)
	}
}
