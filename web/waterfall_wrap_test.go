package web_test

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// demoTwoIDs is the explanation of a two_ids conflict of the default
// `dancu demo` (Hưng Yên, 7 December), whose longest level is 74
// characters: at 1280 px its values reach the box's right edge.
const demoTwoIDs = `records match with probability 1.000 but carry two valid numbers 0342******18 and 0342******15: one person with two numbers, or two people

r_c_wrap_0 ↔ r_c_wrap_1
comparison    level                                                                 weight   tf adj   running
prior (λ)                                                                           -16.41             -16.41
family_name   same without diacritics (no term-frequency bonus: no_tf_bonus_when)    +2.34             -14.08   "Trần" | "Tran"
date_of_birth exact                                                                 +15.41              +5.45   "2010-12-29" | "2010-12-29"
id_number     else                                                                   -6.98              -0.53   "034210061318" | "034210895415"
parents       both parents' names equal (u given date_of_birth)                      +9.67             +17.74   "tran the phuong" | "tran the phuong"
total                                                                               +17.92
match probability 0.999996
`

// TestBrowserWaterfallValuesWhole: on a laptop's 1280 px, each value the
// waterfall quotes is drawn on one line — the line breaks between the two
// values or before them, never within one: Chromium drew "2010-12-" at
// the end of one line and "29" on the next, and "tran the" / "phuong",
// on a conflict of the default demo (user32's walk). On a phone the
// waterfall scrolls in its box as before (TestBrowserDeskOnAPhone).
// desk-waterfall-1280.png.
func TestBrowserWaterfallValuesWhole(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_wrap", schemas.ConflictTwoIDs, "33", "33")
	b, err := env.Conn.PrepareBatch(t.Context(), "INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append(id, schemas.ConflictTwoIDs, "33", "034210061318;034210895415", []string{"p_c_wrap_0", "p_c_wrap_1"}, []string{"r_c_wrap_0", "r_c_wrap_1"}, 0.999996, demoTwoIDs, "open", uint64(2)); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	env.AddUser(t, "rev.33", store.RoleReviewer, "33")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "rev.33"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "open the conflict", chromedp.Navigate(env.URL+"/conflicts/"+id), chromedp.WaitVisible("pre.explain")); err != nil {
		t.Fatal(err)
	}
	got := run(t, ctx, chromedp.Evaluate[struct {
		Values int      `json:"values"`
		Broken []string `json:"broken"`
		Wider  bool     `json:"wider"`
	}](`(() => {
		const broken = [];
		let values = 0;
		for (const vals of document.querySelectorAll("pre.explain .vals")) {
			const w = document.createTreeWalker(vals, NodeFilter.SHOW_TEXT);
			for (let n; (n = w.nextNode());) {
				for (const m of n.textContent.matchAll(/"[^"]*"/g)) {
					values++;
					const r = document.createRange();
					r.setStart(n, m.index);
					r.setEnd(n, m.index + m[0].length);
					if (new Set(Array.from(r.getClientRects(), c => Math.round(c.top))).size > 1) broken.push(m[0]);
				}
			}
		}
		return {values: values, broken: broken, wider: document.documentElement.scrollWidth > innerWidth};
	})()`))
	writePNG(t, filepath.Join(shotDir(t), "desk-waterfall-1280.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if got.Values != 8 {
		t.Errorf("%d quoted values, want 8", got.Values)
	}
	for _, v := range got.Broken {
		t.Errorf("value %s drawn across two lines", v)
	}
	if got.Wider {
		t.Error("the page is wider than the window")
	}
}
