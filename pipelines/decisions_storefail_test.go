package pipelines

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"syscall"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// failedStore is a Decider whose store has failed (a full disk): every
// decision is refused with the StoreFailure the guard returns.
type failedStore struct{ calls int }

func (f *failedStore) Decide(context.Context, schemas.Decision) (LinkResult, error) {
	f.calls++
	return LinkResult{}, &StoreFailure{What: "registry", Err: syscall.ENOSPC}
}

// A decision the registry could not store because its store failed is
// not a decision the registry refused: it stays uncommitted and out of
// the dead letters, and the decisions stage stops with the StoreFailure,
// so that after the restart the decision is applied (rv8: it was sent to
// the dead letters and committed, and so was every later decision, the
// guard refusing them all, while the stage went on).
func TestDecisionsStopOnStoreFailure(t *testing.T) {
	var msgs []kafka.Message
	for i, id := range []string{"d1", "d2"} {
		v, _ := json.Marshal(schemas.Decision{DecisionID: id, Decision: schemas.DecisionDifferentPersons})
		msgs = append(msgs, kafka.Message{Topic: TopicDecisions, Offset: int64(i), Value: v})
	}
	var events []string
	r := &memReader{msgs: msgs, events: &events}
	w, dead := &memWriter{}, &memWriter{}
	dec := &failedStore{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := Decisions(ctx, r, w, dec, dead, slog.New(slog.DiscardHandler))
	var sf *StoreFailure
	if !errors.As(err, &sf) {
		t.Fatalf("Decisions returned %v, want the store's failure", err)
	}
	if len(r.committed) != 0 || len(dead.msgs) != 0 || dec.calls != 1 {
		t.Errorf("after the store failed: committed %v, %d dead letters, %d decisions tried; want none committed, none dead-lettered, 1 tried",
			r.committed, len(dead.msgs), dec.calls)
	}
}
