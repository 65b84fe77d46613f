package pipelines_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestDeskDecisionMergesPersons is the review desk end to end, as a
// reviewer works: a generated population goes through import, match and
// load; a conflict between two persons of one province is in the queue; a
// reviewer of that province signs in in Chromium, opens it and decides
// "same person"; the desk publishes the decision on dancu.decisions, the
// registry applies it, and ClickHouse then links both records to one
// person, with a merge event citing the decision.
//
// The conflict is written here, as the matcher writes a grey-zone one,
// between two real persons of the loaded population (a small population
// need not raise one by itself); everything after it is the real path.
func TestDeskDecisionMergesPersons(t *testing.T) {
	e := newLoadedEnv(t, 150)
	ctx := context.Background()

	// Two one-record persons of the same province (today's code).
	var prov string
	var recs, persons []string
	err := e.conn.QueryRow(ctx, `
SELECT r.perm_new_province_code AS prov, arraySlice(groupArray(r.record_id), 1, 2), arraySlice(groupArray(l.person_id), 1, 2)
FROM (SELECT record_id, perm_new_province_code FROM records FINAL WHERE perm_new_province_code != '') AS r
JOIN (SELECT record_id, person_id FROM links FINAL WHERE person_id IN
      (SELECT person_id FROM links FINAL GROUP BY person_id HAVING count() = 1)) AS l ON l.record_id = r.record_id
GROUP BY prov HAVING count() >= 2 ORDER BY prov LIMIT 1`).Scan(&prov, &recs, &persons)
	if err != nil || len(recs) != 2 || persons[0] == persons[1] {
		t.Fatalf("two one-record persons of one province: %v %v %v", err, recs, persons)
	}
	conflictID := "c_e2e_" + prov
	e.addConflict(t, conflictID, schemas.ConflictGreyZone, persons, recs, 0.3, "records match with probability 0.300")

	// The desk, publishing to the pipeline's broker.
	desk := e.startDesk(t)
	desk.AddUser(t, "reviewer.e2e", store.RoleReviewer, prov)

	bctx := webtest.Browser(t)
	if err := webtest.SignIn(bctx, desk.URL, "reviewer.e2e"); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	err = webtest.Do(bctx, "decide in the browser",
		chromedp.WaitVisible(`tr[data-conflict="`+conflictID+`"]`),
		chromedp.Click(`tr[data-conflict="`+conflictID+`"] a.open`),
		chromedp.WaitVisible("#records"),
		chromedp.Click(`input[name="decision"][value="same_person"]`),
		chromedp.SendKeys(`textarea[name="note"]`, "cùng một người"),
		chromedp.Click("#submit-decision"),
		chromedp.WaitNotPresent("#decide"),
	)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := desk.Store.Decisions(ctx, conflictID)
	if err != nil || len(ds) != 1 || ds[0].StatusAfter != schemas.StatusDecided {
		t.Fatalf("stored decisions: %+v %v", ds, err)
	}

	// The next batch: the registry merges the two persons.
	q := fmt.Sprintf("SELECT count() FROM person_events FINAL WHERE reason = 'decision:%s' AND kind = '%s'", ds[0].DecisionID, schemas.PersonMerge)
	deadline := time.Now().Add(time.Minute)
	for e.count(t, q) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no merge event citing the decision in person_events after a minute")
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.drain(t)
	var n uint64
	if err := e.conn.QueryRow(ctx, "SELECT uniqExact(person_id) FROM links FINAL WHERE record_id IN ($1, $2)", recs[0], recs[1]).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("after same_person, records %v are in %d persons, want 1", recs, n)
	}
	// The conflict page shows the merge in the persons' history.
	var events string
	if err := webtest.Do(bctx, "merge on the conflict page", chromedp.Navigate(desk.URL+"/conflicts/"+conflictID), chromedp.WaitVisible("#events")); err != nil {
		t.Fatal(err)
	}
	if events, err = chromedp.Run(bctx, chromedp.Text("#events")); err != nil || events == "" {
		t.Errorf("events on the conflict page: %q %v", events, err)
	}
}

// addConflict writes an open conflict to ClickHouse as the matcher writes
// one.
func (e *env) addConflict(t *testing.T, id, kind string, persons, recs []string, score float64, explanation string) {
	t.Helper()
	b, err := e.conn.PrepareBatch(context.Background(), "INSERT INTO conflicts (conflict_id, kind, id_number, person_ids, record_ids, score, explanation, status, version, created_at)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append(id, kind, "", persons, recs, score, explanation, "open", uint64(1), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
}

// startDesk serves the review desk on e's database, publishing its
// decisions to e's broker, until the test ends.
func (e *env) startDesk(t *testing.T) *webtest.Env {
	t.Helper()
	w, err := kafkax.NewWriter(e.brokers, kafkax.TopicDecisions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	st := store.New(e.conn, nil)
	app, err := web.New(web.Config{Store: st, Publisher: &web.KafkaPublisher{W: w}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(app)
	t.Cleanup(hs.Close)
	return &webtest.Env{URL: hs.URL, Conn: e.conn, Store: st}
}
