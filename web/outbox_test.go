package web_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestDecisionSentWhenBrokerStarts: decisions made while no broker
// listens at the desk's --kafka address are stored, answered "sent":
// false, marked unsent, and their conflict pages say so; once a broker
// starts at that address the outbox sends each once and marks it sent,
// and the pages no longer say it (user31: before, nothing sent them).
func TestDecisionSentWhenBrokerStarts(t *testing.T) {
	env, addr := deskWithoutBroker(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); env.Server.RunOutbox(ctx, 50*time.Millisecond, 500*time.Millisecond) }()
	defer func() { cancel(); <-done }()

	env.AddUser(t, "rev", store.RoleReviewer, "79")
	rev := env.Login(t, "rev")
	var ids []string
	for _, c := range []string{"c_out1", "c_out2"} {
		env.SeedConflict(t, c, schemas.ConflictGreyZone, "79", "79")
		code, body := rev.Do(t, http.MethodPost, "/api/conflicts/"+c+"/decision", map[string]string{"decision": "same_person"})
		var got struct {
			ID   string `json:"decision_id"`
			Sent *bool  `json:"sent"`
		}
		if err := json.Unmarshal(body, &got); code != http.StatusOK || err != nil || got.Sent == nil || *got.Sent {
			t.Fatalf("%s with no broker: %d %s %v, want 200 and \"sent\": false", c, code, body, err)
		}
		ids = append(ids, got.ID)
		if code, page := rev.Do(t, http.MethodGet, "/conflicts/"+c, nil); code != http.StatusOK || !strings.Contains(string(page), "not yet sent to the register") {
			t.Errorf("%s's page with its decision unsent: %d, no notice", c, code)
		}
	}
	us, err := env.Store.UnsentDecisions(context.Background())
	var unsent []string
	for _, u := range us {
		unsent = append(unsent, u.Decision.DecisionID)
	}
	slices.Sort(unsent)
	want := slices.Sorted(slices.Values(ids))
	if err != nil || !slices.Equal(unsent, want) {
		t.Fatalf("unsent decisions: %v %v, want %v", unsent, err, want)
	}

	b, err := broker.Start(context.Background(), broker.Config{Addr: addr, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		us, err := env.Store.UnsentDecisions(context.Background())
		if err == nil && len(us) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("unsent decisions a minute after the broker started: %+v %v", us, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i, c := range []string{"c_out1", "c_out2"} {
		if code, page := rev.Do(t, http.MethodGet, "/conflicts/"+c, nil); code != http.StatusOK || strings.Contains(string(page), "not yet sent to the register") {
			t.Errorf("%s's page once decision %s was sent: %d, notice still shown", c, ids[i], code)
		}
	}
	// On the topic: each decision once.
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: kafkax.TopicDecisions, GroupID: "outbox-test", StartOffset: kafka.FirstOffset})
	defer r.Close()
	var seen []string
	for {
		rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
		m, err := r.ReadMessage(rctx)
		rcancel()
		if err != nil {
			break
		}
		seen = append(seen, string(m.Key))
	}
	slices.Sort(seen)
	if !slices.Equal(seen, want) {
		t.Errorf("on %s: %v, want %v once each", kafkax.TopicDecisions, seen, want)
	}
}

// deskWithoutBroker starts a desk whose decisions are published to a
// --kafka address where no broker listens (yet), one attempt a publish:
// the desk, and the address for a broker the test may start there.
func deskWithoutBroker(t *testing.T) (*webtest.Env, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	w, err := kafkax.NewWriter([]string{addr}, kafkax.TopicDecisions)
	if err != nil {
		t.Fatal(err)
	}
	w.MaxAttempts = 1
	t.Cleanup(func() { w.Close() })
	return webtest.Start(t, web.Config{Publisher: &web.KafkaPublisher{W: w}}), addr
}
