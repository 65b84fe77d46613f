package main

import (
	"context"
	"github.com/dancu-vn/dancu/internal/syncbuf"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/pipelines"
)

// TestHeapOverMemoryLimitSaid: a --memory-limit below what the stages
// hold slowed dancu run eightfold in CPU and nothing said why (user16,
// 32 MiB for a rebuild of 30,826 records). The progress logger now warns,
// once, when the live heap is above the limit.
func TestHeapOverMemoryLimitSaid(t *testing.T) {
	old := debug.SetMemoryLimit(8 << 20)
	defer debug.SetMemoryLimit(old)
	held := make([][]byte, 32)
	for i := range held {
		held[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	var logs syncbuf.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	logProgress(ctx, slog.New(slog.NewTextHandler(&logs, nil)), pipelines.StagesConfig{}, new(pipelines.StageStats), 20*time.Millisecond)
	runtime.KeepAlive(held)
	if n := strings.Count(logs.String(), "the Go heap outgrew the memory limit"); n != 1 {
		t.Errorf("said %d times, want once:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "memory_limit_mib=8") {
		t.Errorf("the warning does not give the limit:\n%s", logs.String())
	}
}
