package kafkax

import (
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// Writer batching. An Arrow batch of ~1,000 records is one message of a
// few hundred KB, so a batch holds up to 100 messages and 1 MiB (the
// default max message size of Kafka and the embedded broker), and waits
// at most 20 ms for more before it is sent.
const (
	writerBatchSize    = 100
	writerBatchBytes   = 1 << 20
	writerBatchTimeout = 20 * time.Millisecond
)

// NewWriter returns a synchronous writer to topic: WriteMessages returns
// once every in-sync replica has the messages (RequiredAcks: RequireAll),
// or with kafka.WriteErrors naming the messages that failed. Messages are
// zstd-compressed and go to the partition chosen by murmur2 of their key,
// the partitioner of Kafka's Java client, so records with the same key
// land in the same partition whichever client produced them.
//
// kafka-go's writer has no idempotent mode: a retried batch can be written
// twice, so consumers must write to idempotent sinks (dancu's ClickHouse
// tables are keyed by deterministic ids).
func NewWriter(brokers []string, topic string) (*kafka.Writer, error) {
	if err := addrs(brokers); err != nil {
		return nil, fmt.Errorf("new writer: %w", err)
	}
	if topic == "" {
		return nil, fmt.Errorf("new writer: empty topic")
	}
	return &kafka.Writer{
		Addr:                   kafka.TCP(brokers...),
		Topic:                  topic,
		Balancer:               &kafka.Murmur2Balancer{},
		RequiredAcks:           kafka.RequireAll,
		Compression:            kafka.Zstd,
		BatchSize:              writerBatchSize,
		BatchBytes:             writerBatchBytes,
		BatchTimeout:           writerBatchTimeout,
		MaxAttempts:            10,
		WriteBackoffMin:        100 * time.Millisecond,
		WriteBackoffMax:        2 * time.Second,
		AllowAutoTopicCreation: true,
	}, nil
}
