package pipelines_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
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
