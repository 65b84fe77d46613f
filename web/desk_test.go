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

type listResp struct {
	Conflicts []struct {
		ConflictID string   `json:"conflict_id"`
		Kind       string   `json:"kind"`
		Provinces  []string `json:"province_codes"`
		Status     string   `json:"status"`
		IDNumber   string   `json:"id_number_masked"`
	} `json:"conflicts"`
}

// TestReviewerSeesOnlyTheirProvince: a reviewer of Hà Nội (01) lists,
// opens and decides a Hà Nội conflict, and gets 404 for one in Huế (46).
func TestReviewerSeesOnlyTheirProvince(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.AddUser(t, "hn", store.RoleReviewer, "01")
	hn := env.SeedConflict(t, "c_hn", schemas.ConflictSharedID, "01", "01")
	hue := env.SeedConflict(t, "c_hue", schemas.ConflictSharedID, "46", "46")
	// Hà Giang (02) is today part of Tuyên Quang (08): an old-era address maps.
	both := env.SeedConflict(t, "c_both", schemas.ConflictGreyZone, "02", "01")

	c := env.Login(t, "hn")
	status, body := c.Do(t, "GET", "/api/conflicts?status=open", nil)
	if status != http.StatusOK {
		t.Fatalf("list: %d %s", status, body)
	}
	var l listResp
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, x := range l.Conflicts {
		got[x.ConflictID] = x.Provinces
		if strings.Contains(x.IDNumber, "001090012345") {
			t.Errorf("list shows the full number %q", x.IDNumber)
		}
	}
	if len(got) != 2 || got[hn] == nil || got[both] == nil {
		t.Fatalf("reviewer of 01 listed %v, want %s and %s", got, hn, both)
	}
	if strings.Join(got[both], ",") != "01,08" {
		t.Errorf("provinces of %s = %v, want [01 08]", both, got[both])
	}
	if status, _ := c.Do(t, "GET", "/api/conflicts/"+hue, nil); status != http.StatusNotFound {
		t.Errorf("conflict of another province: %d, want 404", status)
	}
	if status, _ := c.Do(t, "POST", "/api/conflicts/"+hue+"/decision", map[string]string{"decision": "same_person"}); status != http.StatusNotFound {
		t.Errorf("decide a conflict of another province: %d, want 404", status)
	}
	status, body = c.Do(t, "GET", "/api/conflicts/"+hn, nil)
	if status != http.StatusOK || !strings.Contains(string(body), "001090012345") {
		t.Fatalf("open own conflict: %d %s", status, body)
	}
	status, body = c.Do(t, "POST", "/api/conflicts/"+hn+"/decision", map[string]string{"decision": "different_persons", "note": "khác cha mẹ"})
	if status != http.StatusOK {
		t.Fatalf("decide: %d %s", status, body)
	}
	var d schemas.Decision
	json.Unmarshal(body, &d)
	if d.StatusAfter != schemas.StatusDecided || !d.Effective() || d.User != "hn" {
		t.Errorf("decision %+v", d)
	}
	// Decided: never overwritten; the refusal says who ruled, what, and
	// that a supervisor corrects a ruling (user31: it said neither).
	if status, body := c.Do(t, "POST", "/api/conflicts/"+hn+"/decision", map[string]string{"decision": "same_person"}); status != http.StatusConflict ||
		!strings.Contains(string(body), "different persons by hn at "+d.DecidedAt.UTC().Format("2006-01-02 15:04:05")+" UTC") || !strings.Contains(string(body), "a supervisor corrects") {
		t.Errorf("second decision on a decided conflict: %d %s, want 409 naming the ruling in force", status, body)
	}
	// The matcher re-emits the conflict as open with a higher version: the
	// desk still reads it as decided.
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, person_ids, record_ids, status, version) SELECT conflict_id, kind, person_ids, record_ids, 'open', version + 10 FROM conflicts FINAL WHERE conflict_id = '`+hn+`'`)
	status, body = c.Do(t, "GET", "/api/conflicts?status=decided", nil)
	l = listResp{}
	json.Unmarshal(body, &l)
	if status != http.StatusOK || len(l.Conflicts) != 1 || l.Conflicts[0].ConflictID != hn {
		t.Errorf("decided list after a re-emit: %d %s", status, body)
	}
	// Audit: the opening and the decision are logged.
	admin := env.AddUser(t, "aud", store.RoleAuditor)
	_ = admin
	a := env.Login(t, "aud")
	status, body = a.Do(t, "GET", "/api/audit?limit=50", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"action":"open_conflict"`) || !strings.Contains(string(body), `"action":"decide"`) {
		t.Errorf("audit: %d %s", status, body)
	}
}
