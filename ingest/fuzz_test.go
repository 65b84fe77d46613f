package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// drain reads a source to its end or to its first error, checking that
// every item is exactly one of a record and a reject and that rows are not
// invented: at most limit items.
func drain(t *testing.T, src Source, limit int) error {
	t.Helper()
	for n := 0; ; n++ {
		it, err := src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error")
			}
			return err
		}
		if (it.Record == nil) == (it.Reject == nil) {
			t.Fatalf("item %d has %v record and %v reject", n, it.Record != nil, it.Reject != nil)
		}
		if it.Reject != nil && it.Reject.Reason == "" {
			t.Fatalf("reject without a reason: %+v", it.Reject)
		}
		if n > limit {
			t.Fatalf("more items (%d) than the input can hold", n)
		}
	}
}

func fuzzFile(t *testing.T, name string, data []byte, opts Options) {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := Open(p, opts)
	if err != nil {
		if !strings.Contains(err.Error(), name) {
			t.Fatalf("error does not name the file: %v", err)
		}
		return
	}
	defer src.Close()
	// A row needs at least a byte and a line break or a cell.
	var items []Item
	counting := &itemRecorder{Source: src, items: &items}
	if drain(t, counting, len(data)+1) != nil {
		return
	}
	// Nothing lost silently: every row read is accepted, rejected or
	// skipped, once.
	checkAccount(t, items, src.(Describer).Describe())
}

// itemRecorder keeps the items a source yields.
type itemRecorder struct {
	Source
	items *[]Item
}

func (r *itemRecorder) Next() (Item, error) {
	it, err := r.Source.Next()
	if err == nil {
		*r.items = append(*r.items, it)
	}
	return it, err
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte(csvBody))
	f.Add([]byte("Họ và tên,Ngày sinh\n\"Nguyễn Văn An,1990\n"))           // truncated quote
	f.Add([]byte("Họ và tên;Ngày sinh\nNguy\xffn V\xe3n An;1990\n"))       // invalid UTF-8
	f.Add([]byte("\xff\xfeH\x00\xe1\x00"))                                 // truncated UTF-16
	f.Add([]byte("STT,Họ tên,Số CMND/CCCD\n1,Lê A,9999999999999999999\n")) // long number
	f.Add([]byte("Họ và tên\n" + strings.Repeat("x", 3000) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, "f.csv", data, Options{})
	})
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"form_id":"DC01-1","fields":{"full_name":{"text":"Lê Văn An","confidence":0.9}}}` + "\n"))
	f.Add([]byte(`{"form_id":"DC01-1","fields":{"full_name":{"text":"A","confidence":7}}}`))
	f.Add([]byte(`{"form_id":"DC01-1","fields":{"full_name":`))
	f.Add([]byte("{\"full_name\":\"Tr\xffn\"}\n\n{}"))
	f.Add([]byte(`{"fields":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, "f.jsonl", data, Options{})
	})
}

// zipOf builds a zip archive of the named parts.
func zipOf(t testing.TB, parts map[string][]byte) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// validXLSX returns the bytes of a small valid workbook.
func validXLSX(t testing.TB) []byte {
	dir := t.TempDir()
	p := writeXLSX(t, dir, "v.xlsx", map[string][][]any{"S": messySheet()}, "S")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replacePart rewrites one part of a workbook.
func replacePart(t testing.TB, wb []byte, name string, body []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(wb), int64(len(wb)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	parts[name] = body
	return zipOf(t, parts)
}

func FuzzXLSX(f *testing.F) {
	wb := validXLSX(f)
	f.Add(wb)
	f.Add(wb[:len(wb)/2]) // truncated zip
	f.Add(replacePart(f, wb, "xl/worksheets/sheet1.xml", []byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99`)))
	f.Add(replacePart(f, wb, "xl/worksheets/sheet1.xml", []byte(`<worksheet><sheetData><row r="99999999"><c r="ZZZZ1"><v>1</v></c></row></sheetData></worksheet>`)))
	f.Add(replacePart(f, wb, "xl/sharedStrings.xml", []byte(`<sst><si><t>`+strings.Repeat("Nguyễn ", 1000)+`</t></si>`)))
	f.Add(replacePart(f, wb, "xl/workbook.xml", []byte(`<workbook><sheets></sheets></workbook>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, "f.xlsx", data, Options{MaxFileSize: 64 << 20})
	})
}

// TestXLSXBombs checks that workbooks built to exhaust memory are refused
// before they are unpacked.
func TestXLSXBombs(t *testing.T) {
	wb := validXLSX(t)
	for _, tc := range []struct {
		name string
		data []byte
		opts Options
		want string
	}{
		{"zip bomb", replacePart(t, wb, "xl/worksheets/sheet1.xml", make([]byte, 70<<20)), Options{}, "zip bomb"},
		{"huge shared strings", replacePart(t, wb, "xl/sharedStrings.xml", bytes.Repeat([]byte("<si><t>a</t></si>"), 1<<18)), Options{MaxFileSize: 8 << 20}, "shared-string table"},
		{"over the limit", replacePart(t, wb, "xl/worksheets/sheet1.xml", bytes.Repeat([]byte("<row/>"), 1<<20)), Options{MaxFileSize: 4 << 20}, "limit"},
		{"invalid xml", replacePart(t, wb, "xl/worksheets/sheet1.xml", []byte("<worksheet><sheetData><row><c><v>1</c></row>")), Options{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bomb.xlsx")
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			src, err := Open(p, tc.opts)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bomb.xlsx") {
					t.Fatalf("Open = %v, want an error naming the file and %q", err, tc.want)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Errorf("refusing took %v: the archive was unpacked", d)
				}
				return
			}
			if err != nil {
				return
			}
			defer src.Close()
			_ = drain(t, src, 10)
		})
	}
}

// TestReadersSurviveMutations feeds each reader deterministic random
// mutations of valid inputs (bytes changed, truncated, appended): the same
// checks as the fuzz targets, in the default run, for machines where the
// fuzzer gets little time.
func TestReadersSurviveMutations(t *testing.T) {
	wb := validXLSX(t)
	for _, tc := range []struct {
		name  string
		seeds [][]byte
		n     int
	}{
		{"f.csv", [][]byte{[]byte(csvBody), encode1258(t, csvBody), []byte("\xff\xfeH\x00\xe1\x00,\x00")}, 400},
		{"f.jsonl", [][]byte{[]byte(`{"form_id":"DC01-1","unit_code":"00004","fields":{"full_name":{"text":"Lê Văn An","confidence":0.9},"id_number":{"text":"001090012345"}}}` + "\n")}, 400},
		{"f.xlsx", [][]byte{wb}, 150},
	} {
		r := rand.New(rand.NewSource(1))
		for i := 0; i < tc.n; i++ {
			s := append([]byte(nil), tc.seeds[r.Intn(len(tc.seeds))]...)
			for k := 0; k < 1+r.Intn(4); k++ {
				switch r.Intn(3) {
				case 0:
					s[r.Intn(len(s))] = byte(r.Intn(256))
				case 1:
					s = s[:1+r.Intn(len(s))]
				case 2:
					s = append(s, byte(r.Intn(256)))
				}
			}
			fuzzFile(t, tc.name, s, Options{MaxFileSize: 64 << 20})
		}
	}
}
