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
	return NewReaderDialer(brokers, group, topic, nil)
}

// NewReaderDialer is NewReader with the reader's connections made by d
// (nil: kafka-go's default dialer). The tests stall a member's group and
// fetch connections through it, as a stalled process would.
func NewReaderDialer(brokers []string, group, topic string, d *kafka.Dialer) (*kafka.Reader, error) {
	if err := addrs(brokers); err != nil {
		return nil, fmt.Errorf("new reader: %w", err)
	}
	if group == "" {
		return nil, fmt.Errorf("new reader of %s: empty consumer group", topic)
	}
	if topic == "" {
		return nil, fmt.Errorf("new reader for group %s: empty topic", group)
	}
	const session, rebalance = 10 * time.Second, 10 * time.Second
	cfg := kafka.ReaderConfig{
		Brokers:           brokers,
		Dialer:            d,
		GroupID:           group,
		Topic:             topic,
		CommitInterval:    0, // synchronous, explicit commits only
		StartOffset:       kafka.FirstOffset,
		MinBytes:          1,
		MaxBytes:          16 << 20,
		MaxWait:           readerMaxWait,
		HeartbeatInterval: time.Second,
		SessionTimeout:    session,
		RebalanceTimeout:  rebalance,
		JoinGroupBackoff:  500 * time.Millisecond,
		ReadLagInterval:   -1, // Lag reports per-partition lag on demand
		MaxAttempts:       5,
		// Follows the generations: which partitions are the reader's
		// (OwnershipOf; the load stage's fence before its inserts of
		// coverage deltas, and its lease: Ownership.Held).
		Logger: NewOwnership(brokers, group, session, rebalance),
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new reader of %s for group %s: %w", topic, group, err)
	}
	return kafka.NewReader(cfg), nil
}

// readerMaxWait is how long a fetch of NewReader's readers waits on a
// partition with nothing new: the broker answers as soon as a message
// comes (MinBytes 1), so it sets how often an idle partition is asked
// again, not how soon a message is read. kafka-go gives the broker a
// quarter of it less than the connection's read deadline; when the
// answer comes later than that (a busy embedded broker: 62 ms at 250 ms)
// the read fails with an i/o timeout and the reader closes the connection
// and dials, looks the partition up and seeks again. At 250 ms a 3,000-person
// `dancu demo` at load ~30 read 114 such timeouts and dialled 282 reader
// connections, from ~935 empty fetches (pipe14). At 1 s the margin is
// 250 ms and an idle partition is asked a quarter as often; a reader's
// Close, and a rebalance, wait for its fetches in flight: up to 1 s.
const readerMaxWait = time.Second
