package webtest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestDoSaysWhere: a step whose element never comes fails within
// StepTimeout, naming the step and the page the browser is on, instead
// of waiting out the test's whole context with a bare "context deadline
// exceeded" (ui1); the browser outlives the failed step, and Loaded
// holds on a page that has loaded.
func TestDoSaysWhere(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "rev"); err != nil {
		t.Fatal(err)
	}
	defer func(d time.Duration) { webtest.StepTimeout = d }(webtest.StepTimeout)
	webtest.StepTimeout = 3 * time.Second
	start := time.Now()
	err := webtest.Do(ctx, "the queue's missing table", chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#no-such-table"))
	took := time.Since(start)
	t.Logf("the failed step after %s: %v", took.Round(time.Millisecond), err)
	if err == nil {
		t.Fatal("a step waiting for an element that is not there: no error")
	}
	for _, want := range []string{"the queue's missing table: ", context.DeadlineExceeded.Error(), "on " + env.URL + "/conflicts", `"Conflicts · dancu"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the failed step's error %q does not say %q", err, want)
		}
	}
	if took > 30*time.Second {
		t.Errorf("the failed step took %s, want about StepTimeout (%s)", took, webtest.StepTimeout)
	}
	webtest.StepTimeout = time.Minute
	if err := webtest.Do(ctx, "the queue again", chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#queue"), webtest.Loaded()); err != nil {
		t.Errorf("after a failed step, the browser: %v", err)
	}
	if state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`)); err != nil || state != "complete" {
		t.Errorf("after Loaded, document.readyState is %q (%v), want complete", state, err)
	}
}
