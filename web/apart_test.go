package web_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestApartRulingOnOnePersonNeedsNumbers: a different_persons ruling keeps
// apart the persons the registry holds the records in; on three records
// or more of one person the registry tells the persons apart by the
// records' valid 12-digit numbers, and refuses the ruling when one has
// none or they are all the same (registry.apartGroups). The desk accepted
// it and showed the conflict decided while the registry sent the ruling
// to the dead letters; it now answers 400 and does not offer the choice.
func TestApartRulingOnOnePersonNeedsNumbers(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	// Three records of one person (SeedConflict gives each its own, all
	// with the number 001090012345).
	onePerson := func(id string) string { return seedOnePerson(t, env, id) }
	id := onePerson("c_in_one")
	many := env.SeedConflict(t, "c_three", schemas.ConflictSharedID, "01", "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	c := env.Login(t, "rev")
	setNumber := func(n string) {
		t.Helper()
		env.Exec(t, `ALTER TABLE records UPDATE id_number = '`+n+`' WHERE record_id = 'r_c_in_one_2' SETTINGS mutations_sync = 1`)
	}
	path := "/api/conflicts/" + id + "/decision"
	refused := func(what string) {
		t.Helper()
		st, body := c.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionDifferentPersons})
		if st != http.StatusBadRequest || !strings.Contains(string(body), "one person") || !strings.Contains(string(body), "needs_verification") {
			t.Errorf("different_persons on three records of one person (%s): %d %s, want 400 saying they are one person's", what, st, body)
		}
		st, page := c.Do(t, "GET", "/conflicts/"+id, nil)
		if st != http.StatusOK || !strings.Contains(string(page), `name="group_r_c_in_one_2"`) || !strings.Contains(string(page), "Different persons needs the records") ||
			!strings.Contains(string(page), `value="same_person"`) {
			t.Errorf("the page of three records of one person (%s) does not ask which records go together, or does not offer same person (%d)", what, st)
		}
	}
	refused("all the same number")
	st, page := c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=different_persons")
	if st != http.StatusBadRequest || !strings.Contains(string(page), "one person") {
		t.Errorf("different_persons from the form: %d, want 400 with the reason", st)
	}
	setNumber("12345")
	refused("one without a valid number")
	if ds, _ := env.Store.Decisions(context.Background(), id); len(ds) != 0 || len(pub.got) != 0 {
		t.Fatalf("refused rulings stored (%d) or published (%d)", len(ds), len(pub.got))
	}
	// A supervisor's correction of same_person is the same ruling.
	sup, merged := env.Login(t, "sup"), onePerson("c_merged")
	if st, body := sup.Do(t, "POST", "/api/conflicts/"+merged+"/decision", map[string]string{"decision": schemas.DecisionSamePerson}); st != http.StatusOK {
		t.Fatalf("same_person: %d %s", st, body)
	}
	if st, body := sup.Do(t, "POST", "/api/conflicts/"+merged+"/correction", map[string]string{"decision": schemas.DecisionDifferentPersons, "reason": "x"}); st != http.StatusBadRequest ||
		!strings.Contains(string(body), "one person") {
		t.Errorf("a correction to different_persons on three records of one person: %d %s, want 400", st, body)
	}
	// The correction form offers different persons with the grouping, as
	// the decision form does.
	if st, page := sup.Do(t, "GET", "/conflicts/"+merged, nil); st != http.StatusOK || !strings.Contains(string(page), `id="correct-groups"`) ||
		!strings.Contains(string(page), "Different persons needs the records") {
		t.Errorf("the correction form of three records of one person does not ask which records go together, or is missing (%d)", st)
	}
	published := len(pub.got)

	// Three persons, or one person whose numbers tell two apart: the
	// registry applies the ruling, and the desk takes it.
	if st, page := c.Do(t, "GET", "/conflicts/"+many, nil); st != http.StatusOK || !strings.Contains(string(page), `value="different_persons"`) {
		t.Errorf("the page of three persons' records does not offer different persons (%d)", st)
	}
	setNumber("001091012346")
	if st, page := c.Do(t, "GET", "/conflicts/"+id, nil); st != http.StatusOK || !strings.Contains(string(page), `value="different_persons"`) {
		t.Errorf("the page of one person's records with two valid numbers does not offer different persons (%d)", st)
	}
	if st, body := c.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionDifferentPersons}); st != http.StatusOK {
		t.Errorf("different_persons on one person's records with two valid numbers: %d %s", st, body)
	}
	if len(pub.got) != published+1 {
		t.Errorf("%d rulings published, want %d", len(pub.got), published+1)
	}
}

