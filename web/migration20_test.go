package web_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
)

// A database migrated before 0020 (decisions without groups) is upgraded
// by chstore.Migrate: its decisions read back with no groups, and a
// ruling with groups is stored and read back as it was given.
func TestDecisionGroupsMigration20(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	// As dancu migrate of a release with migrations up to 0019 left it.
	if _, err := chstore.MigrateTo(ctx, conn, 19); err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(ctx, `INSERT INTO decisions (decision_id, conflict_id, person_ids, record_ids, decision, user, decided_at)
VALUES ('d_old', 'c1', ['p1', 'p2'], ['r1', 'r2'], 'different_persons', 'rev', '2026-12-01 10:00:00')`); err != nil {
		t.Fatal(err)
	}
	applied, err := chstore.Migrate(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != len(migs)-19 {
		t.Fatalf("the upgrade applied %v, want the %d migrations after 0019", applied, len(migs)-19)
	}
	st := store.New(conn, nil)
	groups := [][]string{{"r1", "r3"}, {"r2"}}
	if err := st.AddDecision(ctx, schemas.Decision{DecisionID: "d_new", ConflictID: "c1", RecordIDs: []string{"r1", "r2", "r3"},
		Decision: schemas.DecisionDifferentPersons, User: "rev", DecidedAt: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Groups: groups}); err != nil {
		t.Fatal(err)
	}
	ds, err := st.Decisions(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].DecisionID != "d_old" || len(ds[0].Groups) != 0 || ds[1].DecisionID != "d_new" || !reflect.DeepEqual(ds[1].Groups, groups) {
		t.Errorf("decisions after the upgrade: %+v, want d_old without groups and d_new with %v", ds, groups)
	}
}
