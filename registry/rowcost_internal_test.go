package registry

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// joinWords gives what the person row's full name was before it: the
// three parts joined by a space, trimmed, split into words and joined
// again.
func TestJoinWordsAsFieldsOfTheJoin(t *testing.T) {
	cases := [][3]string{
		{"", "", ""},
		{"Nguyễn", "Văn", "An"},
		{"Nguyễn", "", "An"},
		{"  Trần ", "\tThị\u00a0Mai ", "Lan  "},
		{"Lê\u3000", "\u2003", " Hoa\n"},
		{"Phạm  Minh", "", "Đức\u2028"},
		{"\xff\xfe", "a\xc3", " b"},
		{"   ", " ", "\t"},
	}
	for _, c := range cases {
		want := strings.Join(strings.Fields(strings.TrimSpace(strings.Join(c[:], " "))), " ")
		if got := joinWords(c[0], c[1], c[2]); got != want {
			t.Errorf("joinWords(%q) = %q, want %q", c, got, want)
		}
	}
}

// A record's encoding is as long as encodedLen says, the same through
// appendTo into a used buffer, and decodes to the record.
func TestRecordBlobEncodedLen(t *testing.T) {
	blobs := []*recordBlob{
		{ID: "", Fields: []string{}, Conf: []int16{}},
		{ID: "r1", Source: 3, Fields: []string{"Nguyễn Văn An", "", "01/02/1990"}, Conf: []int16{-1, 0, 255}},
		{ID: strings.Repeat("x", 200), Source: 300, Fields: []string{strings.Repeat("é", 100)}, Conf: []int16{17}},
	}
	buf := []byte("left over")
	for _, b := range blobs {
		enc := b.encode()
		if len(enc) != b.encodedLen() {
			t.Errorf("record %q: encoding of %d bytes, encodedLen %d", b.ID, len(enc), b.encodedLen())
		}
		buf = b.appendTo(buf[:0])
		if string(buf) != string(enc) {
			t.Errorf("record %q: appendTo into a used buffer differs from encode", b.ID)
		}
		got, err := decodeBlob(enc, len(b.Fields), len(b.Conf))
		if err != nil {
			t.Fatalf("record %q: %v", b.ID, err)
		}
		if got.ID != b.ID || got.Source != b.Source || strings.Join(got.Fields, "|") != strings.Join(b.Fields, "|") {
			t.Errorf("record %q: decoded %+v", b.ID, got)
		}
		for i := range b.Conf {
			if got.Conf[i] != b.Conf[i] {
				t.Errorf("record %q: confidence %d decoded %d, want %d", b.ID, i, got.Conf[i], b.Conf[i])
			}
		}
	}
}

