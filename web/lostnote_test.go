package web_test

import (
	"html/template"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestRulingTooLateKeepsTheNote: two officers rule on one conflict; the
// second's ruling is refused (409: the first ruled) and the page drawn
// then, a decided conflict's, has no decision form: the note typed is
// given back to be copied (escaped), for a reviewer and for a supervisor
// (whose page offers the correction form, with an empty reason). Before,
// the note was lost (user31).
func TestRulingTooLateKeepsTheNote(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.AddUser(t, "rev1", store.RoleReviewer, "79")
	env.AddUser(t, "rev2", store.RoleReviewer, "79")
	env.AddUser(t, "sup", store.RoleSupervisor, "79")
	first := env.Login(t, "rev1")
	note := "Hai người khác nhau: cha mẹ khác <b>xem lại</b>"
	for _, who := range []string{"rev2", "sup"} {
		id := env.SeedConflict(t, "c_late_"+who, schemas.ConflictSharedID, "79", "79")
		c := env.Login(t, who)
		if st, b := first.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person"}); st != http.StatusOK {
			t.Fatalf("the first ruling: %d %s", st, b)
		}
		form := url.Values{"csrf_token": {c.CSRF}, "decision": {"different_persons"}, "note": {note}}
		st, page := c.Form(t, "/conflicts/"+id+"/decision", form.Encode())
		want := ">" + template.HTMLEscapeString(note) + "</textarea>"
		if st != http.StatusConflict || !strings.Contains(string(page), `id="lost-note"`) || !strings.Contains(string(page), want) {
			t.Errorf("%s ruling second: %d, the note given back %v, want 409 and %q", who, st, strings.Contains(string(page), want), want)
		}
		if strings.Contains(string(page), "<b>xem") {
			t.Errorf("%s: the note is not escaped", who)
		}
		if who == "sup" && !strings.Contains(string(page), `required lang="vi"></textarea>`) {
			t.Errorf("the supervisor's correction form is not there with an empty reason")
		}
		if _, page := c.Do(t, "GET", "/conflicts/"+id, nil); strings.Contains(string(page), `id="lost-note"`) {
			t.Errorf("%s: the page asked for gives back a note", who)
		}
	}
}

// TestBrowserRulingTooLateKeepsTheNote: a reviewer has the conflict open
// and types a note while another rules it; sent, the ruling is refused,
// and the page shows who ruled and the note, to copy
// (desk-too-late.png).
func TestBrowserRulingTooLateKeepsTheNote(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c6b2e0f4a917", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	env.AddUser(t, "reviewer2.hn", store.RoleReviewer, "01")
	other := env.Login(t, "reviewer2.hn")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	note := "Khác năm sinh; đã gọi công an xã Tân Lộc"
	err := webtest.Do(ctx, "open the conflict and type a note",
		chromedp.Navigate(env.URL+"/conflicts/"+id),
		chromedp.WaitVisible("#decide"),
		chromedp.Click(`input[name="decision"][value="different_persons"]`),
		chromedp.SendKeys(`textarea[name="note"]`, note),
	)
	if err != nil {
		t.Fatal(err)
	}
	if st, b := other.Do(t, "POST", "/api/conflicts/"+id+"/decision", map[string]string{"decision": "same_person"}); st != http.StatusOK {
		t.Fatalf("the other reviewer's ruling: %d %s", st, b)
	}
	if err := webtest.Do(ctx, "send the ruling", chromedp.Click("#submit-decision"), chromedp.WaitVisible("#lost-note")); err != nil {
		t.Fatal(err)
	}
	got := run(t, ctx, chromedp.Value("#lost-note textarea"))
	alert := run(t, ctx, chromedp.Text(`p.error[role="alert"]`))
	writePNG(t, filepath.Join(shotDir(t), "desk-too-late.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if got != note {
		t.Errorf("the note given back: %q, want %q", got, note)
	}
	if !strings.Contains(alert, "same person by reviewer2.hn") {
		t.Errorf("the refusal %q does not say who ruled", alert)
	}
}
