package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestTieRulings: the desk's four rulings on an ambiguous_tie. The
// conflict names the tied record and each person it matches equally,
// their numbers masked. "It is person B" is a same_person on the tied
// record and B's record only (the namesakes are not merged) and takes
// effect at once; "A and B are one person" (same_person without a
// person) overrides the guard and waits for a supervisor's second
// decision, as a two-number merge does; "none of them" keeps each person
// apart; a supervisor corrects a placement to the other person. A person
// that is not a candidate, or on another kind, is refused with why.
func TestTieRulings(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	rev, sup := env.Login(t, "rev"), env.Login(t, "sup")
	decide := func(c *webtest.Client, id string, body map[string]string, want int) schemas.Decision {
		t.Helper()
		st, b := c.Do(t, "POST", "/api/conflicts/"+id+"/decision", body)
		var d schemas.Decision
		if st != want || (st == http.StatusOK && json.Unmarshal(b, &d) != nil) {
			t.Fatalf("decide %s %v: %d %s, want %d", id, body, st, b, want)
		}
		return d
	}

	id, tied, tiedP, recs, persons := env.SeedTie(t, "c_tie_place", 2)
	st, b := rev.Do(t, "GET", "/api/conflicts/"+id, nil)
	var shown struct {
		Tie struct {
			PersonID   string   `json:"person_id"`
			RecordIDs  []string `json:"record_ids"`
			Candidates []struct {
				PersonID  string   `json:"person_id"`
				RecordIDs []string `json:"record_ids"`
				Number    string   `json:"id_number_masked"`
			} `json:"candidates"`
			Unknown string `json:"unknown"`
		} `json:"tie"`
	}
	if st != http.StatusOK || json.Unmarshal(b, &shown) != nil {
		t.Fatalf("show: %d %s", st, b)
	}
	if tv := shown.Tie; tv.PersonID != tiedP || !slices.Equal(tv.RecordIDs, []string{tied}) || len(tv.Candidates) != 2 || tv.Unknown != "" ||
		tv.Candidates[1].PersonID != persons[1] || !slices.Equal(tv.Candidates[1].RecordIDs, []string{recs[1]}) || tv.Candidates[1].Number != "0011******35" {
		t.Errorf("the tie as shown: %+v (want %s tied with %v, %v)", tv, tied, persons, recs)
	}

	if d := decide(rev, id, map[string]string{"decision": "same_person", "person": tiedP}, http.StatusBadRequest); d.DecisionID != "" {
		t.Errorf("the tied record placed with itself: %+v", d)
	}
	decide(rev, id, map[string]string{"decision": "different_persons", "person": persons[0]}, http.StatusBadRequest)
	other := env.SeedConflict(t, "c_tie_other", schemas.ConflictSharedID, "01", "01")
	decide(rev, other, map[string]string{"decision": "same_person", "person": "p_c_tie_other_0"}, http.StatusBadRequest)

	d := decide(rev, id, map[string]string{"decision": "same_person", "person": persons[1], "note": "cùng ngày cấp"}, http.StatusOK)
	if d.StatusAfter != schemas.StatusDecided || !slices.Equal(d.RecordIDs, sorted(tied, recs[1])) || len(pub.got) != 1 || pub.got[0].DecisionID != d.DecisionID {
		t.Fatalf("it is person B: %+v, published %+v (want same_person on %s and %s, at once)", d, pub.got, tied, recs[1])
	}
	if !auditHas(t, env, id, "record "+tied+" is person "+persons[1]) {
		t.Errorf("the audit log does not say which person the record was placed with")
	}
	// A supervisor's correction: it is person A; the same again is no correction.
	st, b = sup.Do(t, "POST", "/api/conflicts/"+id+"/correction", map[string]string{"decision": "same_person", "person": persons[0], "reason": "nhầm người"})
	var fix schemas.Decision
	if st != http.StatusOK || json.Unmarshal(b, &fix) != nil || !slices.Equal(fix.RecordIDs, sorted(tied, recs[0])) || fix.StatusBefore != schemas.StatusDecided {
		t.Fatalf("correction to person A: %d %s", st, b)
	}
	if st, b := sup.Do(t, "POST", "/api/conflicts/"+id+"/correction", map[string]string{"decision": "same_person", "person": persons[0], "reason": "lại"}); st != http.StatusConflict {
		t.Errorf("the ruling in force again as a correction: %d %s", st, b)
	}

	// A and B are one person after all: two officers.
	one, _, _, _, _ := env.SeedTie(t, "c_tie_one", 2)
	first := decide(rev, one, map[string]string{"decision": "same_person", "note": "một người, hai ngày sinh"}, http.StatusOK)
	if first.StatusAfter != schemas.StatusAwaitingSecond || first.Effective() || len(pub.got) != 2 {
		t.Errorf("the override by a reviewer: %+v, %d published (want awaiting_second, not published)", first, len(pub.got))
	}
	if !auditHas(t, env, one, "overrides the guard") {
		t.Errorf("the override is not audited as one")
	}
	second := decide(sup, one, map[string]string{"decision": "same_person"}, http.StatusOK)
	if second.StatusAfter != schemas.StatusDecided || len(second.RecordIDs) != 3 || len(pub.got) != 3 {
		t.Errorf("the supervisor's second decision: %+v (want decided, on the three records, published)", second)
	}

	// None of them: the tied record kept apart from each person it
	// matched (the groups said, not left to the persons the registry
	// holds the records in when it applies the ruling); the persons
	// themselves are left to their guards.
	neither, tiedN, _, recsN, _ := env.SeedTie(t, "c_tie_neither", 3)
	d = decide(rev, neither, map[string]string{"decision": "different_persons"}, http.StatusOK)
	if d.StatusAfter != schemas.StatusDecided || len(d.RecordIDs) != 4 ||
		!slices.EqualFunc(d.Groups, [][]string{{tiedN}, {recsN[0], recsN[1], recsN[2]}}, slices.Equal) {
		t.Errorf("none of three: %+v", d)
	}
}