// seedOnePerson seeds conflict id of Hà Nội (01) on three records
// r_<id>_0..2 that are all one person's, p_<id>, with the same number.
func seedOnePerson(t *testing.T, env *webtest.Env, id string) string {
	t.Helper()
	env.SeedConflict(t, id, schemas.ConflictSharedID, "01", "01", "01")
	env.Exec(t,
		`INSERT INTO links (record_id, person_id, match_probability, version) SELECT record_id, 'p_`+id+`', 1, 2 FROM records WHERE startsWith(record_id, 'r_`+id+`_')`,
		`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
VALUES ('`+id+`', 'shared_id', '', '001090012345', ['p_`+id+`'], ['r_`+id+`_0', 'r_`+id+`_1', 'r_`+id+`_2'], 0.9, 'one person', 'open', 2)`)
	return id
}

// TestApartRulingWithGroups: the reviewer says which records go together
// (groups) on POST /api/conflicts/{id}/decision. On three records of one
// person that their numbers cannot tell apart, a valid grouping is taken
// (stored, published and labelled as said); a grouping that is not each
// of the conflict's records in exactly one of two groups or more, or
// groups on another decision, is 400 and leaves nothing; another
// province's caller gets 404 whatever the groups.
func TestApartRulingWithGroups(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := seedOnePerson(t, env, "c_groups")
	r0, r1, r2 := "r_c_groups_0", "r_c_groups_1", "r_c_groups_2"
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "rev-other", store.RoleReviewer, "46")
	c, other := env.Login(t, "rev"), env.Login(t, "rev-other")
	path := "/api/conflicts/" + id + "/decision"
	type body struct {
		Decision string     `json:"decision"`
		Groups   [][]string `json:"groups,omitempty"`
	}
	for _, tc := range []struct {
		name   string
		client *webtest.Client
		in     body
		status int
		want   string // in the answer
	}{
		{"one group", c, body{schemas.DecisionDifferentPersons, [][]string{{r0, r1, r2}}}, http.StatusBadRequest, "two groups or more"},
		{"a record left out", c, body{schemas.DecisionDifferentPersons, [][]string{{r0}, {r1}}}, http.StatusBadRequest, "in no group: " + r2},
		{"a record twice", c, body{schemas.DecisionDifferentPersons, [][]string{{r0, r1}, {r1, r2}}}, http.StatusBadRequest, "more than one group"},
		{"another conflict's record", c, body{schemas.DecisionDifferentPersons, [][]string{{r0, r1}, {r2, "r_c_other_0"}}}, http.StatusBadRequest, "not one of"},
		{"an empty group", c, body{schemas.DecisionDifferentPersons, [][]string{{r0, r1}, {}, {r2}}}, http.StatusBadRequest, "empty"},
		{"groups on same_person", c, body{schemas.DecisionSamePerson, [][]string{{r0, r1}, {r2}}}, http.StatusBadRequest, "only a different_persons"},
		{"groups on needs_verification", c, body{schemas.DecisionNeedsVerification, [][]string{{r0, r1}, {r2}}}, http.StatusBadRequest, "only a different_persons"},
		{"no groups", c, body{Decision: schemas.DecisionDifferentPersons}, http.StatusBadRequest, "one person"},
		{"another province", other, body{schemas.DecisionDifferentPersons, [][]string{{r0, r2}, {r1}}}, http.StatusNotFound, "not found"},
	} {
		st, resp := tc.client.Do(t, "POST", path, tc.in)
		if st != tc.status || !strings.Contains(string(resp), tc.want) {
			t.Errorf("%s: %d %s, want %d saying %q", tc.name, st, resp, tc.status, tc.want)
		}
	}
	if ds, _ := env.Store.Decisions(context.Background(), id); len(ds) != 0 || len(pub.got) != 0 {
		t.Fatalf("refused rulings stored (%d) or published (%d)", len(ds), len(pub.got))
	}

	groups := [][]string{{r0, r2}, {r1}}
	st, resp := c.Do(t, "POST", path, body{schemas.DecisionDifferentPersons, groups})
	if st != http.StatusOK {
		t.Fatalf("a valid grouping: %d %s", st, resp)
	}
	ds, err := env.Store.Decisions(context.Background(), id)
	if err != nil || len(ds) != 1 || !reflect.DeepEqual(ds[0].Groups, groups) {
		t.Fatalf("stored %+v (%v), want one ruling with groups %v", ds, err, groups)
	}
	if len(pub.got) != 1 || !reflect.DeepEqual(pub.got[0].Groups, groups) {
		t.Errorf("published %+v, want one ruling with groups %v", pub.got, groups)
	}
	// The labels: the pairs across the groups are non-matches, the pair
	// within one says nothing (the records are all one person's: without
	// the groups there would be none).
	ls, err := env.Store.Labels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range ls {
		got = append(got, fmt.Sprintf("%s %s %v", l.A, l.B, l.Match))
	}
	if want := []string{r0 + " " + r1 + " false", r1 + " " + r2 + " false"}; !slices.Equal(got, want) {
		t.Errorf("labels %v, want %v", got, want)
	}
	// The page's control: a person number per record; a record left
	// unset is refused with the page again, a full choice is the ruling.
	form := seedOnePerson(t, env, "c_form")
	post := func(choice string) (int, []byte) {
		return c.Form(t, "/conflicts/"+form+"/decision", "csrf_token="+c.CSRF+"&decision=different_persons"+choice)
	}
	if st, page := post("&group_r_c_form_0=2&group_r_c_form_1=1"); st != http.StatusBadRequest || !strings.Contains(string(page), "in no group: r_c_form_2") {
		t.Errorf("the form with a record left unset: %d, want 400 naming it", st)
	}
	if st, _ := post("&group_r_c_form_0=2&group_r_c_form_1=1&group_r_c_form_2=2"); st != http.StatusSeeOther {
		t.Errorf("the form with every record's person: %d, want 303", st)
	}
	if ds, err := env.Store.Decisions(context.Background(), form); err != nil || len(ds) != 1 ||
		!reflect.DeepEqual(ds[0].Groups, [][]string{{"r_c_form_1"}, {"r_c_form_0", "r_c_form_2"}}) {
		t.Errorf("the form's ruling stored %+v (%v), want groups {1} {0, 2}", ds, err)
	}
}

