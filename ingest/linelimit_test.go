package ingest

import (
	"bufio"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// TestCSVLineLimit checks that a line longer than the limit fails the
// read however the input is cut into reads (one byte at a time, half
// reads, whole) and whether or not it fits the reader's buffer, and that
// lines of the limit exactly, or text without a final newline, are read
// as encoding/csv reads them.
func TestCSVLineLimit(t *testing.T) {
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{"abc\nde\n", true},
		{strings.Repeat("x", 8) + "\n" + strings.Repeat("y", 8), true},
		{strings.Repeat("x", 9) + "\n", false},
		{"ab\n" + strings.Repeat("y", 9), false},
		{"\n\n\n" + strings.Repeat("z", 8) + "\n\n", true},
		{"a,\"b\n" + strings.Repeat("y", 9) + "\"\n", false},
	} {
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"whole":  func(r io.Reader) io.Reader { return r },
			"bytes":  iotest.OneByteReader,
			"halves": iotest.HalfReader,
		} {
			for _, size := range []int{16, 4096} {
				cl := csvLines{r: bufio.NewReaderSize(wrap(strings.NewReader(c.text)), size), comma: ',', max: 8}
				var got [][]string
				var err error
				for {
					var rec []string
					if rec, _, _, err = cl.record(); err != nil {
						break
					}
					got = append(got, rec)
				}
				if !c.ok {
					if !errors.Is(err, errLineTooLong) {
						t.Errorf("%s %d %q: err %v, want errLineTooLong", name, size, c.text, err)
					}
					continue
				}
				var want [][]string
				for _, r := range readAllRef(t, strings.NewReader(c.text), ',') {
					want = append(want, r.fields)
				}
				if err != io.EOF || !reflect.DeepEqual(got, want) {
					t.Errorf("%s %d %q: %q, %v; want %q", name, size, c.text, got, err, want)
				}
			}
		}
	}
}
