package pipelines_test

import (
	"context"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// The load stage's side of a withdrawal, on the real engine: the records
// are marked withdrawn (records_in_force leaves them out), their links
// closed, the open conflict naming one of them resolved, a conflict
// naming none left open; the same batch written again (a replayed
// message) adds no row.
func TestClickHouseSinkWithdraws(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	s := &pipelines.ClickHouseSink{Conn: conn}
	now := time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)
	recs := sinkRecords(4)
	var links []schemas.Link
	for i, r := range recs {
		links = append(links, schemas.Link{RecordID: r.RecordID, PersonID: []string{"P1", "P1", "P2", "P3"}[i], MatchProbability: 0.99, MatchRule: "fellegi-sunter", Version: 7, LinkedAt: now})
	}
	conflicts := []schemas.Conflict{
		{ConflictID: "c1", Kind: schemas.ConflictGreyZone, PersonIDs: []string{"P1", "P2"}, RecordIDs: []string{recs[1].RecordID, recs[2].RecordID}, Status: schemas.StatusOpen, Version: 7, CreatedAt: now},
		{ConflictID: "c2", Kind: schemas.ConflictGreyZone, PersonIDs: []string{"P2", "P3"}, RecordIDs: []string{recs[2].RecordID, recs[3].RecordID}, Status: schemas.StatusOpen, Version: 7, CreatedAt: now},
	}
	if err := s.Write(ctx, &pipelines.Batch{Records: recs, Links: links, Conflicts: conflicts}); err != nil {
		t.Fatal(err)
	}
	gone := []string{recs[0].RecordID, recs[1].RecordID}
	w := schemas.Withdrawal{WithdrawalID: pipelines.WithdrawalID("bnew", "bold", gone), Batch: "bnew", Replaces: "bold", RecordIDs: gone, User: "u", At: now}
	count := func(q string, args ...any) uint64 {
		t.Helper()
		var n uint64
		if err := conn.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	rows := func() uint64 {
		return count("SELECT (SELECT count() FROM links) + (SELECT count() FROM conflicts) + (SELECT count() FROM withdrawn_records FINAL)")
	}
	var before uint64
	for round := range 2 {
		if err := s.Write(ctx, &pipelines.Batch{Withdrawals: []schemas.Withdrawal{w}}); err != nil {
			t.Fatal(err)
		}
		if n := count("SELECT count() FROM records_in_force"); n != 2 {
			t.Errorf("round %d: records_in_force holds %d records, want the 2 not withdrawn", round, n)
		}
		if n := count("SELECT count() FROM links FINAL WHERE has($1, record_id) AND person_id = '' AND match_rule = $2", gone, pipelines.RuleWithdrawn); n != 2 {
			t.Errorf("round %d: %d of the withdrawn records' links closed, want 2", round, n)
		}
		if n := count("SELECT count() FROM links FINAL WHERE person_id != ''"); n != 2 {
			t.Errorf("round %d: %d links left open, want 2", round, n)
		}
		var c1, c2 string
		if err := conn.QueryRow(ctx, "SELECT (SELECT status FROM conflicts FINAL WHERE conflict_id = 'c1'), (SELECT status FROM conflicts FINAL WHERE conflict_id = 'c2')").Scan(&c1, &c2); err != nil {
			t.Fatal(err)
		}
		if c1 != schemas.StatusResolvedByRegistry || c2 != schemas.StatusOpen {
			t.Errorf("round %d: conflicts c1 %s (names a withdrawn record), c2 %s (names none)", round, c1, c2)
		}
		if round == 0 {
			before = rows()
		} else if after := rows(); after != before {
			t.Errorf("the withdrawal written again added rows: %d → %d", before, after)
		}
	}
}
