package ingest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/schemas"
)

// styledCell is a cell of a test workbook written in a font.
type styledCell struct {
	ref, text, font string
}

// writeStyled writes one sheet of styled text cells.
func writeStyled(t *testing.T, path string, cells []styledCell) {
	t.Helper()
	cc := make([]clerkCell, len(cells))
	for i, c := range cells {
		cc[i] = clerkCell{c.ref, c.text, c.font}
	}
	writeClerkBook(t, path, cc)
}

// openRecords reads the one sheet of path, whose rows from the second on
// are n records, failing the test on another count or on a reject.
func openRecords(t *testing.T, path string, n int) ([]*schemas.Record, Description) {
	t.Helper()
	items, d := openAll(t, path, Options{})
	if len(items) != n {
		t.Fatalf("%d items, want %d", len(items), n)
	}
	recs := make([]*schemas.Record, n)
	for i, it := range items {
		if it.Record == nil {
			t.Fatalf("row %d rejected: %+v", i+2, it.Reject)
		}
		recs[i] = it.Record
	}
	return recs, d
}

// TestUnicodeRowsInLegacyColumns: a commune list typed in TCVN3 (.VnTime)
// or VNI where an officer pasted a few rows from a Unicode source (cells in
// Times New Roman holding ư, ơ, ạ …). Each cell is read in the encoding it
// was typed in: the pasted rows stay as they are and the legacy rows are
// still decoded. The column used to be read whole as Unicode as soon as one
// of its cells held a letter no legacy font produces, so every TCVN3 name
// and address of the sheet came out as "Nguyôn V¨n Hïng", "Th«n §«ng".
func TestUnicodeRowsInLegacyColumns(t *testing.T) {
	type person struct{ name, sex, addr string }
	people := []person{
		{"Nguyễn Văn Hùng", "Nam", "Thôn Đông, xã Tân Minh"},
		{"Trần Thị Thủy", "Nữ", "Thôn Đông, xã Tân Minh"},
		{"Lê Đức Thắng", "Nam", "Xóm 3, xã Tân Minh"},
		{"Phạm Thị Ngọc Lan", "Nữ", "Thôn Tây, xã Tân Minh"},
		{"Hoàng Văn Bảy", "Nam", "Thôn Đông, xã Tân Minh"},
		{"Đỗ Thị Hương", "Nữ", "Xóm Chùa, xã Tân Minh"},
	}
	pasted := map[int]bool{1: true, 4: true} // rows pasted in Unicode
	for _, lc := range []struct {
		name, font string
		encode     func(testing.TB, string, bool) string
	}{
		{"tcvn3", ".VnTime", tcvn3},
		{"vni", "VNI-Times", vni},
	} {
		t.Run(lc.name, func(t *testing.T) {
			cells := []styledCell{{"A1", "STT", lc.font}}
			for i, h := range []string{"Họ và tên", "Giới tính", "Nơi thường trú"} {
				ref, _ := excelize.CoordinatesToCellName(i+2, 1)
				cells = append(cells, styledCell{ref, lc.encode(t, h, false), lc.font})
			}
			for r, p := range people {
				for c, v := range []string{p.name, p.sex, p.addr} {
					ref, _ := excelize.CoordinatesToCellName(c+2, r+2)
					if pasted[r] {
						cells = append(cells, styledCell{ref, v, "Times New Roman"})
					} else {
						cells = append(cells, styledCell{ref, lc.encode(t, v, false), lc.font})
					}
				}
			}
			path := filepath.Join(t.TempDir(), "thon_dong.xlsx")
			writeStyled(t, path, cells)
			recs, d := openRecords(t, path, len(people))
			for i, rec := range recs {
				want := people[i]
				wantSex := map[string]string{"Nam": "M", "Nữ": "F"}[want.sex]
				if rec.FullName != want.name || rec.PermAddress != want.addr || rec.Sex != wantSex {
					t.Errorf("row %d (pasted %v): %q, %q, sex %q; want %q, %q, %q",
						i+2, pasted[i], rec.FullName, rec.PermAddress, rec.Sex, want.name, want.addr, wantSex)
				}
			}
			for _, c := range d.Sheets[0].Columns {
				if c.Field == FieldFullName && c.Encoding != lc.name {
					t.Errorf("name column read as %q, want %q", c.Encoding, lc.name)
				}
			}
		})
	}
}

