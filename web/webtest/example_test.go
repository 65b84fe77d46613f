package webtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }

// TestMountCoverage shows how the coverage pages' tests use webtest: mount
// a handler, sign an analyst in, call the route.
func TestMountCoverage(t *testing.T) {
	cov := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("map")) })
	env := webtest.Start(t, web.Config{Coverage: cov})
	env.AddUser(t, "analyst1", store.RoleAnalyst)
	env.AddUser(t, "reviewer1", store.RoleReviewer, "01")
	if st, body := env.Login(t, "analyst1").Do(t, "GET", "/coverage/map.svg?era=new", nil); st != http.StatusOK || string(body) != "map" {
		t.Errorf("analyst: %d %s", st, body)
	}
	if st, _ := env.Login(t, "reviewer1").Do(t, "GET", "/api/coverage", nil); st != http.StatusForbidden {
		t.Errorf("reviewer on coverage: %d, want 403", st)
	}
	if st, _ := env.NewClient().Do(t, "GET", "/api/coverage", nil); st != http.StatusUnauthorized {
		t.Errorf("anonymous on coverage: %d, want 401", st)
	}
}

// A browser test runs its steps with Do, each named, and waits for the
// page to have loaded (Loaded) before it moves the server's clock: a
// request of the page still on its way would be answered at the new time.
func ExampleDo() {
	var t *testing.T // the test's
	env := webtest.Start(t, web.Config{SessionIdle: 10 * time.Minute})
	env.AddUser(t, "rev.hue", store.RoleReviewer, "46")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "rev.hue"); err != nil { // waits for Loaded
		t.Fatal(err)
	}
	env.Clock.Advance(11 * time.Minute)
	if err := webtest.Do(ctx, "the queue after 11 idle minutes",
		chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#username")); err != nil {
		t.Fatal(err) // e.g. "the queue after 11 idle minutes: context deadline exceeded (on http://…/conflicts, titled "Conflicts · dancu")"
	}
}
