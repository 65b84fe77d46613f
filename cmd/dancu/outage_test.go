package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/dancu-vn/dancu/internal/syncbuf"
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRestartOnOutage: dancu run's stages stopped by a refused connection
// (Kafka or ClickHouse away for a while, as in a night's restart of
// either) start again once a broker accepts connections, and Ctrl-C then
// ends dancu run without error; an error that is not an outage, or an
// outage longer than the policy's limit, ends it with that error.
func TestRestartOnOutage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	up := []string{ln.Addr().String()}
	p := outagePolicy{Max: time.Minute, Steady: time.Minute, Wait: time.Millisecond, MaxWait: 5 * time.Millisecond}
	refused := fmt.Errorf("load stage: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})

	var logs syncbuf.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	starts := 0
	err = restartOnOutage(ctx, log, up, p, func(ctx context.Context) error {
		starts++
		if starts < 3 {
			return refused
		}
		cancel() // Ctrl-C
		<-ctx.Done()
		return nil
	})
	if err != nil || starts != 3 {
		t.Fatalf("after two outages: err %v, %d starts; want nil and 3", err, starts)
	}
	if n := strings.Count(logs.String(), "restarting the stages"); n != 2 {
		t.Errorf("%d restarts logged, want 2:\n%s", n, logs.String())
	}

	bad := errors.New("match stage: decode record batch: bad schema")
	starts = 0
	err = restartOnOutage(context.Background(), log, up, p, func(context.Context) error { starts++; return bad })
	if !errors.Is(err, bad) || starts != 1 {
		t.Errorf("an error not an outage: err %v after %d starts, want it at once", err, starts)
	}

	// A full disk under the registry (a syscall.Errno, which is a
	// net.Error too) is no outage: it ends dancu run at once, saying so,
	// instead of "an outage of Kafka or ClickHouse" retried for 30 min.
	full := fmt.Errorf("run stages: open registry: %w", &fs.PathError{Op: "write", Path: "/home/registry/000004.sst", Err: syscall.ENOSPC})
	starts = 0
	var fullLogs syncbuf.Buffer
	err = restartOnOutage(context.Background(), slog.New(slog.NewTextHandler(&fullLogs, nil)), up, p, func(context.Context) error { starts++; return full })
	if !errors.Is(err, syscall.ENOSPC) || starts != 1 || strings.Contains(fullLogs.String(), "outage") {
		t.Errorf("a full disk: err %v after %d starts, want it at once and no outage logged:\n%s", err, starts, fullLogs.String())
	}

	// A broker that never comes back: given up after p.Max.
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := []string{dead.Addr().String()}
	dead.Close()
	short := p
	short.Max = 50 * time.Millisecond
	starts = 0
	err = restartOnOutage(context.Background(), log, down, short, func(context.Context) error { starts++; return refused })
	if !errors.Is(err, syscall.ECONNREFUSED) || starts != 1 {
		t.Errorf("an outage past the limit: err %v after %d starts, want the refusal after 1", err, starts)
	}
}
