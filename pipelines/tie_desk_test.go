package pipelines_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// tieList is a commune's list with two ties: each name has two namesakes
// born the same year on different days and a record giving only that
// year, whose links to both weigh exactly the same (acc30: it joins
// neither, and the registry raises an ambiguous_tie).
const tieList = `STT,Mã bản ghi,Họ và tên,Ngày sinh,Giới tính,Nơi thường trú
1,HK1,Cầm Thị Phanh,22/03/1990,Nữ,"Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội"
2,HK2,Cầm Thị Phanh,05/10/1990,Nữ,"Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội"
3,CA7,Cầm Thị Phanh,1990,Nữ,"Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội"
4,HK4,Lò Văn Sáng,14/02/1985,Nam,"Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội"
5,HK5,Lò Văn Sáng,30/08/1985,Nam,"Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội"
6,CA8,Lò Văn Sáng,1985,Nam,"Xã Tân Xã, Huyện Thạch Thất, Thành phố Hà Nội"
`

// TestDeskTieRulings is the desk's rulings on an ambiguous_tie end to
// end, on the real broker and engine: the list goes through import,
// match and load, and the registry raises both ties; a reviewer of Hà
// Nội finds each in the desk with the tied record named, and rules. "It
// is person B" (HK2) joins the year-only record to B alone in ClickHouse's
// links, with a merge in person_events citing the decision; a supervisor
// corrects it to person A (HK1: the record leaves B for A) and then to
// "none of them" (three persons). On the other tie, "the namesakes are
// one person" waits for a supervisor's second decision and changes
// nothing until then; the second merges the three records. Each conflict
// is decided in the desk, out of the open queue.
func TestDeskTieRulings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ds_20240501.csv")
	if err := os.WriteFile(path, []byte(tieList), 0o644); err != nil {
		t.Fatal(err)
	}
	e.importFile(t, path, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	e.runStages(t)
	e.drain(t)

	rec := map[string]string{} // source code → record id
	rows, err := e.conn.Query(ctx, "SELECT source_record_id, record_id FROM records FINAL")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var src, id string
		if err := rows.Scan(&src, &id); err != nil {
			t.Fatal(err)
		}
		rec[src] = id
	}
	rows.Close()
	if len(rec) != 6 {
		t.Fatalf("records loaded: %v", rec)
	}
	tieOf := func(code string) string {
		t.Helper()
		var id string
		if err := e.conn.QueryRow(ctx, "SELECT conflict_id FROM conflicts FINAL WHERE kind = $1 AND status = 'open' AND has(record_ids, $2)",
			schemas.ConflictAmbiguousTie, rec[code]).Scan(&id); err != nil {
			t.Fatalf("the open ambiguous_tie of %s: %v", code, err)
		}
		return id
	}
	phanh, sang := tieOf("CA7"), tieOf("CA8")

	desk := e.startDesk(t)
	desk.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	desk.AddUser(t, "sup.hn", store.RoleSupervisor, "01")
	rev, sup := desk.Login(t, "reviewer.hn"), desk.Login(t, "sup.hn")
	personOf := func(code string) string { return e.personsOf(t, []string{rec[code]})[0] }
	rule := func(c *webtest.Client, id, path string, body map[string]string) schemas.Decision {
		t.Helper()
		st, b := c.Do(t, "POST", "/api/conflicts/"+id+path, body)
		var d schemas.Decision
		if st != http.StatusOK || json.Unmarshal(b, &d) != nil {
			t.Fatalf("%s %v: %d %s", path, body, st, b)
		}
		return d
	}
	// together reports which of the codes' records share one person, as
	// ClickHouse links them: the codes grouped.
	apart := func(when string, groups ...[]string) {
		t.Helper()
		seen := map[string]int{}
		for g, codes := range groups {
			for _, c := range codes {
				p := personOf(c)
				if h, ok := seen[p]; ok && h != g || personOf(codes[0]) != p {
					t.Errorf("%s: %v not the persons %v", when, codes, groups)
				}
				seen[p] = g
			}
		}
	}

	// The desk names the tied record and its candidates.
	st, b := rev.Do(t, "GET", "/api/conflicts/"+phanh, nil)
	var shown struct {
		Tie struct {
			RecordIDs  []string `json:"record_ids"`
			Candidates []struct {
				PersonID string `json:"person_id"`
			} `json:"candidates"`
		} `json:"tie"`
	}
	if st != http.StatusOK || json.Unmarshal(b, &shown) != nil || !slices.Equal(shown.Tie.RecordIDs, []string{rec["CA7"]}) || len(shown.Tie.Candidates) != 2 {
		t.Fatalf("the tie on the desk: %d %s", st, b)
	}

	// records is the record count persons FINAL holds for code's person.
	records := func(code string) uint64 {
		t.Helper()
		var n uint32
		if err := e.conn.QueryRow(ctx, "SELECT record_count FROM persons FINAL WHERE person_id = $1", personOf(code)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return uint64(n)
	}

	d := rule(rev, phanh, "/decision", map[string]string{"decision": schemas.DecisionSamePerson, "person": personOf("HK2"), "note": "cùng hộ khẩu"})
	e.waitDecisionEvent(t, d.DecisionID, schemas.PersonMerge)
	apart("it is B", []string{"CA7", "HK2"}, []string{"HK1"})
	if n := records("CA7"); n != 2 || d.StatusAfter != schemas.StatusDecided {
		t.Errorf("it is B: the person holds %d records in persons, the ruling %s (want 2, decided)", n, d.StatusAfter)
	}

	fix := rule(sup, phanh, "/correction", map[string]string{"decision": schemas.DecisionSamePerson, "person": personOf("HK1"), "reason": "nhầm người"})
	e.waitDecisionEvent(t, fix.DecisionID, "")
	apart("corrected to A", []string{"CA7", "HK1"}, []string{"HK2"})

	fix = rule(sup, phanh, "/correction", map[string]string{"decision": schemas.DecisionDifferentPersons, "reason": "không phải ai trong hai người"})
	e.waitDecisionEvent(t, fix.DecisionID, "")
	apart("corrected to none of them", []string{"CA7"}, []string{"HK1"}, []string{"HK2"})

	// The override: two officers.
	first := rule(rev, sang, "/decision", map[string]string{"decision": schemas.DecisionSamePerson, "note": "một người"})
	if first.StatusAfter != schemas.StatusAwaitingSecond {
		t.Fatalf("the override by a reviewer: %+v, want awaiting_second", first)
	}
	e.drain(t)
	apart("after the first of two", []string{"CA8"}, []string{"HK4"}, []string{"HK5"})
	second := rule(sup, sang, "/decision", map[string]string{"decision": schemas.DecisionSamePerson, "note": "xác minh: một người"})
	e.waitDecisionEvent(t, second.DecisionID, schemas.PersonMerge)
	apart("after the second", []string{"CA8", "HK4", "HK5"})
	if n := records("CA8"); n != 3 {
		t.Errorf("after the second: the person holds %d records in persons, want 3", n)
	}

	st, b = rev.Do(t, "GET", "/api/conflicts?status=open&kind="+schemas.ConflictAmbiguousTie, nil)
	var open struct {
		Total int `json:"total"`
	}
	if st != http.StatusOK || json.Unmarshal(b, &open) != nil || open.Total != 0 {
		t.Errorf("open ambiguous_tie conflicts after the rulings: %d %s", st, b)
	}
}
