package web_test

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestTwoDecisionsForTwoNumbers: merging two persons who both hold valid
// numbers waits for a supervisor's second decision by another person; the
// first is stored but not effective and not published.
func TestTwoDecisionsForTwoNumbers(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := env.SeedConflict(t, "c_two", schemas.ConflictTwoIDs, "79", "79")
	env.AddUser(t, "rev", store.RoleReviewer, "79")
	env.AddUser(t, "rev2", store.RoleReviewer, "79")
	env.AddUser(t, "sup", store.RoleSupervisor, "79")
	rev, rev2, sup := env.Login(t, "rev"), env.Login(t, "rev2"), env.Login(t, "sup")
	path := "/api/conflicts/" + id + "/decision"

	st, body := rev.Do(t, "POST", path, map[string]string{"decision": "same_person"})
	var d schemas.Decision
	json.Unmarshal(body, &d)
	if st != http.StatusOK || d.StatusAfter != schemas.StatusAwaitingSecond || d.Effective() {
		t.Fatalf("first decision: %d %s", st, body)
	}
	if len(pub.got) != 0 {
		t.Errorf("the first of two decisions was published: %+v", pub.got)
	}
	if st, _ := rev2.Do(t, "POST", path, map[string]string{"decision": "same_person"}); st != http.StatusForbidden {
		t.Errorf("a reviewer's second decision: %d, want 403", st)
	}
	// Reassignment (supervisor only) within the province.
	if st, b := sup.Do(t, "POST", "/api/conflicts/"+id+"/assign", map[string]string{"assignee": "rev2"}); st != http.StatusOK {
		t.Errorf("assign: %d %s", st, b)
	}
	if st, _ := rev.Do(t, "POST", "/api/conflicts/"+id+"/assign", map[string]string{"assignee": "rev2"}); st != http.StatusForbidden {
		t.Errorf("a reviewer reassigning: %d, want 403", st)
	}
	st, body = sup.Do(t, "POST", path, map[string]string{"decision": "same_person", "note": "cùng cha mẹ, cùng quê"})
	d = schemas.Decision{}
	json.Unmarshal(body, &d)
	if st != http.StatusOK || d.StatusAfter != schemas.StatusDecided || !d.Effective() || d.StatusBefore != schemas.StatusAwaitingSecond {
		t.Fatalf("supervisor's second decision: %d %s", st, body)
	}
	if len(pub.got) != 1 || pub.got[0].DecisionID != d.DecisionID || strings.Join(pub.got[0].RecordIDs, ",") == "" {
		t.Errorf("published %+v, want the second decision with its records", pub.got)
	}
	st, body = sup.Do(t, "GET", "/api/conflicts?status=decided", nil)
	if st != http.StatusOK || !strings.Contains(string(body), id) || !strings.Contains(string(body), `"assignee":"rev2"`) {
		t.Errorf("decided list: %d %s", st, body)
	}
	// The supervisor may not be both deciders.
	id2 := env.SeedConflict(t, "c_two_b", schemas.ConflictTwoIDs, "79", "79")
	p2 := "/api/conflicts/" + id2 + "/decision"
	sup.Do(t, "POST", p2, map[string]string{"decision": "same_person"})
	if st, _ := sup.Do(t, "POST", p2, map[string]string{"decision": "same_person"}); st != http.StatusForbidden {
		t.Errorf("one supervisor deciding twice: %d, want 403", st)
	}
}

// TestAwaitingSecondPageOffersNoFormItRefuses: on a conflict awaiting the
// second decision, the page offers the decision form to a supervisor
// other than the first decider only; a reviewer, and the first decider,
// read why instead (the form was offered to them, and refused whatever
// they chose: an officer deciding at the same time as another found
// their note lost to a refusal).
func TestAwaitingSecondPageOffersNoFormItRefuses(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_wait", schemas.ConflictTwoIDs, "79", "79")
	env.AddUser(t, "rev", store.RoleReviewer, "79")
	env.AddUser(t, "rev2", store.RoleReviewer, "79")
	env.AddUser(t, "sup", store.RoleSupervisor, "79")
	env.AddUser(t, "sup2", store.RoleSupervisor, "79")
	rev := env.Login(t, "rev")
	page := "/conflicts/" + id
	if st, body := rev.Do(t, "GET", page, nil); st != http.StatusOK || !strings.Contains(string(body), `id="decide"`) {
		t.Fatalf("the open conflict's page: %d, decision form %v; want 200 and the form", st, strings.Contains(string(body), `id="decide"`))
	}
	sup := env.Login(t, "sup")
	if st, body := sup.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person"}); st != http.StatusOK {
		t.Fatalf("first decision: %d %s", st, body)
	}
	for _, c := range []struct {
		user string
		form bool
		why  string
	}{
		{"rev", false, "awaits a supervisor"},
		{"rev2", false, "awaits a supervisor"},
		{"sup", false, "must come from another person"},
		{"sup2", true, ""},
	} {
		st, body := env.Login(t, c.user).Do(t, "GET", page, nil)
		form := strings.Contains(string(body), `id="decide"`)
		if st != http.StatusOK || form != c.form || !strings.Contains(string(body), c.why) {
			t.Errorf("%s on the awaiting conflict's page: %d, decision form %v, want %v and %q", c.user, st, form, c.form, c.why)
		}
	}
}

// TestRefusedRulingKeepsTheNote: a ruling the desk refuses (here a
// grouping that puts every record in one group) gives the conflict's page
// again with why, and the note typed stays in the form (escaped), where
// it was lost; a page asked for has an empty note.
func TestRefusedRulingKeepsTheNote(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_note", schemas.ConflictTwoIDs, "79", "79", "79")
	env.AddUser(t, "rev", store.RoleReviewer, "79")
	rev := env.Login(t, "rev")
	note := "Ba hồ sơ: cha mẹ khác nhau <b>xem lại</b>"
	form := url.Values{"csrf_token": {rev.CSRF}, "decision": {"different_persons"}, "note": {note}}
	for i := range 3 {
		form.Set(fmt.Sprintf("group_r_c_note_%d", i), "1")
	}
	st, page := rev.Form(t, "/conflicts/"+id+"/decision", form.Encode())
	want := ">" + template.HTMLEscapeString(note) + "</textarea>"
	if st != http.StatusBadRequest || !strings.Contains(string(page), want) {
		t.Errorf("a refused grouping: %d, the note in the form %v, want 400 and %q", st, strings.Contains(string(page), want), want)
	}
	if _, page := rev.Do(t, "GET", "/conflicts/"+id, nil); !strings.Contains(string(page), `maxlength="2000" lang="vi"></textarea>`) {
		t.Errorf("the page asked for has a note already")
	}
}
