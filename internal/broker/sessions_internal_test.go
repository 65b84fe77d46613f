package broker

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestSweepKeepsJoinerNotListedYet: the request hooks run before kfake
// handles the request, and the sweep reads GroupInfo before it takes its
// lock, so the sweep can look at a group that does not list a member
// whose JoinGroup it has just heard. It forgot that member, and its
// session timeout with it: when kfake listed the member, the sweep took
// 45 s for it (rv8). What was heard recently is now kept; what was not
// heard from for its session timeout and the grace is forgotten.
func TestSweepKeepsJoinerNotListedYet(t *testing.T) {
	b, err := Start(context.Background(), Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s := newSessions(b.cluster, b.addr, slog.New(slog.DiscardHandler))
	stop := make(chan struct{})
	defer close(stop)

	k := memberKey{"joining", "member-1"}
	s.heard(k.group, k.member, 7*time.Second) // kfake has no such group yet
	s.sweep(stop)
	s.mu.Lock()
	m, ok := s.seen[k]
	_, classic := s.classic[k.group]
	got := s.timeout(k.group, m)
	s.mu.Unlock()
	if !ok || !classic || got != 7*time.Second {
		t.Fatalf("after a sweep that did not see it listed, a member heard joining is kept %v, its group %v, with timeout %v; want kept, with 7s", ok, classic, got)
	}

	s.mu.Lock()
	m.at = time.Now().Add(-7*time.Second - sessionGrace - time.Second)
	s.seen[k] = m
	g := s.classic[k.group]
	g.joined = m.at
	s.classic[k.group] = g
	s.mu.Unlock()
	s.sweep(stop)
	s.mu.Lock()
	_, ok = s.seen[k]
	_, classic = s.classic[k.group]
	s.mu.Unlock()
	if ok || classic {
		t.Errorf("a member not heard from for its session timeout and the grace, and not listed, is still known (member %v, group %v)", ok, classic)
	}
}
