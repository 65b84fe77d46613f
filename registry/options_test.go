package registry

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// The store's levels grow fivefold, not by Pebble's ten (Open: the
// bottom level, zstd, is rewritten half as often per byte reaching it),
// and Config.LevelMultiplier overrides it: read back from the OPTIONS
// file Pebble writes beside the tables.
func TestLevelMultiplier(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cfg  int
		want string // Pebble writes the line only when it is not its default, 10
	}{{0, "level_multiplier=5"}, {7, "level_multiplier=7"}, {10, ""}} {
		dir := t.TempDir()
		r, err := Open(Config{Dir: dir, Settings: s, LevelMultiplier: c.cfg})
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		files, _ := filepath.Glob(filepath.Join(dir, "OPTIONS-*"))
		if len(files) == 0 {
			t.Fatalf("LevelMultiplier %d: no OPTIONS file in %s", c.cfg, dir)
		}
		b, err := os.ReadFile(files[len(files)-1])
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "level_multiplier=") {
				got = l
			}
		}
		if got != c.want {
			t.Errorf("LevelMultiplier %d: OPTIONS says %q, want %q", c.cfg, got, c.want)
		}
	}
}
