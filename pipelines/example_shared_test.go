package pipelines_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
)

// A load member whose insert of deltas failed at its first attempt
// publishes it (ClickHouseSink does, with its Share); the member given
// the partition of its messages reads it and, once the engine took it,
// drops it (a tombstone over each part).
func ExampleKafkaPendingShare() {
	ctx := context.Background()
	b, err := broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	brokers := []string{b.Addr()}
	_ = kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicLoadPending: 1})
	share, err := pipelines.NewKafkaPendingShare(brokers)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer share.Close()
	err = share.Publish(ctx, pipelines.SharedBlock{Token: "record_deltas/3f2a", Body: []byte("the block"), Parts: 1, Written: time.Now(),
		From: pipelines.MessageSpan{Topic: pipelines.TopicMatched, Last: map[int]int64{2: 3}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	blocks, _ := share.Blocks(ctx)
	for _, bl := range blocks {
		fmt.Printf("%s: %q, last offset %d of partition 2\n", bl.Token, bl.Body, bl.From.Last[2])
	}
	_ = share.Done(ctx, "record_deltas/3f2a", 1)
	blocks, _ = share.Blocks(ctx)
	fmt.Println(len(blocks), "left")
	// Output:
	// record_deltas/3f2a: "the block", last offset 3 of partition 2
	// 0 left
}
