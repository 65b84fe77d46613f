package kafkax

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// MaxMessageBytes is about the largest message NewWriter's writers send:
// the default max.message.bytes of Kafka and of the embedded broker, of
// which a message may take all but 1 KiB (writerBatchBytes). A larger
// message fails with kafka.MessageTooLargeError. An Arrow batch of 1,000
// canonical records is about 220 KB, so keep record batches to a few
// thousand rows.
const MaxMessageBytes = 1 << 20

// Writer batching: up to 100 messages and writerBatchBytes per produce
// request, waiting at most 5 ms for more before it is sent. A synchronous
// WriteMessages call with fewer messages waits that long, so callers should
// hand it all the batches they have at once.
const (
	writerBatchSize    = 100
	writerBatchTimeout = 5 * time.Millisecond
	// writerBatchBytes bounds a batch by kafka-go's estimate of its
	// messages (about 24 bytes of framing each besides key, value and
	// headers), which leaves out the record batch's own 61-byte header;
	// the broker's max.message.bytes (1,048,588 by default, Kafka's and
	// the embedded broker's) counts the batch as written. Batches filled
	// to within a few dozen bytes of MaxMessageBytes by that estimate
	// went over it and failed whole ("Message Size Too Large"): a 1M
	// demo's match stage lost its write of 44 messages that way
	// (TestBatchWithinBrokerLimit). A single message is still refused
	// above this, by kafka-go, with kafka.MessageTooLargeError.
	writerBatchBytes = MaxMessageBytes - 1<<10
)

// PartitionOf returns the partition, among partitions (0..partitions-1),
// that NewWriter's writers send a message with key to. Ingest uses it to
// group records into one Arrow batch per partition, so that records with
// the same key still meet in the same partition when batched.
func PartitionOf(key []byte, partitions int) int {
	if partitions < 1 {
		return 0
	}
	ids := make([]int, partitions)
	for i := range ids {
		ids[i] = i
	}
	return balancer.Balance(kafka.Message{Key: key}, ids...)
}

// balancer is murmur2 of the key, like Kafka's Java client; Consistent
// sends messages without a key to partition murmur2(nil) instead of a
// random one, so PartitionOf is a function.
var balancer = kafka.Murmur2Balancer{Consistent: true}

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
		Balancer:               balancer,
		RequiredAcks:           kafka.RequireAll,
		Compression:            kafka.Zstd,
		BatchSize:              writerBatchSize,
		BatchBytes:             writerBatchBytes,
		BatchTimeout:           writerBatchTimeout,
		MaxAttempts:            10,
		WriteBackoffMin:        100 * time.Millisecond,
		WriteBackoffMax:        2 * time.Second,
		AllowAutoTopicCreation: true,
		Transport:              topicTransport(topic, brokers),
	}, nil
}

// topicTransports holds the transport of each topic's writers, and the
// brokers NewWriter was last asked for.
var topicTransports struct {
	mu      sync.Mutex
	brokers string                      // the last NewWriter's, joined
	byTopic map[string]*kafka.Transport // topic → its transport
}

// topicTransport returns the transport NewWriter's writers to topic at
// brokers share; the writers of other topics have theirs.
//
// kafka-go's default transport, which a Writer without one takes, keeps
// every writer's idle connections by broker address, and a write takes
// whichever is on top. After the broker restarted at its address each of
// them is the old broker's and fails the next request on it ("unexpected
// EOF"), one write attempt each, with its back-off: in one pool a writer
// to one partition (the registry's changelog) went through the idle
// connections of a writer to twelve (the match stage's output, six) and
// failed all its 10 attempts, 13 s (TestWritersAfterBrokerRestart). With a
// pool per topic a writer meets only its own topic's idle connections,
// at most one per partition it wrote at once. One transport per topic
// (a few, for the process's life), not per writer: a transport's
// goroutines end only with CloseIdleConnections, which a Writer's Close
// does not call.
//
// A transport keeps a pool for each set of brokers it was asked to
// reach, and each pool a goroutine that asks its brokers for metadata
// every few seconds, for the process's life. When NewWriter is asked for
// other brokers than the last time (another cluster: in a process of
// tests, the next test's broker), the pools of every topic's transport
// are closed (a write in flight finishes first; a writer still writing to
// the old brokers opens a new pool at its next request). Before, a test
// process kept every earlier test's pools dialling dead brokers; when one
// of their ports was taken by a later test's HTTP server, kafka-go read
// its "HTTP/1.1 400 …" as the answer to ApiVersions and allocated and
// filled an array of 808,460,354 entries ("00 B"), 4.5 GiB, at each dial:
// `go test ./pipelines` grew past 3.5 GB (main and pipe14 alike), once to
// 23.8 GB (pipe15, TestTransportsOfOtherBrokersClosed).
func topicTransport(topic string, brokers []string) *kafka.Transport {
	tt := &topicTransports
	key := strings.Join(brokers, ",")
	tt.mu.Lock()
	defer tt.mu.Unlock()
	if key != tt.brokers {
		for _, t := range tt.byTopic {
			t.CloseIdleConnections()
		}
		tt.brokers = key
	}
	if t, ok := tt.byTopic[topic]; ok {
		return t
	}
	if tt.byTopic == nil {
		tt.byTopic = map[string]*kafka.Transport{}
	}
	t := &kafka.Transport{
		// As kafka.DefaultTransport's, but its connections dial again
		// when found closed by the broker (redialing).
		Dial: redialing(bounded((&net.Dialer{Timeout: redialTimeout}).DialContext)),
	}
	tt.byTopic[topic] = t
	return t
}

// NewPartitionWriter is NewWriter whose messages go to the partition
// their Partition field names (the caller routes them).
func NewPartitionWriter(brokers []string, topic string) (*kafka.Writer, error) {
	w, err := NewWriter(brokers, topic)
	if err != nil {
		return nil, err
	}
	w.Balancer = kafka.BalancerFunc(func(m kafka.Message, partitions ...int) int { return m.Partition })
	return w, nil
}
