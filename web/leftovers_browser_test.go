package web_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestBrowserAssignedAndInForce: in Chromium, at 1280 px and on a phone
// (390 px), a reviewer of Hà Nội ticks "Assigned to me" on the queue and
// sees only the conflict given to them; a supervisor opening that
// conflict once ruled reads the ruling in force on the correction form,
// its choice marked and not to be chosen, the other offered; the records'
// provinces are named in both eras, marked Vietnamese. No page is wider
// than the window. Screenshots: leftovers-{queue,correct}-{1280,390}.png
// (user33).
func TestBrowserAssignedAndInForce(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionIdle: 2 * time.Hour})
	mine := env.SeedConflict(t, "c5e1a7f3b9d2", schemas.ConflictGreyZone, "02", "01")
	other := env.SeedConflict(t, "c5e1a7f3b9d3", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	env.AddUser(t, "sup.hn", store.RoleSupervisor, "01")
	if err := env.Store.Assign(t.Context(), mine, "reviewer.hn", "sup.hn"); err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Browser(t)
	dir := shotDir(t)
	width := `({width: innerWidth, page: document.documentElement.scrollWidth})`
	fits := func(what string) {
		t.Helper()
		got := run(t, ctx, chromedp.Evaluate[map[string]float64](width))
		if got["page"] > got["width"] {
			t.Errorf("%s is %.0f px wide in a window of %.0f px", what, got["page"], got["width"])
		}
	}
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int64{1280, 390} {
		if err := webtest.Do(ctx, fmt.Sprintf("a window %d px wide", w), chromedp.EmulateViewport(w, 900),
			chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#assigned-me"), webtest.Loaded()); err != nil {
			t.Fatal(err)
		}
		if err := webtest.Do(ctx, "tick assigned to me and filter", chromedp.Click("#assigned-me"),
			webtest.Navigation(chromedp.Click(`#filters button[type="submit"]`)), chromedp.WaitVisible("#queue")); err != nil {
			t.Fatal(err)
		}
		if url := run(t, ctx, chromedp.Location()); !strings.Contains(url, "assigned=me") {
			t.Errorf("the queue filtered at %s, want assigned=me", url)
		}
		rows := run(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#queue tr[data-conflict]'), r => r.dataset.conflict)`))
		if len(rows) != 1 || rows[0] != mine {
			t.Errorf("assigned to me at %d px lists %v, want only %s (not %s)", w, rows, mine, other)
		}
		if !run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('#assigned-me').checked`)) {
			t.Errorf("at %d px the filtered queue's checkbox is not ticked", w)
		}
		fits(fmt.Sprintf("the queue at %d px", w))
		writePNG(t, filepath.Join(dir, fmt.Sprintf("leftovers-queue-%d.png", w)), run(t, ctx, chromedp.FullScreenshot(100)))
	}
	if err := webtest.Do(ctx, "open the conflict", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(env.URL+"/conflicts/"+mine), chromedp.WaitVisible("#decide")); err != nil {
		t.Fatal(err)
	}
	ruleInBrowser(t, ctx, `input[name="decision"][value="same_person"]`, "Cùng cha mẹ, cùng ngày sinh")
	if err := webtest.Do(ctx, "sign out", chromedp.Click(`header.top button.link`), chromedp.WaitVisible("#username")); err != nil {
		t.Fatal(err)
	}
	if err := webtest.SignIn(ctx, env.URL, "sup.hn"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int64{1280, 390} {
		if err := webtest.Do(ctx, fmt.Sprintf("the decided conflict at %d px", w), chromedp.EmulateViewport(w, 900),
			chromedp.Navigate(env.URL+"/conflicts/"+mine), chromedp.WaitVisible("#in-force"), webtest.Loaded()); err != nil {
			t.Fatal(err)
		}
		got := run(t, ctx, chromedp.Evaluate[struct {
			InForce  string   `json:"inForce"`
			Marked   []string `json:"marked"`
			Offered  []string `json:"offered"`
			Province []string `json:"province"`
			Lang     []string `json:"lang"`
		}](`(() => {
			const f = document.querySelector('#correct');
			const row = Array.from(document.querySelectorAll('#records tr')).find(r => r.querySelector('th').textContent === 'province (old / today)');
			return {
				inForce: document.querySelector('#in-force').textContent,
				marked: Array.from(f.querySelectorAll('label.in-force'), l => l.textContent.trim() + (l.querySelector('input').disabled ? ' [disabled]' : '')),
				offered: Array.from(f.querySelectorAll('input[name="decision"]:not([disabled])'), i => i.value),
				province: Array.from(row.querySelectorAll('td'), c => c.textContent),
				lang: Array.from(row.querySelectorAll('td'), c => c.lang),
			};
		})()`))
		if !strings.Contains(got.InForce, "same person") || !strings.Contains(got.InForce, "reviewer.hn") {
			t.Errorf("at %d px the form says %q, want the same person of reviewer.hn in force", w, got.InForce)
		}
		if len(got.Marked) != 1 || !strings.HasPrefix(got.Marked[0], "Same person") || !strings.HasSuffix(got.Marked[0], "[disabled]") {
			t.Errorf("at %d px marked in force: %q, want Same person, disabled", w, got.Marked)
		}
		if strings.Join(got.Offered, ",") != schemas.DecisionDifferentPersons {
			t.Errorf("at %d px the correction offers %v, want only different_persons", w, got.Offered)
		}
		if len(got.Province) != 2 || !strings.Contains(got.Province[0], "Hà Giang (02)") || !strings.Contains(got.Province[0], "Tuyên Quang (08)") ||
			got.Lang[0] != "vi" {
			t.Errorf("at %d px the records' provinces %q (lang %q), want Hà Giang (02) / Tuyên Quang (08), lang vi", w, got.Province, got.Lang)
		}
		fits(fmt.Sprintf("the conflict at %d px", w))
		writePNG(t, filepath.Join(dir, fmt.Sprintf("leftovers-correct-%d.png", w)), run(t, ctx, chromedp.FullScreenshot(100)))
	}
}