func sorted(ids ...string) []string { return slices.Sorted(slices.Values(ids)) }

// auditHas reports whether an audit entry on conflict id says want.
func auditHas(t *testing.T, env *webtest.Env, id, want string) bool {
	t.Helper()
	var n uint64
	if err := env.Conn.QueryRow(context.Background(), "SELECT count() FROM audit_log WHERE object_id = $1 AND position(detail, $2) > 0", id, want).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestTiePageOffersTheRulings: the conflict page of an ambiguous_tie
// offers each person (named, number masked), none of them, the override
// and field verification — not the same-person choice that merged the
// namesakes — and its form places the record.
func TestTiePageOffersTheRulings(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	rev := env.Login(t, "rev")
	id, tied, _, recs, persons := env.SeedTie(t, "c_tie_page", 3)
	st, b := rev.Do(t, "GET", "/conflicts/"+id, nil)
	page := string(b)
	if st != http.StatusOK {
		t.Fatalf("page: %d", st)
	}
	for _, want := range []string{`value="record:` + recs[0] + `"`, `value="record:` + recs[2] + `"`, persons[0], persons[2], `value="neither"`, `value="one"`,
		`value="needs_verification"`, "0011******36", "are one person after all", tied} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, `value="same_person"`) {
		t.Errorf("the page offers a same_person over all the records")
	}
	st, _ = rev.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+rev.CSRF+"&tie=record:"+url.QueryEscape(recs[2])+"&note=")
	if st != http.StatusOK && st != http.StatusSeeOther {
		t.Fatalf("the form: %d", st)
	}
	if len(pub.got) != 1 || !slices.Equal(pub.got[0].RecordIDs, sorted(tied, recs[2])) || pub.got[0].Decision != schemas.DecisionSamePerson {
		t.Errorf("published %+v, want same_person on %s and %s", pub.got, tied, recs[2])
	}
	// A supervisor's correction form offers the same rulings, but field
	// verification (a correction cannot take it).
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	_, b = env.Login(t, "sup").Do(t, "GET", "/conflicts/"+id, nil)
	form := string(b)
	if i := strings.Index(form, `id="correct"`); i < 0 {
		t.Errorf("no correction form on the decided tie")
	} else if form = form[i:]; !strings.Contains(form, `value="record:`+recs[0]+`"`) || !strings.Contains(form, `value="neither"`) ||
		!strings.Contains(form, `value="one"`) || strings.Contains(form, "needs_verification") || strings.Contains(form, `value="same_person"`) {
		t.Errorf("the correction form of a tie: %s", form)
	}
}

// TestBrowserTieRuling: a reviewer of Hà Nội rules on an ambiguous_tie in
// Chromium: the page names the tied record and each person it matches
// (numbers masked in the choices), the reviewer picks the second person,
// and the decision in ClickHouse is a same_person on the tied record and
// that person's record only; the page then shows it decided, and the
// ruling's records in the decisions list.
func TestBrowserTieRuling(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id, tied, _, recs, persons := env.SeedTie(t, "c4e7b2a91d03", 2)
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	dir := shotDir(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "open the tie", chromedp.Navigate(env.URL+"/conflicts/"+id), chromedp.WaitVisible("#decide")); err != nil {
		t.Fatal(err)
	}
	form := run(t, ctx, chromedp.Text("#decide"))
	writePNG(t, filepath.Join(dir, "desk-tie.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	for _, want := range []string{tied, "matches 2 persons equally", persons[0], persons[1], "0011******34", "0011******35", "None of them", "are one person after all", "Needs field verification"} {
		if !strings.Contains(form, want) {
			t.Errorf("the ruling form lacks %q: %q", want, form)
		}
	}
	if strings.Contains(form, "001190001235") {
		t.Errorf("the ruling form shows a candidate's number unmasked: %q", form)
	}
	ruleInBrowser(t, ctx, `input[name="tie"][value="record:`+recs[1]+`"]`, "cùng ngày cấp giấy khai sinh")
	if list := run(t, ctx, chromedp.Text("#decisions")); !strings.Contains(list, recs[1]) {
		t.Errorf("the decisions list does not name the ruling's records: %q", list)
	}
	writePNG(t, filepath.Join(dir, "desk-tie-decided.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	ds, err := env.Store.Decisions(context.Background(), id)
	if err != nil || len(ds) != 1 || ds[0].Decision != schemas.DecisionSamePerson || !slices.Equal(ds[0].RecordIDs, sorted(tied, recs[1])) {
		t.Errorf("decisions in ClickHouse: %+v %v", ds, err)
	}
}
