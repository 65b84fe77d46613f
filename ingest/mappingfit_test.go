package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMappingColumnsTheSheetHasNot: a mapping's column that the sheet's
// header does not have (a header text misspelt, a letter past the last
// column) fails the sheet before any row, naming the field, the value
// and the header's columns; before, the text was left unread without a
// word (the column's detected field stayed), and the letter read an empty
// column (every row rejected "missing full name (Z)") (user24).
func TestMappingColumnsTheSheetHasNot(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte("STT,Họ và tên,Ngày sinh,Giới tính\n1,Nguyễn Văn An,Nam,01/02/1980\n2,Trần Thị Bình,Nữ,03/04/1985\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ mapping, want string }{
		{"columns:\n  birth_date: \"Ngay sinh cua ban\"\n", `birth_date: "Ngay sinh cua ban": no column of the header reads so`},
		{"columns:\n  full_name: Z\n", `full_name: "Z": no header text reads so, and as a letter it is past the sheet's last column, D`},
	} {
		m, err := ParseMapping(strings.NewReader(tc.mapping))
		if err != nil {
			t.Fatal(err)
		}
		src, err := Open(p, Options{Mapping: m})
		if err != nil {
			t.Fatal(err)
		}
		var items int
		for {
			_, err = src.Next()
			if err != nil {
				break
			}
			items++
		}
		src.Close()
		if !errors.Is(err, ErrMapping) || items != 0 {
			t.Fatalf("mapping %q: %d items, then %v; want no item and ErrMapping", tc.mapping, items, err)
		}
		for _, w := range []string{tc.want, `the header (row 1) has A "STT", B "Họ và tên", C "Ngày sinh", D "Giới tính"`} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("mapping %q: error %q does not say %q", tc.mapping, err, w)
			}
		}
	}
}

// TestMappingHeaderTextBeforeLetter: a header text of one to three
// letters ("ID", "DOB", "STT") names its column, not the column of that
// letter; field: "-" leaves the column detection gave the field unread,
// as dancu import --help's example says (before, both were read as
// letters or left without effect) (user24).
func TestMappingHeaderTextBeforeLetter(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte("STT,Name,DOB,ID\n7,Nguyễn Văn An,01/02/1980,001080012345\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ParseMapping(strings.NewReader("columns:\n  full_name: Name\n  birth_date: dob\n  id_number: ID\n  stt: \"-\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := Open(p, Options{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	it, err := src.Next()
	if err != nil || it.Record == nil {
		t.Fatalf("first item %+v, %v", it, err)
	}
	if r := it.Record; r.FullName != "Nguyễn Văn An" || r.BirthDate != "1980-02-01" || r.IDNumber != "001080012345" {
		t.Errorf("record name %q, birth %q, number %q: want the columns the header texts name", r.FullName, r.BirthDate, r.IDNumber)
	}
	if _, err := src.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the row: %v", err)
	}
	for _, c := range src.(Describer).Describe().Sheets[0].Columns {
		if c.Letter == "A" && c.Field != "" {
			t.Errorf("column A (STT) feeds %q; stt: \"-\" leaves it unread", c.Field)
		}
	}
}

// TestMappingLettersStillRead: letters and a two-row header's lower part
// still name their columns.
func TestMappingLettersStillRead(t *testing.T) {
	dir := t.TempDir()
	p := writeXLSX(t, dir, "two.xlsx", map[string][][]any{"S": {
		{"Họ và tên", "Ngày sinh", ""},
		{"", "Nam", "Nữ"},
		{"Nguyễn Văn An", "1980", ""},
	}}, "S")
	m, err := ParseMapping(strings.NewReader("header_rows: [1, 2]\ncolumns:\n  full_name: a\n  birth_date_female: Nữ\n"))
	if err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, p, Options{Mapping: m})
	if len(items) != 1 || items[0].Record == nil || items[0].Record.FullName != "Nguyễn Văn An" {
		t.Fatalf("items %+v, layout %+v", items, d.Sheets)
	}
	if c := d.Sheets[0].Columns; len(c) < 3 || c[2].Field != FieldBirthDateFem {
		t.Errorf("columns %+v: want C, under Nữ, the women's birth date", c)
	}
}
