package pipelines_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
)

// A ruling answers the conflict the registry raises because of it, on
// the real broker and engine: a reviewer rules on a shared_id that a
// person's two records of one number are different people; the split
// raises a shared_id of the number on two persons (another id: other
// persons), which the registry writes decided, citing the ruling, and
// the desk does not list as open.
func TestRuledConflictNotOpenAgain(t *testing.T) {
	e := newLoadedEnv(t, 150)
	ctx := context.Background()
	pid, recs := e.twoRecordsOfOneNumber(t)
	w, err := kafkax.NewWriter(e.brokers, pipelines.TopicDecisions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	d := schemas.Decision{DecisionID: "druled1", ConflictID: "c_ruled", ConflictKind: schemas.ConflictSharedID, PersonIDs: []string{pid},
		RecordIDs: recs, Decision: schemas.DecisionDifferentPersons, User: "reviewer", DecidedAt: time.Now().UTC(), StatusAfter: schemas.StatusDecided}
	v, _ := json.Marshal(d)
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(d.DecisionID), Value: v}); err != nil {
		t.Fatal(err)
	}
	q := "SELECT count() FROM person_events FINAL WHERE reason = 'decision:druled1' AND kind = 'split'"
	for deadline := time.Now().Add(time.Minute); e.count(t, q) == 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no split event citing the decision after a minute")
		}
	}
	e.drain(t)
	var conflictID, status string
	if err := e.conn.QueryRow(ctx, "SELECT conflict_id, status FROM conflicts FINAL WHERE kind = 'shared_id' AND hasAll(record_ids, $1)", recs).Scan(&conflictID, &status); err != nil {
		t.Fatalf("the split raised no shared_id on %v: %v", recs, err)
	}
	if status != schemas.StatusDecided {
		t.Errorf("the shared_id the ruling answers was written %q, want decided", status)
	}
	st := store.New(e.conn, nil)
	national := store.Scope{National: true}
	c, err := st.Conflict(ctx, national, conflictID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != schemas.StatusDecided || !strings.Contains(c.Explanation, "druled1") {
		t.Errorf("on the desk: status %q, explanation %q; want decided citing druled1", c.Status, c.Explanation)
	}
	open, _, err := st.Conflicts(ctx, national, store.Filter{Status: schemas.StatusOpen})
	if err != nil {
		t.Fatal(err)
	}
	if listed(open, conflictID) {
		t.Errorf("shared_id %s, answered by the ruling, is in the open queue", conflictID)
	}
}
