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
	onePerson := func(id string) string {
		env.SeedConflict(t, id, schemas.ConflictSharedID, "01", "01", "01")
		env.Exec(t,
			`INSERT INTO links (record_id, person_id, match_probability, version) SELECT record_id, 'p_`+id+`', 1, 2 FROM records WHERE startsWith(record_id, 'r_`+id+`_')`,
			`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
VALUES ('`+id+`', 'shared_id', '', '001090012345', ['p_`+id+`'], ['r_`+id+`_0', 'r_`+id+`_1', 'r_`+id+`_2'], 0.9, 'one person', 'open', 2)`)
		return id
	}
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
		if st != http.StatusOK || strings.Contains(string(page), `value="different_persons"`) || !strings.Contains(string(page), `value="same_person"`) {
			t.Errorf("the page of three records of one person (%s) offers different persons, or not same person (%d)", what, st)
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
	if st, page := sup.Do(t, "GET", "/conflicts/"+merged, nil); st != http.StatusOK || !strings.Contains(string(page), `id="correct"`) || strings.Contains(string(page), `value="different_persons"`) {
		t.Errorf("the correction form of three records of one person offers different persons, or is missing (%d)", st)
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
