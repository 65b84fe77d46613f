package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// csvRecordRef is what csvReader took from encoding/csv before csvLines:
// each record's fields, its first line (FieldPos of the first field) and
// its last (FieldPos of the last field plus the line breaks in it), or
// the error.
type csvRecordRef struct {
	fields     []string
	start, end int
	err        string
}

func readAllRef(t *testing.T, in io.Reader, comma rune) []csvRecordRef {
	t.Helper()
	r := csv.NewReader(in)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var out []csvRecordRef
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			t.Fatalf("encoding/csv with lazy quotes gave a parse error: %v", err)
		}
		if err != nil {
			return append(out, csvRecordRef{err: err.Error()})
		}
		start, _ := r.FieldPos(0)
		end, _ := r.FieldPos(len(rec) - 1)
		end += strings.Count(rec[len(rec)-1], "\n")
		out = append(out, csvRecordRef{fields: rec, start: start, end: end})
	}
}

func readAllLines(in io.Reader, comma byte) []csvRecordRef {
	c := csvLines{r: bufio.NewReaderSize(in, 16), comma: comma, max: maxCSVLine}
	var out []csvRecordRef
	for {
		rec, start, end, err := c.record()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return append(out, csvRecordRef{err: err.Error()})
		}
		out = append(out, csvRecordRef{fields: rec, start: start, end: end})
	}
}

// failingReader returns err once its text is read.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// TestCSVLinesAsEncodingCSV checks csvLines against encoding/csv (lazy
// quotes, any number of fields): the same fields and lines for each
// record, and the same error, on hand-written texts and random ones
// made of delimiters, quotes, line breaks, carriage returns, spaces and
// letters — through a 16-byte buffer, so that lines longer than it are
// read in pieces.
func TestCSVLinesAsEncodingCSV(t *testing.T) {
	check := func(text string, comma byte, fail bool) {
		t.Helper()
		var in1, in2 io.Reader = strings.NewReader(text), strings.NewReader(text)
		if fail {
			in1 = &failingReader{in1, errLineTooLong}
			in2 = &failingReader{in2, errLineTooLong}
		}
		want := readAllRef(t, bufio.NewReaderSize(in1, 16), rune(comma))
		got := readAllLines(in2, comma)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q (comma %q, failing %v):\n got %+v\nwant %+v", text, comma, fail, got, want)
		}
	}
	for _, s := range []string{
		"", "\n", "\r\n", "a", "a\n", "a\r", "a\r\n", "\n\na,b\n\n\nc\n", "a,b,c\n1,2,3\n",
		`a,"b,c",d` + "\n", `"a""b",c` + "\n", `"a"b,c` + "\n", `"ab` + "\ncd\",e\nf\n", `"ab`, `"ab` + "\n",
		`a,"b"`, `a,"b",`, `a,"b"` + "\r\n", `"a"` + "\r", `a"b,c`, `"",""` + "\n", `""""`, `"a"` + "\n\n\"b\n\n\"\n",
		"x,\"1\r\n2\"\r\ny\r\n", "é,\"ê,\",ư\n", "a,b\rc,d\n", "\"a\"\"\n\"\n",
	} {
		check(s, ',', false)
		check(s, ',', true)
	}
	alphabet := []string{"a", "é", " ", ",", ";", `"`, `"`, "\n", "\r", "\r\n", "xyz", `""`}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.Intn(40); n > 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		comma := byte(',')
		if i%5 == 0 {
			comma = ';'
		}
		check(b.String(), comma, i%7 == 0)
	}
}

// TestCSVReaderRows reads a file with blank lines, a quoted field on
// two lines and an unterminated quote through csvReader and checks the
// rows' numbers.
func TestCSVReaderRows(t *testing.T) {
	text := "h1,h2\n\n1,\"a\nb\"\n\n\n2,x\n3,\"y"
	c, _, err := newCSVReader(io.NopCloser(strings.NewReader(text)), int64(len(text)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		r, ok, err := c.nextRow()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		got = append(got, fmt.Sprintf("%d:%q", r.num, r.cells))
	}
	// one row a record (the one on lines 3 and 4 too) and one a blank line
	want := []string{`1:["h1" "h2"]`, `2:[]`, `3:["1" "a\nb"]`, `4:[]`, `5:[]`, `6:["2" "x"]`, `7:["3" "y"]`}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %v\nwant %v", got, want)
	}
}
