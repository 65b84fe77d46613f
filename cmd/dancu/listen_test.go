package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/pipelines"
)

// busyAddr returns an address another listener holds for the test.
func busyAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

// TestServeSaysAddressInUse: a second dancu serve on the same address says
// another process listens there and names --listen, before it opens
// ClickHouse (user23: it said only "bind: address already in use", after
// the migrations).
func TestServeSaysAddressInUse(t *testing.T) {
	addr := busyAddr(t)
	var out bytes.Buffer
	root := newRootCmd(strings.NewReader(""), &out, &out)
	root.SetArgs([]string{"serve", "--listen", addr, "--clickhouse", "http://127.0.0.1:1"})
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "another process listens on "+addr) || !strings.Contains(err.Error(), "--listen") {
		t.Errorf("serve on a busy address: %v, want it to say another process listens there and name --listen", err)
	}
}

// TestMetricsSaysAddressInUse: dancu run --metrics on an address in use
// names the flag that moves it.
func TestMetricsSaysAddressInUse(t *testing.T) {
	addr := busyAddr(t)
	_, err := serveMetrics(context.Background(), addr, pipelines.StagesConfig{Match: true}, &pipelines.StageStats{})
	if err == nil || !strings.Contains(err.Error(), "another process listens on "+addr) || !strings.Contains(err.Error(), "--metrics") {
		t.Errorf("metrics on a busy address: %v, want it to say another process listens there and name --metrics", err)
	}
}

// TestUsersAddWithoutPasswordSaysHow: users add with nothing on standard
// input says how to give the password (user23: it said "read password
// from standard input: EOF").
func TestUsersAddWithoutPasswordSaysHow(t *testing.T) {
	var out bytes.Buffer
	root := newRootCmd(strings.NewReader(""), &out, &out)
	root.SetArgs([]string{"users", "add", "analyst1", "--role", "analyst", "--clickhouse", "http://127.0.0.1:1"})
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "no password on standard input") || !strings.Contains(err.Error(), "echo") {
		t.Errorf("users add without a password: %v, want it to say how to give one", err)
	}
}