// TestHeaderInCapitalsFont: a header typed in .VnTimeH (TCVN3 drawn in
// capitals: the bytes of the lower-case letters under upper-case ASCII)
// names its columns as written, "SỐ ĐỊNH DANH CÁ NHÂN" — the name a note
// or a reject gives the column — not "Số địNH DANH Cá NHâN", the bytes
// read in the lower-case font.
func TestHeaderInCapitalsFont(t *testing.T) {
	heads := []string{"STT", "Họ và tên", "Ngày sinh", "Số định danh cá nhân", "Nơi ở hiện tại"}
	var cells []styledCell
	for i, h := range heads {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		cells = append(cells, styledCell{ref, tcvn3(t, h, true), ".VnTimeH"})
	}
	for i, v := range []string{"1", "Nguyễn Văn Hùng", "02/12/1973", "0790991379", "Thôn Đông, xã Tân Minh"} {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		cells = append(cells, styledCell{ref, tcvn3(t, v, false), ".VnTime"})
	}
	path := filepath.Join(t.TempDir(), "ds.xlsx")
	writeStyled(t, path, cells)
	items, d := openAll(t, path, Options{})
	for i, c := range d.Sheets[0].Columns {
		if want := strings.ToUpper(heads[i]); c.Header != want {
			t.Errorf("column %s header %q, want %q", c.Letter, c.Header, want)
		}
	}
	if len(items) != 1 || items[0].Record == nil || len(items[0].Notes) != 1 {
		t.Fatalf("items %+v, want one record with a note on its number", items)
	}
	if n := items[0].Notes[0]; n.Column != "SỐ ĐỊNH DANH CÁ NHÂN" {
		t.Errorf("note names column %q, want %q", n.Column, "SỐ ĐỊNH DANH CÁ NHÂN")
	}
	if r := items[0].Record; r.FullName != "Nguyễn Văn Hùng" || r.CurAddress != "Thôn Đông, xã Tân Minh" {
		t.Errorf("record %q, %q", r.FullName, r.CurAddress)
	}
}

// TestASCIIHeadOfLegacyColumn: a sheet typed in TCVN3 (or VNI) and saved
// with no font names (by a converter, another program) whose ethnicity
// column reads "Kinh" down its first rows, and "Tµy" (Tày) further down.
// The first rows tell nothing about that column, the sheet's other text
// columns do: it is read in their encoding. It used to be read as
// Unicode, and the later cells kept the font's bytes ("Tµy", "M­êng").
func TestASCIIHeadOfLegacyColumn(t *testing.T) {
	for _, lc := range []struct {
		name   string
		encode func(testing.TB, string, bool) string
	}{{"tcvn3", tcvn3}, {"vni", vni}} {
		t.Run(lc.name, func(t *testing.T) {
			rows := [][]any{{"STT", lc.encode(t, "Họ và tên", false), lc.encode(t, "Dân tộc", false)}}
			want := []string{}
			for i := 1; i <= 60; i++ {
				name, eth := "Nguyễn Văn Hùng", "Kinh"
				if i > 50 {
					name, eth = "Hoàng Thị Lụa", []string{"Tày", "Mường"}[i%2]
				}
				rows = append(rows, []any{i, lc.encode(t, name, false), lc.encode(t, eth, false)})
				want = append(want, eth)
			}
			path := writeXLSX(t, t.TempDir(), "ds.xlsx", map[string][][]any{"DS": rows}, "DS")
			items, _ := openAll(t, path, Options{})
			if len(items) != len(want) {
				t.Fatalf("%d items, want %d", len(items), len(want))
			}
			for i, it := range items {
				if it.Record == nil || it.Record.Ethnicity != want[i] {
					t.Fatalf("row %d: %+v, want ethnicity %q", i+2, it.Record, want[i])
				}
			}
		})
	}
}

