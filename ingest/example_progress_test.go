package ingest_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dancu-vn/dancu/ingest"
)

// The Sources Open returns say how far they have read, in bytes of the
// file (of a workbook's unpacked worksheets), for a progress bar.
func ExampleProgresser() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "thon1.csv")
	_ = os.WriteFile(path, []byte("STT,Họ và tên,Năm sinh\n"+strings.Repeat("1,Nguyễn Văn An,1990\n", 1000)), 0o644)

	src, err := ingest.Open(path, ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	p := src.(ingest.Progresser)
	_, total := p.Progress()
	fi, _ := os.Stat(path)
	fmt.Println("total is the file's size:", total == fi.Size())
	for {
		if _, err := src.Next(); err == io.EOF {
			break
		}
	}
	done, total := p.Progress()
	fmt.Printf("at the end: %.0f%%\n", 100*float64(done)/float64(total))
	// Output:
	// total is the file's size: true
	// at the end: 100%
}
