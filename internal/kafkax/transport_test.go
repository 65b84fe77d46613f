package kafkax_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/segmentio/kafka-go"
)

// poolGoroutines counts kafka-go's connection pools alive in the process:
// each has one goroutine asking its brokers for metadata (discover) until
// it is closed.
func poolGoroutines() int {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "kafka-go.(*connPool).discover(")
}

// TestTransportsOfOtherBrokersClosed: NewWriter's writers share a
// transport per topic for the process's life, and a transport keeps a
// pool of connections, with a goroutine dialling its brokers every few
// seconds, for each set of brokers it was asked to reach. Writers to
// another set of brokers (another cluster; in a test process, the next
// test's broker) close the pools of the sets before, which otherwise went
// on dialling dead brokers — and, once a port was taken by a later test's
// HTTP server, read its "HTTP/1.1 400" as an answer to ApiVersions with an
// array of 808 million entries, 4.5 GiB a dial (`go test ./pipelines` at
// 3.5–23.8 GB). A writer to the old brokers still writes: it opens a pool
// again.
func TestTransportsOfOtherBrokersClosed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, b := brokertest.Start(t), brokertest.Start(t)
	base := poolGoroutines()
	const topic = "transport-pools"
	sets := [][]string{{a}, {b}, {a, b}, {b, a}}
	var writers []*kafka.Writer
	for i, brokers := range sets {
		w, err := kafkax.NewWriter(brokers, topic)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte{byte(i)}}); err != nil {
			t.Fatalf("write to %v: %v", brokers, err)
		}
		writers = append(writers, w)
	}
	// The pools of the first three sets close (their goroutines end soon
	// after): one pool is left, the last set's.
	waitPools := func(most int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for n := poolGoroutines() - base; n > most; n = poolGoroutines() - base {
			if time.Now().After(deadline) {
				t.Fatalf("%d connection pools alive after writers to %d sets of brokers, want at most %d", n, len(sets), most)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitPools(1)
	// The first writer, to the first broker alone, still writes.
	if err := writers[0].WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte("again")}); err != nil {
		t.Fatalf("write to %v after its pool was closed: %v", sets[0], err)
	}
	waitPools(2)
}
