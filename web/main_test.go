package web_test

import (
	"context"
	"sync"
	"testing"

	"github.com/dancu-vn/dancu/schemas"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }

// recordingPublisher keeps what the server publishes.
type recordingPublisher struct {
	mu  sync.Mutex
	got []schemas.Decision
}

func (p *recordingPublisher) PublishDecision(_ context.Context, d schemas.Decision) error {
	p.mu.Lock()
	p.got = append(p.got, d)
	p.mu.Unlock()
	return nil
}
