package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIDCellSayingNoneIsBlank: an identification number's cell that says
// there is none ("Chưa cấp", "-", "0", "không có" …) is read as a blank
// cell: no note of an unusable number, and --strict keeps the row. Before
// (user30) each was dropped as "unusable identification number:
// unexpected characters" (masked "********", past reading) or "1 digits",
// and --strict rejected the row. A malformed number is still noted, and
// rejected under --strict.
func TestIDCellSayingNoneIsBlank(t *testing.T) {
	none := []string{"Chưa cấp", "chưa có CCCD", "-", "0", "000000000000", "Không có", "chua cap", "N/A", "KHÔNG"}
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("Họ và tên,Ngày sinh,Số định danh cá nhân,Số CMND\n")
	for i, v := range none {
		fmt.Fprintf(&csv, "Nguyễn Văn An%c,01/02/2015,%s,%s\n", 'A'+rune(i), v, v)
	}
	csv.WriteString("Trần Thị Bình,01/02/1990,0010901234,\n") // 10 digits starting 0: a number missing two, noted
	path := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, strict := range []bool{false, true} {
		items, d := openAll(t, path, Options{Strict: strict})
		checkAccount(t, items, d)
		if len(items) != len(none)+1 {
			t.Fatalf("strict %v: %d items, want %d", strict, len(items), len(none)+1)
		}
		for i, v := range none {
			it := items[i]
			if it.Record == nil {
				t.Errorf("strict %v: ID cell %q: row rejected (%+v), want it accepted with no number", strict, v, it.Reject)
				continue
			}
			if it.Record.IDNumber != "" || it.Record.CMND != "" || len(it.Notes) > 0 {
				t.Errorf("strict %v: ID cell %q: id %q cmnd %q notes %+v, want no number and no note", strict, v, it.Record.IDNumber, it.Record.CMND, it.Notes)
			}
		}
		bad := items[len(none)]
		switch {
		case strict && bad.Reject == nil:
			t.Errorf("strict: a 10-digit number starting 0 accepted: %+v", bad.Record)
		case !strict && (bad.Record == nil || len(bad.Notes) != 1 || !strings.HasPrefix(bad.Notes[0].Reason, "unusable identification number")):
			t.Errorf("a 10-digit number starting 0: %+v, want it accepted with an unusable-number note", bad)
		}
	}
}
