package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// Found by a data-protection audit (user15, 6 December 2026): the
// conflict page was shown unmasked even when its opening could not be
// written to the audit log (the failure was only logged); an opening's
// entry named the conflict but not whose records were seen.

// TestOpeningAuditedBeforeShown: when the audit log cannot be written,
// neither the page nor the API shows the conflict's records (500, no
// name, no number); when it can, the entry names the records and persons
// shown, and the audit log is searched by a record or person id.
func TestOpeningAuditedBeforeShown(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_dp", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	rev := env.Login(t, "rev")
	secrets := []string{"Nguyễn Văn An", "001090012345"}

	env.Exec(t, "RENAME TABLE audit_log TO audit_log_away")
	for _, path := range []string{"/conflicts/" + id, "/api/conflicts/" + id} {
		st, body := rev.Do(t, "GET", path, nil)
		if st != http.StatusInternalServerError {
			t.Errorf("GET %s with the audit log unwritable: %d, want 500", path, st)
		}
		for _, s := range secrets {
			if strings.Contains(string(body), s) {
				t.Errorf("GET %s with the audit log unwritable shows %q", path, s)
			}
		}
	}
	env.Exec(t, "RENAME TABLE audit_log_away TO audit_log")

	st, body := rev.Do(t, "GET", "/api/conflicts/"+id, nil)
	if st != http.StatusOK || !strings.Contains(string(body), "Nguyễn Văn An") {
		t.Fatalf("GET /api/conflicts/%s: %d %.200s", id, st, body)
	}
	for _, obj := range []string{"r_c_dp_1", "p_c_dp_0"} {
		es, err := env.Store.AuditLog(t.Context(), store.Scope{National: true}, store.AuditFilter{ObjectID: obj})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Action != store.ActionOpenConflict || es[0].ObjectID != id || es[0].Username != "rev" {
			t.Fatalf("audit entries for %s: %+v, want rev's one opening of %s", obj, es, id)
		}
		for _, want := range []string{"r_c_dp_0", "r_c_dp_1", "p_c_dp_0", "p_c_dp_1", "api"} {
			if !strings.Contains(es[0].Detail, want) {
				t.Errorf("opening's audit detail %q does not name %s", es[0].Detail, want)
			}
		}
	}
	// A record id's prefix is no match: ids are compared whole.
	if es, err := env.Store.AuditLog(t.Context(), store.Scope{National: true}, store.AuditFilter{ObjectID: "r_c_dp"}); err != nil || len(es) != 0 {
		t.Errorf("audit entries for r_c_dp: %d (%v), want none", len(es), err)
	}
}
