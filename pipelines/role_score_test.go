package pipelines_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// readRecords reads the canonical records of the generated source files.
func readRecords(t *testing.T, files []string) []schemas.Record {
	t.Helper()
	var out []schemas.Record
	for _, r := range ingesttest.Records(t, ingest.Options{}, files...) {
		out = append(out, *r)
	}
	return out
}

// scoreInstance is one score instance (RunScore) in this process.
type scoreInstance struct {
	once sync.Once
	stop func()
	done chan error
}

// remoteRegistry opens a registry in a temporary directory that scores
// through the score instances on brokers (a RemoteScorer resending after
// 3 s); both close when the test ends, the registry first.
func remoteRegistry(t *testing.T, ctx context.Context, brokers []string) *pipelines.RegistryLinker {
	t.Helper()
	rs, err := pipelines.NewRemoteScorer(ctx, brokers, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	rs.Resend = 3 * time.Second
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir(), Score: rs.Score})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func startScore(t *testing.T, brokers []string, dir string, i, n int) *scoreInstance {
	return startScoreStats(t, brokers, dir, i, n, nil)
}

// startScoreStats is startScore counting into st.
func startScoreStats(t *testing.T, brokers []string, dir string, i, n int, st *pipelines.ScoreStats) *scoreInstance {
	ctx, cancel := context.WithCancel(context.Background())
	si := &scoreInstance{stop: cancel, done: make(chan error, 1)}
	go func() {
		si.done <- pipelines.RunScore(ctx, pipelines.ScoreConfig{Brokers: brokers, Dir: dir, Instance: i, Instances: n}, st)
	}()
	t.Cleanup(func() { si.kill(t) })
	return si
}

// kill stops the instance (once) and checks it ended without error.
func (si *scoreInstance) kill(t *testing.T) {
	si.once.Do(func() {
		si.stop()
		select {
		case err := <-si.done:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("score instance: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("score instance did not stop")
		}
	})
}

// linkScaledOut links recs in batches through the match stage's registry
// scoring over Kafka with n score instances (on a broker of its own);
// during batch killAt (when ≥ 0) instance n-1 is killed and started
// again on an empty directory, as if its disk were lost.
func linkScaledOut(t *testing.T, recs []schemas.Record, batch, n, killAt int) map[string]string {
	return linkScaledOutWith(t, recs, batch, n, killAt, 0, nil)
}

// linkScaledOutWith is linkScaledOut with blocking messages of at most
// maxBytes (0: the default), instance 0 counting into st.
func linkScaledOutWith(t *testing.T, recs []schemas.Record, batch, n, killAt, maxBytes int, st *pipelines.ScoreStats) map[string]string {
	t.Helper()
	ctx := context.Background()
	brokers := []string{brokertest.Start(t)}
	var insts []*scoreInstance
	for i := 0; i < n; i++ {
		var s *pipelines.ScoreStats
		if i == 0 {
			s = st
		}
		insts = append(insts, startScoreStats(t, brokers, t.TempDir(), i, n, s))
	}
	rs, err := pipelines.NewRemoteScorer(ctx, brokers, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	rs.Resend = 3 * time.Second
	rs.MaxMessageBytes = maxBytes
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir(), Score: rs.Score})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	person := map[string]string{}
	for b, i := 0, 0; i < len(recs); b, i = b+1, i+batch {
		if b == killAt {
			insts[n-1].kill(t)
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				// The batch waits for the killed instance's partitions;
				// it comes back on an empty directory a little later.
				defer wg.Done()
				time.Sleep(time.Second)
				insts[n-1] = startScore(t, brokers, t.TempDir(), n-1, n)
			}()
			defer wg.Wait()
		}
		res, err := l.Link(ctx, recs[i:min(i+batch, len(recs))])
		if err != nil {
			t.Fatal(err)
		}
		for _, lk := range res.Links {
			person[lk.RecordID] = lk.PersonID
		}
	}
	return person
}

