package web_test

import (
	"context"
	"github.com/dancu-vn/dancu/internal/syncbuf"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestAbandonedLoginIsNoServerError: a login whose client went away (its
// request's context canceled, the store's query failing with it) is
// logged at debug level, not as a server error — user24 saw
// `level=ERROR msg="request failed" method=POST path=/login
// err="insert sessions: context canceled"` in dancu serve's log. A
// failure of the store's own (the sessions table gone) still is one.
func TestAbandonedLoginIsNoServerError(t *testing.T) {
	var logs syncbuf.Buffer
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
		got := logs.Take()
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
		got := logs.Take()
		if code != http.StatusInternalServerError || !strings.Contains(got, `level=ERROR msg="request failed" method=POST path=`+path) || !strings.Contains(got, "insert sessions") {
			t.Errorf("%s with the sessions table gone: %d, log %q; want 500 and an error", path, code, got)
		}
	}
}
