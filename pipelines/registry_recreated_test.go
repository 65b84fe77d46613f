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
// the way out: the recreated topic ends before its position. So is a
// store holding only its start mark and records — what a kill leaves
// when it keeps the first batch and loses the position after it (chaos4):
// the mark names the first message the store wrote to its changelog
// (registry.VouchChangelogStart), which the recreated topic lacks, empty
// or written since. Before, the mark named an offset and no message: such
// a store replayed the new topic from its start and went on, holding a
// batch the changelog never got (a registry rebuilt from it held 50 of
// the 75 records). Against the changelog it was marked on, the same
// store catches up.
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
		// What a kill can leave: the mark naming the first message the
		// stage wrote (batch 0's, synced with it), the batch, no position.
		m, err := changelogAt(ctx, brokers, 0)
		if err != nil {
			t.Fatal(err)
		}
		bare, _, err := OpenRegistry(ctx, RegistryConfig{Dir: start})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ops[0].do(ctx, bare); err != nil {
			t.Fatal(err)
		}
		if err := bare.Registry.VouchChangelogStart(m.Offset, string(m.Key)); err != nil {
			t.Fatal(err)
		}
		pos, _, err := bare.Registry.ChangelogPosition()
		if err != nil || !pos.Start() || pos.FirstKey != string(m.Key) {
			t.Fatalf("the vouched mark: %+v (%v)", pos, err)
		}
		bare.Close()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		killed := t.TempDir() + "/killed"
		if err := os.CopyFS(killed, os.DirFS(start)); err != nil {
			t.Fatal(err)
		}
		// Against the changelog it was marked on: caught up.
		if err := os.Rename(start, dir); err != nil {
			t.Fatal(err)
		}
		l = open()
		if got, want := l.Registry.Len(), uint64(3*len(batches[0])); got != want {
			t.Errorf("the store the kill left, against its own changelog, holds %d records after its start, want %d", got, want)
		}
		l.Close()

		// Against the topic made again: empty, then written by another
		// registry (other batches at the offsets).
		recreate()
		o, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: brokers})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"empty", "written since"} {
			if name == "written since" {
				if _, err := o.Link(ctx, batches[5]); err != nil {
					t.Fatal(err)
				}
			}
			try := t.TempDir() + "/registry"
			if err := os.CopyFS(try, os.DirFS(killed)); err != nil {
				t.Fatal(err)
			}
			taken, err := openStageRegistry(ctx, RegistryConfig{Dir: try, Brokers: brokers}, log)
			if err == nil {
				taken.Close()
			}
			if !errors.Is(err, ErrChangelogMismatch) || !strings.Contains(err.Error(), "deleted and made again") || !strings.Contains(err.Error(), "move "+try+" aside") {
				t.Errorf("%s: a store holding its start mark and a batch, its changelog recreated: %v, want %v and the way out", name, err, ErrChangelogMismatch)
			}
			left, _, err := OpenRegistry(ctx, RegistryConfig{Dir: try})
			if err != nil {
				t.Fatal(err)
			}
			if p, _, _ := left.Registry.ChangelogPosition(); p != pos || left.Registry.Len() != uint64(len(batches[0])) {
				t.Errorf("%s: after the refusal the store is at %+v with %d records, was at %+v with %d", name, p, left.Registry.Len(), pos, len(batches[0]))
			}
			left.Close()
		}
		o.Close()
	})
}
