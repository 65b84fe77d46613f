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
	for _, c := range []struct {
		cfg  int
		want string // Pebble writes the line only when it is not its default, 10
	}{{0, "5"}, {7, "7"}, {10, ""}} {
		got := storeOptions(t, Config{LevelMultiplier: c.cfg})
		if got["level_multiplier"] != c.want {
			t.Errorf("LevelMultiplier %d: OPTIONS says level_multiplier=%q, want %q", c.cfg, got["level_multiplier"], c.want)
		}
	}
}

// The store compacts level 0 once eight tables gather there, not
// Pebble's four (Open: each compaction of level 0 rewrites the whole base
// level), and stops writes at three times as many; Config.L0Tables
// overrides it. Read back from the OPTIONS file, as above.
func TestL0Tables(t *testing.T) {
	for _, c := range []struct {
		cfg              int
		compact, stopped string
	}{{0, "8", "24"}, {4, "4", "12"}, {10, "10", "30"}} {
		got := storeOptions(t, Config{L0Tables: c.cfg})
		if got["l0_compaction_threshold"] != c.compact || got["l0_stop_writes_threshold"] != c.stopped {
			t.Errorf("L0Tables %d: OPTIONS says l0_compaction_threshold=%q, l0_stop_writes_threshold=%q; want %s, %s",
				c.cfg, got["l0_compaction_threshold"], got["l0_stop_writes_threshold"], c.compact, c.stopped)
		}
	}
}

// storeOptions opens a registry with cfg (in a new directory, with the
// Vietnamese model), closes it, and returns the options Pebble wrote in
// its OPTIONS file, by name.
func storeOptions(t *testing.T, cfg Config) map[string]string {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Dir, cfg.Settings = t.TempDir(), s
	r, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	files, _ := filepath.Glob(filepath.Join(cfg.Dir, "OPTIONS-*"))
	if len(files) == 0 {
		t.Fatalf("no OPTIONS file in %s", cfg.Dir)
	}
	b, err := os.ReadFile(files[len(files)-1])
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok {
			got[k] = v
		}
	}
	return got
}
