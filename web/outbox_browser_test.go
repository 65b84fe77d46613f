package web_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestBrowserDecisionUnsentNotice: a reviewer rules in the browser while
// no broker listens at the desk's address; the conflict page shows the
// ruling decided and says it is stored, not yet sent to the register
// (desk-unsent.png in the screenshots).
func TestBrowserDecisionUnsentNotice(t *testing.T) {
	env, _ := deskWithoutBroker(t)
	c := env.SeedConflict(t, "c4e1b7a90d35", schemas.ConflictGreyZone, "01", "01")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	err := webtest.Do(ctx, "sign in and open the conflict",
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "reviewer.hn"),
		chromedp.SendKeys("#password", webtest.Password),
		chromedp.Click("#signin"),
		chromedp.WaitVisible("#queue"),
		chromedp.Navigate(env.URL+"/conflicts/"+c),
		chromedp.WaitVisible("#decide"),
	)
	if err != nil {
		t.Fatal(err)
	}
	ruleInBrowser(t, ctx, `input[name="decision"][value="different_persons"]`, "Hai người khác nhau")
	if err := webtest.Do(ctx, "the notice", chromedp.WaitVisible("#unsent")); err != nil {
		t.Fatal(err)
	}
	notice := run(t, ctx, chromedp.Text("#unsent"))
	writePNG(t, filepath.Join(shotDir(t), "desk-unsent.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if !strings.Contains(notice, "not yet sent to the register") {
		t.Errorf("notice %q", notice)
	}
}
