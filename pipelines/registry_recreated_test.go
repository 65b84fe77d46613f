package pipelines

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/segmentio/kafka-go"
)

// An operator deletes the registry's changelog topic and it is made
// again, on the same cluster (same cluster id), while the match stage is
// stopped. A store holding a position is refused at its next start, with
// the way out: the recreated topic ends before its position. A store
// holding only its start mark and records — what a kill leaves when it
// keeps the first batch and loses the position after it (chaos4) — is
// not: the mark names an offset and no message, so nothing tells the
// recreated topic from the one the store was marked on. It starts,
// replays the new topic from its start, and goes on holding records
// that the changelog never gets, so that a registry rebuilt from the
// changelog lacks them. This test shows both; the second is the known
// hole of docs/pipeline.md (chaos6), not a behaviour to keep: when such
// a store is refused, change it.
func TestRecreatedChangelogMeetsStore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ops, batches := catchUpOps()
	b := brokertest.StartConfig(t, broker.Config{DataDir: t.TempDir()})
	brokers := []string{b.Addr()}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	recreate := func() {
		t.Helper()
		client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
		defer closeClient()
		resp, err := client.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{kafkax.TopicRegistryChangelog}})
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range resp.Errors {
			if err != nil {
				t.Fatal(err)
			}
		}
		// Made again as the stage makes it (compacted, one partition).
		if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{kafkax.TopicRegistryChangelog: 1}); err != nil {
			t.Fatal(err)
		}
		if _, first, end, err := changelogBounds(ctx, brokers); err != nil || first != 0 || end != 0 {
			t.Fatalf("the recreated changelog: offsets %d–%d (%v), want an empty topic", first, end, err)
		}
	}

	t.Run("position", func(t *testing.T) {
		dir := t.TempDir() + "/registry"
		open := stageOpener(t, ctx, dir, brokers, log)
		l := open()
		runOps(t, ctx, l, ops[:3], nil, nil)
		l.Close()
		recreate()
		_, err := openStageRegistry(ctx, RegistryConfig{Dir: dir, Brokers: brokers}, log)
		if !errors.Is(err, ErrChangelogMismatch) || !strings.Contains(err.Error(), "move "+dir+" aside") || !strings.Contains(err.Error(), "but the topic ends at offset 0") {
			t.Errorf("a store with a position, its changelog recreated: %v, want %v and the way out", err, ErrChangelogMismatch)
		}
	})

	t.Run("start mark", func(t *testing.T) {
		dir, start := t.TempDir()+"/registry", t.TempDir()+"/start"
		open := stageOpener(t, ctx, dir, brokers, log)
		// The first start: an empty store marked on the (empty) changelog.
		recreate()
		l := open()
		l.Close()
		if err := os.CopyFS(start, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		l = open()
		runOps(t, ctx, l, ops[:3], nil, nil)
		l.Close()
		// What a kill can leave: the mark and the first batch, no position.
		bare, _, err := OpenRegistry(ctx, RegistryConfig{Dir: start})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ops[0].do(ctx, bare); err != nil {
			t.Fatal(err)
		}
		bare.Close()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(start, dir); err != nil {
			t.Fatal(err)
		}
		recreate()
		logs.Reset()
		l, err = openStageRegistry(ctx, RegistryConfig{Dir: dir, Brokers: brokers}, log)
		if err != nil {
			t.Logf("refused: %v", err)
			t.Fatalf("a store holding its start mark and a batch, its changelog recreated, is refused: the hole is mended; change this test")
		}
		held := l.Registry.Len()
		// The stage goes on: batch 1 and the rest of the first persons.
		runOps(t, ctx, l, ops[1:3], nil, nil)
		total := l.Registry.Len()
		l.Close()
		rebuilt, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: brokers})
		if err != nil {
			t.Fatal(err)
		}
		defer rebuilt.Close()
		t.Logf("the marked store took the recreated changelog: it held %d records at its start, %d after two more batches; "+
			"a registry rebuilt from the changelog holds %d", held, total, rebuilt.Registry.Len())
		if held != uint64(len(batches[0])) || rebuilt.Registry.Len() != total-uint64(len(batches[0])) {
			t.Errorf("held %d at start (want batch 0's %d), %d after; rebuilt %d (want %d: the changelog lacks batch 0)",
				held, len(batches[0]), total, rebuilt.Registry.Len(), total-uint64(len(batches[0])))
		}
	})
}
