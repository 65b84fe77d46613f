package ingest

import (
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/xuri/excelize/v2"
)

// TestMergedCellsDownAHousehold: household lists merge the household's
// address (and its head's name, its number) down over its members' rows;
// a workbook keeps the text in the merge's first cell only. Each member's
// row now reads the merged value, as the sheet shows it — it used to
// reach the first member only, the others having no address. Merges in
// the header (STT over two rows) and across a row (a village's heading)
// read as before.
func TestMergedCellsDownAHousehold(t *testing.T) {
	rows := [][]any{
		{"STT", "Họ và tên", "Ngày sinh", "Nơi thường trú", "Họ tên chủ hộ"},
		{},
		{"Thôn Đông"},
		{"1", "Nguyễn Văn Hùng", "02/12/1973", "Số 5, thôn Đông, xã Tân Minh", "Nguyễn Văn Hùng"},
		{"2", "Trần Thị Thủy", "05/03/1978"},
		{"3", "Nguyễn Văn Nam", "07/09/2002"},
		{"4", "Lê Văn Bình", "01/01/1960", "Số 9, thôn Đông, xã Tân Minh", "Lê Văn Bình"},
		{"5", "Lê Thị Hoa", "01/01/1962"},
	}
	path := writeXLSX(t, t.TempDir(), "ho_gia_dinh.xlsx", map[string][][]any{"Sheet1": rows}, "Sheet1")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "C2"}, {"D1", "D2"}, {"E1", "E2"}, {"A3", "E3"},
		{"D4", "D6"}, {"E4", "E6"}, {"D7", "E8"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, excelizeRows := range []bool{false, true} {
		items, d := openAll(t, path, Options{ExcelizeRows: excelizeRows})
		var addrs, heads []string
		for _, it := range items {
			if it.Record == nil {
				t.Fatalf("reject %+v", it.Reject)
			}
			addrs = append(addrs, it.Record.PermAddress)
			heads = append(heads, it.Record.HouseholdHead)
		}
		a, b := "Số 5, thôn Đông, xã Tân Minh", "Số 9, thôn Đông, xã Tân Minh"
		if want := []string{a, a, a, b, b}; !slices.Equal(addrs, want) {
			t.Errorf("excelize rows %v: addresses %q, want %q", excelizeRows, addrs, want)
		}
		// D7:E8 spans two columns: its text is the address's, not the head's.
		if want := []string{"Nguyễn Văn Hùng", "Nguyễn Văn Hùng", "Nguyễn Văn Hùng", "", ""}; !slices.Equal(heads, want) {
			t.Errorf("excelize rows %v: household heads %q, want %q", excelizeRows, heads, want)
		}
		l := d.Sheets[0]
		if !slices.Equal(l.HeaderRows, []int{1}) || l.Accepted != 5 || l.SkippedRows != 3 {
			t.Errorf("excelize rows %v: header rows %v, accepted %d, skips %v", excelizeRows, l.HeaderRows, l.Accepted, l.ByKind)
		}
	}
}

// TestScanMergeRefs reads the merged ranges of a worksheet part however
// its bytes arrive (one at a time: a tag cut at every byte).
func TestScanMergeRefs(t *testing.T) {
	part := `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>` +
		`<mergeCells count="3"><mergeCell ref="A1:A2"/><mergeCell ref="D4:D6"></mergeCell><mergeCell  ref="B7:C9"/></mergeCells><pageMargins left="0.7"/></worksheet>`
	want := []string{"A1:A2", "D4:D6", "B7:C9"}
	for _, r := range []io.Reader{strings.NewReader(part), iotest.OneByteReader(strings.NewReader(part)), iotest.HalfReader(strings.NewReader(part))} {
		if got := scanMergeRefs(r); !slices.Equal(got, want) {
			t.Errorf("refs %q, want %q", got, want)
		}
	}
}
