package kafkax_test

import (
	"context"
	"net"
	"testing"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

// TestBrokerRestartedAtSameAddress: a broker restarted at the address it
// had (dancu broker after a kill, as the chaos harness does). kafka-go's
// default transport keeps the connections of every kafka.Client by
// address, and the next request on one of the old broker's answered
// "unexpected EOF": `dancu run`'s restart of its stages failed on "open
// registry: ensure topics: CreateTopics: unexpected EOF" three times
// running, 24 s, after the broker's second restart in a chaos run
// (`dancu chaos --runs 10 --seed 101`, run 4: a stall). The admin calls now
// use connections of their own, closed when they return.
func TestBrokerRestartedAtSameAddress(t *testing.T) {
	addr := freeAddr(t)
	dir := t.TempDir()
	ctx := context.Background()
	topics := map[string]int{kafkax.TopicRegistryChangelog: 1, "restart-test": 2}
	calls := func(when string) {
		t.Helper()
		if err := kafkax.EnsureTopics(ctx, []string{addr}, topics); err != nil {
			t.Errorf("%s: %v", when, err)
		}
		if _, err := kafkax.Lag(ctx, []string{addr}, "restart-group", "restart-test"); err != nil {
			t.Errorf("%s: %v", when, err)
		}
		if _, err := kafkax.LagFrom(ctx, []string{addr}, "restart-test", map[int]int64{0: -1}); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
	for i := 0; i < 3; i++ {
		b, err := broker.Start(ctx, broker.Config{Addr: addr, DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		calls([]string{"first start", "first restart", "second restart"}[i])
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// freeAddr returns a local address no one listens on, for a broker to be
// started (and started again) at.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
