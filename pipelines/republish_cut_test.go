package pipelines

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/segmentio/kafka-go"
)

// cutWriter takes the first n messages (n < 0: all) and refuses the
// rest: a republish cut short (a SIGTERM, a kill) part-way.
type cutWriter struct{ n, took int }

func (w *cutWriter) WriteMessages(ctx context.Context, msgs ...kafka.Message) error {
	if w.n >= 0 && w.took+len(msgs) > w.n {
		return errors.New("cut short")
	}
	w.took += len(msgs)
	return nil
}

// TestRepublishCutShortMadeAgain: a republish asked for with --republish
// and cut short was not made again at the next start — the model file
// names the model in force, and nothing said a republish was under way
// (user16: dancu run --republish, SIGTERM after 12 s, the next start
// republished nothing). The next start now makes it, unasked; the one
// after, nothing.
func TestRepublishCutShortMadeAgain(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "registry")
	l, _, err := OpenRegistry(ctx, RegistryConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Link(ctx, rebuildRecords(200)); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	start := func(force bool, w *cutWriter) error {
		return republishIfNeeded(ctx, l, dir, force, w, 20, nil, log)
	}
	if err := start(false, &cutWriter{n: -1}); err != nil { // the first start notes the model
		t.Fatal(err)
	}
	if err := start(true, &cutWriter{n: 1}); err == nil {
		t.Fatal("a republish cut short returned no error")
	}
	again := &cutWriter{n: -1}
	if err := start(false, again); err != nil {
		t.Fatal(err)
	}
	if again.took == 0 {
		t.Error("the start after a republish cut short did not republish")
	}
	after := &cutWriter{n: -1}
	if err := start(false, after); err != nil {
		t.Fatal(err)
	}
	if after.took != 0 {
		t.Errorf("a start after the republish was made again republished again (%d messages)", after.took)
	}
}
