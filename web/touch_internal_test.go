package web

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/web/store"
)

// TestTouchRevivesNoExpiredSession: a request that found its session
// live a moment before its idle timeout, and moved it on only after the
// timeout (the browser's own favicon request, read just before a test's
// clock jumped 11 minutes and touched after), wrote a new expiry from the
// later time and so brought the session back: the next page, which had to
// find it expired, found it live (ui1). A touch past the expiry now
// leaves the session as it is, and the next request finds it expired;
// one before the expiry still moves it on.
func TestTouchRevivesNoExpiredSession(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var off time.Duration
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(off) }
	advance := func(d time.Duration) { mu.Lock(); off += d; mu.Unlock() }
	st := store.New(conn, now)
	s, err := New(Config{Store: st, SessionTTL: time.Hour, SessionIdle: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/conflicts", nil)

	tok, _, err := st.NewSession(ctx, "rev", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	se, err := st.Session(ctx, tok)
	if err != nil {
		t.Fatalf("a new session: %v", err)
	}
	advance(11 * time.Minute) // between the request's read and its touch
	s.touch(req, se)
	if _, err := st.Session(ctx, tok); !errors.Is(err, store.ErrExpired) {
		t.Errorf("the session after a touch past its expiry: %v, want it expired", err)
	}

	// Before the expiry, a touch still moves the session on.
	tok, _, err = st.NewSession(ctx, "rev", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	se, _ = st.Session(ctx, tok)
	advance(5 * time.Minute)
	s.touch(req, se)
	advance(6 * time.Minute)
	if _, err := st.Session(ctx, tok); err != nil {
		t.Errorf("a session moved on at 5 of its 10 idle minutes, 6 minutes later: %v, want it live", err)
	}
}
