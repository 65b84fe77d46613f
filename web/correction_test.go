package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestCorrectRuling: a supervisor records a new ruling on a decided
// conflict, with a reason; both stay in the history, the correction is
// audited and published, and it is the ruling in force (the labels and
// the match stage read it, not the first). A reviewer cannot correct; a
// correction without a reason, to needs_verification, to the ruling in
// force, of a conflict not decided, or of one decided by a ruling on
// another conflict is refused.
func TestCorrectRuling(t *testing.T) {
	pub := &recordingPublisher{}
	// The clock moves an hour between a ruling and its correction: the
	// sessions are kept past the idle timeout.
	env := webtest.Start(t, web.Config{Publisher: pub, SessionIdle: 2 * time.Hour})
	id := env.SeedConflict(t, "c_fix", schemas.ConflictGreyZone, "79", "79")
	open := env.SeedConflict(t, "c_open", schemas.ConflictGreyZone, "79", "79")
	env.AddUser(t, "rev", store.RoleReviewer, "79")
	env.AddUser(t, "sup", store.RoleSupervisor, "79")
	env.AddUser(t, "aud", store.RoleAuditor)
	rev, sup := env.Login(t, "rev"), env.Login(t, "sup")
	st, body := rev.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person"})
	var first schemas.Decision
	if json.Unmarshal(body, &first); st != http.StatusOK || first.StatusAfter != schemas.StatusDecided {
		t.Fatalf("the ruling: %d %s", st, body)
	}
	env.Clock.Advance(time.Hour)
	path := "/api/conflicts/" + id + "/correction"
	for _, c := range []struct {
		who              *webtest.Client
		decision, reason string
		want             int
	}{
		{rev, "different_persons", "sai", http.StatusForbidden},
		{sup, "different_persons", "  ", http.StatusBadRequest},
		{sup, "needs_verification", "cần xác minh", http.StatusBadRequest},
		{sup, "same_person", "đúng rồi", http.StatusConflict},
	} {
		if st, b := c.who.Do(t, "POST", path, map[string]string{"decision": c.decision, "reason": c.reason}); st != c.want {
			t.Errorf("correction %s with reason %q: %d %s, want %d", c.decision, c.reason, st, b, c.want)
		}
	}
	if st, _ := sup.Do(t, "POST", "/api/conflicts/"+open+"/correction", map[string]string{"decision": "different_persons", "reason": "x"}); st != http.StatusConflict {
		t.Errorf("correcting an open conflict: %d, want 409", st)
	}
	if len(pub.got) != 1 {
		t.Fatalf("refused corrections were published: %+v", pub.got)
	}

	st, body = sup.Do(t, "POST", path, map[string]string{"decision": "different_persons", "reason": "hai anh em sinh đôi, khác số"})
	var fix schemas.Decision
	if json.Unmarshal(body, &fix); st != http.StatusOK || fix.StatusBefore != schemas.StatusDecided || fix.StatusAfter != schemas.StatusDecided ||
		fix.ConflictID != id || fix.Note == "" || !fix.DecidedAt.After(first.DecidedAt) || fix.DecisionID == first.DecisionID {
		t.Fatalf("the correction: %d %s", st, body)
	}
	if len(pub.got) != 2 || pub.got[1].DecisionID != fix.DecisionID || strings.Join(pub.got[1].RecordIDs, ",") != strings.Join(first.RecordIDs, ",") {
		t.Errorf("published %+v, want the correction with the ruling's records", pub.got)
	}
	st, body = sup.Do(t, "GET", "/api/conflicts/"+id, nil)
	if st != http.StatusOK || !strings.Contains(string(body), first.DecisionID) || !strings.Contains(string(body), fix.DecisionID) ||
		!strings.Contains(string(body), `"last_decision":"different_persons"`) {
		t.Errorf("the conflict after the correction: want both decisions and the correction in force: %d %s", st, body)
	}
	ds, err := env.Store.EffectiveDecisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].DecisionID != fix.DecisionID {
		t.Errorf("rulings in force %+v, want only the correction %s", ds, fix.DecisionID)
	}
	// And back again: the latest is in force.
	env.Clock.Advance(time.Hour)
	if st, b := sup.Do(t, "POST", path, map[string]string{"decision": "same_person", "reason": "giấy khai sinh"}); st != http.StatusOK {
		t.Errorf("a second correction: %d %s", st, b)
	}
	aud := env.Login(t, "aud")
	st, body = aud.Do(t, "GET", "/api/audit?action=correct&object="+id, nil)
	if st != http.StatusOK || !strings.Contains(string(body), "same_person → different_persons, replacing "+first.DecisionID) ||
		strings.Count(string(body), `"action":"correct"`) != 2 {
		t.Errorf("audit of the corrections: %d %s", st, body)
	}
	// The page offers the correction to the supervisor only.
	if _, page := sup.Do(t, "GET", "/conflicts/"+id, nil); !strings.Contains(string(page), `id="correct"`) || !strings.Contains(string(page), "correction of the ruling before") {
		t.Errorf("supervisor's page: no correction form or no correction in the history")
	}
	if _, page := rev.Do(t, "GET", "/conflicts/"+id, nil); strings.Contains(string(page), `id="correct"`) {
		t.Errorf("reviewer's page offers a correction")
	}

	// Decided by the registry, citing a ruling on another conflict:
	// corrected there.
	env.Exec(t, `INSERT INTO conflicts SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, score,
concat('Decided: police decision d9 (same_person) on conflict c_fix already answers this grey_zone about the same records.\n\n', explanation), 'decided', 2, created_at,
record_province_codes, record_new_province_codes
FROM conflicts FINAL WHERE conflict_id = '`+open+`'`)
	if st, b := sup.Do(t, "POST", "/api/conflicts/"+open+"/correction", map[string]string{"decision": "different_persons", "reason": "x"}); st != http.StatusConflict ||
		!strings.Contains(string(b), "another conflict") {
		t.Errorf("correcting a conflict decided by another's ruling: %d %s, want 409", st, b)
	}
	if _, page := sup.Do(t, "GET", "/conflicts/"+open, nil); !strings.Contains(string(page), `id="resolution"`) || !strings.Contains(string(page), "c_fix") {
		t.Errorf("a conflict decided by another's ruling: the page does not say which")
	}
}

