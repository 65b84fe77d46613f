package pipelines_test

import (
	"context"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// withdrawOps links the first half of recs in batches, withdraws every
// 7th record of it, then links the second half with the withdrawn records
// given again (refused), through l; it returns the person of every record.
func withdrawOps(t *testing.T, l *pipelines.RegistryLinker, recs []schemas.Record) map[string]string {
	t.Helper()
	ctx := context.Background()
	person := map[string]string{}
	link := func(rs []schemas.Record) {
		for i := 0; i < len(rs); i += 150 {
			res, err := l.Link(ctx, rs[i:min(i+150, len(rs))])
			if err != nil {
				t.Fatal(err)
			}
			for _, lk := range res.Links {
				person[lk.RecordID] = lk.PersonID
			}
		}
	}
	half := len(recs) / 2
	link(recs[:half])
	var ids []string
	var again []schemas.Record
	for i := 0; i < half; i += 7 {
		ids = append(ids, recs[i].RecordID)
		again = append(again, recs[i])
	}
	w := schemas.Withdrawal{WithdrawalID: pipelines.WithdrawalID("b2", "b1", ids), Batch: "b2", Replaces: "b1", RecordIDs: ids}
	res, err := l.Withdraw(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Withdrawn) != len(ids) {
		t.Fatalf("withdrew %d of %d records", len(res.Withdrawn), len(ids))
	}
	link(append(append([]schemas.Record(nil), recs[half:]...), again...))
	return person
}

// The score role takes withdrawn records out of its blocks: over the real
// broker, with 2 score instances told of the withdrawal
// (RemoteScorer.Withdraw, one message per blocking partition), linking,
// withdrawing and giving the withdrawn records again (refused) gives the persons
// the registry gives scoring in one process, ids included, and every
// partition applied the withdrawal.
func TestScaleOutWithdrawal(t *testing.T) {
	dir, m := generate(t, 300, "csv")
	recs := readRecords(t, sourceFiles(t, dir, m))
	ctx := context.Background()

	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	local := withdrawOps(t, l, recs)

	brokers := []string{brokertest.Start(t)}
	var st0, st1 pipelines.ScoreStats
	startScoreStats(t, brokers, t.TempDir(), 0, 2, &st0)
	startScoreStats(t, brokers, t.TempDir(), 1, 2, &st1)
	rs, err := pipelines.NewRemoteScorer(ctx, brokers, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	rs.Resend = 3 * time.Second
	sl, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir(), Score: rs.Score, Withdraw: rs.Withdraw})
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close()
	scaled := withdrawOps(t, sl, recs)

	if len(scaled) != len(recs) || len(local) != len(recs) {
		t.Fatalf("linked %d records scaled out, %d in one process, of %d", len(scaled), len(local), len(recs))
	}
	// Not told (no Withdraw), the score role scored the records added
	// again as the first time: 5 records in other persons, F1 0.987
	// (before the registry refused withdrawn ids: the second half's
	// records are scored against the blocks the withdrawal left).
	diff := 0
	for id, p := range local {
		if scaled[id] != p {
			diff++
		}
	}
	if mt := eval.Clusters(local, scaled); diff != 0 {
		t.Errorf("scaled out with a withdrawal vs one process: %d records in another person (pairwise F1 %.5f)", diff, mt.F1)
	}
	// The withdrawal reached every blocking partition (before the batches
	// after it, which were scored).
	parts := st0.Withdrawals.Load() + st1.Withdrawals.Load()
	if want := int64(len(st0.Positions()) + len(st1.Positions())); parts != want || want == 0 {
		t.Errorf("%d blocking partitions applied the withdrawal, want all %d", parts, want)
	}
}
