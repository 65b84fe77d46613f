package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestUnsentNoticeOnEveryServer: a decision taken on one `dancu serve`
// while no broker listens is stored and not sent; the conflict's page
// says so on a second server on the same ClickHouse and on a server
// started after it (a restart), in the browser too (desk-unsent-elsewhere.png),
// and GET /api/conflicts/{id} names it in unsent_decisions — read from the
// audit log's marks. Once the first server's outbox has sent it (a
// broker started at the address), no server says it. Before, the notice
// was the first server's memory alone (user31).
func TestUnsentNoticeOnEveryServer(t *testing.T) {
	env, addr := deskWithoutBroker(t)
	id := env.SeedConflict(t, "c8d1f5a3e620", schemas.ConflictGreyZone, "01", "01")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	rev := env.Login(t, "reviewer.hn")
	code, body := rev.Do(t, http.MethodPost, "/api/conflicts/"+id+"/decision", map[string]string{"decision": "different_persons", "note": "khác cha mẹ"})
	var d struct {
		ID   string `json:"decision_id"`
		Sent *bool  `json:"sent"`
	}
	if err := json.Unmarshal(body, &d); code != http.StatusOK || err != nil || d.Sent == nil || *d.Sent {
		t.Fatalf("a decision with no broker: %d %s %v, want 200 and \"sent\": false", code, body, err)
	}

	// Another server on the ClickHouse (publishing nothing itself, as
	// with --publish=false), and one started later: a restart.
	other := func() string {
		srv, err := web.New(web.Config{Store: store.New(env.Conn, env.Clock.Now)})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		return hs.URL
	}
	second, restarted := other(), other()
	for _, base := range []string{second, restarted, env.URL} {
		c := *rev
		c.Base = base
		if code, page := c.Do(t, http.MethodGet, "/conflicts/"+id, nil); code != http.StatusOK || !strings.Contains(string(page), `id="unsent"`) {
			t.Errorf("the page on %s: %d, no notice that the decision is not yet sent", base, code)
		}
		var show struct {
			Unsent []string `json:"unsent_decisions"`
		}
		code, body := c.Do(t, http.MethodGet, "/api/conflicts/"+id, nil)
		if err := json.Unmarshal(body, &show); code != http.StatusOK || err != nil || !slices.Equal(show.Unsent, []string{d.ID}) {
			t.Errorf("GET /api/conflicts/%s on %s: %d, unsent_decisions %v %v, want [%s]", id, base, code, show.Unsent, err, d.ID)
		}
	}
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, second, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "the conflict on the second server", chromedp.Navigate(second+"/conflicts/"+id), chromedp.WaitVisible("#unsent")); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-unsent-elsewhere.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if notice := run(t, ctx, chromedp.Text("#unsent")); !strings.Contains(notice, "not yet sent to the register") {
		t.Errorf("the notice on the second server: %q", notice)
	}

	// A broker at the address: the first server's outbox sends it.
	b, err := broker.Start(context.Background(), broker.Config{Addr: addr, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	octx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); env.Server.RunOutbox(octx, 50*time.Millisecond, 500*time.Millisecond) }()
	defer func() { cancel(); <-done }()
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
	for _, base := range []string{second, restarted, env.URL} {
		c := *rev
		c.Base = base
		if code, page := c.Do(t, http.MethodGet, "/conflicts/"+id, nil); code != http.StatusOK || strings.Contains(string(page), `id="unsent"`) {
			t.Errorf("the page on %s once the decision was sent: %d, the notice still shown", base, code)
		}
	}
}
