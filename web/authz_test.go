package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// coverageStub stands where the coverage package's handler is mounted.
var coverageStub = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, "coverage page")
})

// TestAuthorisationMatrix drives every route of the route table as every
// role, scoped to the conflict's province (Hà Nội, 01) and to another
// (Huế, 46), and as an anonymous caller. A role outside the route's roles
// gets 403; another province's conflict is 404 and no answer to the
// other-province caller contains the conflict's id, number or names.
func TestAuthorisationMatrix(t *testing.T) {
	env := webtest.Start(t, web.Config{Coverage: coverageStub})
	id := env.SeedConflict(t, "c_matrix", schemas.ConflictSharedID, "01", "01")
	secrets := []string{id, "001090012345", "Nguyễn Văn An", "r_c_matrix", "p_c_matrix"}
	routes := env.Server.Routes()
	patterns := make([]string, 0, len(routes))
	for p := range routes {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)

	scopes := map[string]string{"own": "01", "other": "46"}
	for _, role := range store.Roles {
		for scope, prov := range scopes {
			env.AddUser(t, role+"-"+scope, role, prov)
		}
	}
	// The assignee a supervisor or admin of 01 may give the conflict to.
	assignee := "reviewer-own"

	checked := 0
	probes := map[string]int{} // user → requests of the conflict from outside its provinces
	for _, role := range append([]string{"anonymous"}, store.Roles...) {
		for _, scope := range []string{"own", "other"} {
			if role == "anonymous" && scope == "other" {
				continue
			}
			var c *webtest.Client
			if role == "anonymous" {
				c = env.NewClient()
			} else {
				c = env.Login(t, role+"-"+scope)
			}
			for _, pat := range patterns {
				roles := routes[pat]
				method, path, _ := strings.Cut(pat, " ")
				if roles[0] == "public" || path == "/logout" || path == "/api/logout" {
					continue // public routes and logout are tested on their own
				}
				path = strings.ReplaceAll(strings.TrimSuffix(path, "{$}"), "{id}", id)
				if method == "GET" && (path == "/conflicts" || path == "/api/conflicts") {
					path += "?status=all"
				}
				var body any
				switch {
				case strings.HasSuffix(path, "/decision"):
					body = map[string]string{"decision": "needs_verification", "note": "matrix"}
				case strings.HasSuffix(path, "/assign"):
					body = map[string]string{"assignee": assignee}
				case strings.HasSuffix(path, "/correction"):
					body = map[string]string{"decision": "different_persons", "reason": "matrix"}
				}
				if !strings.HasPrefix(path, "/api/") && body != nil {
					body = nil // page forms: sent below as a form
				}
				status, resp := doRoute(t, c, method, path, body, assignee)
				checked++
				name := fmt.Sprintf("%s/%s %s %s", role, scope, method, path)
				allowed := role != "anonymous" && slices.Contains(roles, role)
				hasID := strings.Contains(pat, "{id}")
				var want []int
				switch {
				case role == "anonymous" && strings.HasPrefix(path, "/api/"):
					want = []int{http.StatusUnauthorized}
				case role == "anonymous" && method == "GET":
					want = []int{http.StatusSeeOther}
				case role == "anonymous":
					want = []int{http.StatusUnauthorized}
				case !allowed:
					want = []int{http.StatusForbidden}
				case hasID && scope == "other":
					want = []int{http.StatusNotFound}
					probes[role+"-"+scope]++
				case strings.HasSuffix(path, "/correction"):
					// The conflict is open: nothing to correct (the
					// correction itself: TestCorrectRuling).
					want = []int{http.StatusConflict}
				case method == "POST" && !strings.HasPrefix(path, "/api/"), path == "/":
					want = []int{http.StatusSeeOther}
				default:
					want = []int{http.StatusOK}
				}
				if !slices.Contains(want, status) {
					t.Errorf("%s: status %d, want %v (%.200s)", name, status, want, resp)
				}
				if scope == "other" || role == "anonymous" || !allowed {
					for _, s := range secrets {
						if strings.Contains(string(resp), s) {
							t.Errorf("%s: LEAK: the answer contains %q", name, s)
						}
					}
				}
				if allowed && scope == "own" && strings.Contains(path, "conflicts?") && !strings.Contains(string(resp), id) {
					t.Errorf("%s: own province's conflict not listed", name)
				}
			}
		}
	}
	t.Logf("%d role × scope × route requests checked", checked)

	// Each request of the conflict by id from outside its provinces is in
	// the audit log (denied, the id asked for), for the national auditors
	// only (the leak checks above hold for the other province's auditor
	// and admin): id guessing leaves a trace.
	es, err := env.Store.AuditLog(context.Background(), store.Scope{National: true}, store.AuditFilter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range es {
		if e.Action == store.ActionDenied && e.ObjectID == id {
			got[e.Username]++
			if len(e.Provinces) != 0 {
				t.Errorf("denied %s by %s filed under %v, want no province (national auditors)", e.ObjectID, e.Username, e.Provinces)
			}
		}
	}
	if !maps.Equal(got, probes) {
		t.Errorf("denied look-ups of %s in the audit log by user %v, want %v", id, got, probes)
	}
}

// doRoute sends a page form (with the CSRF token) or an API request.
func doRoute(t *testing.T, c *webtest.Client, method, path string, body any, assignee string) (int, []byte) {
	t.Helper()
	if method == "POST" && !strings.HasPrefix(path, "/api/") {
		form := "csrf_token=" + c.CSRF
		switch {
		case strings.HasSuffix(path, "/decision"):
			form += "&decision=needs_verification&note=matrix"
		case strings.HasSuffix(path, "/assign"):
			form += "&assignee=" + assignee
		case strings.HasSuffix(path, "/correction"):
			form += "&decision=different_persons&note=matrix"
		}
		return c.Form(t, path, form)
	}
	return c.Do(t, method, path, body)
}
