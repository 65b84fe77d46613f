package othernoise

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
)

func TestCorrupt(t *testing.T) {
	clean := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{
		Persons: 3000, Seed: 5, OutDir: clean, Formats: []string{"csv"}, Noise: 0, NoiseSet: true,
	}); err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	st, err := Corrupt(clean, a, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Corrupt(clean, b, 1); err != nil {
		t.Fatal(err)
	}
	// Every kind is drawn on a set this size, and the same seed gives the
	// same files.
	for k := range Rates {
		if st.Kinds[k] == 0 {
			t.Errorf("kind %s never drawn in %d records", k, st.Records)
		}
	}
	for _, name := range []string{"danhsach_20240501.csv", "danhsach_20251001.csv", "truth.csv", "kinds.csv"} {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of seed 1", name)
		}
	}
	// The breakdown of the truth itself as a prediction: nothing missed,
	// nothing false.
	var out strings.Builder
	if err := Breakdown(a, filepath.Join(a, "truth.csv"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "missed (same person, two clusters), by kind: 0 pairs") ||
		!strings.Contains(out.String(), "false (two persons, one cluster), by kind: 0 pairs") {
		t.Errorf("the truth scored against itself:\n%s", out.String())
	}
}

func TestTyped(t *testing.T) {
	for _, c := range []struct {
		in   string
		k    keys
		want string
	}{
		{"Nguyễn Văn Đức", telexKeys, "Nguyeenx Vawn Dduwcs"},
		{"Nguyễn Văn Đức", vniKeys, "Nguye6n4 Va8n D9u7c1"},
		{"Trần Thị Hà", telexKeys, "Traanf Thij Haf"},
	} {
		if got := typed(c.in, c.k); got != c.want {
			t.Errorf("typed(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := mojibake("Nguyễn"); got != "Nguyá»…n" {
		t.Errorf("mojibake = %q", got)
	}
	if got := canChi(1990); got != "Canh Ngọ" {
		t.Errorf("canChi(1990) = %q", got)
	}
}
