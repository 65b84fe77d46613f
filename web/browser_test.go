package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestBrowserReviewerDecides drives a real Chromium as a reviewer of Hà
// Nội: sign in, see only Hà Nội's conflicts, open one (names unmasked,
// differences highlighted), decide it, and find the decision in
// ClickHouse and the conflict decided.
func TestBrowserReviewerDecides(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	own := env.SeedConflict(t, "c7f3a91e2b6d", schemas.ConflictSharedID, "01", "01")
	env.SeedConflict(t, "c2a8e4b1d093", schemas.ConflictTwoIDs, "01")
	env.SeedConflict(t, "c5d19c7a3e40", schemas.ConflictGreyZone, "01", "26")
	other := env.SeedConflict(t, "c90b7e6f1a22", schemas.ConflictSharedID, "46", "46")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	dir := shotDir(t)

	err := webtest.Do(ctx, "sign in",
		chromedp.Navigate(env.URL+"/"), // redirected to the login form
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "reviewer.hn"),
		chromedp.SendKeys("#password", webtest.Password),
		chromedp.Click("#signin"),
		chromedp.WaitVisible("#queue"),
	)
	if err != nil {
		t.Fatal(err)
	}
	queue := run(t, ctx, chromedp.Text("#queue"))
	html := run(t, ctx, chromedp.OuterHTML("#queue"))
	if me := run(t, ctx, chromedp.Text("#me")); me != "reviewer.hn" {
		t.Errorf("signed in as %q", me)
	}
	writePNG(t, filepath.Join(dir, "desk-queue.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if !strings.Contains(html, own) || strings.Contains(html, other) {
		t.Errorf("queue shows %q: want %s and not %s", queue, own, other)
	}
	if strings.Contains(queue, "001090012345") || strings.Contains(queue, "Nguyễn") {
		t.Errorf("queue shows an unmasked number or name: %q", queue)
	}
	if !strings.Contains(queue, "0010******45") {
		t.Errorf("queue lacks the masked number: %q", queue)
	}

	if err := webtest.Do(ctx, "open the conflict", chromedp.Click(`tr[data-conflict="`+own+`"] a.open`), chromedp.WaitVisible("#records")); err != nil {
		t.Fatal(err)
	}
	records := run(t, ctx, chromedp.Text("#records"))
	nDiff := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#records tr.differs").length`))
	writePNG(t, filepath.Join(dir, "desk-conflict.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if !strings.Contains(records, "Nguyễn Văn An") || !strings.Contains(records, "001090012345") {
		t.Errorf("conflict page does not show the records: %q", records)
	}
	if nDiff == 0 {
		t.Error("no differing field highlighted")
	}
	ruleInBrowser(t, ctx, `input[name="decision"][value="different_persons"]`, "Khác năm sinh và cha mẹ")
	ds, err := env.Store.Decisions(context.Background(), own)
	if err != nil || len(ds) != 1 || ds[0].Decision != schemas.DecisionDifferentPersons || ds[0].User != "reviewer.hn" ||
		ds[0].Note != "Khác năm sinh và cha mẹ" || ds[0].StatusAfter != schemas.StatusDecided {
		t.Errorf("decisions in ClickHouse: %+v %v", ds, err)
	}
	// The other province's conflict, typed in by hand: not found.
	if err := webtest.Do(ctx, "open another province's conflict", chromedp.Navigate(env.URL+"/conflicts/"+other)); err != nil {
		t.Fatal(err)
	}
	if body := run(t, ctx, chromedp.Text("main")); !strings.Contains(body, "404") || strings.Contains(body, "001090012345") {
		t.Errorf("another province's conflict page: %q", body)
	}
}

// ruleInBrowser picks the choice (a selector) of the conflict page's
// ruling form, types note, sends it, and checks the page then shows the
// conflict decided.
func ruleInBrowser(t *testing.T, ctx context.Context, choice, note string) {
	t.Helper()
	err := webtest.Do(ctx, "rule",
		chromedp.Click(choice),
		chromedp.SendKeys(`textarea[name="note"]`, note),
		chromedp.Click("#submit-decision"),
		chromedp.WaitNotPresent("#decide"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if status := run(t, ctx, chromedp.Text("#status")); status != "decided" {
		t.Errorf("status after the ruling: %q", status)
	}
}

// shotDir is where a browser test writes its screenshots: $DANCU_SCREENSHOTS
// when set (to look at them), else a temporary directory.
func shotDir(t *testing.T) string {
	if d := os.Getenv("DANCU_SCREENSHOTS"); d != "" {
		return d
	}
	return t.TempDir()
}

// run runs one browser action and returns its value; the test fails on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

func writePNG(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserDeskOnAPhone: a reviewer on a phone (390 px wide) reads the
// queue and a conflict of three records as on a laptop, and an auditor
// the audit log: the page is no wider than the screen (a table wider
// than it scrolls in its own box), and no word is cut across lines: the
// queue broke "Open" and the kinds letter by letter, and the records side
// by side every name and address, on a page twice the screen's width.
func TestBrowserDeskOnAPhone(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	three := env.SeedConflict(t, "c3f0a9d2b7e1", schemas.ConflictTwoIDs, "01", "01", "01")
	env.SeedConflict(t, "c3f0a9d2b7e2", schemas.ConflictIDContradicts, "01")
	env.SeedConflict(t, "c3f0a9d2b7e3", schemas.ConflictSharedID, "01", "26")
	tie, _, _, _, _ := env.SeedTie(t, "c3f0a9d2b7e4", 2)
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	env.AddUser(t, "auditor", store.RoleAuditor)
	ctx := webtest.Browser(t)
	dir := shotDir(t)

	// Every word of the page's tables and header on one line, and the
	// page within the window.
	const check = `(() => {
		const cut = [];
		for (const el of document.querySelectorAll('header.top, main table')) {
			const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			for (let n; (n = w.nextNode());) {
				for (const m of n.textContent.matchAll(/\S+/g)) {
					const r = document.createRange();
					r.setStart(n, m.index);
					r.setEnd(n, m.index + m[0].length);
					if (new Set(Array.from(r.getClientRects(), c => Math.round(c.top))).size > 1) cut.push(m[0]);
				}
			}
		}
		return {width: innerWidth, page: document.documentElement.scrollWidth, cut: cut};
	})()`
	look := func(who, path, name string) {
		t.Helper()
		if err := webtest.Do(ctx, who+": "+path, chromedp.Navigate(env.URL+path), chromedp.WaitVisible("main table")); err != nil {
			t.Fatal(err)
		}
		got := run(t, ctx, chromedp.Evaluate[map[string]any](check))
		writePNG(t, filepath.Join(dir, name), run(t, ctx, chromedp.FullScreenshot(100)))
		if w, p := got["width"].(float64), got["page"].(float64); p > w {
			t.Errorf("%s: %s is %.0f px wide in a window of %.0f px", who, path, p, w)
		}
		if cut := got["cut"].([]any); len(cut) > 0 {
			t.Errorf("%s: %s cuts %d words across lines: %q", who, path, len(cut), cut)
		}
	}
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "a phone-sized window", chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	look("reviewer", "/conflicts", "phone-queue.png")
	look("reviewer", "/conflicts/"+three, "phone-conflict.png")
	look("reviewer", "/conflicts/"+tie, "phone-tie.png")
	if err := webtest.Do(ctx, "sign out", chromedp.Click(`header.top button.link`), chromedp.WaitVisible("#username")); err != nil {
		t.Fatal(err)
	}
	if err := webtest.SignIn(ctx, env.URL, "auditor"); err != nil {
		t.Fatal(err)
	}
	look("auditor", "/audit", "phone-audit.png")
}
