package registry

import (
	"math/rand/v2"
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
