package vn

import (
	"fmt"
	"testing"
)

var benchNames = []string{
	"Nguyễn Văn An", "Trần Thị Thu Hương", "Lê Hoàng Long", "Phạm Thị Hoà", "Tôn Nữ Thị Thuỷ",
	"Võ Minh Tuấn", "Đặng Ngọc Bích", "Bùi Quang Huy", "Huỳnh Thị Kim Ngân", "Hoàng Đức Thắng",
	"NGUYEN VAN BINH", "nguyễn thị  mai", "Đỗ Xuân Quỳnh", "Phan Thanh Tùng", "Vũ Thị Khánh Linh",
}

// BenchmarkParseName measures ParseName with both keys, per name.
func BenchmarkParseName(b *testing.B) {
	var bytes int
	for _, s := range benchNames {
		bytes += len(s)
	}
	b.SetBytes(int64(bytes / len(benchNames)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		n := ParseName(benchNames[i%len(benchNames)])
		if n.Key == "" {
			b.Fatal("empty key")
		}
	}
}

func BenchmarkFold(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Fold(benchNames[i%len(benchNames)])
	}
}

func BenchmarkCanon(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Canon(benchNames[i%len(benchNames)])
	}
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
	for _, size := range []int{10, 100} {
		b.Run(fmt.Sprintf("rows=%d", size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = DetectEncoding(col[:size], "")
			}
		})
	}
}
