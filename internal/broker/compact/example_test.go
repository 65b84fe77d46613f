package compact_test

import (
	"context"
	"fmt"
	"os"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/compact"
)

// Three keys written 100 times each to a compacted topic, then a fourth
// once: compacted, the topic holds each key's last message, and the
// first message, whose offset is the log's start.
func ExampleDir() {
	dir, _ := os.MkdirTemp("", "compact-example")
	defer os.RemoveAll(dir)
	b, err := broker.Start(context.Background(), broker.Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := &kafka.Client{Addr: kafka.TCP(b.Addr())}
	_, err = c.CreateTopics(context.Background(), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{Topic: "changelog",
		NumPartitions: 1, ReplicationFactor: -1, ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := &kafka.Writer{Addr: kafka.TCP(b.Addr()), Topic: "changelog", BatchSize: 30, RequiredAcks: kafka.RequireAll}
	var msgs []kafka.Message
	for i := range 300 {
		msgs = append(msgs, kafka.Message{Key: []byte{'a' + byte(i%3)}, Value: fmt.Appendf(nil, "v%d", i)})
	}
	if err := w.WriteMessages(context.Background(), msgs...); err != nil {
		fmt.Println(err)
		return
	}
	// The last batch, left as it is, holds one message.
	if err := w.WriteMessages(context.Background(), kafka.Message{Key: []byte("z"), Value: []byte("last")}); err != nil {
		fmt.Println(err)
		return
	}
	w.Close()
	b.Close()

	res, err := compact.Dir(dir, compact.Options{Tail: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	before, after := res.Messages()
	fmt.Printf("%d messages, then %d\n", before, after)
	// Output: 301 messages, then 5
}
