package ingest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestLineLimiter checks that a line longer than the limit fails the
// read however the input is cut into reads (one byte at a time, half
// reads, whole), and that lines of the limit exactly, or text without a
// final newline, pass through unchanged.
func TestLineLimiter(t *testing.T) {
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{"abc\nde\n", true},
		{strings.Repeat("x", 8) + "\n" + strings.Repeat("y", 8), true},
		{strings.Repeat("x", 9) + "\n", false},
		{"ab\n" + strings.Repeat("y", 9), false},
		{"\n\n\n" + strings.Repeat("z", 8) + "\n\n", true},
	} {
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"whole":  func(r io.Reader) io.Reader { return r },
			"bytes":  iotest.OneByteReader,
			"halves": iotest.HalfReader,
		} {
			got, err := io.ReadAll(&lineLimiter{r: wrap(strings.NewReader(c.text)), max: 8})
			if c.ok && (err != nil || !bytes.Equal(got, []byte(c.text))) {
				t.Errorf("%s %q: %q, %v", name, c.text, got, err)
			}
			if !c.ok && !errors.Is(err, errLineTooLong) {
				t.Errorf("%s %q: err %v, want errLineTooLong", name, c.text, err)
			}
		}
	}
}

// BenchmarkLineLimiter reads CSV-like text through the limiter.
func BenchmarkLineLimiter(b *testing.B) {
	text := strings.Repeat(strings.Repeat("Nguyễn Văn An,12/03/1990,Xã Tam Hiệp, Huyện Phúc Thọ,", 5)+"\n", 2000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := io.Copy(io.Discard, &lineLimiter{r: strings.NewReader(text), max: 1 << 20}); err != nil {
			b.Fatal(err)
		}
	}
}
