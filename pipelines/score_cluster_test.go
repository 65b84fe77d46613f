package pipelines_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/pipelines"
)

// A score instance's store written against one Kafka cluster is refused
// against another (each embedded broker's data directory has its own
// cluster id), even when that cluster's dancu.blocking has gone past the
// store's offsets: read on from there, it passed over the other
// cluster's first messages and scored the later ones against records of
// the first cluster's (the registry refuses its changelog of another
// cluster the same way). A store of the same cluster still starts.
func TestScoreStoreOfAnotherClusterRefused(t *testing.T) {
	recs := generatedRecords(t, 60)
	ctx := context.Background()
	link := func(brokers []string, dir string, batches int) {
		t.Helper()
		inst := startScore(t, brokers, dir, 0, 1)
		l := remoteRegistry(t, ctx, brokers)
		for b := range batches {
			if _, err := l.Link(ctx, recs[b*len(recs)/batches:(b+1)*len(recs)/batches]); err != nil {
				t.Fatal(err)
			}
		}
		l.Close()
		inst.kill(t)
	}
	a, b := []string{brokertest.Start(t)}, []string{brokertest.Start(t)}
	home := t.TempDir()
	link(a, home, 1)        // the store: one batch of cluster a's
	link(b, t.TempDir(), 3) // cluster b's dancu.blocking: three batches, past it
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err := pipelines.RunScore(cctx, pipelines.ScoreConfig{Brokers: b, Dir: home, Instance: 0, Instances: 1}, nil)
	if !errors.Is(err, pipelines.ErrScoreStoreMismatch) || !strings.Contains(err.Error(), "cluster") {
		t.Fatalf("a score store of cluster a started against cluster b: %v, want %v naming the clusters", err, pipelines.ErrScoreStoreMismatch)
	}
	// Against its own cluster it starts, and stops when told.
	link(a, home, 1)
}
