package web_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestBrowserVietnameseFonts: in a real Chromium on this machine (Debian's
// fonts: DejaVu, whose monospace lacks 46 of Vietnamese's letters, ầ ễ ở
// among them), every element of the conflict page that shows Vietnamese
// text — the records, the decisions' notes, and the note a reviewer types
// — is drawn from one font, not letter by letter from a fallback. The
// waterfall of "why the matcher raised it" keeps a monospace font for its
// columns; the values quoted at its lines' ends, where its Vietnamese is,
// are checked too (user31: DejaVu Sans Mono drew "Nguyễn" as "Nguyêñ").
func TestBrowserVietnameseFonts(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_fonts", schemas.ConflictSharedID, "01", "01")
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, score,
	'number 0010******45 is on the records of 2 different persons\n\nr_c_fonts_0 ↔ r_c_fonts_1\ncomparison  level  weight   tf adj   running\nfamily_name exact   +2.34    -1.13    -15.20   "Nguyễn" | "Nguyễn"\nparents     else    -3.53             -24.98   "trần văn sơn" | "lê ngọc chung"\n',
	status, version + 1 FROM conflicts FINAL WHERE conflict_id = 'c_fonts'`)
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	if st, b := env.Login(t, "reviewer.hn").Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "needs_verification", "note": "Cần xác minh tại chỗ: Trần Thị Hằng, ở Ấp Bầu"}); st != 200 {
		t.Fatalf("decide: %d %s", st, b)
	}
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	err := webtest.Do(ctx, "open the conflict",
		chromedp.Navigate(env.URL+"/conflicts/"+id),
		chromedp.WaitVisible("#decide"),
		chromedp.SendKeys(`#decide textarea[name="note"]`, "Đã gặp bà Nguyễn Thị Ầu, ở xã Phước Hữu"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Every element whose own text (or value) has a letter of Vietnamese
	// beyond Latin-1.
	marked := run(t, ctx, chromedp.Evaluate[int](`(() => {
  const viet = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01A0\u01A1\u01AF\u01B0\u1EA0-\u1EF9]/;
  let n = 0;
  for (const el of document.querySelectorAll("main *")) {
    const own = [...el.childNodes].filter(c => c.nodeType === 3).map(c => c.textContent).join("") + (el.value || "");
    if (viet.test(own) && (!el.closest("pre.explain") || el.closest("pre.explain span.vals"))) el.setAttribute("data-viet", String(n++));
  }
  return n;
})()`))
	if _, err := chromedp.Call(ctx, css.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	nodes := run(t, ctx, chromedp.Nodes("[data-viet]"))
	var checked []string
	for _, n := range nodes {
		fonts, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: n.NodeID})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range fonts.Fonts {
			if !slices.Contains(names, f.FamilyName) {
				names = append(names, f.FamilyName)
			}
		}
		checked = append(checked, n.LocalName)
		if n.LocalName == "textarea" {
			continue // its text is in its shadow tree: below
		}
		if len(names) != 1 {
			t.Errorf("<%s> is drawn from %s, want one font", n.LocalName, strings.Join(names, " + "))
		}
	}
	// The note typed: the form controls take the page's font (the
	// browser's default for a textarea is its monospace).
	if ff := run(t, ctx, chromedp.Evaluate[[]string](`[document.body, ...[...document.querySelectorAll("main textarea, main input, main select, main button")].filter(e => e.type !== "hidden" && e.type !== "radio")].map(e => getComputedStyle(e).fontFamily)`)); len(slices.Compact(ff)) != 1 {
		t.Errorf("the form controls' fonts %q, want the page's, %q", ff[1:], ff[0])
	}
	inDecisions := run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#decisions [data-viet]") !== null`))
	inWaterfall := run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("pre.explain [data-viet]") !== null`))
	if len(nodes) != marked || !slices.Contains(checked, "textarea") || !inDecisions || !inWaterfall {
		t.Errorf("checked %v of %d elements: want the note typed, the decision's and the waterfall's values", checked, marked)
	}
}
