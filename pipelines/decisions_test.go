package pipelines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
	"github.com/segmentio/kafka-go"
)

// A police decision published on dancu.decisions reaches the registry:
// the two records it says are different people end in two persons, and
// person_events in ClickHouse has the split citing the decision.
func TestDecisionSplitsPerson(t *testing.T) {
	e := newLoadedEnv(t, 150)
	ctx := context.Background()
	var pid string
	var recs []string
	if err := e.conn.QueryRow(ctx, "SELECT person_id, arraySort(groupArray(record_id)) FROM links FINAL GROUP BY person_id HAVING count() = 2 ORDER BY person_id LIMIT 1").Scan(&pid, &recs); err != nil {
		t.Fatalf("a person with two records: %v", err)
	}
	d := schemas.Decision{DecisionID: "dtest1", PersonIDs: []string{pid}, RecordIDs: recs, Decision: schemas.DecisionDifferentPersons,
		User: "reviewer", DecidedAt: time.Now().UTC()}
	v, _ := json.Marshal(d)
	w, err := kafkax.NewWriter(e.brokers, pipelines.TopicDecisions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(d.DecisionID), Value: v}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		if e.count(t, "SELECT count() FROM person_events FINAL WHERE reason = 'decision:dtest1' AND kind = 'split'") == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no split event citing the decision in person_events after a minute")
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.drain(t)
	var persons uint64
	if err := e.conn.QueryRow(ctx, "SELECT uniqExact(person_id) FROM links FINAL WHERE record_id IN ($1, $2)", recs[0], recs[1]).Scan(&persons); err != nil {
		t.Fatal(err)
	}
	if persons != 2 {
		t.Errorf("after different_persons, records %v are in %d persons, want 2", recs, persons)
	}
}

// The review desk decides "different persons" on a conflict between a
// person of two records and a person of one (the Trần Tiên case); the
// match stage applies it (it reaches the registry's changelog) and the
// person of two keeps both records: a decision separates the persons the
// reviewer saw, not the records of one of them.
func TestDeskDifferentPersonsKeepsEachPerson(t *testing.T) {
	e := newLoadedEnv(t, 150)
	ctx := context.Background()
	// A person of two records and a person of one, of one province.
	var prov, pa, pb string
	var recsA []string
	var recB string
	err := e.conn.QueryRow(ctx, `
WITH l AS (SELECT record_id, person_id, count() OVER (PARTITION BY person_id) AS n FROM links FINAL),
     r AS (SELECT record_id, perm_new_province_code AS prov FROM records FINAL WHERE perm_new_province_code != ''),
     lr AS (SELECT l.person_id AS person_id, l.record_id AS record_id, l.n AS n, r.prov AS prov FROM l JOIN r ON r.record_id = l.record_id),
     two AS (SELECT person_id, any(prov) AS p2, arraySort(groupArray(record_id)) AS recs FROM lr WHERE n = 2 GROUP BY person_id HAVING uniqExact(prov) = 1),
     one AS (SELECT person_id, prov, record_id FROM lr WHERE n = 1)
SELECT two.p2, two.person_id, two.recs, one.person_id, one.record_id
FROM two JOIN one ON one.prov = two.p2 ORDER BY two.person_id, one.person_id LIMIT 1`).Scan(&prov, &pa, &recsA, &pb, &recB)
	if err != nil || len(recsA) != 2 {
		t.Fatalf("a person of two records and one of one record in one province: %v %v", err, recsA)
	}
	conflictID := "c_trantien_" + prov
	e.addConflict(t, conflictID, schemas.ConflictSharedID, []string{pa, pb}, append(slices.Clone(recsA), recB), 0,
		"number on the records of 2 different persons")
	desk := e.startDesk(t)
	desk.AddUser(t, "reviewer.split", store.RoleReviewer, prov)
	status, body := desk.Login(t, "reviewer.split").Do(t, "POST", "/api/conflicts/"+conflictID+"/decision",
		map[string]string{"decision": schemas.DecisionDifferentPersons, "note": "hai người khác nhau"})
	var d schemas.Decision
	if status != http.StatusOK || json.Unmarshal(body, &d) != nil || d.DecisionID == "" {
		t.Fatalf("decide: %d %s", status, body)
	}

	// Applied: the match stage commits a decision once its output is
	// written (WaitDrained does not wait for the decisions), and the
	// registry's changelog has it (a refusal would be in the dead letters
	// instead).
	deadline := time.Now().Add(time.Minute)
	for {
		lags, err := kafkax.Lag(ctx, e.brokers, "dancu-match-decisions", kafkax.TopicDecisions)
		if err != nil {
			t.Fatal(err)
		}
		var behind int64
		for _, l := range lags {
			behind += l.Lag
		}
		if behind == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the decision is not applied after a minute (%d behind)", behind)
		}
		time.Sleep(100 * time.Millisecond)
	}
	r, err := kafkax.NewReader(e.brokers, "test-changelog", kafkax.TopicRegistryChangelog)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		m, err := r.FetchMessage(rctx)
		if err != nil {
			t.Fatalf("decision %s not on the registry's changelog: %v", d.DecisionID, err)
		}
		if strings.HasPrefix(string(m.Key), "decision:"+d.DecisionID+"@") {
			break
		}
	}
	e.drain(t)
	q := fmt.Sprintf("SELECT count() FROM person_events FINAL WHERE reason = 'decision:%s'", d.DecisionID)
	if n := e.count(t, q); n != 0 {
		t.Errorf("the decision caused %d person events, want none (the persons were already apart)", n)
	}
	var persons []string
	if err := e.conn.QueryRow(ctx, "SELECT groupArray(person_id) FROM (SELECT person_id FROM links FINAL WHERE record_id IN ($1, $2, $3) ORDER BY record_id)",
		recsA[0], recsA[1], recB).Scan(&persons); err != nil {
		t.Fatal(err)
	}
	links := map[string]bool{}
	for _, p := range persons {
		links[p] = true
	}
	if len(persons) != 3 || len(links) != 2 || !links[pa] || !links[pb] {
		t.Errorf("after different_persons, records %v and %s are in persons %v, want %s twice and %s", recsA, recB, persons, pa, pb)
	}
}

