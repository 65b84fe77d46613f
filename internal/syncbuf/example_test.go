package syncbuf_test

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/dancu-vn/dancu/internal/syncbuf"
)

func ExampleBuffer() {
	var logs syncbuf.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); log.Info("flushed") }()
	}
	wg.Wait()
	fmt.Println(logs.Count("flushed"))
	fmt.Print(len(logs.Take()) > 0, " ", logs.String() == "")
	// Output:
	// 3
	// true true
}
