package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCSVCopyOfMergedCellsWarned: the CSV copy of a workbook whose
// permanent address was merged over each household's rows, with no
// household number or relation to the head, keeps the address on each
// household's first row only: the members' records were read without it
// and nothing said so (user28's leftover). Nothing tells a merged cell
// from a blank one there, so nothing is filled; each run of rows left
// blank under a value is named, with its column, the row above and what
// to do. The rows are all accepted, as before. A list with a few
// addresses left blank, and the same copy with a household number and
// relation (carried: carryHousehold), are not warned of.
func TestCSVCopyOfMergedCellsWarned(t *testing.T) {
	const a1, a2 = "\"Thôn 1, Xã Đông Hội, Huyện Đông Anh, Hà Nội\"", "\"Thôn 2, Xã Đông Hội, Huyện Đông Anh, Hà Nội\""
	merged := "STT,Họ và tên,Ngày sinh,Nơi thường trú\n" +
		"1,Nguyễn Văn An,15/03/1960," + a1 + "\n" +
		"2,Trần Thị Bình,02/07/1962,\n" +
		"3,Nguyễn Văn Cường,20/11/1988,\n" +
		"4,Phạm Văn Dũng,09/09/1970," + a2 + "\n" +
		"5,Lê Thị Hoa,01/01/1972,\n"
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	items, desc := openAll(t, write("merged.csv", merged), Options{})
	recs, rejects, _ := byRow(items)
	if len(recs) != 5 || len(rejects) != 0 {
		t.Fatalf("%d records, %d rejects; want the 5 rows accepted", len(recs), len(rejects))
	}
	l := desc.Sheets[0]
	var got []string
	for _, w := range l.Warnings {
		if w.Kind == WarnBlankUnderValue {
			got = append(got, w.Message)
			if w.Column != "Nơi thường trú" {
				t.Errorf("warning names column %q", w.Column)
			}
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "rows 3–4 left blank under row 2: ") ||
		!strings.HasPrefix(got[1], "row 6 left blank under row 5: ") || l.WarningCounts[WarnBlankUnderValue] != 2 {
		t.Errorf("warnings %q (counted %d); want rows 3–4 under row 2, row 6 under row 5", got, l.WarningCounts[WarnBlankUnderValue])
	}

	// The value shown is the cell decoded (composed, here), as the row
	// above gave it: decoded when the blank row comes, not before.
	nfd := strings.ReplaceAll(merged, "ô", "o\u0302")
	nfd = strings.ReplaceAll(nfd, "ộ", "o\u0323\u0302")
	_, d := openAll(t, write("nfd.csv", nfd), Options{})
	var values []string
	for _, w := range d.Sheets[0].Warnings {
		if w.Kind == WarnBlankUnderValue {
			values = append(values, w.Value)
		}
	}
	if want := []string{strings.Trim(a1, `"`), strings.Trim(a2, `"`)}; strings.Join(values, "|") != strings.Join(want, "|") {
		t.Errorf("values warned of in the decomposed list %q, want %q", values, want)
	}

	few := "STT,Họ và tên,Ngày sinh,Nơi thường trú\n"
	for i, n := range []string{"An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Minh", "Nam"} {
		addr := a1
		if i == 4 {
			addr = ""
		}
		few += strings.Join([]string{string(rune('1' + i)), "Nguyễn Văn " + n, "15/03/1960", addr}, ",") + "\n"
	}
	withHousehold := "STT,Số hộ,Họ và tên,Ngày sinh,Quan hệ với chủ hộ,Nơi thường trú\n" +
		"1,7,Nguyễn Văn An,15/03/1960,Chủ hộ," + a1 + "\n" +
		"2,,Trần Thị Bình,02/07/1962,Vợ,\n" +
		"3,,Nguyễn Văn Cường,20/11/1988,Con,\n" +
		"4,8,Phạm Văn Dũng,09/09/1970,Chủ hộ," + a2 + "\n" +
		"5,,Lê Thị Hoa,01/01/1972,Vợ,\n"
	for name, s := range map[string]string{"few.csv": few, "household.csv": withHousehold} {
		_, d := openAll(t, write(name, s), Options{})
		if n := d.Sheets[0].WarningCounts[WarnBlankUnderValue]; n != 0 {
			t.Errorf("%s: %d warnings %+v; want none", name, n, d.Sheets[0].Warnings)
		}
	}
}
