package pipelines_test

import (
	"context"
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/segmentio/kafka-go"
)

// StageLags says how many messages each stage's consumer group has yet to
// commit: here two record batches were published and no match stage has
// run yet.
func ExampleStageLags() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	b, err := broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	brokers := []string{b.Addr()}
	_ = kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicRecords: 2, pipelines.TopicMatched: 2, pipelines.TopicRejects: 1, pipelines.TopicDecisions: 1})
	w, _ := kafkax.NewWriter(brokers, pipelines.TopicRecords)
	_ = w.WriteMessages(ctx, kafka.Message{Key: []byte("a"), Value: []byte("batch 1")}, kafka.Message{Key: []byte("b"), Value: []byte("batch 2")})
	w.Close()

	lags, err := pipelines.StageLags(ctx, pipelines.StagesConfig{Brokers: brokers})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range lags {
		fmt.Printf("%-12s %-26s on %-15s %d\n", l.Stage, l.Group, l.Topic, l.Lag)
	}
	// Output:
	// match        dancu-match                on dancu.records   2
	// decisions    dancu-match-decisions      on dancu.decisions 0
	// load         dancu-load                 on dancu.matched   0
	// load-rejects dancu-load-rejects         on dancu.rejects   0
}
