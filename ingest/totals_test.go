package ingest

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestTotalsRowWithCount: the totals row of a commune list often reads
// "Cộng" (or "Tổng") in the STT column and the count in the name column
// ("5 người"), the counts per sex under the birth dates. It used to be
// imported as a person named "5 người" born on serial day 3 (1900-01-03).
// It is a footer now, written with or without diacritics — and Cộng Hòa,
// a commune, or a person of the family Tống still are data.
func TestTotalsRowWithCount(t *testing.T) {
	head := []string{"STT", "Họ và tên", "Nam", "Nữ", "Nơi thường trú"}
	people := [][]string{
		{"1", "Nguyễn Văn Hùng", "1973", "", "Cộng Hòa"},
		{"2", "Trần Thị Thủy", "", "05/03/1978", "Cộng Hòa, Chí Linh"},
		{"3", "Tống Văn Cộng", "12/10/1980", "", "Thôn Đông"},
	}
	checkTotalsRows(t, head, people, []string{"Nguyễn Văn Hùng", "Trần Thị Thủy", "Tống Văn Cộng"}, [][]string{
		{"Cộng", "3 người", "2", "1", ""},
		{"Cộng:", "3", "2", "1", ""},
		{"Tổng", "3 người", "2", "1", ""},
		{"", "Cộng: 3 người", "2", "1", ""},
		{"Cong", "3 nguoi", "2", "1", ""},
	})
}

// checkTotalsRows imports head, people and each of totals in turn (CSV
// and XLSX) and checks that want are accepted and the totals row is the
// one footer.
func checkTotalsRows(t *testing.T, head []string, people [][]string, want []string, totals [][]string) {
	t.Helper()
	for _, tot := range totals {
		rows := append(append([][]string{head}, people...), tot)
		for ext, got := range importRows(t, rows) {
			if names := acceptedNames(got.items); !slices.Equal(names, want) {
				t.Errorf("%s, totals row %q: accepted %q, want %q", ext, tot, names, want)
			}
			if l := got.d.Sheets[0]; l.ByKind[SkipFooter] != 1 {
				t.Errorf("%s, totals row %q: %d footer rows, want 1 (%+v)", ext, tot, l.ByKind[SkipFooter], l.Skips)
			}
		}
	}
}

// TestTotalsRowInLegacyFont: in a list typed in TCVN3 the totals row's
// "Cộng" in the STT column is typed in the font too ("Céng"), though the
// STT column has no text encoding of its own: it is a footer as well.
func TestTotalsRowInLegacyFont(t *testing.T) {
	rows := [][]string{
		{"STT", "Họ và tên", "Năm sinh", "Nơi thường trú"},
		{"1", "Nguyễn Văn Hùng", "1973", "Thôn Đông, xã Tân Minh"},
		{"2", "Trần Thị Thủy", "1978", "Thôn Đông, xã Tân Minh"},
		{"Cộng", "2 người", "", ""},
	}
	var cells []styledCell
	for r, row := range rows {
		for c, v := range row {
			if v != "" {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				cells = append(cells, styledCell{ref, tcvn3(t, v, false), ".VnTime"})
			}
		}
	}
	path := filepath.Join(t.TempDir(), "ds.xlsx")
	writeStyled(t, path, cells)
	items, d := openAll(t, path, Options{})
	if names := acceptedNames(items); !slices.Equal(names, []string{"Nguyễn Văn Hùng", "Trần Thị Thủy"}) {
		t.Errorf("accepted %q", names)
	}
	if l := d.Sheets[0]; l.ByKind[SkipFooter] != 1 {
		t.Errorf("%d footer rows, want 1 (%+v)", l.ByKind[SkipFooter], l.Skips)
	}
}