// TestBrowserGroupsRecords: a reviewer, in a real Chromium, rules that
// three records of one person are two people by giving each record its
// person's number on the conflict page; the decision stored carries the
// groups as chosen.
func TestBrowserGroupsRecords(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := seedOnePerson(t, env, "c_pick")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "open the conflict", chromedp.Navigate(env.URL+"/conflicts/"+id), chromedp.WaitVisible("#groups")); err != nil {
		t.Fatal(err)
	}
	err := webtest.Do(ctx, "choose the groups",
		chromedp.Click(`input[name="decision"][value="different_persons"]`),
		chromedp.SetValue(`select[name="group_r_c_pick_0"]`, "1"),
		chromedp.SetValue(`select[name="group_r_c_pick_1"]`, "2"),
		chromedp.SetValue(`select[name="group_r_c_pick_2"]`, "1"),
		chromedp.SendKeys(`textarea[name="note"]`, "Bản ghi thứ hai là người anh"),
	)
	if err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-groups.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if err := webtest.Do(ctx, "decide", chromedp.Click("#submit-decision"), chromedp.WaitNotPresent("#decide")); err != nil {
		t.Fatal(err)
	}
	if status := run(t, ctx, chromedp.Text("#status")); status != "decided" {
		t.Errorf("status after the decision: %q", status)
	}
	ds, err := env.Store.Decisions(context.Background(), id)
	want := [][]string{{"r_c_pick_0", "r_c_pick_2"}, {"r_c_pick_1"}}
	if err != nil || len(ds) != 1 || ds[0].Decision != schemas.DecisionDifferentPersons || !reflect.DeepEqual(ds[0].Groups, want) {
		t.Errorf("decisions stored: %+v %v, want one different_persons with groups %v", ds, err, want)
	}
}