// TestBrowserCorrectsGroups: a supervisor, in a real Chromium, corrects a
// same-person ruling on three records of one person to different persons
// and says on the correction form which records go together, as the
// decision form lets a reviewer (the correction form had no grouping:
// without it the registry cannot tell these records apart, and the page
// offered different persons nowhere on them).
func TestBrowserCorrectsGroups(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := seedOnePerson(t, env, "c_regroup")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "sup.hn", store.RoleSupervisor, "01")
	if st, b := env.Login(t, "rev").Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person"}); st != http.StatusOK {
		t.Fatalf("the ruling: %d %s", st, b)
	}
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "sup.hn"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "the correction form's grouping", chromedp.Navigate(env.URL+"/conflicts/"+id), chromedp.WaitVisible("#correct-groups")); err != nil {
		t.Fatal(err)
	}
	err := webtest.Do(ctx, "choose the groups",
		chromedp.Click(`#correct input[name="decision"][value="different_persons"]`),
		chromedp.SetValue(`#correct select[name="group_r_c_regroup_0"]`, "1"),
		chromedp.SetValue(`#correct select[name="group_r_c_regroup_1"]`, "1"),
		chromedp.SetValue(`#correct select[name="group_r_c_regroup_2"]`, "2"),
		chromedp.SendKeys(`#correct textarea[name="note"]`, "Bản quét là người em, khác ngày sinh"),
	)
	if err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-correct-groups.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if err := webtest.Do(ctx, "correct", chromedp.Click("#submit-correction"), chromedp.WaitVisible("#decisions li:nth-child(2)")); err != nil {
		t.Fatal(err)
	}
	ds, err := env.Store.Decisions(context.Background(), id)
	want := [][]string{{"r_c_regroup_0", "r_c_regroup_1"}, {"r_c_regroup_2"}}
	if err != nil || len(ds) != 2 || ds[1].Decision != schemas.DecisionDifferentPersons || ds[1].User != "sup.hn" || !reflect.DeepEqual(ds[1].Groups, want) {
		t.Errorf("decisions stored: %+v %v, want the correction different_persons with groups %v", ds, err, want)
	}
}

