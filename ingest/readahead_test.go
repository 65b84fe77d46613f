package ingest

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestReadAhead(t *testing.T) {
	data := bytes.Repeat([]byte("<c r=\"A1\"><v>1</v></c>"), 1000)
	boom := errors.New("boom")
	for _, tc := range []struct {
		name    string
		src     io.Reader
		chunk   int
		want    []byte
		wantErr error
	}{
		{"empty", bytes.NewReader(nil), 64, nil, nil},
		{"smaller than a chunk", bytes.NewReader(data[:50]), 64, data[:50], nil},
		{"many chunks", bytes.NewReader(data), 64, data, nil},
		{"exact chunks", bytes.NewReader(data[:640]), 64, data[:640], nil},
		{"one byte reads", iotest.OneByteReader(bytes.NewReader(data)), 100, data, nil},
		{"error after data", io.MultiReader(bytes.NewReader(data[:1000]), iotest.ErrReader(boom)), 64, data[:1000], boom},
		{"unexpected EOF kept", io.MultiReader(bytes.NewReader(data[:100]), iotest.ErrReader(io.ErrUnexpectedEOF)), 64, data[:100], io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newReadAhead(tc.src, tc.chunk, 2)
			defer a.stop()
			got, err := io.ReadAll(a)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("read %d bytes, want %d (equal prefix: %v)", len(got), len(tc.want), bytes.HasPrefix(tc.want, got))
			}
		})
	}
}

// TestReadAheadStopEarly stops a readAhead whose goroutine is blocked on
// a full channel: stop must return.
func TestReadAheadStopEarly(t *testing.T) {
	a := newReadAhead(bytes.NewReader(make([]byte, 1<<20)), 1024, 2)
	buf := make([]byte, 10)
	if _, err := a.Read(buf); err != nil {
		t.Fatal(err)
	}
	a.stop()
}
