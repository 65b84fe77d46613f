package kafkax

import (
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// NewReader returns a consumer-group reader of topic for group. Offsets
// are committed only when the caller says so: read with FetchMessage,
// write the rows to the sink, then CommitMessages (CommitInterval is 0,
// so the commit is synchronous and returns its error). ReadMessage, which
// commits before the caller has handled the message, must not be used.
//
// A group with no committed offset starts at the first message, so nothing
// produced before the first consumer joined is skipped.
//
// Unlike kafka.NewReader, which panics on a bad configuration, NewReader
// returns an error.
func NewReader(brokers []string, group, topic string) (*kafka.Reader, error) {
	if err := addrs(brokers); err != nil {
		return nil, fmt.Errorf("new reader: %w", err)
	}
	if group == "" {
		return nil, fmt.Errorf("new reader of %s: empty consumer group", topic)
	}
	if topic == "" {
		return nil, fmt.Errorf("new reader for group %s: empty topic", group)
	}
	cfg := kafka.ReaderConfig{
		Brokers:           brokers,
		GroupID:           group,
		Topic:             topic,
		CommitInterval:    0, // synchronous, explicit commits only
		StartOffset:       kafka.FirstOffset,
		MinBytes:          1,
		MaxBytes:          16 << 20,
		MaxWait:           250 * time.Millisecond,
		HeartbeatInterval: time.Second,
		SessionTimeout:    10 * time.Second,
		RebalanceTimeout:  10 * time.Second,
		JoinGroupBackoff:  500 * time.Millisecond,
		ReadLagInterval:   -1, // Lag reports per-partition lag on demand
		MaxAttempts:       5,
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new reader of %s for group %s: %w", topic, group, err)
	}
	return kafka.NewReader(cfg), nil
}
