package coverage_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestEveryRouteHasAMatrixRow: every route the coverage handler serves
// has its own row in the server's route table (the authorisation matrix),
// admitting the analyst, supervisor and admin roles only, and the table's
// coverage rows are the handler's routes, no more: the table once held a
// /coverage/ prefix, under which any route added here would have been
// served with the coverage roles without a row of its own. Each route,
// probed through the server as an analyst, is answered by the handler; a
// path under /coverage that is no route is not found.
func TestEveryRouteHasAMatrixRow(t *testing.T) {
	env, ch := mountCoverage(t)
	want := []string{store.RoleAdmin, store.RoleAnalyst, store.RoleSupervisor}
	table := env.Server.Routes()
	routes := ch.Routes()
	if len(routes) == 0 {
		t.Fatal("the coverage handler lists no routes")
	}
	for _, p := range routes {
		roles, ok := table[p]
		if !ok {
			t.Errorf("coverage serves %q, which has no row in the route table (web/routes.go) nor so in the authorisation matrix", p)
			continue
		}
		if got := slices.Sorted(slices.Values(roles)); !slices.Equal(got, want) {
			t.Errorf("%q admits %v, want %v", p, got, want)
		}
	}
	for p := range table {
		_, path, _ := strings.Cut(p, " ")
		if (strings.HasPrefix(path, "/coverage") || strings.HasPrefix(path, "/api/coverage")) && !slices.Contains(routes, p) {
			t.Errorf("the route table has %q, which the coverage handler does not serve", p)
		}
	}

	env.AddUser(t, "analyst", store.RoleAnalyst)
	a := env.Login(t, "analyst")
	for _, p := range routes {
		_, path, _ := strings.Cut(p, " ")
		switch {
		case strings.HasSuffix(path, "/static/"):
			path += "coverage.css"
		case strings.HasSuffix(path, ".svg"):
			path += "?era=new"
		}
		if st, body := a.Do(t, "GET", path, nil); st != http.StatusOK {
			t.Errorf("GET %s (route %q) as an analyst: %d %.200s, want 200", path, p, st, body)
		}
	}
	for _, path := range []string{"/coverage/", "/coverage/export.csv", "/api/coverage/x"} {
		if st, _ := a.Do(t, "GET", path, nil); st != http.StatusNotFound {
			t.Errorf("GET %s, no route: %d, want 404", path, st)
		}
	}
}

// mountCoverage serves the coverage handler in the desk (webtest), on the
// desk's test database, as dancu serve mounts it, with the server's top
// bar (the handler's Scope is the caller's to set).
func mountCoverage(t *testing.T) (*webtest.Env, *coverage.Handler) {
	t.Helper()
	var h http.Handler = http.NotFoundHandler()
	env := webtest.Start(t, web.Config{Coverage: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) })})
	ch := coverage.NewHandler(env.Conn, nil)
	ch.Account = web.AccountBar
	h = ch
	return env, ch
}
