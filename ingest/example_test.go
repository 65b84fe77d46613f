package ingest_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dancu-vn/dancu/ingest"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "thon1.csv")
	_ = os.WriteFile(path, []byte("DANH SÁCH NHÂN KHẨU\n"+
		"STT,HỌ TÊN,Năm sinh,Giới tính,Số CMND/CCCD\n"+
		"1,Nguyễn Văn An,1990,Nam,001090012345\n"+
		"2,,1991,Nữ,\n"), 0o644)

	src, err := ingest.Open(path, ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	for {
		it, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if it.Record != nil {
			fmt.Println("row", it.Record.Row, it.Record.GivenName, it.Record.BirthYear, it.Record.Sex, it.Record.IDNumber)
		} else {
			fmt.Println("row", it.Reject.Row, "rejected:", it.Reject.Reason)
		}
	}
	for _, c := range src.(ingest.Describer).Describe().Sheets[0].Columns {
		fmt.Printf("%s %q -> %s\n", c.Letter, c.Header, c.Field)
	}
	// Output:
	// row 3 An 1990 M 001090012345
	// row 4 rejected: missing full name
	// A "STT" -> stt
	// B "HỌ TÊN" -> full_name
	// C "Năm sinh" -> birth_year
	// D "Giới tính" -> sex
	// E "Số CMND/CCCD" -> id_any
}

func ExampleParseMapping() {
	m, err := ingest.ParseMapping(strings.NewReader(`
header_rows: [6, 7]
columns:
  full_name: B
  birth_date: "Ngày, tháng, năm sinh"
encodings:
  full_name: tcvn3
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.HeaderRows, m.Columns["full_name"], m.Encodings["full_name"])

	_, err = ingest.ParseMapping(strings.NewReader("columns:\n  fullname: B\n"))
	fmt.Println(err)
	// Output:
	// [6 7] B tcvn3
	// mapping columns: unknown field "fullname"
}

// Every physical row is accounted for: the Layout of each sheet counts
// and lists the rows that hold no person, with their kind and a masked
// preview; Check fails a file that gives nothing to import.
func ExampleLayout() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "thon2.csv")
	_ = os.WriteFile(path, []byte("DANH SÁCH NHÂN KHẨU THÔN 2\n"+
		"Họ và tên,Ngày sinh\n"+
		"Tống Công Đạt,12/03/1990\n"+
		"\n"+
		"Tô Trường Giang,1985\n"+
		"Tổng cộng: 2 người\n"+
		"Người lập biểu\n"+
		"Lê Văn Tám\n"), 0o644)
	src, _ := ingest.Open(path, ingest.Options{})
	defer src.Close()
	for {
		if _, err := src.Next(); err != nil {
			break
		}
	}
	d := src.(ingest.Describer).Describe()
	l := d.Sheets[0]
	fmt.Printf("rows %d = accepted %d + rejected %d + skipped %d\n", l.Rows, l.Accepted, l.Rejected, l.SkippedRows)
	for _, s := range l.Skips {
		fmt.Printf("row %d %s %q\n", s.Row, s.Kind, s.Preview)
	}
	fmt.Println("check:", d.Check())

	empty := filepath.Join(dir, "empty.csv")
	_ = os.WriteFile(empty, []byte("Họ và tên,Ngày sinh\n"), 0o644)
	src, _ = ingest.Open(empty, ingest.Options{})
	defer src.Close()
	_, _ = src.Next()
	err := src.(ingest.Describer).Describe().Check()
	fmt.Println(errors.Is(err, ingest.ErrNoData))
	// Output:
	// rows 8 = accepted 2 + rejected 0 + skipped 6
	// row 1 title "DANH SÁCH NHÂN KHẨU THÔN 2"
	// row 2 header "Họ và tên | Ngày sinh"
	// row 4 blank ""
	// row 6 footer "Tổng cộng: 2 người"
	// row 7 footer "Người lập biểu"
	// row 8 footer "Lê V. T."
	// check: <nil>
	// true
}
