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

// Under a backlog the old import's links and conflicts reach ClickHouse
// after the withdrawal of their records (they travel on other partitions
// of dancu.matched): they are written closed, and resolved, all the same,
// whether this sink or another member of the load group wrote the
// withdrawal; the links and conflicts of records not withdrawn stay open.
func TestClickHouseSinkClosesLinksArrivingAfterWithdrawal(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)
	recs := sinkRecords(6)
	link := func(i int, version uint64) schemas.Link {
		return schemas.Link{RecordID: recs[i].RecordID, PersonID: []string{"P1", "P1", "P2", "P3", "P4", "P4"}[i], MatchProbability: 0.99, MatchRule: "fellegi-sunter", Version: version, LinkedAt: now}
	}
	conflict := func(id string, i, j int) schemas.Conflict {
		return schemas.Conflict{ConflictID: id, Kind: schemas.ConflictGreyZone, PersonIDs: []string{"P1", "P2"}, RecordIDs: []string{recs[i].RecordID, recs[j].RecordID}, Status: schemas.StatusOpen, Version: 7, CreatedAt: now}
	}
	loader := &pipelines.ClickHouseSink{Conn: conn} // the load group's member reading the links' partitions
	other := &pipelines.ClickHouseSink{Conn: conn}  // the member reading the withdrawal's
	// loader has read withdrawn_records (empty) before the withdrawal.
	if err := loader.Write(ctx, &pipelines.Batch{Records: recs, Links: []schemas.Link{link(5, 3)}}); err != nil {
		t.Fatal(err)
	}
	gone := []string{recs[0].RecordID, recs[1].RecordID, recs[4].RecordID, recs[5].RecordID}
	w := schemas.Withdrawal{WithdrawalID: pipelines.WithdrawalID("bnew", "bold", gone), Batch: "bnew", Replaces: "bold", RecordIDs: gone, User: "u", At: now}
	if err := other.Write(ctx, &pipelines.Batch{Withdrawals: []schemas.Withdrawal{w}}); err != nil {
		t.Fatal(err)
	}
	// Late: records 0–3's links, record 5's at a later version than the
	// one the withdrawal closed; the conflicts c1 (names record 1) and c2
	// (records 2 and 3).
	late := &pipelines.Batch{
		Links:     []schemas.Link{link(0, 7), link(1, 7), link(2, 7), link(3, 7), link(5, 9)},
		Conflicts: []schemas.Conflict{conflict("c1", 1, 2), conflict("c2", 2, 3)},
	}
	for _, s := range []*pipelines.ClickHouseSink{loader, other} {
		if err := s.Write(ctx, late); err != nil {
			t.Fatal(err)
		}
		var open, closed uint64
		if err := conn.QueryRow(ctx, "SELECT countIf(person_id != ''), countIf(has($1, record_id) AND person_id = '' AND match_rule = $2) FROM links FINAL",
			gone, pipelines.RuleWithdrawn).Scan(&open, &closed); err != nil {
			t.Fatal(err)
		}
		if open != 2 || closed != 3 {
			t.Errorf("links: %d open, want 2 (records 2 and 3); %d of the withdrawn records' closed, want 3 (records 0, 1 and 5)", open, closed)
		}
		var c1, c2, expl string
		if err := conn.QueryRow(ctx, "SELECT (SELECT status FROM conflicts FINAL WHERE conflict_id = 'c1'), (SELECT explanation FROM conflicts FINAL WHERE conflict_id = 'c1'), (SELECT status FROM conflicts FINAL WHERE conflict_id = 'c2')").Scan(&c1, &expl, &c2); err != nil {
			t.Fatal(err)
		}
		if c1 != schemas.StatusResolvedByRegistry || c2 != schemas.StatusOpen || expl != pipelines.WithdrawnExplanation {
			t.Errorf("conflicts: c1 %s (names a withdrawn record; explanation %q), c2 %s (names none)", c1, expl, c2)
		}
	}
}
