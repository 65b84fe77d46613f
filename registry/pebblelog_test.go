package registry_test

import (
	"bytes"
	"context"
	"log"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/registry"
)

// Pebble's own messages (a write-ahead log replayed on reopen) go to slog
// at debug level, never to the standard logger's stderr at info level.
func TestPebbleMessagesAtDebugOnly(t *testing.T) {
	p := generated(t)
	var std, info, debug bytes.Buffer
	log.SetOutput(&std)
	defer log.SetOutput(os.Stderr)
	prev := slog.Default()
	defer slog.SetDefault(prev)

	dir := t.TempDir()
	open := func(level slog.Level, w *bytes.Buffer) *registry.Registry {
		slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
		reg, err := registry.Open(registry.Config{Dir: dir, Settings: p.settings})
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	reg := open(slog.LevelInfo, &info)
	if _, err := reg.AddRecords(context.Background(), registry.NewRecords(), p.recs[:200]); err != nil {
		t.Fatal(err)
	}
	// Close leaves the memtable in the write-ahead log: reopening replays it.
	reg2 := func() *registry.Registry {
		if err := reg.Close(); err != nil {
			t.Fatal(err)
		}
		return open(slog.LevelDebug, &debug)
	}()
	defer reg2.Close()

	if std.Len() > 0 {
		t.Errorf("pebble wrote to the standard logger: %q", std.String())
	}
	for _, b := range []*bytes.Buffer{&info, &debug} {
		for _, line := range strings.Split(b.String(), "\n") {
			if strings.Contains(line, "level=INFO") && strings.Contains(line, "WAL") {
				t.Errorf("pebble message at info level: %q", line)
			}
		}
	}
	if !strings.Contains(debug.String(), "store=registry") {
		t.Errorf("reopen logged nothing of pebble at debug level: %q", debug.String())
	}
}
