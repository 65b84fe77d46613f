package kafkax

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/segmentio/kafka-go"
)

// PartitionLag is a consumer group's position in one partition.
type PartitionLag struct {
	Partition int
	// Committed is the group's committed offset: the next message it will
	// read. -1 when the group has committed nothing in this partition.
	Committed int64
	// End is the offset the next produced message will get.
	End int64
	// Lag is the number of messages the group has yet to commit.
	Lag int64
	// First is the partition's first offset (its log start: the
	// messages before it were deleted, by retention or otherwise).
	// Expired is how many messages were deleted before the group read
	// them: from its committed offset, or from the partition's start when
	// it has committed nothing, up to First.
	First, Expired int64
}

// Lag returns the group's committed offset and lag in every partition of
// topic, in partition order. It reads from the broker and does not join
// the group, so it can watch a running consumer.
//
// Its three requests (the partitions, the group's offsets, the
// partitions' ends) share one client's connections: a client each dialled
// ~5 connections a call, which `dancu demo` makes five times a second
// while it waits for the stages to drain (pipe14).
func Lag(ctx context.Context, brokers []string, group, topic string) ([]PartitionLag, error) {
	if len(brokers) == 0 {
		return nil, fmt.Errorf("read lag of %s on %s: list partitions of %s: %w", group, topic, topic, ErrNoBrokers)
	}
	client, closeClient := NewClient(brokers, 10*time.Second)
	defer closeClient()
	parts, err := partitionsWith(ctx, client, brokers, topic)
	if err != nil {
		return nil, fmt.Errorf("read lag of %s on %s: %w", group, topic, err)
	}

	of, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil {
		return nil, fmt.Errorf("read lag of %s on %s: fetch offsets: %w", group, topic, err)
	}
	committed := map[int]int64{}
	switch {
	case errors.Is(of.Error, kafka.GroupIdNotFound):
		// Kafka answers -1 for a group that never committed; kfake
		// answers GroupIdNotFound. Both mean no commits.
	case of.Error != nil:
		return nil, fmt.Errorf("read lag of %s on %s: fetch offsets: %w", group, topic, of.Error)
	}
	for _, p := range of.Topics[topic] {
		if errors.Is(p.Error, kafka.GroupIdNotFound) {
			continue
		}
		if p.Error != nil {
			return nil, fmt.Errorf("read lag of %s on %s: partition %d: %w", group, topic, p.Partition, p.Error)
		}
		committed[p.Partition] = p.CommittedOffset
	}

	next := make(map[int]int64, len(parts))
	for _, p := range parts {
		next[p] = -1
		if c, ok := committed[p]; ok {
			next[p] = c
		}
	}
	out, err := lagFromWith(ctx, client, topic, next)
	if err != nil {
		return nil, fmt.Errorf("read lag of %s on %s: %w", group, topic, err)
	}
	return out, nil
}

// LagFrom returns the lag of a reader that keeps its own positions (a
// score instance keeps the offset it read last in its store, in no
// consumer group): next maps each partition of topic it reads to the
// offset of the next message it will read, -1 for the start of the
// partition. Committed in the result is that position. A position past
// the end (a topic recreated) counts as no lag.
func LagFrom(ctx context.Context, brokers []string, topic string, next map[int]int64) ([]PartitionLag, error) {
	if len(next) == 0 {
		return nil, nil
	}
	client, closeClient := NewClient(brokers, 10*time.Second)
	defer closeClient()
	return lagFromWith(ctx, client, topic, next)
}

// lagFromWith is LagFrom through client.
func lagFromWith(ctx context.Context, client *kafka.Client, topic string, next map[int]int64) ([]PartitionLag, error) {
	if len(next) == 0 {
		return nil, nil
	}
	reqs := make([]kafka.OffsetRequest, 0, 2*len(next))
	for p := range next {
		reqs = append(reqs, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
	}
	lo, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("list offsets: %w", err)
	}
	out := make([]PartitionLag, 0, len(next))
	for _, p := range lo.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("partition %d: %w", p.Partition, p.Error)
		}
		c, ok := next[p.Partition]
		if !ok {
			continue
		}
		l := PartitionLag{Partition: p.Partition, Committed: c, End: p.LastOffset, First: p.FirstOffset}
		if c >= 0 {
			l.Lag = max(p.LastOffset-c, 0)
			l.Expired = max(min(p.FirstOffset, p.LastOffset)-c, 0)
		} else {
			l.Lag = p.LastOffset - p.FirstOffset
			l.Expired = p.FirstOffset
		}
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	return out, nil
}