// The match stage scaled out (block, score ×N, cluster over the real
// broker): 2 and 3 score instances give exactly the persons — the same
// ids — that one gives, also when an instance is killed mid-run and
// comes back with its disk lost; and the same partition as the registry
// scoring in one process (pairwise F1 1.0 on this population).
func TestScaleOutSamePersons(t *testing.T) {
	dir, m := generate(t, 300, "csv", "jsonl")
	recs := readRecords(t, sourceFiles(t, dir, m))
	one := linkScaledOut(t, recs, 150, 1, -1)
	if len(one) != len(recs) {
		t.Fatalf("one score instance: %d records linked, want %d", len(one), len(recs))
	}
	local := map[string]string{}
	l, _, err := pipelines.OpenRegistry(context.Background(), pipelines.RegistryConfig{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < len(recs); i += 150 {
		res, err := l.Link(context.Background(), recs[i:min(i+150, len(recs))])
		if err != nil {
			t.Fatal(err)
		}
		for _, lk := range res.Links {
			local[lk.RecordID] = lk.PersonID
		}
	}
	if mt := eval.Clusters(local, one); mt.F1 < 0.999 {
		t.Errorf("one score instance vs scoring in the registry: pairwise F1 %.5f < 0.999", mt.F1)
	}
	for _, c := range []struct{ n, killAt int }{{2, -1}, {3, 2}} {
		got := linkScaledOut(t, recs, 150, c.n, c.killAt)
		mt := eval.Clusters(one, got)
		t.Logf("%d score instances (kill at batch %d): %d records, pairwise F1 vs one instance %.5f", c.n, c.killAt, len(got), mt.F1)
		if mt.F1 != 1 {
			t.Errorf("%d score instances: pairwise F1 vs one instance %.5f, want 1", c.n, mt.F1)
		}
		for id, pid := range one {
			if got[id] != pid {
				t.Fatalf("%d score instances: record %s in person %s, one instance gave %s", c.n, id, got[id], pid)
			}
		}
	}
}

// A batch whose items for a partition exceed what one blocking message
// may carry goes to that partition in several messages, scored in order:
// the persons, ids included, are those of one message per partition
// (before, such a batch stopped the match stage: dancu demo --persons
// 100000 --matchers 2 failed on its first full micro-batch).
func TestScaleOutSplitsLargeMessages(t *testing.T) {
	dir, m := generate(t, 300, "csv", "jsonl")
	recs := readRecords(t, sourceFiles(t, dir, m))
	const batch = 150
	whole := linkScaledOut(t, recs, batch, 1, -1)
	var st pipelines.ScoreStats
	split := linkScaledOutWith(t, recs, batch, 2, -1, 2048, &st)
	if len(split) != len(recs) {
		t.Fatalf("split messages: %d records linked, want %d", len(split), len(recs))
	}
	for id, pid := range whole {
		if split[id] != pid {
			t.Fatalf("split messages: record %s in person %s, one message per partition gave %s", id, split[id], pid)
		}
	}
	// Instance 0 of 2 holds 6 partitions: without the split it would
	// score at most 6 messages a batch.
	batches := (len(recs) + batch - 1) / batch
	t.Logf("%d batches of %d records; instance 0 of 2 scored %d messages (blocking messages of at most 2,048 bytes)", batches, batch, st.Batches.Load())
	if got := st.Batches.Load(); got <= int64(6*batches) {
		t.Errorf("instance 0 scored %d messages for %d batches: the items were not split", got, batches)
	}
}

// File → Kafka → match scaled out (block, score ×K, cluster) → load →
// ClickHouse: every record is linked, and two score instances put the
// same records together as one does (pairwise F1 between them 1.0).
func TestScaleOutPipeline(t *testing.T) {
	dir, m := generate(t, 300, "csv", "jsonl")
	files := sourceFiles(t, dir, m)
	truth := readTruth(t, filepath.Join(dir, "truth.csv"))
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var runs []map[string]string
	for _, k := range []int{1, 2} {
		e := newEnv(t)
		e.cfg.ScaleOut, e.cfg.Score = true, true
		e.cfg.ScoreConfig = pipelines.ScoreConfig{Dir: t.TempDir(), Instance: 0, Instances: k}
		for i := 1; i < k; i++ {
			startScore(t, e.brokers, t.TempDir(), i, k)
		}
		e.runStages(t)
		var accepted int64
		for _, f := range files {
			accepted += e.importFile(t, f, date).Accepted
		}
		e.drain(t)
		got, err := pipelines.SourceClusters(context.Background(), e.conn)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(got)) != accepted {
			t.Fatalf("%d score instances: %d records linked in ClickHouse, %d accepted", k, len(got), accepted)
		}
		mt := eval.Clusters(truth, got)
		t.Logf("%d score instances: %d records; vs truth pairwise P %.4f R %.4f F1 %.4f", k, len(got), mt.Precision, mt.Recall, mt.F1)
		if mt.F1 < 0.95 {
			t.Errorf("%d score instances: pairwise F1 vs truth %.4f", k, mt.F1)
		}
		runs = append(runs, got)
	}
	if mt := eval.Clusters(runs[0], runs[1]); mt.F1 != 1 {
		t.Errorf("2 score instances vs 1: pairwise F1 %.5f, want 1", mt.F1)
	}
}

// The cluster role (the scaled-out match stage) stopped after the first
// file and started again on an empty registry directory: it rebuilds the
// registry from its changelog, the score instances scoring the replayed
// records again (to the same edges), and after the second file every
// record is in ClickHouse once, linked, with the earlier persons kept.
func TestScaleOutClusterRestart(t *testing.T) {
	e := newEnv(t)
	dir, m := generate(t, 300, "csv", "jsonl")
	files := sourceFiles(t, dir, m)
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	e.cfg.ScaleOut = true
	startScore(t, e.brokers, t.TempDir(), 0, 2)
	startScore(t, e.brokers, t.TempDir(), 1, 2)
	first := e.importFile(t, files[0], date)
	stop := e.runStagesStoppable(t)
	e.drain(t)
	stop()
	before, err := pipelines.SourceClusters(ctx, e.conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != int(first.Accepted) {
		t.Fatalf("%d records linked, %d accepted", len(before), first.Accepted)
	}
	e.cfg.RegistryDir = t.TempDir() // the cluster role's disk is lost
	e.runStages(t)
	second := e.importFile(t, files[1], date)
	e.drain(t)
	after, err := pipelines.SourceClusters(ctx, e.conn)
	if err != nil {
		t.Fatal(err)
	}
	if want := first.Accepted + second.Accepted; int64(len(after)) != want || e.count(t, "SELECT count() FROM records FINAL") != uint64(want) {
		t.Fatalf("%d records linked, %d in records FINAL; %d accepted", len(after), e.count(t, "SELECT count() FROM records FINAL"), want)
	}
	moved := 0
	for src, pid := range before {
		if after[src] != pid {
			moved++
		}
	}
	mt := eval.Clusters(readTruth(t, filepath.Join(dir, "truth.csv")), after)
	t.Logf("after the restart: %d records, %d earlier ones moved; vs truth pairwise F1 %.4f", len(after), moved, mt.F1)
	if moved > len(before)/50 || mt.F1 < 0.95 {
		t.Errorf("after the restart: %d of %d earlier records moved, F1 vs truth %.4f", moved, len(before), mt.F1)
	}
}
