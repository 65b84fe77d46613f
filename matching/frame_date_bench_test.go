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

// BenchmarkParseDateISO measures a date column's reading of the values
// ingest writes (YYYY-MM-DD, a year alone):
//
//	go test ./matching -run '^$' -bench ParseDateISO -benchmem
func BenchmarkParseDateISO(b *testing.B) {
	in := []string{"1989-08-19", "2017-10-26", "1954-01-31", "1990", "2003-12-05"}
	var sink uint32
	for i := 0; b.Loop(); i++ {
		sink += parseDateAs(in[i%len(in)], "dmy", 30)
	}
	if sink == 0 {
		b.Fatal("no date parsed")
	}
}
