package noisefile

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTripAndCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	rows := [][]string{{"1", "Nguyễn Văn An, Hà Nội"}, {"2", `say "hi"`}}
	if err := WriteCSV(path, []string{"id", "name"}, rows); err != nil {
		t.Fatal(err)
	}
	tb, err := ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Name != "a.csv" || !reflect.DeepEqual(tb.Rows, rows) || tb.Get(tb.Rows[1], "name") != `say "hi"` || tb.Get(tb.Rows[0], "none") != "" {
		t.Errorf("read back %+v", tb)
	}
	st := Count([][]string{{"a", "x;y"}, {"b", ""}, {"c", "x"}})
	if st.Records != 3 || st.Kinds["x"] != 2 || st.Kinds["y"] != 1 {
		t.Errorf("Count = %+v", st)
	}
	var b strings.Builder
	st.Print(&b)
	if b.String() != "3 records\n  x                       2\n  y                       1\n" {
		t.Errorf("Print:\n%s", b.String())
	}
}

func TestRun(t *testing.T) {
	corrupt := func(clean, out string, seed int64) (Stats, error) {
		return Stats{Records: int(seed), Kinds: map[string]int{clean + out: 1}}, nil
	}
	breakdown := func(dir, clusters string, w io.Writer) error {
		_, err := io.WriteString(w, dir+" "+clusters)
		return err
	}
	var b strings.Builder
	if err := Run("x", []string{"corrupt", "a", "b", "7"}, &b, corrupt, breakdown); err != nil || b.String() != "7 records\n  ab                      1\n" {
		t.Errorf("corrupt: %v %q", err, b.String())
	}
	b.Reset()
	if err := Run("x", []string{"breakdown", "d", "c.csv"}, &b, corrupt, breakdown); err != nil || b.String() != "d c.csv" {
		t.Errorf("breakdown: %v %q", err, b.String())
	}
	if err := Run("x", []string{"corrupt", "a", "b", "seven"}, &b, corrupt, breakdown); err == nil {
		t.Error("a seed that is no number accepted")
	}
	if err := Run("x", nil, &b, corrupt, breakdown); err == nil || !strings.Contains(err.Error(), "usage: x corrupt") {
		t.Errorf("no arguments: %v", err)
	}
}

func TestPairs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "truth.csv")
	if err := os.WriteFile(path, []byte("source_record_id,person_id,other\nr1,p1,x\nr2,p1,y\nr3,p2,z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Pairs(path, "source_record_id", "person_id")
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 3 || m["r1"] != "p1" || m["r2"] != "p1" || m["r3"] != "p2" {
		t.Errorf("Pairs = %v", m)
	}
	if _, err := Pairs(path, "source_record_id", "kinds"); err == nil || !strings.Contains(err.Error(), "need columns source_record_id and kinds") {
		t.Errorf("a missing column: err %v", err)
	}
}