// TestCorrectRegrouping: a supervisor's correction that only regroups a
// different_persons ruling ({0, 1} {2} corrected to {0} {1, 2}) is
// accepted, stored and published with its groups, and its audit entry
// names them; the same grouping again (in any order) is still the ruling
// in force, 409. A correction cannot take needs_verification, and
// neither the correction form's hint nor a correction's refusal offers it.
func TestCorrectRegrouping(t *testing.T) {
	pub := &recordingPublisher{}
	// The clock moves an hour between a ruling and its correction: the
	// sessions are kept past the idle timeout.
	env := webtest.Start(t, web.Config{Publisher: pub, SessionIdle: 2 * time.Hour})
	id := seedOnePerson(t, env, "c_rg")
	r0, r1, r2 := "r_c_rg_0", "r_c_rg_1", "r_c_rg_2"
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	env.AddUser(t, "aud", store.RoleAuditor)
	rev, sup := env.Login(t, "rev"), env.Login(t, "sup")
	type body struct {
		Decision string     `json:"decision"`
		Reason   string     `json:"reason,omitempty"`
		Groups   [][]string `json:"groups,omitempty"`
	}
	if st, b := rev.Do(t, "POST", "/api/conflicts/"+id+"/decision", body{Decision: schemas.DecisionDifferentPersons, Groups: [][]string{{r0, r1}, {r2}}}); st != http.StatusOK {
		t.Fatalf("the ruling: %d %s", st, b)
	}
	env.Clock.Advance(time.Hour)
	path := "/api/conflicts/" + id + "/correction"
	for _, c := range []struct {
		name string
		in   body
		want int
		says string
	}{
		{"the same groups", body{schemas.DecisionDifferentPersons, "lại", [][]string{{r2}, {r1, r0}}}, http.StatusConflict, "already the ruling in force"},
		{"no groups", body{schemas.DecisionDifferentPersons, "lại", nil}, http.StatusBadRequest, "say which records go together (groups)"},
		{"no such decision", body{"maybe", "lại", nil}, http.StatusBadRequest, "same_person or different_persons"},
	} {
		st, b := sup.Do(t, "POST", path, c.in)
		if st != c.want || !strings.Contains(string(b), c.says) {
			t.Errorf("correction with %s: %d %s, want %d saying %q", c.name, st, b, c.want, c.says)
		}
		if strings.Contains(string(b), "decide needs_verification") || strings.Contains(string(b), "or needs_verification") {
			t.Errorf("correction with %s: the refusal offers needs_verification: %s", c.name, b)
		}
	}
	if len(pub.got) != 1 {
		t.Fatalf("refused corrections published: %+v", pub.got)
	}
	_, page := sup.Do(t, "GET", "/conflicts/"+id, nil)
	form, _, _ := strings.Cut(string(page[strings.Index(string(page), `id="correct"`)+1:]), "</form>")
	if !strings.Contains(form, `value="different_persons"`) || strings.Contains(form, "needs_verification") {
		t.Errorf("the correction form: no different persons, or it offers needs_verification:\n%s", form)
	}

	regroup := [][]string{{r0}, {r1, r2}}
	st, b := sup.Do(t, "POST", path, body{schemas.DecisionDifferentPersons, "bản quét là người em", regroup})
	var fix schemas.Decision
	if json.Unmarshal(b, &fix); st != http.StatusOK || fix.StatusBefore != schemas.StatusDecided || !reflect.DeepEqual(fix.Groups, regroup) {
		t.Fatalf("the regrouping correction: %d %s", st, b)
	}
	if len(pub.got) != 2 || pub.got[1].DecisionID != fix.DecisionID || !reflect.DeepEqual(pub.got[1].Groups, regroup) {
		t.Errorf("published %+v, want the correction with groups %v", pub.got, regroup)
	}
	ds, err := env.Store.EffectiveDecisions(context.Background())
	if err != nil || len(ds) != 1 || ds[0].DecisionID != fix.DecisionID {
		t.Errorf("rulings in force %+v (%v), want only the correction", ds, err)
	}
	st, b = env.Login(t, "aud").Do(t, "GET", "/api/audit?action=correct&object="+id, nil)
	if want := "groups {" + r0 + "} {" + r1 + ", " + r2 + "}"; st != http.StatusOK || !strings.Contains(string(b), want) {
		t.Errorf("audit of the regrouping: %d %s, want it to say %q", st, b, want)
	}
}
