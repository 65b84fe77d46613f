package chaos

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorrect: the corrected copy is the same for the same seed, has the
// old list's rows less the removed plus the added, changes the rows it
// says it changed, and is written only when there is a CSV list.
func TestCorrect(t *testing.T) {
	dir := t.TempDir()
	header := "STT,Mã bản ghi,Họ và tên,Số CMND"
	list := func(name, prefix string, n int) string {
		var b strings.Builder
		b.WriteString(header + "\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%d,%s%04d,Nguyễn Văn %s%d,%09d\n", i, prefix, i, prefix, i, i)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old, other := list("a.csv", "A", 200), list("b.csv", "B", 50)
	files := []string{filepath.Join(dir, "c.jsonl"), old, other}
	c, err := correct(files, dir, 7)
	if err != nil {
		t.Fatal(err)
	}
	if c == nil || c.Replaces != old || c.Changed == 0 || c.Removed == 0 || c.Added == 0 {
		t.Fatalf("correct = %+v, want a.csv corrected with rows changed, removed and added", c)
	}
	if c.Rows != 200-c.Removed+c.Added {
		t.Errorf("%d rows, want 200 - %d removed + %d added", c.Rows, c.Removed, c.Added)
	}
	first, _ := os.ReadFile(c.File)
	rows, err := readCSV(c.File)
	if err != nil {
		t.Fatal(err)
	}
	oldRows, _ := readCSV(old)
	byID := map[string][]string{}
	for _, r := range oldRows[1:] {
		byID[r[1]] = r
	}
	changed, added := 0, 0
	for i, r := range rows[1:] {
		if r[0] != fmt.Sprint(i+1) {
			t.Errorf("row %d numbered %s", i+1, r[0])
		}
		o, ok := byID[r[1]]
		switch {
		case !ok && strings.HasPrefix(r[1], "B"):
			added++
		case !ok:
			t.Errorf("row %d: %v is in neither list", i+1, r)
		case strings.Join(o[1:], ",") != strings.Join(r[1:], ","):
			changed++
		}
	}
	if changed != c.Changed || added != c.Added {
		t.Errorf("the file has %d rows changed and %d added, correct says %d and %d", changed, added, c.Changed, c.Added)
	}
	if again, err := correct(files, dir, 7); err != nil || *again != *c {
		t.Fatalf("again: %+v, %v; want %+v", again, err, c)
	}
	if second, _ := os.ReadFile(c.File); !bytes.Equal(first, second) {
		t.Error("the same seed wrote another file")
	}
	if c, err := correct(files[:1], dir, 7); c != nil || err != nil {
		t.Errorf("without a CSV list: %+v, %v; want nothing", c, err)
	}
}
