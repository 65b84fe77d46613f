package coverage_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// chromium finds Debian's chromium (installed by scripts/setup.sh).
func chromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("DANCU_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium: run scripts/setup.sh (apt-get install chromium) or set DANCU_CHROMIUM")
	return ""
}

// headless starts a headless Chromium with a window of w × h px, for at
// most d; it ends with the test.
func headless(t *testing.T, w, h int, d time.Duration) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.WindowSize(w, h), chromedp.Flag("headless", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	// Started here, so that a step's shorter context (webtest.Do) does
	// not bind the browser's life to that step's.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// An analyst signs in through the desk's login form in a real Chromium,
// lands on the coverage page, sees both maps (63 + 34 provinces), clicks
// Nghệ An on the map and gets its communes. The screenshot goes to
// $DANCU_SCREENSHOT when set (README's docs/img/coverage.png).
func TestCoveragePageInChromium(t *testing.T) {
	env, _ := mountCoverage(t)
	units := benchUnits(t, env.Conn)
	synthRecords(t, env.Conn, 0, 60_000, units)
	synthPersons(t, env.Conn, 36_000, units, 0)
	env.AddUser(t, "analyst1", store.RoleAnalyst)

	ctx := headless(t, 1400, 1250, 90*time.Second)

	err := webtest.Do(ctx, "sign in as analyst1",
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "analyst1"),
		chromedp.SendKeys(`#password`, webtest.Password),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`#map-new svg`),
	)
	if err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	paths, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.coverage-map path').length`))
	if err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(url, "/coverage") || !strings.Contains(title, "Coverage") {
		t.Errorf("after login: at %s (%q), want the coverage page", url, title)
	}
	if paths != 63+34 {
		t.Errorf("%d province paths drawn, want 63+34", paths)
	}
	shot := filepath.Join(t.TempDir(), "coverage.png")
	if p := os.Getenv("DANCU_SCREENSHOT"); p != "" {
		shot = p
	}
	if len(png) < 10_000 {
		t.Errorf("screenshot of %d bytes", len(png))
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))

	// Lowest first: the provinces that lag head the table (persons % of
	// the expected population, ascending) and the bar chart, in one order.
	if err := webtest.Do(ctx, "order by the lowest coverage", chromedp.Click(`#order-lowest`), chromedp.WaitVisible(`#order-lowest.on`)); err != nil {
		t.Fatal(err)
	}
	checkLowestFirst(t, ctx, 17, "provinces by persons %")
	checkMarkedVi(t, ctx, "the provinces")
	if p := os.Getenv("DANCU_SCREENSHOT"); p != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(os.TempDir(), "coverage-lowest.png"), png, 0o644)
		}
	}

	// Click Nghệ An on the old-era map: drill down to its communes, still
	// lowest first (communes have no expected population: by persons).
	err = webtest.Do(ctx, "drill-down",
		chromedp.Click(`#map-old path#p-40`),
		chromedp.WaitVisible(`tr[data-code="16681"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if url, err = chromedp.Run(ctx, chromedp.Location()); err != nil {
		t.Fatal(err)
	}
	communes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#coverage-table tbody tr.unit').length`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "province=40") || !strings.Contains(url, "order=lowest") || communes < 100 {
		t.Errorf("drill-down: at %s with %d commune rows, want Nghệ An's communes, lowest first", url, communes)
	}
	checkLowestFirst(t, ctx, 8, "Nghệ An's communes by persons")
	checkMarkedVi(t, ctx, "Nghệ An's communes")
	if p := os.Getenv("DANCU_SCREENSHOT"); p != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(os.TempDir(), "coverage-nghe-an.png"), png, 0o644)
		}
	}

	// A narrow window (a laptop's half screen, a phone): the page fits its
	// width; only the indicator table scrolls, inside its own box.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(420, 900)); err != nil {
		t.Fatal(err)
	}
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[innerWidth, document.documentElement.scrollWidth]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(widths) != 2 || widths[1] > widths[0] {
		t.Errorf("in a window %d px wide the page is %d px wide, want it to fit", widths[0], widths[1])
	}

	// Printed for a report (A4, 19 cm inside the margins: 718 px): the
	// title is not white on the white paper (browsers print no
	// backgrounds), the form is not printed, and every column of the
	// table is on the paper (a scrolling box prints only what it shows).
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}), chromedp.EmulateViewport(718, 1000)); err != nil {
		t.Fatal(err)
	}
	printed, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(() => {
		const box = document.querySelector('.table'), table = document.querySelector('#coverage-table');
		return {title: getComputedStyle(document.querySelector('header h1')).color,
			form: (f => f ? getComputedStyle(f).display : 'none')(document.querySelector('header form.since')),
			shown: box.getBoundingClientRect().right, table: table.getBoundingClientRect().right,
			page: document.documentElement.clientWidth};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if printed["title"] == "rgb(255, 255, 255)" || printed["form"] != "none" {
		t.Errorf("printed: the title's colour %v (white vanishes on paper), the form displayed %v (want none)", printed["title"], printed["form"])
	}
	if right, shown, page := printed["table"].(float64), printed["shown"].(float64), printed["page"].(float64); right > shown+1 || right > page+1 {
		t.Errorf("printed: the table ends at %.0f px, its box at %.0f px, the paper at %.0f px: columns cut off", right, shown, page)
	}

	// Back on the screen, the analyst signs out from the page's top bar,
	// as from the desk's pages (the coverage page had no bar: an analyst,
	// whose role opens no other page, could not sign out but by waiting
	// for the session's idle timeout), and the page is closed to them.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	}), chromedp.EmulateViewport(1400, 1250)); err != nil {
		t.Fatal(err)
	}
	bar, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(b => b ? b.textContent.replace(/\s+/g, ' ').trim() : '')(document.querySelector('header.top'))`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(bar, "analyst1 · analyst · national") || !strings.Contains(bar, "Sign out") || strings.Contains(bar, "Conflicts") {
		t.Fatalf("the page's top bar reads %q: want who is signed in (analyst1 · analyst · national), Sign out, and no link to the desk", bar)
	}
	if err := webtest.Do(ctx, "sign out from the coverage page", chromedp.Click(`header.top button.link`), chromedp.WaitVisible(`#username`),
		webtest.Loaded(), chromedp.Navigate(env.URL+"/coverage"), chromedp.WaitVisible(`#username`)); err != nil {
		t.Fatal(err)
	}
	if url, err = chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.Contains(url, "/login") {
		t.Errorf("after signing out, /coverage is at %s (%v), want the login page", url, err)
	}
}

