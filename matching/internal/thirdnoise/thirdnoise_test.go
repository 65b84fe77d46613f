package thirdnoise

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/internal/noisefile"
)

func TestCorrupt(t *testing.T) {
	clean := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{
		Persons: 3000, Seed: 5, OutDir: clean, Formats: []string{"csv", "jsonl"}, Noise: 0, NoiseSet: true,
	}); err != nil {
		t.Fatal(err)
	}
	a, b, other := t.TempDir(), t.TempDir(), t.TempDir()
	st, err := Corrupt(clean, a, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Corrupt(clean, b, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := Corrupt(clean, other, 2); err != nil {
		t.Fatal(err)
	}
	// Every kind is drawn on a set this size.
	for k := range Rates {
		if st.Kinds[k] == 0 {
			t.Errorf("kind %s never drawn in %d records", k, st.Records)
		}
	}
	// The same seed gives the same files; another seed other lists.
	files := []string{"danhsach_20240501.csv", "danhsach_20251001.csv", "phieu_dc01.jsonl", "truth.csv", "kinds.csv", "persons.csv"}
	for _, name := range files {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of seed 1", name)
		}
		if z, _ := os.ReadFile(filepath.Join(other, name)); name != "persons.csv" && bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 1 and 2", name)
		}
	}
	// The truth names every record written, once, and the added persons
	// are in persons.csv.
	truth := readAll(t, filepath.Join(a, "truth.csv"))
	if len(truth)-1 != st.Records {
		t.Errorf("truth has %d rows for %d records", len(truth)-1, st.Records)
	}
	seen := map[string]bool{}
	for _, r := range truth[1:] {
		if seen[r[0]] {
			t.Errorf("record %s twice in the truth", r[0])
		}
		seen[r[0]] = true
	}
	persons := map[string]bool{}
	for _, r := range readAll(t, filepath.Join(a, "persons.csv"))[1:] {
		persons[r[0]] = true
	}
	for _, r := range truth[1:] {
		if !persons[r[1]] {
			t.Errorf("record %s's person %s not in persons.csv", r[0], r[1])
		}
	}
}

func readAll(t *testing.T, path string) [][]string {
	t.Helper()
	tb, err := noisefile.ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	return append([][]string{tb.Header}, tb.Rows...)
}

func TestToneStyle(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Nguyễn Thị Hoà", "Nguyễn Thị Hòa"},
		{"Lê Thủy", "Lê Thuỷ"},
		{"Trần Khoẻ", "Trần Khỏe"},
		{"Trần Văn An", norm.NFD.String("Trần Văn An")},
	} {
		if got := toneStyle(c.in); got != c.want {
			t.Errorf("toneStyle(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNoMarks(t *testing.T) {
	if got := noMarks("ĐỖ Thị Hằng"); got != "DO Thi Hang" {
		t.Errorf("noMarks = %q", got)
	}
}
