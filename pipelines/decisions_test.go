package pipelines_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// A police decision published on dancu.decisions reaches the registry:
// the two records it says are different people end in two persons, and
// person_events in ClickHouse has the split citing the decision.
func TestDecisionSplitsPerson(t *testing.T) {
	e := newLoadedEnv(t, 150)
	ctx := context.Background()
	var pid string
	var recs []string
	if err := e.conn.QueryRow(ctx, "SELECT person_id, arraySort(groupArray(record_id)) FROM links FINAL GROUP BY person_id HAVING count() = 2 ORDER BY person_id LIMIT 1").Scan(&pid, &recs); err != nil {
		t.Fatalf("a person with two records: %v", err)
	}
	d := schemas.Decision{DecisionID: "dtest1", PersonIDs: []string{pid}, RecordIDs: recs, Decision: schemas.DecisionDifferentPersons,
		User: "reviewer", DecidedAt: time.Now().UTC()}
	v, _ := json.Marshal(d)
	w, err := kafkax.NewWriter(e.brokers, pipelines.TopicDecisions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(d.DecisionID), Value: v}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		if e.count(t, "SELECT count() FROM person_events FINAL WHERE reason = 'decision:dtest1' AND kind = 'split'") == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no split event citing the decision in person_events after a minute")
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.drain(t)
	var persons uint64
	if err := e.conn.QueryRow(ctx, "SELECT uniqExact(person_id) FROM links FINAL WHERE record_id IN ($1, $2)", recs[0], recs[1]).Scan(&persons); err != nil {
		t.Fatal(err)
	}
	if persons != 2 {
		t.Errorf("after different_persons, records %v are in %d persons, want 2", recs, persons)
	}
}
