package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// A possible match (a link resting on a common name and a birthday alone,
// not made: acc54) is no item of the review queue: the queue of every
// kind lists the grey-zone pair and not it; the kind filter lists it
// alone, the queue page offers that filter, and the reviewer can open and
// rule on it as on a grey-zone pair.
func TestPossibleMatchListedApartFromTheQueue(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.AddUser(t, "hn", store.RoleReviewer, "01")
	grey := env.SeedConflict(t, "c_grey", schemas.ConflictGreyZone, "01", "01")
	possible := env.SeedConflict(t, "c_possible", schemas.ConflictPossibleMatch, "01", "42")
	c := env.Login(t, "hn")
	list := func(query string) []string {
		t.Helper()
		status, body := c.Do(t, "GET", "/api/conflicts"+query, nil)
		if status != http.StatusOK {
			t.Fatalf("list %s: %d %s", query, status, body)
		}
		var l listResp
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, x := range l.Conflicts {
			ids = append(ids, x.ConflictID)
		}
		return ids
	}
	if got := list(""); len(got) != 1 || got[0] != grey {
		t.Errorf("the open queue lists %v, want only the grey-zone pair %s", got, grey)
	}
	if got := list("?status=all"); len(got) != 1 || got[0] != grey {
		t.Errorf("every status lists %v, want only the grey-zone pair %s", got, grey)
	}
	if got := list("?kind=" + schemas.ConflictPossibleMatch); len(got) != 1 || got[0] != possible {
		t.Errorf("kind=possible_match lists %v, want %s", got, possible)
	}
	status, body := c.Do(t, "GET", "/conflicts", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `value="possible_match"`) || strings.Contains(string(body), possible) {
		t.Errorf("queue page: %d; want the possible-match filter offered and %s not listed", status, possible)
	}
	if status, body := c.Do(t, "POST", "/api/conflicts/"+possible+"/decision", map[string]string{"decision": "different_persons"}); status != http.StatusOK {
		t.Errorf("rule on a possible match: %d %s", status, body)
	}
}