// The charts' words stay inside their pictures, as Chromium draws them:
// the month under the last point of the progress chart (eleven months,
// January to November, label every other month and the last: it was
// centred 10 px from the right edge, and "2026-11" lost its last digit),
// a bar's figure after a full bar (a share of 100% of a million persons),
// and a long unit name before it. An SVG clips what passes its edge.
func TestChartsFitInChromium(t *testing.T) {
	var months []string
	var rising []float64
	for m := 1; m <= 11; m++ {
		months = append(months, fmt.Sprintf("2026-%02d", m))
		rising = append(rising, float64(m*1000))
	}
	var page strings.Builder
	page.WriteString(`<!doctype html><html><head><meta charset="utf-8"></head><body>`)
	for _, err := range []error{
		coverage.RenderLines(&page, months, []coverage.Series{{Name: "persons", Colour: "#3182bd", Values: rising}}, 480, 200),
		coverage.RenderBars(&page, []coverage.Bar{
			{Code: "79", Label: "Thành phố Hồ Chí Minh", Value: 100, Text: "100.00% (1,234,567)"},
			{Code: "16939", Label: "Phường Thái Hòa", Value: 80.95, Text: "80.95% (21)"},
		}, 100, 480),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	page.WriteString(`</body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page.String())
	}))
	defer srv.Close()

	ctx := headless(t, 800, 600, 60*time.Second)
	if err := webtest.Do(ctx, "the charts page", chromedp.Navigate(srv.URL), chromedp.WaitVisible(`svg.bars`)); err != nil {
		t.Fatal(err)
	}
	outside, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('svg text')).flatMap(t => {
		const s = t.ownerSVGElement.getBoundingClientRect(), b = t.getBoundingClientRect();
		return b.left < s.left - 0.5 || b.right > s.right + 0.5 ? [t.ownerSVGElement.getAttribute('class') + ' "' + t.textContent + '" from ' +
			Math.round(b.left - s.left) + ' to ' + Math.round(b.right - s.left) + ' px of ' + Math.round(s.width)] : [];
	})`))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('svg.lines text')).map(t => t.textContent).filter(s => /^2026-/.test(s))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) == 0 || labels[len(labels)-1] != "2026-11" {
		t.Errorf("the progress chart's month labels %v: want the last month, 2026-11, labelled", labels)
	}
	for _, o := range outside {
		t.Errorf("drawn outside its chart (clipped): %s", o)
	}
}

// checkLowestFirst checks, on the page Chromium shows, that the table's
// unit rows ascend by their column col (1-based) and that the bars stand
// in the table's order.
func checkLowestFirst(t *testing.T, ctx context.Context, col int, what string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](fmt.Sprintf(`(() => {
		const rows = Array.from(document.querySelectorAll('#coverage-table tbody tr.unit'));
		return {values: rows.map(r => parseFloat(r.querySelector('td:nth-child(%d)').textContent) || 0),
			rows: rows.map(r => r.dataset.code),
			bars: Array.from(document.querySelectorAll('.bars g.bar')).map(b => b.dataset.code)};
	})()`, col)))
	if err != nil {
		t.Fatal(err)
	}
	var values []float64
	for _, v := range got["values"].([]any) {
		values = append(values, v.(float64))
	}
	if len(values) < 2 || values[0] >= values[len(values)-1] {
		t.Fatalf("%s: values %v, want more than one, rising", what, values)
	}
	for i := 1; i < len(values); i++ {
		if values[i] < values[i-1] {
			t.Errorf("%s: row %d (%v) after row %d (%v): not lowest first", what, i+1, values[i], i, values[i-1])
		}
	}
	rows, bars := fmt.Sprint(got["rows"]), fmt.Sprint(got["bars"])
	if rows != bars {
		t.Errorf("%s: the bars %s, the table %s: want one order", what, bars, rows)
	}
	t.Logf("%s: lowest %v, highest %v, %d rows", what, values[0], values[len(values)-1], len(values))
}

// checkMarkedVi: the coverage page's words are English and it says so
// (<html lang="en">), and the places' names on it — the table's, the
// bars', the maps', the way back to Việt Nam — are marked lang="vi" on
// their element, so a screen reader reads each in its language (user32:
// the page said lang="vi" throughout, after the desk's pages were mended).
func checkMarkedVi(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Lang string   `json:"lang"`
		Bad  []string `json:"bad"`
	}](webtest.VietnameseOutsideVi))
	if err != nil {
		t.Fatal(err)
	}
	if got.Lang != "en" {
		t.Errorf("%s: <html lang=%q>, want en", where, got.Lang)
	}
	for i, b := range got.Bad {
		if i == 5 {
			t.Errorf("%s: and %d more", where, len(got.Bad)-i)
			break
		}
		t.Errorf("%s: Vietnamese text not marked lang=\"vi\": %q", where, b)
	}
}
