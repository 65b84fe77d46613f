package web_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestSupervisorFindsMergesToSecond: a reviewer rules same person on a
// conflict of two valid numbers, which then awaits a supervisor's second
// decision — and leaves the open queue, the one a supervisor sees on
// signing in. The supervisor's queue (not a reviewer's, nor another
// province's supervisor's) says how many await it, with a link to them;
// the supervisor follows it and seconds the ruling in the browser, and
// the notice is gone (desk-awaiting.png). Before, nothing on the open
// queue told the supervisor (user32's walk).
func TestSupervisorFindsMergesToSecond(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c2d8f0a6b4e1", schemas.ConflictTwoIDs, "33", "33")
	env.SeedConflict(t, "c2d8f0a6b4e2", schemas.ConflictGreyZone, "33", "33")
	env.AddUser(t, "rev.33", store.RoleReviewer, "33")
	env.AddUser(t, "sup.33", store.RoleSupervisor, "33")
	env.AddUser(t, "sup.46", store.RoleSupervisor, "46")
	rev := env.Login(t, "rev.33")
	if st, b := rev.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person", "note": "một người, hai số"}); st != http.StatusOK {
		t.Fatalf("the first decision: %d %s", st, b)
	}
	for _, c := range []struct {
		who    string
		notice bool
	}{{"rev.33", false}, {"sup.33", true}, {"sup.46", false}} {
		st, page := env.Login(t, c.who).Do(t, "GET", "/conflicts", nil)
		if got := strings.Contains(string(page), `id="awaiting"`); st != http.StatusOK || got != c.notice {
			t.Errorf("%s's queue: %d, the notice %v, want %v", c.who, st, got, c.notice)
		}
	}
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "sup.33"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "the queue", chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#awaiting")); err != nil {
		t.Fatal(err)
	}
	notice := run(t, ctx, chromedp.Text("#awaiting"))
	writePNG(t, filepath.Join(shotDir(t), "desk-awaiting.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if !strings.Contains(notice, "1 conflict awaits a supervisor's second decision") {
		t.Errorf("the notice: %q", notice)
	}
	err := webtest.Do(ctx, "follow it",
		webtest.Navigation(chromedp.Click("#awaiting a")),
		chromedp.Click(`tr[data-conflict="`+id+`"] a.open`),
		chromedp.WaitVisible("#decide"),
	)
	if err != nil {
		t.Fatal(err)
	}
	ruleInBrowser(t, ctx, `input[name="decision"][value="same_person"]`, "Đồng ý")
	if err := webtest.Do(ctx, "the queue again", chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#queue")); err != nil {
		t.Fatal(err)
	}
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#awaiting").length`)); n != 0 {
		t.Error("the notice is still there once the ruling is seconded")
	}
}
