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

// TestConflictPageSaysUTC: the conflict page's times (the decisions, the
// persons' histories, the merges and splits) say they are UTC, as the
// audit log's header does, and a person left with one record has "1
// record", not "1 records" (user31: a reviewer in Vietnam, UTC+7, read a
// decision taken at 23:30 his time as 16:30, with no zone said).
func TestConflictPageSaysUTC(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_utc", schemas.ConflictSharedID, "01", "01")
	env.Exec(t, `INSERT INTO person_events (event_id, kind, person_id, others, records, reason, version, at)
VALUES ('e_utc', 'split', 'p_c_utc_0', ['p_c_utc_1'], 1, 'decision:d_utc', 2, '2026-12-07 16:31:29')`)
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	c := env.Login(t, "reviewer.hn")
	if st, b := c.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "different_persons", "note": "khác người"}); st != http.StatusOK {
		t.Fatalf("decide: %d %s", st, b)
	}
	st, body := c.Do(t, "GET", "/conflicts/"+id, nil)
	page := string(body)
	if st != http.StatusOK {
		t.Fatalf("GET /conflicts/%s: %d", id, st)
	}
	for _, want := range []string{"<th>updated (UTC)</th>", "2026-12-07 16:31 UTC:", "(1 record after;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the conflict page lacks %q", want)
		}
	}
	decisions := page[strings.Index(page, `id="decisions"`):]
	decisions = decisions[:strings.Index(decisions, "</ol>")]
	if !strings.Contains(decisions, " UTC — ") {
		t.Errorf("the decision's time says no zone: %s", decisions)
	}
}

// TestQueueNumbersWrap: a two_ids's two masked numbers may wrap between
// them in the queue, so that its ID column is one number wide, not two
// (user31: at 1280 px a national supervisor's queue with two_ids was 8 px
// wider than its box, cutting the Open links at its right edge).
func TestQueueNumbersWrap(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_two", schemas.ConflictTwoIDs, "01", "01")
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, '001090012345;001090054321', person_ids, record_ids, score, explanation, status, version + 1
FROM conflicts FINAL WHERE conflict_id = '`+id+`'`)
	env.AddUser(t, "sup", store.RoleSupervisor)
	st, body := env.Login(t, "sup").Do(t, "GET", "/conflicts", nil)
	if st != http.StatusOK {
		t.Fatalf("GET /conflicts: %d", st)
	}
	if !strings.Contains(string(body), "0010******45;<wbr>0010******21") {
		t.Errorf("the queue's two numbers cannot wrap between them: %s", body)
	}
}
