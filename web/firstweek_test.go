package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// What a police unit's first week on the desk broke (user4, 5 December
// 2026): each test failed before its fix.

// TestConcurrentDecisionsOneWins: two reviewers deciding one conflict at
// the same moment, one "same person" and the other "different persons".
// Exactly one decision is stored and published; the others are refused
// with 409 as on a decided conflict. Before, both were stored as
// open → decided and both reached the match stage.
func TestConcurrentDecisionsOneWins(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := env.SeedConflict(t, "c_race", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev.a", store.RoleReviewer, "01")
	env.AddUser(t, "rev.b", store.RoleReviewer, "01")
	clients := []*webtest.Client{env.Login(t, "rev.a"), env.Login(t, "rev.b")}
	decisions := []string{schemas.DecisionSamePerson, schemas.DecisionDifferentPersons}
	const n = 6
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i], _ = clients[i%2].Do(t, "POST", "/api/conflicts/"+id+"/decision",
				map[string]string{"decision": decisions[i%2], "note": "cùng lúc"})
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, st := range statuses {
		switch st {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("a concurrent decision answered %d, want 200 or 409", st)
		}
	}
	ds, err := env.Store.Decisions(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || len(ds) != 1 || len(pub.got) != 1 {
		t.Errorf("%d decisions accepted (%v), %d stored, %d published; want one of each", ok, statuses, len(ds), len(pub.got))
	}
}

// TestOneRecordConflictOnlyVerification: a conflict of one record (an ID
// number contradicting its own record's birth year or sex) has no two
// records to join or separate: the registry refuses such a decision (it
// went to the dead letters while the desk showed the conflict decided).
// The desk now refuses same/different persons on it with 400 and offers
// only field verification.
func TestOneRecordConflictOnlyVerification(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := env.SeedConflict(t, "c_one", schemas.ConflictIDContradicts, "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c := env.Login(t, "rev")
	path := "/api/conflicts/" + id + "/decision"
	for _, d := range []string{schemas.DecisionSamePerson, schemas.DecisionDifferentPersons} {
		st, body := c.Do(t, "POST", path, map[string]string{"decision": d})
		if st != http.StatusBadRequest || !strings.Contains(string(body), "one record") {
			t.Errorf("%s on a one-record conflict: %d %s, want 400 saying it has one record", d, st, body)
		}
	}
	st, page := c.Do(t, "GET", "/conflicts/"+id, nil)
	if st != http.StatusOK || strings.Contains(string(page), `value="same_person"`) || strings.Contains(string(page), `value="different_persons"`) ||
		!strings.Contains(string(page), `value="needs_verification"`) {
		t.Errorf("the one-record conflict's form offers more than field verification (%d)", st)
	}
	if st, body := c.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionNeedsVerification}); st != http.StatusOK {
		t.Errorf("needs_verification on a one-record conflict: %d %s", st, body)
	}
	ds, _ := env.Store.Decisions(context.Background(), id)
	if len(ds) != 1 || ds[0].Decision != schemas.DecisionNeedsVerification {
		t.Errorf("stored decisions %+v, want the one needs_verification", ds)
	}
}

// TestConflictPageShowsNoTextFromTheURL: the conflict page showed any
// ?error= text as an alert on the desk's own page, so a link sent to a
// reviewer could put words ("session expired, call 09…") on a genuine
// conflict page. A refused decision now answers with its own status and
// the page, the message coming from the server.
func TestConflictPageShowsNoTextFromTheURL(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_url", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c := env.Login(t, "rev")
	planted := "Phiên hết hạn, gọi 0901234567"
	st, page := c.Do(t, "GET", "/conflicts/"+id+"?error="+url.QueryEscape(planted), nil)
	if st != http.StatusOK || strings.Contains(string(page), "0901234567") {
		t.Errorf("the conflict page shows text from its URL (%d)", st)
	}
	st, page = c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=maybe")
	if st != http.StatusBadRequest || !strings.Contains(string(page), "want same_person") || !strings.Contains(string(page), `id="records"`) {
		t.Errorf("a bad decision from the form: %d, want 400 with the message on the conflict page", st)
	}
	c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=different_persons")
	st, page = c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=same_person")
	if st != http.StatusConflict || !strings.Contains(string(page), "already decided") {
		t.Errorf("a decision on a decided conflict from the form: %d, want 409 saying it is decided", st)
	}
}
