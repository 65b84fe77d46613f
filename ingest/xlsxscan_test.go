package ingest

import (
	"bufio"
	"reflect"
	"strings"
	"testing"
)

func TestSheetScanner(t *testing.T) {
	sst := []string{"Họ và tên", "Nguyễn Văn An"}
	xml := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- a comment with > inside -->
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1" spans="1:3"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>Ngày &amp; &#7889;</x:t></x:is></x:c></x:row>
<x:row r="3"><x:c r="B3" t="s" s="2"><x:v>1</x:v></x:c><x:c t="str" data="a>b"><x:f>A1</x:f><x:v><![CDATA[x<y>]]></x:v></x:c></x:row>
<x:row r="4"/>
<x:row><x:c r="A5"><x:v>32947</x:v></x:c><x:c r="B5" t="e"><x:v>#N/A</x:v></x:c><x:c r="C5" t="inlineStr"><x:is><x:r><x:t>Lê </x:t></x:r><x:r><x:t>Hoa</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c></x:row>
</x:sheetData></x:worksheet>`
	// A tiny buffer makes tags and texts span reads.
	for _, size := range []int{16, 4096} {
		sc := &sheetScanner{s: xmlScanner{r: bufio.NewReaderSize(strings.NewReader(xml), size)}, sst: sst}
		type row struct {
			num   int
			cells []string
		}
		var got []row
		for {
			num, cells, ok, err := sc.next()
			if err != nil {
				t.Fatalf("buffer %d: %v", size, err)
			}
			if !ok {
				break
			}
			got = append(got, row{num, append([]string(nil), cells...)})
		}
		want := []row{
			{1, []string{"Họ và tên", "", "Ngày & ố"}},
			{3, []string{"", "Nguyễn Văn An", "x<y>"}},
			{4, []string{}},
			{5, []string{"32947", "#N/A", "Lê Hoa"}},
		}
		if len(got) != len(want) {
			t.Fatalf("buffer %d: rows %+v, want %+v", size, got, want)
		}
		for i := range want {
			if got[i].num != want[i].num || (len(got[i].cells)+len(want[i].cells) > 0 && !reflect.DeepEqual(got[i].cells, want[i].cells)) {
				t.Errorf("buffer %d: row %d = %d %q, want %d %q", size, i, got[i].num, got[i].cells, want[i].num, want[i].cells)
			}
		}
	}
	for _, bad := range []string{
		`<worksheet><sheetData><row r="2"/><row r="1"/></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c r="B1"/><c r="A1"/></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c t="s"><v>7</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c><v>&bogus;</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c><v>1`,
	} {
		sc := newSheetScanner(strings.NewReader(bad), sst)
		var err error
		for i := 0; i < 10 && err == nil; i++ {
			var ok bool
			_, _, ok, err = sc.next()
			if !ok && err == nil {
				break
			}
		}
		if err == nil {
			t.Errorf("no error for %s", bad)
		}
	}
}
