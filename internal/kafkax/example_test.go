package kafkax_test

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

// A producer and a consumer-group member with explicit commits, against
// the embedded broker.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	brokers := []string{b.Addr()}

	if err := kafkax.EnsureTopics(ctx, brokers, kafkax.FlowTopics(3)); err != nil {
		fmt.Println(err)
		return
	}
	w, _ := kafkax.NewWriter(brokers, kafkax.TopicRecords)
	defer w.Close()
	err = w.WriteMessages(ctx, kafka.Message{Key: []byte("001090012345"), Value: []byte("batch 1")})
	if err != nil {
		fmt.Println(err)
		return
	}

	r, _ := kafkax.NewReader(brokers, "match", kafkax.TopicRecords)
	defer r.Close()
	m, err := r.FetchMessage(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	// ... hand m to the sink; once it has the rows:
	if err := r.CommitMessages(ctx, m); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n", m.Value)

	lag, _ := kafkax.Lag(ctx, brokers, "match", kafkax.TopicRecords)
	var behind int64
	for _, l := range lag {
		behind += l.Lag
	}
	fmt.Println("lag:", behind)
	// Output:
	// batch 1
	// lag: 0
}
