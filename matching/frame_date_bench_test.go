package matching

import "testing"

// BenchmarkParseDate measures the date columns' parser on the forms the
// lists write (dd/mm/yyyy, ISO, a year, words).
//
//	go test ./matching -run '^$' -bench ParseDate -benchmem
func BenchmarkParseDate(b *testing.B) {
	in := []string{"19/08/1989", "1989-08-19", "12.5.90", "1990", "ngày 15 tháng 3 năm 1990", "15 Mar 1990", "2017-10-26"}
	b.ReportAllocs()
	var sink uint32
	for i := 0; b.Loop(); i++ {
		sink += parseDate(in[i%len(in)])
	}
	if sink == 0 {
		b.Fatal("no date parsed")
	}
}