// TestRejectPreviewReadsCellFont: a reject's preview reads each cell in
// the encoding its font says, as the record would (cellFont): an address
// pasted in Times New Roman into a .VnTime column (letters all Latin-1,
// each a TCVN3 byte too) and one typed in .VnTimeH capitals. The preview
// used to decode them by the column's encoding alone, garbled.
func TestRejectPreviewReadsCellFont(t *testing.T) {
	heads := []string{"STT", "Họ và tên", "Giới tính", "Nơi thường trú"}
	var cells []styledCell
	put := func(col, row int, text, font string) {
		ref, _ := excelize.CoordinatesToCellName(col, row)
		cells = append(cells, styledCell{ref, text, font})
	}
	for i, h := range heads {
		put(i+1, 1, tcvn3(t, h, false), ".VnTime")
	}
	for r := 2; r <= 6; r++ {
		put(1, r, "1", ".VnTime")
		put(2, r, tcvn3(t, "Nguyễn Văn Hùng", false), ".VnTime")
		put(3, r, tcvn3(t, "Nam", false), ".VnTime")
		put(4, r, tcvn3(t, "Thôn Đông, xã Tân Minh", false), ".VnTime")
	}
	// Two rows without a name: rejected, with a preview.
	put(1, 7, "6", ".VnTime")
	put(3, 7, tcvn3(t, "Nữ", false), ".VnTime")
	put(4, 7, "Thôn Tây, xã Tân Minh", "Times New Roman")
	put(1, 8, "7", ".VnTime")
	put(3, 8, tcvn3(t, "Nam", false), ".VnTime")
	put(4, 8, tcvn3(t, "THÔN TÂY, XÃ TÂN MINH", true), ".VnTimeH")
	path := filepath.Join(t.TempDir(), "ds.xlsx")
	writeStyled(t, path, cells)
	_, d := openAll(t, path, Options{})
	want := map[int]string{7: "6 | Nữ | Thôn Tây, xã Tân Minh", 8: "7 | Nam | THÔN TÂY, XÃ TÂN MINH"}
	got := map[int]string{}
	for _, r := range d.Sheets[0].Rejects {
		got[r.Row] = r.Preview
	}
	for row, w := range want {
		if got[row] != w {
			t.Errorf("row %d: preview %q, want %q", row, got[row], w)
		}
	}
}

// TestLegacyRunInAPlainCell: a name typed in TCVN3 whose text carries its
// own font (a rich-text run in .VnTime, as a paste from a Word document
// in .VnTime makes it) in a cell whose style says Arial, within a .VnTime
// column: its clerk saw it right, and it is decoded as its column is. The
// cell's style alone made it a paste from a Unicode source (cellFont), and
// it read "NguyÔn V¨n Hïng", with no note. A cell pasted in Unicode (Times
// New Roman, "Lê Bá Tý", every letter also a TCVN3 byte) stays Unicode.
func TestLegacyRunInAPlainCell(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ds.xlsx")
	f := excelize.NewFile()
	defer f.Close()
	style := func(font string) int {
		st, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: font}})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	vnTime, arial, tnr := style(".VnTime"), style("Arial"), style("Times New Roman")
	put := func(col, row, st int, text string, run bool) {
		ref, _ := excelize.CoordinatesToCellName(col, row)
		var err error
		if run {
			err = f.SetCellRichText("Sheet1", ref, []excelize.RichTextRun{{Text: text, Font: &excelize.Font{Family: ".VnTime"}}})
		} else {
			err = f.SetCellStr("Sheet1", ref, text)
		}
		if err == nil {
			err = f.SetCellStyle("Sheet1", ref, ref, st)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"STT", "Họ và tên", "Giới tính"} {
		put(i+1, 1, vnTime, tcvn3(t, h, false), false)
	}
	want := []string{"Phạm Minh Lực", "Nguyễn Thị Hồng", "Trần Văn Mai", "Nguyễn Văn Hùng", "Lê Bá Tý"}
	for i, name := range want {
		row := i + 2
		put(1, row, vnTime, string(rune('1'+i)), false)
		put(3, row, vnTime, tcvn3(t, "Nam", false), false)
		switch name {
		case "Nguyễn Văn Hùng":
			put(2, row, arial, tcvn3(t, name, false), true)
		case "Lê Bá Tý":
			put(2, row, tnr, name, false)
		default:
			put(2, row, vnTime, tcvn3(t, name, false), false)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	recs, _ := openRecords(t, path, len(want))
	for i, rec := range recs {
		if rec.FullName != want[i] {
			t.Errorf("row %d: name %q, want %q", i+2, rec.FullName, want[i])
		}
	}
}
