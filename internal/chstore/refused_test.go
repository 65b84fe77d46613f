package chstore_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/chstore"
)

// TestOpenRefusedSaysWhenTheEngineServes: a refused connection to the
// embedded engine's address says to start it and that one just started
// serves only once it prints "listening" (user23: dancu migrate typed right
// after `dancu clickhouse &` on a new machine, while it fetched libchdb,
// was told to start what was starting).
func TestOpenRefusedSaysWhenTheEngineServes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = chstore.Open(context.Background(), chstore.Config{Addr: addr})
	if err == nil || !strings.Contains(err.Error(), "dancu clickhouse") || !strings.Contains(err.Error(), `prints "listening"`) {
		t.Errorf("open on %s, nothing listening: %v, want it to say to start dancu clickhouse and wait for its listening line", addr, err)
	}
}
