package ingest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// householdBook writes a commune's household list: the household number
// merged over each household's rows (or typed on each), a "Ghi chú"
// column; in TCVN3 (.VnTime) when tcvn is set.
func householdBook(t *testing.T, path, numberHeader string, tcvn bool) {
	t.Helper()
	enc := func(s string) string {
		if tcvn {
			return tcvn3(t, s, false)
		}
		return s
	}
	f := excelize.NewFile()
	defer f.Close()
	sh := "Xom 1"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"STT", enc("Họ và tên"), enc("Ngày sinh"), enc(numberHeader), enc("Quan hệ với chủ hộ"), enc("Ghi chú")},
		{1, enc("Nguyễn Văn An"), "12/03/1960", "HK-012", enc("Chủ hộ"), ""},
		{2, enc("Trần Thị Bình"), "05/06/1965", nil, enc("Vợ"), enc("Tạm vắng")},
		{3, enc("Nguyễn Văn Cường"), "07/08/1990", nil, enc("Con"), enc("Chuyển đến năm 2021")},
		{4, enc("Lê Văn Dũng"), "01/01/1950", 13, enc("Chủ hộ"), enc("Đã chết năm 2023")},
		{5, enc("Lê Thị Em (Tư)"), "02/02/1975", 13, enc("Vợ"), enc("Đi làm ăn xa")},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.MergeCell(sh, "D2", "D4"); err != nil {
		t.Fatal(err)
	}
	if tcvn {
		st, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: ".VnTime"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle(sh, "A1", "F6", st); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestHouseholdNumberAndRemarkKept: a list's household number ("Số hộ",
// "Hộ số", "Mã hộ", "Sổ hộ khẩu số") was read nowhere, though it is what
// ties a household's members together, and a "Ghi chú" saying neither a
// death nor a move away ("Tạm vắng", "Chuyển đến năm 2021") was dropped
// without a word (user27's leftovers). The number is kept as written on
// every member (merged over the household, or typed on each row), the
// remark kept with the record (with a note, so a dry run shows it, and
// the remark in brackets after a name beside it); a death still rejects
// the row. In Unicode and in TCVN3.
func TestHouseholdNumberAndRemarkKept(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		tcvn         bool
	}{
		{"so ho", "Số hộ", false},
		{"ho so tcvn3", "Hộ số", true},
		{"ma ho", "Mã hộ", false},
		{"so ho khau so", "Sổ hộ khẩu số", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "thach_bang.xlsx")
			householdBook(t, path, tc.header, tc.tcvn)
			items, desc := openAll(t, path, Options{})
			if l := desc.Sheets[0]; len(l.Columns) < 4 || l.Columns[3].Field != FieldHouseholdNo {
				t.Fatalf("columns %+v: want D read as %s", l.Columns, FieldHouseholdNo)
			}
			byRow := map[int]Item{}
			for _, it := range items {
				if it.Record != nil {
					byRow[int(it.Record.Row)] = it
				} else {
					byRow[int(it.Reject.Row)] = it
				}
			}
			for row, want := range map[int]struct{ no, remark string }{
				2: {"HK-012", ""}, 3: {"HK-012", "Tạm vắng"}, 4: {"HK-012", "Chuyển đến năm 2021"}, 6: {"13", "Tư; Đi làm ăn xa"},
			} {
				it := byRow[row]
				if it.Record == nil {
					t.Errorf("row %d: %+v, want a record", row, it.Reject)
					continue
				}
				if it.Record.HouseholdNo != want.no || it.Record.Remark != want.remark {
					t.Errorf("row %d: household %q remark %q; want %q %q", row, it.Record.HouseholdNo, it.Record.Remark, want.no, want.remark)
				}
				kept := false
				for _, n := range it.Notes {
					kept = kept || n.Reason == NoteRemarkKept && n.Field == FieldRemark
				}
				if kept != (row != 2) {
					t.Errorf("row %d: notes %+v; want a %q note: %v", row, it.Notes, NoteRemarkKept, row != 2)
				}
			}
			if it := byRow[5]; it.Reject == nil || it.Reject.Column != "Ghi chú" {
				t.Errorf("row 5 (Đã chết năm 2023): %+v, want rejected naming Ghi chú", it)
			}
		})
	}
}

// TestHoSoIsNoHouseholdNumber: "Hồ sơ" (a file) folds as "Hộ số" does;
// it is no household number.
func TestHoSoIsNoHouseholdNumber(t *testing.T) {
	for h, want := range map[string]string{"Hộ số": FieldHouseholdNo, "HỘ SỐ": FieldHouseholdNo, "Ho so": FieldHouseholdNo, "Hồ sơ": "", "Số hộ": FieldHouseholdNo,
		"Mã hộ": FieldHouseholdNo, "Sổ hộ khẩu số": FieldHouseholdNo, "Số sổ hộ khẩu": FieldHouseholdNo, "Mã hồ sơ": FieldSourceRecordID} {
		if got := classifyHeader(h); got != want {
			t.Errorf("classifyHeader(%q) = %q; want %q", h, got, want)
		}
	}
}

