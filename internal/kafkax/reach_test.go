package kafkax

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// closedAddr returns an address nothing listens on (a port just freed).
func closedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestReachable(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	down := closedAddr(t)
	if err := Reachable(ctx, []string{down, l.Addr().String()}, 0); err != nil {
		t.Errorf("one broker listening: %v", err)
	}
	err = Reachable(ctx, []string{down}, 0)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("nothing listening: %v, want ErrUnreachable", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, down) || !strings.Contains(msg, "dancu broker") || strings.Contains(msg, "\n") {
		t.Errorf("message %q: want one line naming %s and `dancu broker`", msg, down)
	}
	// EnsureTopics says the same, not kafka-go's "Broker Not Available".
	if err := EnsureTopics(ctx, []string{down}, FlowTopics(1)); !errors.Is(err, ErrUnreachable) {
		t.Errorf("EnsureTopics with nothing listening: %v", err)
	}
}

func ExampleReachable() {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	fmt.Println(Reachable(context.Background(), []string{addr}, 0) == nil)
	l.Close()
	err := Reachable(context.Background(), []string{addr}, 0)
	fmt.Println(errors.Is(err, ErrUnreachable), strings.Contains(err.Error(), "start the embedded broker with `dancu broker`"))
	// Output:
	// true
	// true true
}
