package ingest

import (
	"path/filepath"
	"testing"
)

// TestHiddenRowsSkippedWhenAsked: a clerk hides the persons who left
// (user26's notes sheet said so). By default a hidden row is read, with a
// warning (a filter hides rows too); Options.SkipHiddenRows (dancu import
// --skip-hidden-rows) skips each hidden row of the list as "hidden row",
// listed with its preview, and the account still holds: rows = accepted +
// rejected + skipped. A hidden row above the header is a title as before.
func TestHiddenRowsSkippedWhenAsked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "an_dong.xlsx")
	s := "Sheet1"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "DANH SÁCH NHÂN KHẨU", ""},
		{s, "A2", "STT", ""}, {s, "B2", "Họ và tên", ""}, {s, "C2", "Ngày sinh", ""},
		{s, "A3", 1, ""}, {s, "B3", "Nguyễn Văn An", ""}, {s, "C3", "12/03/1985", ""},
		{s, "A4", 2, ""}, {s, "B4", "Trần Thị Bình", ""}, {s, "C4", "05/07/1990", ""},
		{s, "A5", 3, ""}, {s, "B5", "KR", ""}, {s, "C5", "01/01/1970", ""},
		{s, "A6", 4, ""}, {s, "B6", "Lê Văn Cường", ""}, {s, "C6", "01/01/1970", ""},
	}, "Sheet1!1", "Sheet1!4", "Sheet1!5")
	for _, skip := range []bool{false, true} {
		items, desc := openAll(t, path, Options{SkipHiddenRows: skip})
		recs, rejects, _ := byRow(items)
		l := desc.Sheets[0]
		if l.Rows != l.Accepted+l.Rejected+l.SkippedRows {
			t.Errorf("skip %v: rows %d != accepted %d + rejected %d + skipped %d", skip, l.Rows, l.Accepted, l.Rejected, l.SkippedRows)
		}
		got := skipPreviews(t, desc, s)
		if got[1].Kind != SkipTitle {
			t.Errorf("skip %v: row 1 %q; want a title", skip, got[1].Kind)
		}
		if !skip {
			if recs[4] == nil || rejects[5] == nil || l.WarningCounts[WarnHiddenRow] != 2 {
				t.Errorf("read: row 4 %v, row 5 %v, %d hidden-row warnings; want rows 4 and 5 read, warned of", recs[4], rejects[5], l.WarningCounts[WarnHiddenRow])
			}
			continue
		}
		if recs[4] != nil || rejects[5] != nil || recs[3] == nil || recs[6] == nil {
			t.Errorf("skip: records of rows 3 %v, 4 %v, 6 %v, reject of row 5 %v; want rows 4 and 5 skipped", recs[3] != nil, recs[4] != nil, recs[6] != nil, rejects[5] != nil)
		}
		if l.ByKind[SkipHidden] != 2 || got[4].Kind != SkipHidden || got[5].Kind != SkipHidden || got[4].Preview != "2 | Trần T. B. | 05/07/1990" {
			t.Errorf("skip: %d hidden skipped, row 4 %+v, row 5 %+v; want both hidden, row 4 previewed masked", l.ByKind[SkipHidden], got[4], got[5])
		}
		if l.WarningCounts[WarnHiddenRow] != 0 {
			t.Errorf("skip: %d hidden-row warnings; want none, the rows are skipped", l.WarningCounts[WarnHiddenRow])
		}
	}
}
