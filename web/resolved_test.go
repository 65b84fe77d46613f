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

// TestResolvedByRegistry: a conflict the matcher wrote again as
// resolved_by_registry (its persons merged) leaves the open queue, is
// listed under its status, shows why on its page with no decision form,
// and refuses a decision; a decided conflict stays decided whatever the
// matcher writes after.
func TestResolvedByRegistry(t *testing.T) {
	env := webtest.Start(t, web.Config{Publisher: &recordingPublisher{}})
	id := env.SeedConflict(t, "c_stale", schemas.ConflictSharedID, "79", "79")
	kept := env.SeedConflict(t, "c_kept", schemas.ConflictSharedID, "79", "79")
	env.AddUser(t, "rev", store.RoleReviewer, "79")
	rev := env.Login(t, "rev")
	if st, b := rev.Do(t, "POST", "/api/conflicts/"+kept+"/decision", map[string]string{"decision": "different_persons"}); st != http.StatusOK {
		t.Fatalf("decide %s: %d %s", kept, st, b)
	}
	why := "Resolved by the registry: persons p_c_stale_1 merged into p_c_stale_0 (event e123, police decision d9)"
	for _, c := range []string{id, kept} {
		env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, score, '`+why+`.\n\n' || explanation, 'resolved_by_registry', version + 1
FROM conflicts FINAL WHERE conflict_id = '`+c+`'`)
	}
	st, body := rev.Do(t, "GET", "/api/conflicts?status=open", nil)
	if st != http.StatusOK || strings.Contains(string(body), id) {
		t.Errorf("open queue lists the resolved conflict: %d %s", st, body)
	}
	st, body = rev.Do(t, "GET", "/api/conflicts?status=resolved_by_registry", nil)
	if st != http.StatusOK || !strings.Contains(string(body), id) || strings.Contains(string(body), kept) {
		t.Errorf("resolved_by_registry list: %d %s", st, body)
	}
	st, body = rev.Do(t, "GET", "/api/conflicts?status=decided", nil)
	if st != http.StatusOK || !strings.Contains(string(body), kept) {
		t.Errorf("a decided conflict the registry closed after is no longer decided: %d %s", st, body)
	}
	st, body = rev.Do(t, "GET", "/conflicts/"+id, nil)
	page := string(body)
	if st != http.StatusOK || !strings.Contains(page, `id="resolution"`) || !strings.Contains(page, "event e123") || strings.Contains(page, `id="decide"`) {
		t.Errorf("conflict page of a resolved conflict: %d, resolution shown %v, decision form %v", st,
			strings.Contains(page, `id="resolution"`), strings.Contains(page, `id="decide"`))
	}
	if st, b := rev.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person"}); st != http.StatusConflict {
		t.Errorf("deciding a resolved conflict: %d %s, want 409", st, b)
	}
}
