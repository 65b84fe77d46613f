package vn

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/cputime"
)

var benchNames = []string{
	"Nguyễn Văn An", "Trần Thị Thu Hương", "Lê Hoàng Long", "Phạm Thị Hoà", "Tôn Nữ Thị Thuỷ",
	"Võ Minh Tuấn", "Đặng Ngọc Bích", "Bùi Quang Huy", "Huỳnh Thị Kim Ngân", "Hoàng Đức Thắng",
	"NGUYEN VAN BINH", "nguyễn thị  mai", "Đỗ Xuân Quỳnh", "Phan Thanh Tùng", "Vũ Thị Khánh Linh",
}

// BenchmarkParseName measures ParseName with both keys, per name: names
// made of words of the reference tables (most names: their words are
// precomputed) and names of unlisted or misspelt words (computed letter by
// letter).
func BenchmarkParseName(b *testing.B) {
	for _, set := range []struct {
		name  string
		names []string
	}{{"common", benchNames}, {"rare", rareNames}} {
		b.Run(set.name, func(b *testing.B) {
			var bytes int
			for _, s := range set.names {
				bytes += len(s)
			}
			b.SetBytes(int64(bytes / len(set.names)))
			b.ReportAllocs()
			cpu0 := cputime.Process()
			n := 0
			for i := 0; b.Loop(); i++ {
				nm := ParseName(set.names[i%len(set.names)])
				if nm.Key == "" {
					b.Fatal("empty key")
				}
				n++
			}
			reportCPU(b, cpu0, n)
		})
	}
}

var rareNames = []string{
	"Nguyểnn Vănn Ann", "Trầnh Thịt Thuu Hươngg", "Lêê Hoàngg Longg", "Phạmm Thịi Hoàa", "Tôôn Nữữ Thịị Thuỷỷ",
	"Võo Minhh Tuấnn", "Đặngg Ngọcc Bíchh", "Bùii Quangg Huyy", "Huỳnhh Thịị Kimm Ngânn", "Hoàngg Đứcc Thắngg",
}

// reportCPU adds the process CPU time per operation and the operations per
// CPU-second (one core) to the benchmark's output.
func reportCPU(b *testing.B, cpu0 time.Duration, n int) {
	cpu := cputime.Process() - cpu0
	if cpu <= 0 || n == 0 {
		return
	}
	per := float64(cpu.Nanoseconds()) / float64(n)
	b.ReportMetric(per, "cpu-ns/op")
	b.ReportMetric(1e9/per, "ops/cpu-s")
}

// BenchmarkFold measures Fold of names, per name and in CPU time of the
// process (cpu-ns/op), which the machine's load moves less than wall time.
func BenchmarkFold(b *testing.B) {
	b.ReportAllocs()
	cpu0 := cputime.Process()
	n := 0
	for i := 0; b.Loop(); i++ {
		_ = Fold(benchNames[i%len(benchNames)])
		n++
	}
	reportCPU(b, cpu0, n)
}

func BenchmarkCanon(b *testing.B) {
	b.ReportAllocs()
	cpu0, n := cputime.Process(), 0
	for i := 0; b.Loop(); i++ {
		_ = Canon(benchNames[i%len(benchNames)])
		n++
	}
	reportCPU(b, cpu0, n)
}

func BenchmarkParseDate(b *testing.B) {
	in := []string{"15/03/1990", "1990-03-15", "5/3/90", "1990", "03/1990"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = ParseDate(in[i%len(in)])
	}
}

func BenchmarkParseID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = ParseID("001 090 012 345")
	}
}

func BenchmarkDetectEncoding(b *testing.B) {
	col := make([]string, 100)
	for i := range col {
		col[i] = benchNames[i%len(benchNames)]
	}
	tcvn := make([]string, len(col))
	for i, s := range col {
		tcvn[i], _ = encodeTCVN3(strings.ToLower(s))
	}
	for _, c := range []struct {
		name string
		col  []string
	}{{"unicode", col}, {"tcvn3", tcvn}} {
		for _, size := range []int{10, 100} {
			b.Run(fmt.Sprintf("%s/rows=%d", c.name, size), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_ = DetectEncoding(c.col[:size], "")
				}
			})
		}
	}
}

// BenchmarkParseIDClean is ParseID on a number written clean, as most
// cells of the lists are.
func BenchmarkParseIDClean(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = ParseID("001090012345")
	}
}
