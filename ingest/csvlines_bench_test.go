package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
)

// BenchmarkCSVRows splits a CSV file into rows (csvReader.nextRow): the
// file DANCU_CSV_FILE names (e.g. a list of `dancu gen`), read into
// memory first, or 20,000 rows like a register's; cpu-ns/row is the
// process's CPU time a row (the machine may be shared):
//
//	DANCU_CSV_FILE=F go test ./ingest -run '^$' -bench CSVRows -benchmem
func BenchmarkCSVRows(b *testing.B) {
	var text []byte
	if p := os.Getenv("DANCU_CSV_FILE"); p != "" {
		var err error
		if text, err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	} else {
		row := `1,BG0000000002,Đặng Quốc Anh Tuấn,19/08/1989,Nam,068089290141,,Mường,Công giáo,Việt Nam,"Xã Đạ Chais, Huyện Lạc Dương, Tỉnh Lâm Đồng","SN 59, Buôn Tân Lập, Xã An Nhơn, Tỉnh Lâm Đồng",Lâm Đồng,,Nguyễn Thị Ngân` + "\n"
		text = []byte("STT,Mã,Họ và tên\n" + strings.Repeat(row, 20000))
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	rows := 0
	cpu0 := cputime.Process()
	for b.Loop() {
		c, _, err := newCSVReader(io.NopCloser(bytes.NewReader(text)), int64(len(text)))
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, ok, err := c.nextRow()
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
			rows++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(rows), "cpu-ns/row")
}

// BenchmarkReadCSV reads a CSV file through Open and Next on one
// goroutine (rows split, sorted out, assembled into records): the file
// DANCU_CSV_FILE names, or 20,000 register rows; cpu-ns/row as in
// CSVRows:
//
//	DANCU_CSV_FILE=F go test ./ingest -run '^$' -bench ReadCSV -benchmem
func BenchmarkReadCSV(b *testing.B) {
	p := os.Getenv("DANCU_CSV_FILE")
	if p == "" {
		row := `1,BG0000000002,Đặng Quốc Anh Tuấn,19/08/1989,Nam,068089290141,,Mường,Công giáo,Việt Nam,"Xã Đạ Chais, Huyện Lạc Dương, Tỉnh Lâm Đồng","SN 59, Buôn Tân Lập, Xã An Nhơn, Tỉnh Lâm Đồng","Số 59, Buôn Tân Lập, Xã An Nhơn, Tỉnh Lâm Đồng",,Nguyễn Thị Ngân` + "\n"
		p = filepath.Join(b.TempDir(), "danhsach.csv")
		head := "STT,Mã bản ghi,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Số CMND,Dân tộc,Tôn giáo,Quốc tịch,Quê quán,Nơi thường trú,Nơi ở hiện tại,Họ tên cha,Họ tên mẹ\n"
		if err := os.WriteFile(p, []byte(head+strings.Repeat(row, 20000)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	rows := 0
	cpu0 := cputime.Process()
	for b.Loop() {
		src, err := Open(p, Options{NoNameParts: true})
		if err != nil {
			b.Fatal(err)
		}
		for {
			it, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if it.Record != nil {
				rows++
			}
		}
		src.Close()
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(rows), "cpu-ns/row")
}