// TestHouseholdNumberOnTheHeadsRowOnly: a list that types the household
// number on the head's row only (the members' left blank, not merged)
// gave it to the head alone (user28's Thạch Kim list, TCVN3): a member's
// row (Vợ, Con) takes the number of its head above; a head's row without
// a number, or a row without a relation, takes none.
func TestHouseholdNumberOnTheHeadsRowOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "thach_kim.xlsx")
	s := "Xom 2"
	e := func(v string) string { return tcvn3(t, v, false) }
	vt := ".VnTime"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "STT", ""}, {s, "B1", "Họ và tên", ""}, {s, "C1", "Năm sinh", ""}, {s, "D1", "Hộ số", ""}, {s, "E1", "Quan hệ với chủ hộ", ""},
		{s, "A2", 1, ""}, {s, "B2", e("Nguyễn Văn Thắng"), vt}, {s, "C2", 1965, ""}, {s, "D2", "15", ""}, {s, "E2", e("Chủ hộ"), vt},
		{s, "A3", 2, ""}, {s, "B3", e("Lê Thị Thủy"), vt}, {s, "C3", 1968, ""}, {s, "E3", e("Vợ"), vt},
		{s, "A4", 3, ""}, {s, "B4", e("Nguyễn Thị Ngọc"), vt}, {s, "C4", 1995, ""}, {s, "E4", e("Con"), vt},
		{s, "A5", 4, ""}, {s, "B5", e("Bùi Đức Lộc"), vt}, {s, "C5", 1950, ""}, {s, "E5", e("Chủ hộ"), vt},
		{s, "A6", 5, ""}, {s, "B6", e("Bùi Thị Hằng"), vt}, {s, "C6", 1980, ""}, {s, "E6", e("Con"), vt},
		{s, "A7", 6, ""}, {s, "B7", e("Hồ Văn Sơn"), vt}, {s, "C7", 1977, ""}, {s, "D7", "17", ""}, {s, "E7", e("Chủ hộ"), vt},
		{s, "A8", 7, ""}, {s, "B8", e("Hồ Thị Lan"), vt}, {s, "C8", 1979, ""},
	})
	items, _ := openAll(t, path, Options{})
	want := map[int]string{2: "15", 3: "15", 4: "15", 5: "", 6: "", 7: "17", 8: ""}
	for _, it := range items {
		if it.Record == nil {
			t.Errorf("rejected: %+v", it.Reject)
			continue
		}
		if w := want[int(it.Record.Row)]; it.Record.HouseholdNo != w {
			t.Errorf("row %d (%s): household %q; want %q", it.Record.Row, it.Record.RelationToHead, it.Record.HouseholdNo, w)
		}
	}
	if len(items) != 7 {
		t.Errorf("%d items, want 7", len(items))
	}
}

// TestHouseholdAddressInACSVCopy: a workbook's household number and
// address merged over each household, saved as CSV, keep them on the
// household's first row only (CSV has no merges): user28's Thạch Bằng CSV
// gave the address to 3 of 9 records. A member's row (Vợ, Con) of the
// household takes the number and the permanent address of the rows
// above; the next household's head starts again, and a member's own
// address is kept.
func TestHouseholdAddressInACSVCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "thach_bang.csv")
	body := "STT,Họ và tên,Năm sinh,Số hộ,Quan hệ với chủ hộ,Nơi thường trú\n" +
		"1,Phan Văn Hải,1958,01,Chủ hộ,\"Thôn Bắc Sơn, Thạch Kim, Lộc Hà\"\n" +
		"2,Nguyễn Thị Lài,1962,,Vợ,\n" +
		"3,Phan Văn Hưng,1988,,Con,\"Xóm 3, Thạch Kim, Lộc Hà\"\n" +
		"3,Phan Thị Hà,1990,,Con,\n" +
		"4,Hồ Sĩ Tùng,1975,02,Chủ hộ,\n" +
		"5,Đặng Thị Mai,1978,,Vợ,\n" +
		"6,Lê Văn Tám,1980,03,Chủ hộ,\"Thôn Nam, Thạch Kim, Lộc Hà\"\n" +
		"7,Lê Thị Chín,1982,,,\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	want := map[int][2]string{
		2: {"01", "Thôn Bắc Sơn, Thạch Kim, Lộc Hà"}, 3: {"01", "Thôn Bắc Sơn, Thạch Kim, Lộc Hà"}, 4: {"01", "Xóm 3, Thạch Kim, Lộc Hà"},
		5: {"01", "Thôn Bắc Sơn, Thạch Kim, Lộc Hà"}, 6: {"02", ""}, 7: {"02", ""}, 8: {"03", "Thôn Nam, Thạch Kim, Lộc Hà"}, 9: {"", ""},
	}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d", len(items), len(want))
	}
	for _, it := range items {
		if it.Record == nil {
			t.Errorf("rejected: %+v", it.Reject)
			continue
		}
		w := want[int(it.Record.Row)]
		if it.Record.HouseholdNo != w[0] || it.Record.PermAddress != w[1] {
			t.Errorf("row %d: %q %q; want %q %q", it.Record.Row, it.Record.HouseholdNo, it.Record.PermAddress, w[0], w[1])
		}
	}
}
