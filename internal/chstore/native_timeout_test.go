package chstore

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestInsertNativeAnswerTimeout: a server that takes the insert and never
// answers (an engine stopped, not killed: the connection stays open) fails
// the insert after ReadTimeout, as clickhouse-go's connections do, rather
// than holding the load stage for ever.
func TestInsertNativeAnswerTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := Config{Addr: strings.TrimPrefix(srv.URL, "http://"), ReadTimeout: 300 * time.Millisecond}.withDefaults()
	h := newHTTPConn(nil, c)
	defer h.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	err := h.InsertNative(ctx, "INSERT INTO t (x)", []byte{1, 0})
	took := time.Since(start)
	if err == nil {
		t.Fatal("an insert the server never answered succeeded")
	}
	if ctx.Err() != nil || took > 5*time.Second {
		t.Fatalf("the insert waited %v for an answer (ReadTimeout 300ms): %v", took.Round(time.Millisecond), err)
	}
}

// TestReadTimeoutDefault: the default is clickhouse-go's (300 s), for
// both of a connection's paths.
func TestReadTimeoutDefault(t *testing.T) {
	c := Config{}.withDefaults()
	if c.ReadTimeout != 300*time.Second {
		t.Errorf("ReadTimeout defaults to %v, want 5m0s", c.ReadTimeout)
	}
	h := newHTTPConn(nil, c)
	if got := h.client.Transport.(*http.Transport).ResponseHeaderTimeout; got != c.ReadTimeout {
		t.Errorf("the Native inserts wait %v for an answer, want %v", got, c.ReadTimeout)
	}
	if err := (Config{ReadTimeout: -time.Second}).Validate(); err == nil {
		t.Error("a negative ReadTimeout validated")
	}
}

// TestInsertNativeUnreadBodyTimeout: a server that takes the connection
// but reads nothing (an engine stopped mid-insert) holds a large insert in
// its write once the sockets' buffers are full, before any answer is
// awaited: ResponseHeaderTimeout starts only after the body is sent. Each
// write must end within ReadTimeout too, as on clickhouse-go's
// connections, which set the deadline on every read and write.
func TestInsertNativeUnreadBodyTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // open, never read
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	}()
	c := Config{Addr: ln.Addr().String(), ReadTimeout: 300 * time.Millisecond}.withDefaults()
	h := newHTTPConn(nil, c)
	defer h.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	err = h.InsertNative(ctx, "INSERT INTO t (x)", make([]byte, 64<<20))
	took := time.Since(start)
	if err == nil {
		t.Fatal("an insert the server never read succeeded")
	}
	if ctx.Err() != nil || took > 5*time.Second {
		t.Fatalf("the insert waited %v on a server that reads nothing (ReadTimeout 300ms): %v", took.Round(time.Millisecond), err)
	}
}
