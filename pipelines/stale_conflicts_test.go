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
	w, err := kafkax.NewWriter(e.brokers, pipelines.TopicDecisions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	publish := func(id, decision string) {
		d := schemas.Decision{DecisionID: id, RecordIDs: recs, Decision: decision, User: "reviewer", DecidedAt: time.Now().UTC()}
		v, _ := json.Marshal(d)
		if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(id), Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	waitEvent := func(id, kind string) {
		t.Helper()
		q := fmt.Sprintf("SELECT count() FROM person_events FINAL WHERE reason = 'decision:%s' AND kind = '%s'", id, kind)
		for deadline := time.Now().Add(time.Minute); e.count(t, q) == 0; time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s event citing decision %s after a minute", kind, id)
			}
		}
		e.drain(t)
	}

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
	var pid string
	var recs []string
	err := e.conn.QueryRow(context.Background(), `
SELECT l.person_id, arraySort(groupArray(l.record_id))
FROM (SELECT record_id, person_id FROM links FINAL) AS l
JOIN (SELECT record_id, id_number FROM records FINAL) AS r ON r.record_id = l.record_id
GROUP BY l.person_id
HAVING count() = 2 AND uniqExact(r.id_number) = 1 AND length(any(r.id_number)) = 12
ORDER BY l.person_id LIMIT 1`).Scan(&pid, &recs)
	if err != nil {
		t.Fatalf("a person with two records of one number: %v", err)
	}
	return pid, recs
}
