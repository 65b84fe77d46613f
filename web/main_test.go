package web_test

import (
	"context"
	"net/http"
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

// acceptedOnce counts the answers 200 among statuses of decisions taken
// at once on one conflict, failing the test on any but 200 or 409.
func acceptedOnce(t *testing.T, what string, statuses []int) int {
	t.Helper()
	ok := 0
	for _, st := range statuses {
		switch st {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("%s: a concurrent decision answered %d, want 200 or 409", what, st)
		}
	}
	return ok
}

// atOnce runs f(0) … f(n-1) concurrently, released together, and waits
// for them.
func atOnce(n int, f func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			f(i)
		})
	}
	close(start)
	wg.Wait()
}
