package brokertest

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/internal/broker"
)

// Start starts a broker on a free 127.0.0.1 port with a fresh temporary
// data directory and auto topic creation (6 partitions), and returns its
// address. The broker is closed by t.Cleanup.
func Start(t testing.TB) string {
	t.Helper()
	return StartConfig(t, broker.Config{DataDir: t.TempDir()}).Addr()
}

// StartConfig starts a broker with cfg and closes it with t.Cleanup. An
// empty cfg.Addr means a free 127.0.0.1 port (not the default 9092, which
// a developer's own `dancu broker` may hold).
func StartConfig(t testing.TB, cfg broker.Config) *broker.Broker {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	b, err := broker.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("brokertest: %v", err)
		}
	})
	return b
}
