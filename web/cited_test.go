package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestExplanationCitesARecordOutside (user22, 6 December 2026): a
// conflict's explanation compares a pair of records ("A ↔ B", the pair
// that linked its persons), one of which may not be among the conflict's
// records (a two_ids conflict holds the records carrying the numbers).
// The page showed the comparison, the reviewer could not find the
// record. Now the page and the API name it, with its person, as not in
// this conflict, and the opening's audit names it (the comparison shows
// its values); a record of the conflict compared is not named so.
func TestExplanationCitesARecordOutside(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_ci", schemas.ConflictTwoIDs, "01", "01")
	env.Exec(t,
		`INSERT INTO records (record_id, full_name, birth_year, sex, perm_province_code, perm_new_province_code) VALUES ('r_c_ci_x', 'Nguyễn Văn An', 1990, 'M', '01', '01')`,
		`INSERT INTO links (record_id, person_id, match_probability, version) VALUES ('r_c_ci_x', 'p_c_ci_0', 1, 1)`)
	expl := "records match with probability 0.990 but carry two valid numbers 0010******45 and 0010******46: one person with two numbers, or two people\n\n" +
		"r_c_ci_x ↔ r_c_ci_1\ncomparison           level\nprior (λ)                -9.00\ntotal                     6.00\nmatch probability 0.990000\n"
	b, err := env.Conn.PrepareBatch(context.Background(), "INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append(id, schemas.ConflictTwoIDs, "", "001090012345", []string{"p_c_ci_0", "p_c_ci_1"}, []string{"r_c_ci_0", "r_c_ci_1"}, 0.99, expl, "open", uint64(2)); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	rev := env.Login(t, "rev")

	st, body := rev.Do(t, "GET", "/conflicts/"+id, nil)
	page := string(body)
	if st != http.StatusOK || !strings.Contains(page, "r_c_ci_x ↔ r_c_ci_1") {
		t.Fatalf("GET /conflicts/%s: %d, explanation not shown: %.300s", id, st, page)
	}
	if want := `Record <span class="mono">r_c_ci_x</span>, compared above, is a record of person <span class="mono">p_c_ci_0</span>, not in this conflict`; !strings.Contains(page, want) {
		t.Errorf("the page does not name the record compared outside the conflict: want %q", want)
	}
	if strings.Contains(page, `Record <span class="mono">r_c_ci_1</span>, compared above`) {
		t.Error("the page names a record of the conflict as not in it")
	}

	st, body = rev.Do(t, "GET", "/api/conflicts/"+id, nil)
	var d struct {
		Cited []struct {
			RecordID string `json:"record_id"`
			PersonID string `json:"person_id"`
		} `json:"cited_records"`
	}
	if err := json.Unmarshal(body, &d); st != http.StatusOK || err != nil || len(d.Cited) != 1 || d.Cited[0].RecordID != "r_c_ci_x" || d.Cited[0].PersonID != "p_c_ci_0" {
		t.Errorf("GET /api/conflicts/%s: %d %v, cited_records %+v; want r_c_ci_x of p_c_ci_0 alone", id, st, err, d.Cited)
	}

	es, err := env.Store.AuditLog(t.Context(), store.Scope{National: true}, store.AuditFilter{ObjectID: "r_c_ci_x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("audit entries naming r_c_ci_x: %+v, want the two openings", es)
	}
	for _, e := range es {
		if e.Action != store.ActionOpenConflict || e.ObjectID != id || !strings.Contains(e.Detail, "cited records r_c_ci_x") {
			t.Errorf("audit entry %+v, want an opening of %s naming cited records r_c_ci_x", e, id)
		}
	}
}
