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
