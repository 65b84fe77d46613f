package pipelines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// A record batch the match stage cannot decode reaches dancu.dead, is
// counted in the stage counters, and is listed with where it came from.
func TestMatchDeadLettersCounted(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := new(pipelines.StageStats)
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- pipelines.RunStages(sctx, e.cfg, st) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("stages: %v", err)
		}
	}()
	w, err := kafkax.NewWriter(e.brokers, pipelines.TopicRecords)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte("not an arrow batch")}); err != nil {
		t.Fatal(err)
	}
	for st.MatchDead.Load() == 0 && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	if st.MatchDead.Load() != 1 || st.DeadLetters() != 1 {
		t.Fatalf("match dead letters %d, all %d; want 1 and 1", st.MatchDead.Load(), st.DeadLetters())
	}
	dead, err := pipelines.ReadDeadLetters(ctx, e.brokers)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].SourceTopic() != pipelines.TopicRecords || dead[0].Rows != -1 || !strings.Contains(dead[0].Error, "decode") {
		t.Errorf("dead letters %+v: want the undecodable batch from %s", dead, pipelines.TopicRecords)
	}
}

// A withdrawal the match stage sent to the dead letters goes back, when
// replayed, to the partition of dancu.records it came from (where import
// put it, after its records), not to the partition of its key.
func TestReplayWithdrawalToItsPartition(t *testing.T) {
	addr := brokertest.Start(t)
	brokers := []string{addr}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	parts, err := pipelines.RecordsPartitions(ctx, brokers)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 2 {
		t.Fatalf("%d partitions of %s", len(parts), pipelines.TopicRecords)
	}
	ids := []string{"r1", "r2"}
	wd := schemas.Withdrawal{WithdrawalID: pipelines.WithdrawalID("bnew", "bold", ids), Batch: "bnew", Replaces: "bold", RecordIDs: ids, User: "u", At: time.Now().UTC()}
	value, err := json.Marshal(wd)
	if err != nil {
		t.Fatal(err)
	}
	byKey := kafkax.PartitionOf([]byte(wd.WithdrawalID), len(parts))
	from := parts[(slices.Index(parts, byKey)+1)%len(parts)]
	w, err := kafkax.NewWriter(brokers, pipelines.TopicDead)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(wd.WithdrawalID), Value: value, Headers: []kafka.Header{
		{Key: pipelines.HeaderKind, Value: []byte(pipelines.KindWithdrawal)},
		{Key: pipelines.HeaderError, Value: []byte("this match stage's linker cannot withdraw records")},
		{Key: pipelines.HeaderSource, Value: []byte(fmt.Sprintf("%s/%d@%d", pipelines.TopicRecords, from, 5))},
	}}); err != nil {
		t.Fatal(err)
	}
	rs, err := pipelines.ReplayDeadLetters(ctx, brokers, false)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Replayed[pipelines.TopicRecords] != 1 {
		t.Fatalf("replayed %v", rs.Replayed)
	}
	lags, err := kafkax.Lag(ctx, brokers, "wd4-none", pipelines.TopicRecords)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lags {
		want := int64(0)
		if l.Partition == from {
			want = 1
		}
		if l.End != want {
			t.Errorf("partition %d of %s holds %d messages, want %d (the withdrawal came from %d; its key's partition is %d)", l.Partition, pipelines.TopicRecords, l.End, want, from, byKey)
		}
	}
}
