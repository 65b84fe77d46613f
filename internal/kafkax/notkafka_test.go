package kafkax_test

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/segmentio/kafka-go"
)

// TestWriterToAnHTTPServerSaysSo: a writer pointed at an HTTP server's
// port (a wrong --kafka) fails its write with an error that says what
// answered, and does not allocate what the HTTP reply's first bytes read
// as a Kafka answer announce: "HTTP" as a size is 1.2 GB, and kafka-go
// decoding "HTTP/1.1 400" as an ApiVersions answer made an array of
// 4.5 GiB a dial. Without the bound in redialConn the write fails with
// kafka-go's own error after allocating gigabytes.
func TestWriterToAnHTTPServerSaysSo(t *testing.T) {
	addr := httpServer(t)
	w, err := kafkax.NewWriter([]string{addr}, "not-kafka")
	if err != nil {
		t.Fatal(err)
	}
	w.MaxAttempts = 2
	defer w.Close()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte("v")})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("a write to an HTTP server succeeded")
	}
	if !strings.Contains(err.Error(), "HTTP server, not a Kafka broker") {
		t.Errorf("error %q does not say an HTTP server answered", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 256<<20 {
		t.Errorf("the failed write allocated %d MB", grown>>20)
	}
}

// httpServer starts an HTTP server on a free port and returns its address.
func httpServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// TestClientToAnHTTPServerSaysSo: the admin client a command opens first
// (EnsureTopics: `dancu import --kafka` at an HTTP port) fails at once
// with an error that says an HTTP server answered; before, CreateTopics
// ended on the command's 10 s timeout ("context deadline exceeded") at
// 1 GB of memory.
func TestClientToAnHTTPServerSaysSo(t *testing.T) {
	addr := httpServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	err := kafkax.EnsureTopics(ctx, []string{addr}, map[string]int{"not-kafka": 1})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("topics made at an HTTP server")
	}
	if !strings.Contains(err.Error(), "HTTP server, not a Kafka broker") {
		t.Errorf("error %q does not say an HTTP server answered", err)
	}
	if ctx.Err() != nil {
		t.Errorf("ended on the timeout: %v", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 256<<20 {
		t.Errorf("the failed call allocated %d MB", grown>>20)
	}
}
