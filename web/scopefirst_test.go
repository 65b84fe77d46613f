package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestScopeBeforeTheRequestsValues: a request on a conflict outside the
// caller's provinces is not found (404) and audited as denied whatever it
// carries. A malformed body or a bad value was answered 400 first, which
// told another province's reviewer the id was checked only afterwards and
// left no trace of the probe.
func TestScopeBeforeTheRequestsValues(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_scopefirst", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "sup-other", store.RoleSupervisor, "46")
	c := env.Login(t, "sup-other")
	probes := []struct {
		name, path string
		body       any
		form       string
	}{
		{name: "API decision, body not an object", path: "/api/conflicts/" + id + "/decision", body: "not an object"},
		{name: "API decision, unknown decision", path: "/api/conflicts/" + id + "/decision", body: map[string]string{"decision": "maybe"}},
		{name: "API correction, no reason", path: "/api/conflicts/" + id + "/correction", body: map[string]string{"decision": "same_person"}},
		{name: "API assign, body not an object", path: "/api/conflicts/" + id + "/assign", body: []int{1}},
		{name: "form decision, unknown decision", path: "/conflicts/" + id + "/decision", form: "decision=maybe"},
		{name: "form decision, note too long", path: "/conflicts/" + id + "/decision", form: "decision=same_person&note=" + strings.Repeat("x", 2100)},
	}
	for _, p := range probes {
		var status int
		var resp []byte
		if p.form != "" {
			status, resp = c.Form(t, p.path, "csrf_token="+c.CSRF+"&"+p.form)
		} else {
			status, resp = c.Do(t, http.MethodPost, p.path, p.body)
		}
		if status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404 (%.200s)", p.name, status, resp)
		}
	}
	es, err := env.Store.AuditLog(context.Background(), store.Scope{National: true}, store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, e := range es {
		if e.Action == store.ActionDenied && e.ObjectID == id && e.Username == "sup-other" {
			denied++
		}
	}
	if denied != len(probes) {
		t.Errorf("%d denied entries for %s by sup-other, want %d (one per probe)", denied, id, len(probes))
	}
}
