package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestErrorsOneForm: every refusal and failure the server answers is in
// one form — under /api/, JSON {"error": why}; elsewhere, the error page
// (HTML, the status and why) — whichever part answers it: the session and
// role checks, the desk's handlers, the coverage pages mounted from their
// package (which refused in plain text: 400, 403 and 404), and a failure
// of the store (500, plain text on the pages before).
func TestErrorsOneForm(t *testing.T) {
	var cov http.Handler
	env := webtest.Start(t, web.Config{Coverage: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { cov.ServeHTTP(w, r) })})
	h := coverage.NewHandler(env.Conn, nil)
	h.Scope = web.CallerScope
	cov = h
	id := env.SeedConflict(t, "c_errors", schemas.ConflictSharedID, "79", "79")
	env.AddUser(t, "ana79", store.RoleAnalyst, "79")
	env.AddUser(t, "rev79", store.RoleReviewer, "79")
	env.AddUser(t, "aud", store.RoleAuditor)
	ana, rev, aud, anon := env.Login(t, "ana79"), env.Login(t, "rev79"), env.Login(t, "aud"), env.NewClient()

	type probe struct {
		c            *webtest.Client
		method, path string
		status       int
		say          string // in the answer, when set
	}
	probes := []probe{
		{ana, "GET", "/coverage?level=commune&province=01", http.StatusForbidden, "only in its provinces (79)"},
		{ana, "GET", "/coverage?era=bogus", http.StatusBadRequest, "want old or new"},
		{ana, "GET", "/coverage/map.svg?era=x", http.StatusBadRequest, ""},
		{ana, "GET", "/coverage/nothing", http.StatusNotFound, ""},
		{ana, "GET", "/coverage/static/nothing.js", http.StatusNotFound, ""},
		{ana, "GET", "/api/coverage?level=commune&province=01", http.StatusForbidden, ""},
		{ana, "GET", "/api/coverage?era=bogus", http.StatusBadRequest, ""},
		{ana, "GET", "/conflicts", http.StatusForbidden, ""},
		{ana, "GET", "/api/conflicts", http.StatusForbidden, ""},
		{rev, "GET", "/conflicts/c_nothing", http.StatusNotFound, ""},
		{rev, "GET", "/api/conflicts/c_nothing", http.StatusNotFound, ""},
		{rev, "GET", "/conflicts?status=opne", http.StatusBadRequest, ""},
		{rev, "GET", "/api/conflicts?status=opne", http.StatusBadRequest, ""},
		{rev, "POST", "/api/conflicts/" + id + "/decision", http.StatusBadRequest, ""},
		{rev, "GET", "/static/nothing.css", http.StatusNotFound, ""},
		{rev, "GET", "/nothing", http.StatusNotFound, ""},
		{rev, "GET", "/api/nothing", http.StatusNotFound, ""},
		{anon, "POST", "/conflicts/" + id + "/decision", http.StatusUnauthorized, ""},
		{anon, "GET", "/api/me", http.StatusUnauthorized, ""},
		{aud, "GET", "/coverage", http.StatusForbidden, ""},
	}
	check := func(p probe) {
		t.Helper()
		req, err := http.NewRequest(p.method, p.c.Base+p.path, strings.NewReader("{"))
		if err != nil {
			t.Fatal(err)
		}
		if p.c.CSRF != "" {
			req.Header.Set("X-CSRF-Token", p.c.CSRF)
		}
		resp, err := p.c.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		ct := resp.Header.Get("Content-Type")
		what := fmt.Sprintf("%s %s: %d %s %.120q", p.method, p.path, resp.StatusCode, ct, body.String())
		if resp.StatusCode != p.status || !strings.Contains(body.String(), p.say) {
			t.Errorf("%s, want status %d saying %q", what, p.status, p.say)
		}
		if strings.HasPrefix(p.path, "/api/") {
			var e struct {
				Error string `json:"error"`
			}
			if !strings.HasPrefix(ct, "application/json") || json.Unmarshal(body.Bytes(), &e) != nil || e.Error == "" {
				t.Errorf("%s, want JSON {\"error\": why}", what)
			}
			return
		}
		if !strings.HasPrefix(ct, "text/html") || !strings.Contains(body.String(), fmt.Sprintf("<h1>%d</h1>", p.status)) || !strings.Contains(body.String(), "</html>") {
			t.Errorf("%s, want the error page", what)
		}
	}
	for _, p := range probes {
		check(p)
	}
	// The store failing: the audit log cannot be read.
	env.Exec(t, "RENAME TABLE audit_log TO audit_log_gone")
	check(probe{aud, "GET", "/audit", http.StatusInternalServerError, "internal error"})
	check(probe{aud, "GET", "/api/audit", http.StatusInternalServerError, "internal error"})
}
