package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestTwoServersOneClickHouse: two `dancu serve` on one ClickHouse (two
// servers in this test, each with its own locks, as two processes have).
// A session opened on one is good on the other, and ended on either it is
// ended on both. Reviewers deciding one conflict at once on both servers:
// one decision is stored and published, the others are 409 — each server
// serialised only its own, and both stored theirs (found playing a police
// unit with two `dancu serve`: 1 conflict in 6 decided twice).
func TestTwoServersOneClickHouse(t *testing.T) {
	pub1, pub2 := &recordingPublisher{}, &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub1})
	srv2, err := web.New(web.Config{Store: store.New(env.Conn, env.Clock.Now), Publisher: pub2})
	if err != nil {
		t.Fatal(err)
	}
	hs2 := httptest.NewServer(srv2)
	defer hs2.Close()
	on2 := func(c *webtest.Client) *webtest.Client { c2 := *c; c2.Base = hs2.URL; return &c2 }

	env.AddUser(t, "rev1", store.RoleReviewer, "79")
	s1 := env.Login(t, "rev1")
	if st, b := on2(s1).Do(t, "GET", "/api/me", nil); st != http.StatusOK {
		t.Errorf("a session of server 1 on server 2: %d %s", st, b)
	}
	if st, b := on2(s1).Do(t, "POST", "/api/logout", nil); st != http.StatusOK {
		t.Fatalf("logout on server 2: %d %s", st, b)
	}
	if st, _ := s1.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
		t.Errorf("a session ended on server 2, on server 1: %d, want 401", st)
	}

	const conflicts, deciders = 12, 4
	var clients []*webtest.Client
	for i := range deciders {
		name := fmt.Sprintf("rev%d", i+2)
		env.AddUser(t, name, store.RoleReviewer, "79")
		c := env.Login(t, name)
		if i%2 == 1 {
			c = on2(c)
		}
		clients = append(clients, c)
	}
	for k := range conflicts {
		id := env.SeedConflict(t, fmt.Sprintf("c_race_%d", k), schemas.ConflictSharedID, "79", "79")
		statuses := make([]int, deciders)
		atOnce(deciders, func(i int) {
			// Server 2's deciders a little later each round: a decision
			// stored between another's reads of the conflict and of its
			// decisions.
			time.Sleep(time.Duration(k*(i%2)) * 5 * time.Millisecond)
			c := clients[i]
			statuses[i], _ = c.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person", "note": c.Base})
		})
		ok := acceptedOnce(t, id, statuses)
		ds, err := env.Store.Decisions(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || len(ds) != 1 {
			t.Errorf("%s decided at once on two servers: %d answered 200 (%v), %d decisions stored, want one", id, ok, statuses, len(ds))
		}
	}
	if n := len(pub1.got) + len(pub2.got); n != conflicts {
		t.Errorf("%d decisions published for %d conflicts", n, conflicts)
	}
}

// TestLoginLimitAcrossServers: the login limit counts the failures of
// every server on the ClickHouse (the audit log's), not each process's
// own: five wrong passwords for one account spread over two servers
// refuse its next login on either (each server alone had seen two or
// three: the limit was twice as wide behind a balancer), and a good login
// forgets the account's failures on both.
func TestLoginLimitAcrossServers(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	srv2, err := web.New(web.Config{Store: store.New(env.Conn, env.Clock.Now)})
	if err != nil {
		t.Fatal(err)
	}
	hs2 := httptest.NewServer(srv2)
	defer hs2.Close()
	env.AddUser(t, "rev", store.RoleReviewer, "79")
	login := func(server int, password string) int {
		c := env.NewClient()
		if server == 2 {
			c.Base = hs2.URL
		}
		st, _ := c.Do(t, "POST", "/api/login", map[string]string{"username": "rev", "password": password})
		return st
	}
	for i := range 4 {
		if st := login(1+i%2, "sai mật khẩu"); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i+1, st)
		}
	}
	if st := login(1, webtest.Password); st != http.StatusOK {
		t.Fatalf("a good login after four failures over two servers: %d, want 200", st)
	}
	for i := range 5 {
		if st := login(1+i%2, "sai mật khẩu"); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d after the good login: %d, want 401", i+1, st)
		}
	}
	for server := 1; server <= 2; server++ {
		if st := login(server, webtest.Password); st != http.StatusTooManyRequests {
			t.Errorf("server %d, after five failures over two servers (three on server 1, two on server 2): %d, want 429", server, st)
		}
	}
	env.Clock.Advance(16 * time.Minute)
	if st := login(2, webtest.Password); st != http.StatusOK {
		t.Errorf("after the window: %d, want 200", st)
	}
}
