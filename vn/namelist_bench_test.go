package vn

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
)

// BenchmarkParseNameList runs ParseName on every full name ("Họ và
// tên") of the lists of the `dancu gen` output DANCU_FRAME_GEN names, in
// file order (a list's names: their words repeat unevenly, as the word
// cache meets them in dancu link), per name and in CPU time of the
// process:
//
//	DANCU_FRAME_GEN=DIR go test ./vn -run '^$' -bench ParseNameList -benchtime 3x
func BenchmarkParseNameList(b *testing.B) {
	dir := os.Getenv("DANCU_FRAME_GEN")
	if dir == "" {
		b.Skip("DANCU_FRAME_GEN names no dancu gen output")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	var names []string
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(rows) < 2 {
			b.Fatalf("%s: %v", p, err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == "Họ và tên" {
				col = i
			}
		}
		if col < 0 {
			b.Fatalf("%s: no column Họ và tên", p)
		}
		for _, r := range rows[1:] {
			names = append(names, r[col])
		}
	}
	ParseName("") // the word cache, built outside the timing
	n := 0
	cpu0 := cputime.Process()
	for b.Loop() {
		for _, s := range names {
			if ParseName(s).Key != "" {
				n++
			}
		}
	}
	reportCPU(b, cpu0, b.N*len(names))
	if n == 0 {
		b.Fatal("no name parsed")
	}
}
