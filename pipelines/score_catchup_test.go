package pipelines_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/pipelines"
)

// A score instance whose --home/score is put back from a copy made after
// batch 1 of 5, once it had scored batch 3, reads dancu.blocking on from
// the offset its copy holds: the persons, ids included, are those of an
// instance never restored. The same store started against another broker,
// whose dancu.blocking is behind it, is refused.
func TestScoreStoreRestoredCatchesUp(t *testing.T) {
	dir, m := generate(t, 300, "csv", "jsonl")
	recs := readRecords(t, sourceFiles(t, dir, m))
	const batch = 100
	want := linkScaledOut(t, recs, batch, 1, -1)

	ctx := context.Background()
	brokers := []string{brokertest.Start(t)}
	home, backup := t.TempDir(), t.TempDir()+"/copy"
	inst := startScore(t, brokers, home, 0, 1)
	l := remoteRegistry(t, ctx, brokers)
	got := map[string]string{}
	b := 0
	link := func(to int) {
		t.Helper()
		for ; b < to; b++ {
			res, err := l.Link(ctx, recs[b*batch:min((b+1)*batch, len(recs))])
			if err != nil {
				t.Fatal(err)
			}
			for _, lk := range res.Links {
				got[lk.RecordID] = lk.PersonID
			}
		}
	}
	batches := (len(recs) + batch - 1) / batch
	if batches < 5 {
		t.Fatalf("%d batches, want 5 or more", batches)
	}
	link(1)
	inst.kill(t)
	if err := os.CopyFS(backup, os.DirFS(home)); err != nil {
		t.Fatal(err)
	}
	inst = startScore(t, brokers, home, 0, 1)
	link(3)
	inst.kill(t)
	if err := os.RemoveAll(home); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(home, os.DirFS(backup)); err != nil {
		t.Fatal(err)
	}
	inst = startScore(t, brokers, home, 0, 1)
	link(batches)
	inst.kill(t)
	if len(got) != len(want) {
		t.Fatalf("%d records linked, want %d", len(got), len(want))
	}
	for id, pid := range want {
		if got[id] != pid {
			t.Fatalf("record %s in person %s after the restore, %s without it", id, got[id], pid)
		}
	}

	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := pipelines.RunScore(cctx, pipelines.ScoreConfig{Brokers: []string{brokertest.Start(t)}, Dir: home, Instance: 0, Instances: 1}, nil)
	if !errors.Is(err, pipelines.ErrScoreStoreMismatch) || !strings.Contains(err.Error(), "but the partition ends at offset 0") {
		t.Errorf("a score store ahead of dancu.blocking: %v, want %v", err, pipelines.ErrScoreStoreMismatch)
	}
}