// A supervisor's correction that only regroups a different_persons
// ruling, through the desk and the match stage: a person of three records
// of one number ruled {0, 1} {2}, then corrected to {0} {1, 2}; the desk
// accepts the correction, the registry withdraws the first ruling's
// cannot-link between 1 and 2, and they are one person again (their
// evidence links them), 0 apart from both.
func TestDeskRegroupingCorrection(t *testing.T) {
	e := newLoadedEnv(t, 150)
	pid, recs := e.recordsOfOneNumber(t, 3)
	id := "c_regroup"
	e.addConflict(t, id, schemas.ConflictSharedID, []string{pid}, recs, 0, "three records of one number")
	desk := e.startDesk(t)
	first := deskRule(t, desk, id, "admin.first", "/decision", deskRuling{Decision: schemas.DecisionDifferentPersons, Groups: [][]string{{recs[0], recs[1]}, {recs[2]}}})
	e.waitDecisionEvent(t, first.DecisionID, schemas.PersonSplit)
	if ps := e.personsOf(t, recs); ps[0] != ps[1] || ps[0] == ps[2] {
		t.Fatalf("after {0, 1} {2}: persons %v", ps)
	}
	fix := deskRule(t, desk, id, "sup.fix", "/correction", deskRuling{schemas.DecisionDifferentPersons, "bản ghi 1 là người của bản ghi 2", [][]string{{recs[0]}, {recs[1], recs[2]}}})
	e.waitDecisionEvent(t, fix.DecisionID, "")
	if ps := e.personsOf(t, recs); ps[1] != ps[2] || ps[0] == ps[1] {
		t.Errorf("after the correction {0} {1, 2}: persons %v (want 1 and 2 one person, 0 apart)", ps)
	}
}

// A supervisor's correction from same person to different persons,
// through the desk and the match stage: three records of three persons
// the model keeps apart, ruled the same person, then corrected to {0, 1}
// {2}; the registry withdraws the first ruling's must-links and, as 0
// and 1's evidence does not link them, the three are three persons again.
func TestDeskSamePersonCorrectedToDifferentPersons(t *testing.T) {
	e := newLoadedEnv(t, 150)
	var pids, recs []string
	if err := e.conn.QueryRow(context.Background(), `
SELECT groupArray(person_id), groupArray(record_id) FROM (
	SELECT person_id, any(record_id) AS record_id FROM links FINAL
	GROUP BY person_id HAVING count() = 1 ORDER BY person_id LIMIT 3)`).Scan(&pids, &recs); err != nil || len(recs) != 3 {
		t.Fatalf("three persons of one record: %v %v", recs, err)
	}
	id := "c_same_fixed"
	e.addConflict(t, id, schemas.ConflictSharedID, pids, recs, 0, "three persons of one record")
	desk := e.startDesk(t)
	first := deskRule(t, desk, id, "admin.first", "/decision", deskRuling{Decision: schemas.DecisionSamePerson})
	e.waitDecisionEvent(t, first.DecisionID, schemas.PersonMerge)
	if ps := e.personsOf(t, recs); ps[0] != ps[1] || ps[0] != ps[2] {
		t.Fatalf("after same person: persons %v", ps)
	}
	fix := deskRule(t, desk, id, "sup.fix", "/correction", deskRuling{schemas.DecisionDifferentPersons, "bản ghi 2 là người khác", [][]string{{recs[0], recs[1]}, {recs[2]}}})
	e.waitDecisionEvent(t, fix.DecisionID, "")
	if ps := e.personsOf(t, recs); ps[0] == ps[1] || ps[0] == ps[2] || ps[1] == ps[2] {
		t.Errorf("after the correction {0, 1} {2}: persons %v (want three)", ps)
	}
}

// deskRuling is the body of a decision or a correction posted to the desk.
type deskRuling struct {
	Decision string     `json:"decision"`
	Reason   string     `json:"reason,omitempty"`
	Groups   [][]string `json:"groups,omitempty"`
}

// deskRule posts a ruling on conflict id to the desk's path ("/decision"
// or "/correction") as user who (added with the role the path needs),
// and returns the decision the desk published.
func deskRule(t *testing.T, desk *webtest.Env, id, who, path string, in deskRuling) schemas.Decision {
	t.Helper()
	role := store.RoleAdmin
	if path == "/correction" {
		role = store.RoleSupervisor
	}
	desk.AddUser(t, who, role)
	st, b := desk.Login(t, who).Do(t, "POST", "/api/conflicts/"+id+path, in)
	var d schemas.Decision
	if st != http.StatusOK || json.Unmarshal(b, &d) != nil {
		t.Fatalf("%s %s: %d %s", who, path, st, b)
	}
	return d
}

// personsOf returns the persons ClickHouse links recs to, in record id
// order (recs sorted).
func (e *env) personsOf(t *testing.T, recs []string) []string {
	t.Helper()
	var ps []string
	if err := e.conn.QueryRow(context.Background(), "SELECT groupArray(person_id) FROM (SELECT record_id, person_id FROM links FINAL WHERE has($1, record_id) ORDER BY record_id)", recs).Scan(&ps); err != nil || len(ps) != len(recs) {
		t.Fatalf("the records' persons: %v %v", ps, err)
	}
	return ps
}
