package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// syncBuffer is a bytes.Buffer the server's goroutines may log to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.b.String()
	s.b.Reset()
	return out
}

// TestAbandonedLoginIsNoServerError: a login whose client went away (its
// request's context canceled, the store's query failing with it) is
// logged at debug level, not as a server error — user24 saw
// `level=ERROR msg="request failed" method=POST path=/login
// err="insert sessions: context canceled"` in dancu serve's log. A
// failure of the store's own (the sessions table gone) still is one.
func TestAbandonedLoginIsNoServerError(t *testing.T) {
	var logs syncBuffer
	env := webtest.Start(t, web.Config{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	env.AddUser(t, "rev", store.RoleReviewer, "79")
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	login := func(ctx context.Context, path string) int {
		var req *http.Request
		if path == "/api/login" {
			req = httptest.NewRequestWithContext(ctx, "POST", path, strings.NewReader(`{"username":"rev","password":"`+webtest.Password+`"}`))
			req.Header.Set("Content-Type", "application/json")
		} else {
			req = httptest.NewRequestWithContext(ctx, "POST", path, strings.NewReader(url.Values{"username": {"rev"}, "password": {webtest.Password}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		env.Server.ServeHTTP(w, req)
		return w.Code
	}
	for _, path := range []string{"/login", "/api/login"} {
		login(gone, path)
		got := logs.take()
		if strings.Contains(got, "level=ERROR") {
			t.Errorf("%s abandoned: logged as an error: %s", path, got)
		}
		if !strings.Contains(got, `level=DEBUG msg="request abandoned by the client" method=POST path=`+path) || !strings.Contains(got, "context canceled") {
			t.Errorf("%s abandoned: log %q, want a debug line saying so", path, got)
		}
	}
	// The store failing under a client that stays is the server's error.
	env.Exec(t, "RENAME TABLE sessions TO sessions_gone")
	for _, path := range []string{"/login", "/api/login"} {
		code := login(context.Background(), path)
		got := logs.take()
		if code != http.StatusInternalServerError || !strings.Contains(got, `level=ERROR msg="request failed" method=POST path=`+path) || !strings.Contains(got, "insert sessions") {
			t.Errorf("%s with the sessions table gone: %d, log %q; want 500 and an error", path, code, got)
		}
	}
}
