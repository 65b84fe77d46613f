package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/pipelines"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgressQuietWhileIdle: dancu run logs progress only when a counter
// moved since the last line.
func TestProgressQuietWhileIdle(t *testing.T) {
	var out syncBuffer
	st := new(pipelines.StageStats)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		logProgress(ctx, slog.New(slog.NewTextHandler(&out, nil)), st, 5*time.Millisecond)
		close(done)
	}()
	time.Sleep(60 * time.Millisecond)
	if n := strings.Count(out.String(), "progress"); n != 0 {
		t.Fatalf("%d progress lines while idle, want none:\n%s", n, out.String())
	}
	st.Match.Records.Add(7)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "matched_records=7") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(60 * time.Millisecond)
	cancel()
	<-done
	if n := strings.Count(out.String(), "progress"); n != 1 {
		t.Fatalf("%d progress lines after one change, want 1:\n%s", n, out.String())
	}
}
