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

// An intent: published before its insert is sent, it names the messages
// the block is made of, not the rows; a later publish of the same member
// drops it once the engine took the insert (SharedBlock.Done).
func ExampleSharedBlock_intent() {
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
	from := pipelines.MessageSpan{Topic: pipelines.TopicMatched, Last: map[int]int64{0: 9, 1: 4},
		Deltas: []pipelines.MessageRef{{Partition: 0, Offset: 7}, {Partition: 0, Offset: 8}, {Partition: 1, Offset: 4}, {Partition: 0, Offset: 9}}}
	_ = share.Publish(ctx, pipelines.SharedBlock{Token: "coverage_deltas/a1", Intent: true, Parts: 1, Written: time.Now(), From: from})
	blocks, _ := share.Blocks(ctx)
	for _, bl := range blocks {
		fmt.Println(bl.Token, "intent:", bl.Intent, "messages:", bl.From.Deltas)
	}
	// The engine took it; the member's next insert's intent drops it.
	_ = share.Publish(ctx, pipelines.SharedBlock{Token: "coverage_deltas/b2", Intent: true, Parts: 1, Written: time.Now(),
		From: pipelines.MessageSpan{Topic: pipelines.TopicMatched, Last: map[int]int64{0: 10}, Deltas: []pipelines.MessageRef{{Partition: 0, Offset: 10}}},
		Done: []string{"coverage_deltas/a1"}})
	blocks, _ = share.Blocks(ctx)
	for _, bl := range blocks {
		fmt.Println(bl.Token, "intent:", bl.Intent, "messages:", bl.From.Deltas)
	}
	// Output:
	// coverage_deltas/a1 intent: true messages: [{0 7} {0 8} {1 4} {0 9}]
	// coverage_deltas/b2 intent: true messages: [{0 10}]
}

// The share's low-water mark: a read of the share commits, as the offset
// of the group pipelines.LowMarkGroup, the first message of a block still
// needed, and the next read starts there. Blocks done (a tombstone read)
// or whose messages their load group (Groups) committed are passed.
func ExampleKafkaPendingShare_lowMark() {
	ctx := context.Background()
	b, err := broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	brokers := []string{b.Addr()}
	_ = kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicLoadPending: 1})
	member := func() *pipelines.KafkaPendingShare {
		s, _ := pipelines.NewKafkaPendingShare(brokers)
		s.Groups = map[string]string{pipelines.TopicMatched: "dancu-load"}
		return s
	}
	publisher := member()
	defer publisher.Close()
	prev := ""
	for i := range 100 { // 100 flushes, each intent dropped with the next
		bl := pipelines.SharedBlock{Token: fmt.Sprintf("coverage_deltas/%03d", i), Intent: true, Parts: 1, Written: time.Now(),
			From: pipelines.MessageSpan{Topic: pipelines.TopicMatched, Last: map[int]int64{0: int64(i)},
				Deltas: []pipelines.MessageRef{{Partition: 0, Offset: int64(i)}}}}
		if prev != "" {
			bl.Done = []string{prev}
		}
		if err := publisher.Publish(ctx, bl); err != nil {
			fmt.Println(err)
			return
		}
		prev = bl.Token
	}
	for range 2 {
		m := member()
		blocks, _ := m.Blocks(ctx)
		fmt.Printf("%d messages read, %d block not done: %s\n", m.MessagesRead.Load(), len(blocks), blocks[0].Token)
		m.Close()
	}
	// Output:
	// 199 messages read, 1 block not done: coverage_deltas/099
	// 1 messages read, 1 block not done: coverage_deltas/099
}
