package pipelines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
)

// A conflict that a later decision makes untrue leaves the desk's open
// queue, on the real broker and engine: a person's two records carrying
// one number are split by a decision, which raises a shared_id (the
// number on two persons); a second decision joins them again, and the
// registry writes the shared_id once more as resolved_by_registry, citing
// the merge event. The desk shows that status and no longer lists it as
// open.
func TestStaleConflictLeavesQueue(t *testing.T) {
	e := newLoadedEnv(t, 150)
	ctx := context.Background()
	_, recs := e.twoRecordsOfOneNumber(t)
	publish := func(id, decision string) {
		e.publishDecision(t, schemas.Decision{DecisionID: id, RecordIDs: recs, Decision: decision, User: "reviewer", DecidedAt: time.Now().UTC()})
	}
	waitEvent := func(id, kind string) { e.waitDecisionEvent(t, id, kind) }

	publish("dstale1", schemas.DecisionDifferentPersons)
	waitEvent("dstale1", schemas.PersonSplit)
	var conflictID string
	if err := e.conn.QueryRow(ctx, "SELECT conflict_id FROM conflicts FINAL WHERE kind = 'shared_id' AND hasAll(record_ids, $1) AND status = 'open'", recs).Scan(&conflictID); err != nil {
		t.Fatalf("the split raised no open shared_id on %v: %v", recs, err)
	}
	st := store.New(e.conn, nil)
	national := store.Scope{National: true}
	open, _, err := st.Conflicts(ctx, national, store.Filter{Status: schemas.StatusOpen})
	if err != nil {
		t.Fatal(err)
	}
	if !listed(open, conflictID) {
		t.Fatalf("shared_id %s not in the open queue after the split", conflictID)
	}

	publish("dstale2", schemas.DecisionSamePerson)
	waitEvent("dstale2", schemas.PersonMerge)
	c, err := st.Conflict(ctx, national, conflictID)
	if err != nil {
		t.Fatal(err)
	}
	var merge string
	if err := e.conn.QueryRow(ctx, "SELECT event_id FROM person_events FINAL WHERE reason = 'decision:dstale2' AND kind = 'merge'").Scan(&merge); err != nil {
		t.Fatal(err)
	}
	if c.Status != schemas.StatusResolvedByRegistry || !strings.Contains(c.Explanation, merge) {
		t.Errorf("after the merge: status %q, explanation %q; want resolved_by_registry citing event %s", c.Status, c.Explanation, merge)
	}
	if open, _, err = st.Conflicts(ctx, national, store.Filter{Status: schemas.StatusOpen}); err != nil {
		t.Fatal(err)
	}
	if listed(open, conflictID) {
		t.Errorf("resolved shared_id %s still in the open queue", conflictID)
	}
	resolved, _, err := st.Conflicts(ctx, national, store.Filter{Status: schemas.StatusResolvedByRegistry})
	if err != nil {
		t.Fatal(err)
	}
	if !listed(resolved, conflictID) {
		t.Errorf("shared_id %s not listed under resolved_by_registry", conflictID)
	}
}

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
	e.publishDecision(t, schemas.Decision{DecisionID: "druled1", ConflictID: "c_ruled", ConflictKind: schemas.ConflictSharedID, PersonIDs: []string{pid},
		RecordIDs: recs, Decision: schemas.DecisionDifferentPersons, User: "reviewer", DecidedAt: time.Now().UTC(), StatusAfter: schemas.StatusDecided})
	e.waitDecisionEvent(t, "druled1", schemas.PersonSplit)
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

func listed(rows []store.ConflictRow, id string) bool {
	for _, r := range rows {
		if r.ConflictID == id {
			return true
		}
	}
	return false
}

// twoRecordsOfOneNumber returns a loaded person with two records that
// carry one valid number, and the records.
func (e *env) twoRecordsOfOneNumber(t *testing.T) (string, []string) {
	t.Helper()
	return e.recordsOfOneNumber(t, 2)
}

// recordsOfOneNumber returns a loaded person with n records that carry
// one valid number, and the records (sorted).
func (e *env) recordsOfOneNumber(t *testing.T, n int) (string, []string) {
	t.Helper()
	var pid string
	var recs []string
	err := e.conn.QueryRow(context.Background(), `
SELECT l.person_id, arraySort(groupArray(l.record_id))
FROM (SELECT record_id, person_id FROM links FINAL) AS l
JOIN (SELECT record_id, id_number FROM records FINAL) AS r ON r.record_id = l.record_id
GROUP BY l.person_id
HAVING count() = $1 AND uniqExact(r.id_number) = 1 AND length(any(r.id_number)) = 12
ORDER BY l.person_id LIMIT 1`, n).Scan(&pid, &recs)
	if err != nil || len(recs) != n {
		t.Fatalf("a person with %d records of one number: %v %v", n, err, recs)
	}
	return pid, recs
}

// publishDecision sends d on dancu.decisions, as the desk does.
func (e *env) publishDecision(t *testing.T, d schemas.Decision) {
	t.Helper()
	w, err := kafkax.NewWriter(e.brokers, pipelines.TopicDecisions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	v, _ := json.Marshal(d)
	if err := w.WriteMessages(context.Background(), kafka.Message{Key: []byte(d.DecisionID), Value: v}); err != nil {
		t.Fatal(err)
	}
}

// waitDecisionEvent waits up to a minute for a person event of kind (any
// kind when "") citing decision id, then for the pipeline to drain.
func (e *env) waitDecisionEvent(t *testing.T, id, kind string) {
	t.Helper()
	q := fmt.Sprintf("SELECT count() FROM person_events FINAL WHERE reason = 'decision:%s'", id)
	if kind != "" {
		q += fmt.Sprintf(" AND kind = '%s'", kind)
	}
	for deadline := time.Now().Add(time.Minute); e.count(t, q) == 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s event citing decision %s after a minute", kind, id)
		}
	}
	e.drain(t)
}
