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

// matrix is the authorisation matrix: every route of the application and
// the roles it admits ("public": no session), written out here rather
// than read from the route table, so that the matrix test checks the
// table against what was decided instead of against itself. A route added
// to web/routes.go fails TestAuthorisationMatrix until it is added here
// with its roles (and so is driven by it).
var matrix = map[string][]string{
	"GET /healthz":     {"public"},
	"GET /login":       {"public"},
	"POST /login":      {"public"},
	"POST /api/login":  {"public"},
	"GET /static/":     {"public"},
	"GET /favicon.ico": {"public"},

	"GET /{$}":         store.Roles,
	"POST /logout":     store.Roles,
	"POST /api/logout": store.Roles,
	"GET /api/me":      store.Roles,

	"GET /conflicts":                      {store.RoleReviewer, store.RoleSupervisor, store.RoleAdmin},
	"GET /conflicts/{id}":                 {store.RoleReviewer, store.RoleSupervisor, store.RoleAdmin},
	"POST /conflicts/{id}/decision":       {store.RoleReviewer, store.RoleSupervisor, store.RoleAdmin},
	"POST /conflicts/{id}/assign":         {store.RoleSupervisor, store.RoleAdmin},
	"POST /conflicts/{id}/correction":     {store.RoleSupervisor, store.RoleAdmin},
	"GET /api/conflicts":                  {store.RoleReviewer, store.RoleSupervisor, store.RoleAdmin},
	"GET /api/conflicts/{id}":             {store.RoleReviewer, store.RoleSupervisor, store.RoleAdmin},
	"POST /api/conflicts/{id}/decision":   {store.RoleReviewer, store.RoleSupervisor, store.RoleAdmin},
	"POST /api/conflicts/{id}/assign":     {store.RoleSupervisor, store.RoleAdmin},
	"POST /api/conflicts/{id}/correction": {store.RoleSupervisor, store.RoleAdmin},

	"GET /audit":     {store.RoleAuditor, store.RoleAdmin},
	"GET /api/audit": {store.RoleAuditor, store.RoleAdmin},

	"GET /coverage":         {store.RoleAnalyst, store.RoleSupervisor, store.RoleAdmin},
	"GET /coverage/map.svg": {store.RoleAnalyst, store.RoleSupervisor, store.RoleAdmin},
	"GET /coverage/static/": {store.RoleAnalyst, store.RoleSupervisor, store.RoleAdmin},
	"GET /api/coverage":     {store.RoleAnalyst, store.RoleSupervisor, store.RoleAdmin},
}

// matrixProblems compares the route table's routes and roles (got) with
// the matrix (want): a route the matrix does not list, one it lists that
// the table does not serve, and roles that differ.
func matrixProblems(got, want map[string][]string) []string {
	var out []string
	for _, p := range slices.Sorted(maps.Keys(got)) {
		w, ok := want[p]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("route %q (roles %v) is not in the authorisation matrix: add it to matrix in web/authz_test.go with the roles it must admit", p, got[p]))
		case !slices.Equal(slices.Sorted(slices.Values(got[p])), slices.Sorted(slices.Values(w))):
			out = append(out, fmt.Sprintf("route %q admits %v, the matrix says %v", p, got[p], w))
		}
	}
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[p]; !ok {
			out = append(out, fmt.Sprintf("the matrix lists %q, which the route table does not serve", p))
		}
	}
	return out
}

// TestMatrixProblems: the comparison finds a route added without its
// matrix row, roles widened, and a row left for a route removed.
func TestMatrixProblems(t *testing.T) {
	if p := matrixProblems(matrix, matrix); len(p) != 0 {
		t.Errorf("the matrix against itself: %q", p)
	}
	got := maps.Clone(matrix)
	got["POST /api/records/{id}/withdraw"] = []string{store.RoleAdmin}
	got["GET /audit"] = store.Roles
	delete(got, "GET /api/me")
	p := matrixProblems(got, matrix)
	want := []string{"POST /api/records/{id}/withdraw", "GET /audit", "GET /api/me"}
	if len(p) != len(want) {
		t.Fatalf("problems %q, want one for each of %q", p, want)
	}
	for _, w := range want {
		if !strings.Contains(strings.Join(p, "\n"), w) {
			t.Errorf("problems %q do not name %s", p, w)
		}
	}
}

// TestAuthorisationMatrix drives every route of the matrix as every
// role, scoped to the conflict's province (Hà Nội, 01) and to another
// (Huế, 46), and as an anonymous caller. A role outside the route's roles
// (the matrix's, not the route table's) gets 403; another province's
// conflict is 404 and no answer to the other-province caller contains the
// conflict's id, number or names.
func TestAuthorisationMatrix(t *testing.T) {
	env := webtest.Start(t, web.Config{Coverage: coverageStub})
	id := env.SeedConflict(t, "c_matrix", schemas.ConflictSharedID, "01", "01")
	secrets := []string{id, "001090012345", "Nguyễn Văn An", "r_c_matrix", "p_c_matrix"}
	for _, p := range matrixProblems(env.Server.Routes(), matrix) {
		t.Error(p)
	}
	routes := matrix
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

	// The queue's "assigned to me" (assigned=me, user33), page and API, as
	// every role of either province: the conflict of 01 is given to
	// reviewer-own (again: the matrix's assignments above gave it to the
	// same), and one of Huế (46) is given to reviewer-own too (an
	// assignment of when the reviewer worked there: the scope hides it).
	// Only the assignee lists the first; nobody lists the second with
	// assigned=me; a role the queue does not admit is 403 all the same.
	huế := env.SeedConflict(t, "c_matrix_46", schemas.ConflictSharedID, "46", "46")
	for _, c := range []string{id, huế} {
		if err := env.Store.Assign(context.Background(), c, assignee, "supervisor-own"); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range store.Roles {
		for _, scope := range []string{"own", "other"} {
			user := role + "-" + scope
			c := env.Login(t, user)
			for _, path := range []string{"/conflicts?status=all&assigned=me", "/api/conflicts?status=all&assigned=me"} {
				pat := "GET " + strings.Split(path, "?")[0]
				status, resp := c.Do(t, "GET", path, nil)
				if !slices.Contains(matrix[pat], role) {
					if status != http.StatusForbidden || strings.Contains(string(resp), id) {
						t.Errorf("%s %s: %d, want 403 and no conflict", user, path, status)
					}
					continue
				}
				if status != http.StatusOK {
					t.Errorf("%s %s: %d, want 200 (%.200s)", user, path, status, resp)
					continue
				}
				if got, want := strings.Contains(string(resp), id), user == assignee; got != want {
					t.Errorf("%s %s: lists %s (assigned to %s) %v, want %v", user, path, id, assignee, got, want)
				}
				if strings.Contains(string(resp), huế) {
					t.Errorf("%s %s: lists %s, of Huế, assigned to %s of Hà Nội: outside the assignee's scope, or not theirs", user, path, huế, assignee)
				}
			}
			// Without assigned=me a supervisor of 01 lists it: the filter
			// is what hid it above.
			if user == "supervisor-own" {
				if _, resp := c.Do(t, "GET", "/api/conflicts?status=all", nil); !strings.Contains(string(resp), id) {
					t.Errorf("%s: the queue without assigned=me lacks %s", user, id)
				}
			}
		}
	}
	if st, body := env.Login(t, assignee).Do(t, "GET", "/api/conflicts?assigned=someone", nil); st != http.StatusBadRequest || !strings.Contains(string(body), "assigned") {
		t.Errorf("assigned=someone: %d %s, want 400 naming the parameter", st, body)
	}

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
