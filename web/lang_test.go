package web_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestBrowserPageLanguage: the desk's words are English and its pages say
// so (<html lang="en">), and what is Vietnamese on them — citizens' names
// and addresses, provinces and districts, the persons' names, the notes
// of rulings, the names the explanation compares — is marked lang="vi"
// on its element: the queue, a conflict decided with a note, an
// ambiguous tie, the error page and the login form. Before, every page
// said lang="vi" and a screen reader read "Status decided" as Vietnamese
// (user31). desk-lang-conflict.png.
func TestBrowserPageLanguage(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c1a7d3e9b5f2", schemas.ConflictSharedID, "01", "01")
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, score,
  'r_c1a7d3e9b5f2_0 ↔ r_c1a7d3e9b5f2_1\ncomparison   level   weight   total   values\nname   exact   +9.1   +9.1   "Nguyễn Văn An 0" | "Nguyễn Văn An 1"\n', status, version + 1
FROM conflicts FINAL WHERE conflict_id = 'c1a7d3e9b5f2'`)
	tie, _, _, _, _ := env.SeedTie(t, "c1a7d3e9b5f3", 2)
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	check := func(path, shot string) {
		t.Helper()
		if err := webtest.Do(ctx, "open "+path, chromedp.Navigate(env.URL+path), webtest.Loaded()); err != nil {
			t.Fatal(err)
		}
		got := run(t, ctx, chromedp.Evaluate[struct {
			Lang string   `json:"lang"`
			Bad  []string `json:"bad"`
		}](webtest.VietnameseOutsideVi))
		if shot != "" {
			writePNG(t, filepath.Join(shotDir(t), shot), run(t, ctx, chromedp.FullScreenshot(100)))
		}
		if got.Lang != "en" {
			t.Errorf("%s: <html lang=%q>, want en", path, got.Lang)
		}
		for _, b := range got.Bad {
			t.Errorf("%s: Vietnamese text not marked lang=\"vi\": %q", path, b)
		}
	}
	check("/login", "")
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	check("/conflicts", "")
	if err := webtest.Do(ctx, "open the conflict", chromedp.Navigate(env.URL+"/conflicts/"+id), chromedp.WaitVisible("#decide")); err != nil {
		t.Fatal(err)
	}
	ruleInBrowser(t, ctx, `input[name="decision"][value="different_persons"]`, "Khác năm sinh; đã hỏi công an xã")
	check("/conflicts/"+id, "desk-lang-conflict.png")
	check("/conflicts/"+tie, "")
	check(fmt.Sprintf("/conflicts/%s-none", id), "")
}
