package pipelines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// brokersSwitch publishes through a real kafka-go writer to down (an
// address no broker listens on) until up is set, then to the
// pipeline's broker: the brokers unreachable, then back.
type brokersSwitch struct {
	down, live *web.KafkaPublisher
	up         atomic.Bool
}

func (b *brokersSwitch) PublishDecision(ctx context.Context, d schemas.Decision) error {
	if b.up.Load() {
		return b.live.PublishDecision(ctx, d)
	}
	return b.down.PublishDecision(ctx, d)
}

// TestDeskDecisionSentWhenBrokersReturn: a decision made while the
// desk cannot reach the brokers is stored, answered "sent": false, and
// its conflict page says it is not yet sent; once the brokers are back
// the desk's outbox sends it and the registry merges the persons, once.
// A decision left unsent by a desk that stopped is sent by the next desk
// started on the same ClickHouse. A decision delivered once more changes
// nothing (user31's fault: before, nothing published it again).
func TestDeskDecisionSentWhenBrokersReturn(t *testing.T) {
	e := newLoadedEnv(t, 150)
	ctx := context.Background()
	// Two pairs of one-record persons, each pair of one province.
	rows, err := e.conn.Query(ctx, `
SELECT r.perm_new_province_code AS prov, arraySlice(groupArray(r.record_id), 1, 2), arraySlice(groupArray(l.person_id), 1, 2)
FROM (SELECT record_id, perm_new_province_code FROM records FINAL WHERE perm_new_province_code != '') AS r
JOIN (SELECT record_id, person_id FROM links FINAL WHERE person_id IN
      (SELECT person_id FROM links FINAL GROUP BY person_id HAVING count() = 1)) AS l ON l.record_id = r.record_id
GROUP BY prov HAVING count() >= 2 ORDER BY prov LIMIT 2`)
	if err != nil {
		t.Fatal(err)
	}
	type pair struct {
		prov, conflict string
		recs, persons  []string
	}
	var pairs []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.prov, &p.recs, &p.persons); err != nil {
			t.Fatal(err)
		}
		if len(p.recs) != 2 || p.persons[0] == p.persons[1] {
			t.Fatalf("two one-record persons of %s: %v %v", p.prov, p.recs, p.persons)
		}
		p.conflict = "c_outbox_" + p.prov
		e.addConflict(t, p.conflict, schemas.ConflictGreyZone, p.persons, p.recs, 0.3, "records match with probability 0.300")
		pairs = append(pairs, p)
	}
	if err := rows.Err(); err != nil || len(pairs) != 2 {
		t.Fatalf("two provinces with two one-record persons each: %d %v", len(pairs), err)
	}

	writer := func(brokers []string) *web.KafkaPublisher {
		w, err := kafkax.NewWriter(brokers, kafkax.TopicDecisions)
		if err != nil {
			t.Fatal(err)
		}
		w.MaxAttempts = 1
		t.Cleanup(func() { w.Close() })
		return &web.KafkaPublisher{W: w}
	}
	live := writer(e.brokers)
	st := store.New(e.conn, nil)
	// startDesk serves a desk publishing through pub, its outbox running
	// until the returned stop.
	startDesk := func(pub web.DecisionPublisher) (*webtest.Client, func()) {
		app, err := web.New(web.Config{Store: st, Publisher: pub})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(app)
		t.Cleanup(hs.Close)
		octx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); app.RunOutbox(octx, 100*time.Millisecond, time.Second) }()
		stop := func() { cancel(); <-done }
		t.Cleanup(stop)
		desk := &webtest.Env{URL: hs.URL, Conn: e.conn, Store: st}
		if _, err := st.User(ctx, "reviewer.outbox"); err != nil {
			desk.AddUser(t, "reviewer.outbox", store.RoleReviewer, pairs[0].prov, pairs[1].prov)
		}
		return desk.Login(t, "reviewer.outbox"), stop
	}
	sw := &brokersSwitch{down: writer([]string{"127.0.0.1:1"}), live: live}
	a, stopA := startDesk(sw)

	// decide rules p same_person on c with the brokers down: 200, "sent":
	// false, marked unsent, the page says so, and no merge.
	merges := func(id string) string {
		return fmt.Sprintf("SELECT count() FROM person_events FINAL WHERE reason = 'decision:%s' AND kind = '%s'", id, schemas.PersonMerge)
	}
	decide := func(c *webtest.Client, p pair) string {
		t.Helper()
		code, body := c.Do(t, http.MethodPost, "/api/conflicts/"+p.conflict+"/decision", map[string]string{"decision": "same_person", "note": "cùng một người"})
		var got struct {
			DecisionID string `json:"decision_id"`
			Sent       *bool  `json:"sent"`
		}
		if err := json.Unmarshal(body, &got); code != http.StatusOK || err != nil || got.Sent == nil || *got.Sent {
			t.Fatalf("decision with the brokers down: %d %s %v, want 200 and \"sent\": false", code, body, err)
		}
		us, err := st.UnsentDecisions(ctx)
		if err != nil || !slices.ContainsFunc(us, func(u store.UnsentDecision) bool { return u.Decision.DecisionID == got.DecisionID }) {
			t.Fatalf("unsent decisions: %+v %v, want %s among them", us, err, got.DecisionID)
		}
		if code, page := c.Do(t, http.MethodGet, "/conflicts/"+p.conflict, nil); code != http.StatusOK || !strings.Contains(string(page), "not yet sent to the register") {
			t.Fatalf("conflict page with the decision unsent: %d, no notice", code)
		}
		return got.DecisionID
	}
	waitMerge := func(id, when string) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for e.count(t, merges(id)) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("no merge event citing decision %s a minute after %s", id, when)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	// The brokers down, then back while the desk runs.
	d1 := decide(a, pairs[0])
	time.Sleep(2 * time.Second) // the outbox retries meanwhile
	if n := e.count(t, merges(d1)); n != 0 {
		t.Fatalf("%d merge events while the brokers were down", n)
	}
	sw.up.Store(true)
	waitMerge(d1, "the brokers came back")
	if code, page := a.Do(t, http.MethodGet, "/conflicts/"+pairs[0].conflict, nil); code != http.StatusOK || strings.Contains(string(page), "not yet sent to the register") {
		t.Errorf("conflict page once sent: %d, notice still shown", code)
	}

	// The brokers down again; the desk stops with a decision unsent; the
	// next desk sends it when it starts.
	sw.up.Store(false)
	stopA()
	d2 := decide(a, pairs[1])
	time.Sleep(time.Second)
	if n := e.count(t, merges(d2)); n != 0 {
		t.Fatalf("%d merge events with the brokers down", n)
	}
	startDesk(live)
	waitMerge(d2, "a desk started")
	if us, err := st.UnsentDecisions(ctx); err != nil || len(us) != 0 {
		t.Fatalf("unsent decisions once sent: %+v %v, want none", us, err)
	}

	// Delivered once more (as after a kill between the send and its
	// mark): the registry applies a decision once.
	ds, err := st.Decisions(ctx, pairs[0].conflict)
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions: %+v %v", ds, err)
	}
	if err := live.PublishDecision(ctx, ds[0]); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	for i, p := range pairs {
		var n uint64
		if err := e.conn.QueryRow(ctx, "SELECT uniqExact(person_id) FROM links FINAL WHERE record_id IN ($1, $2)", p.recs[0], p.recs[1]).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("after same_person, records %v are in %d persons, want 1", p.recs, n)
		}
		if n := e.count(t, merges([]string{d1, d2}[i])); n != 1 {
			t.Errorf("%d merge events citing decision %s, want 1", n, []string{d1, d2}[i])
		}
	}
}