// A record in the store's form of reg25 (appendCompact) is at most
// compactLen long, decodes to the record, and is shorter than appendTo's
// for a record of RecordID's id with repeated fields; a record of the
// form before still decodes (TestRecordBlobEncodedLen).
func TestRecordBlobCompact(t *testing.T) {
	vn := &recordBlob{ID: "r28114ad175011d0879a81e82", Source: 1, Fields: []string{"Nguyễn", "Văn", "Khải", "nguyen", "van", "khai",
		"nguyen van khai", "nguyen van khai", "khai", "khai", "1993-07-06", "M", "042093829525", "042093829525", "093829525", "M", "nguyen", "",
		"18724", "446", "42", "18673", "42", "17704", "427", "40", "17707", "40", "42", "42", "nguyen thanh anh", "vu thi nhi", "kinh"},
		Conf: []int16{-1, -1, 255, 3}}
	blobs := []*recordBlob{
		{ID: "", Fields: []string{}, Conf: []int16{}},
		{ID: "r", Fields: []string{"", "", "a", "a", ""}, Conf: []int16{0}},
		{ID: "r1", Source: 3, Fields: []string{"Nguyễn Văn An", "", "01/02/1990"}, Conf: []int16{-1, 0, 255}},
		{ID: "r0A", Fields: []string{"x"}},
		{ID: "rab", Fields: []string{"x"}},
		{ID: "R28114ad175011d0879a81e82", Fields: []string{"x", "x"}},
		{ID: strings.Repeat("x", 200), Source: 300, Fields: []string{strings.Repeat("é", 100), strings.Repeat("é", 100), strings.Repeat("a", 64)}, Conf: []int16{17}},
		vn,
	}
	for _, b := range blobs {
		enc := b.appendCompact([]byte("left over")[:0])
		if len(enc) > b.compactLen() {
			t.Errorf("record %q: encoding of %d bytes, compactLen %d", b.ID, len(enc), b.compactLen())
		}
		got, err := decodeBlob(enc, len(b.Fields), len(b.Conf))
		if err != nil {
			t.Fatalf("record %q: %v", b.ID, err)
		}
		if got.ID != b.ID || got.Source != b.Source || !slices.Equal(got.Fields, b.Fields) || !slices.Equal(got.Conf, b.Conf) {
			t.Errorf("record %q: decoded %+v", b.ID, got)
		}
		if _, err := decodeBlob(enc[:len(enc)-1], len(b.Fields), len(b.Conf)); err == nil && len(b.Conf)+len(b.Fields) > 0 {
			t.Errorf("record %q: cut short by a byte, decoded", b.ID)
		}
	}
	compact, before := len(vn.appendCompact(nil)), len(vn.encode())
	if compact > before-45 {
		t.Errorf("a Vietnamese record: %d bytes, %d before: want 45 fewer at least", compact, before)
	}
	t.Logf("a Vietnamese record: %d bytes, %d before", compact, before)
}

// mostFrequentOf9 votes as the map of votes did: the most frequent value
// of 9 bytes, the smallest of equals, whatever the order of the votes.
func TestMostFrequentOf9AsTheMapOfVotes(t *testing.T) {
	byMap := func(vals []string) string {
		votes := map[string]int{}
		best := ""
		for _, v := range vals {
			if len(v) != 9 {
				continue
			}
			votes[v]++
			if best == "" || votes[v] > votes[best] || votes[v] == votes[best] && v < best {
				best = v
			}
		}
		return best
	}
	pool := []string{"", "12345678", "123456789", "987654321", "111111111", "555555555", "1234567890", "222222222"}
	rng := rand.New(rand.NewPCG(7, 9))
	for range 2000 {
		vals := make([]string, rng.IntN(9))
		for i := range vals {
			vals[i] = pool[rng.IntN(len(pool))]
		}
		want := byMap(vals)
		if got := mostFrequentOf9(len(vals), func(i int) string { return vals[i] }); got != want {
			t.Fatalf("votes %q: got %q, want %q", vals, got, want)
		}
	}
}

// BenchmarkRecordBlob: a Vietnamese record written and read in the
// store's form of reg25 (compact) and in the form before (appendTo, the
// form sent to score instances); bytes/op is the encoding's length.
func BenchmarkRecordBlob(b *testing.B) {
	rec := &recordBlob{ID: "r28114ad175011d0879a81e82", Source: 1, Fields: []string{"Nguyễn", "Văn", "Khải", "nguyen", "van", "khai",
		"nguyen van khai", "nguyen van khai", "khai", "khai", "1993-07-06", "M", "042093829525", "042093829525", "093829525", "M", "nguyen", "",
		"18724", "446", "42", "18673", "42", "17704", "427", "40", "17707", "40", "42", "42", "nguyen thanh anh", "vu thi nhi", "kinh"},
		Conf: []int16{-1, -1, 255, 3}}
	for _, form := range []struct {
		name string
		enc  func([]byte) []byte
	}{{"compact", rec.appendCompact}, {"before", rec.appendTo}} {
		enc := form.enc(nil)
		b.Run(form.name+"/encode", func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf = form.enc(buf[:0])
			}
		})
		b.Run(form.name+"/decode", func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeBlob(enc, len(rec.Fields), len(rec.Conf)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
