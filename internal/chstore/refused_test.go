package chstore_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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

// TestOpenNativeSaysWhichPort: a server's address (host:port, the native
// protocol) where nothing listens, or where the HTTP interface answers,
// says which port the native protocol wants and how to name the HTTP one
// (user30: host:8123, the HTTP port of the README, waited 10 s and said
// only "handshake: … i/o timeout").
func TestOpenNativeSaysWhichPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	_, err = chstore.Open(context.Background(), chstore.Config{Addr: refused, Native: true, DialTimeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), "nothing listens there") || !strings.Contains(err.Error(), "http://host:port") {
		t.Errorf("native open on %s, nothing listening: %v, want it to name the native port and the http:// form", refused, err)
	}

	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not ClickHouse's native protocol", http.StatusBadRequest)
	}))
	defer web.Close()
	addr := strings.TrimPrefix(web.URL, "http://")
	_, err = chstore.Open(context.Background(), chstore.Config{Addr: addr, Native: true, DialTimeout: time.Second, ReadTimeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), "native protocol") || !strings.Contains(err.Error(), "http://"+addr) {
		t.Errorf("native open on an HTTP server %s: %v, want it to say the address is not the native protocol and to write http://%s", addr, err, addr)
	}
}
