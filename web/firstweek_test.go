package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// What a police unit's first week on the desk broke (user4, 5 December
// 2026): each test failed before its fix.

// TestConcurrentDecisionsOneWins: two reviewers deciding one conflict at
// the same moment, one "same person" and the other "different persons".
// Exactly one decision is stored and published; the others are refused
// with 409 as on a decided conflict. Before, both were stored as
// open → decided and both reached the match stage.
func TestConcurrentDecisionsOneWins(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := env.SeedConflict(t, "c_race", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev.a", store.RoleReviewer, "01")
	env.AddUser(t, "rev.b", store.RoleReviewer, "01")
	clients := []*webtest.Client{env.Login(t, "rev.a"), env.Login(t, "rev.b")}
	decisions := []string{schemas.DecisionSamePerson, schemas.DecisionDifferentPersons}
	const n = 6
	statuses := make([]int, n)
	atOnce(n, func(i int) {
		statuses[i], _ = clients[i%2].Do(t, "POST", "/api/conflicts/"+id+"/decision",
			map[string]string{"decision": decisions[i%2], "note": "cùng lúc"})
	})
	ok := acceptedOnce(t, id, statuses)
	ds, err := env.Store.Decisions(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || len(ds) != 1 || len(pub.got) != 1 {
		t.Errorf("%d decisions accepted (%v), %d stored, %d published; want one of each", ok, statuses, len(ds), len(pub.got))
	}
}

// TestOneRecordConflictOnlyVerification: a conflict of one record (an ID
// number contradicting its own record's birth year or sex) has no two
// records to join or separate: the registry refuses such a decision (it
// went to the dead letters while the desk showed the conflict decided).
// The desk now refuses same/different persons on it with 400 and offers
// only field verification.
func TestOneRecordConflictOnlyVerification(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := env.SeedConflict(t, "c_one", schemas.ConflictIDContradicts, "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c := env.Login(t, "rev")
	path := "/api/conflicts/" + id + "/decision"
	for _, d := range []string{schemas.DecisionSamePerson, schemas.DecisionDifferentPersons} {
		st, body := c.Do(t, "POST", path, map[string]string{"decision": d})
		if st != http.StatusBadRequest || !strings.Contains(string(body), "one record") {
			t.Errorf("%s on a one-record conflict: %d %s, want 400 saying it has one record", d, st, body)
		}
	}
	st, page := c.Do(t, "GET", "/conflicts/"+id, nil)
	if st != http.StatusOK || strings.Contains(string(page), `value="same_person"`) || strings.Contains(string(page), `value="different_persons"`) ||
		!strings.Contains(string(page), `value="needs_verification"`) {
		t.Errorf("the one-record conflict's form offers more than field verification (%d)", st)
	}
	if st, body := c.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionNeedsVerification}); st != http.StatusOK {
		t.Errorf("needs_verification on a one-record conflict: %d %s", st, body)
	}
	ds, _ := env.Store.Decisions(context.Background(), id)
	if len(ds) != 1 || ds[0].Decision != schemas.DecisionNeedsVerification {
		t.Errorf("stored decisions %+v, want the one needs_verification", ds)
	}
}

// TestConflictPageShowsNoTextFromTheURL: the conflict page showed any
// ?error= text as an alert on the desk's own page, so a link sent to a
// reviewer could put words ("session expired, call 09…") on a genuine
// conflict page. A refused decision now answers with its own status and
// the page, the message coming from the server.
func TestConflictPageShowsNoTextFromTheURL(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_url", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c := env.Login(t, "rev")
	planted := "Phiên hết hạn, gọi 0901234567"
	st, page := c.Do(t, "GET", "/conflicts/"+id+"?error="+url.QueryEscape(planted), nil)
	if st != http.StatusOK || strings.Contains(string(page), "0901234567") {
		t.Errorf("the conflict page shows text from its URL (%d)", st)
	}
	st, page = c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=maybe")
	if st != http.StatusBadRequest || !strings.Contains(string(page), "want same_person") || !strings.Contains(string(page), `id="records"`) {
		t.Errorf("a bad decision from the form: %d, want 400 with the message on the conflict page", st)
	}
	c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=different_persons")
	st, page = c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=same_person")
	if st != http.StatusConflict || !strings.Contains(string(page), "already decided") {
		t.Errorf("a decision on a decided conflict from the form: %d, want 409 saying it is decided", st)
	}
}

// TestQueueRefusesBadFilters: a filter value that is not one the desk
// knows (a mistyped status, kind, limit, district or province) answered
// an empty queue, 200, under a form still showing "open"; now 400 with
// what is wrong, on the page and the API.
func TestQueueRefusesBadFilters(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.SeedConflict(t, "c_filters", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c := env.Login(t, "rev")
	for q, want := range map[string]string{
		"status=opne":     "status",
		"kind=shared":     "kind",
		"limit=abc":       "limit",
		"limit=-5":        "limit",
		"limit=100000":    "limit",
		"offset=-1":       "offset",
		"district=1'":     "district",
		"province=99":     "province",
		"province=Hà+Nội": "province",
	} {
		for _, p := range []string{"/api/conflicts?", "/conflicts?"} {
			st, body := c.Do(t, "GET", p+q, nil)
			if st != http.StatusBadRequest || !strings.Contains(string(body), want) {
				t.Errorf("GET %s%s: %d %.200s, want 400 naming %s", p, q, st, body, want)
			}
		}
	}
	for _, q := range []string{"", "status=all", "status=open&kind=shared_id&district=011&province=01&limit=10&offset=0"} {
		if st, body := c.Do(t, "GET", "/api/conflicts?"+q, nil); st != http.StatusOK || !strings.Contains(string(body), "c_filters") {
			t.Errorf("GET /api/conflicts?%s: %d %.200s", q, st, body)
		}
	}
}

// TestQueuePages: a province's queue longer than a page. The heading
// counted the rows of the page (200), not the queue, and nothing led past
// them; now the total is given and the next page follows, and a reviewer
// of another province counts only their own.
func TestQueuePages(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT concat('c_page_', leftPad(toString(number), 4, '0')), 'grey_zone', if(number < 250, '01', '46'), '', [], [], 0.5, '', 'open', 1
FROM numbers(253)`)
	env.AddUser(t, "hn", store.RoleReviewer, "01")
	env.AddUser(t, "hue", store.RoleReviewer, "46")
	c := env.Login(t, "hn")
	type page struct {
		Conflicts []struct {
			ID string `json:"conflict_id"`
		} `json:"conflicts"`
		Total int `json:"total"`
	}
	seen := map[string]bool{}
	for _, q := range []string{"", "&offset=200"} {
		st, body := c.Do(t, "GET", "/api/conflicts?status=open"+q, nil)
		var p page
		json.Unmarshal(body, &p)
		if st != http.StatusOK || p.Total != 250 {
			t.Errorf("GET /api/conflicts%s: %d total %d, want 250", q, st, p.Total)
		}
		for _, x := range p.Conflicts {
			n, err := strconv.Atoi(strings.TrimPrefix(x.ID, "c_page_"))
			if seen[x.ID] || err != nil || n >= 250 {
				t.Errorf("%s listed twice or not Hà Nội's", x.ID)
			}
			seen[x.ID] = true
		}
	}
	if len(seen) != 250 {
		t.Errorf("two pages listed %d conflicts, want 250", len(seen))
	}
	st, html := c.Do(t, "GET", "/conflicts", nil)
	if st != http.StatusOK || !strings.Contains(string(html), "1–200 of 250") || !strings.Contains(string(html), "offset=200") {
		t.Errorf("queue page: %d, want '1–200 of 250' and a link to offset=200", st)
	}
	st, html = c.Do(t, "GET", "/conflicts?offset=200", nil)
	if st != http.StatusOK || !strings.Contains(string(html), "201–250 of 250") || strings.Contains(string(html), "offset=400") {
		t.Errorf("second queue page: %d, want '201–250 of 250' and no further page", st)
	}
	st, body := env.Login(t, "hue").Do(t, "GET", "/api/conflicts", nil)
	var p page
	json.Unmarshal(body, &p)
	if st != http.StatusOK || p.Total != 3 || len(p.Conflicts) != 3 {
		t.Errorf("Huế's reviewer: %d, total %d, %d listed; want 3 and 3", st, p.Total, len(p.Conflicts))
	}
}

// TestBrowserFiltersByKeyboard: the queue's filters from the keyboard in
// Chromium. Each arrow key on the status list reloaded the page (the
// filter applied on every change) and dropped the focus, so a keyboard
// user could not step past the next option. Now arrows move through the
// options and Enter applies the one reached; a mouse choice still applies
// at once.
func TestBrowserFiltersByKeyboard(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.SeedConflict(t, "c_kbd", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	err := webtest.Do(ctx, "two arrow keys on the status filter", chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#queue"),
		webtest.Loaded(), // desk.js (deferred) listens to the keys
		chromedp.Focus(`select[name="status"]`), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Sleep(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	loc := run(t, ctx, chromedp.Location())
	focused := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.name + "=" + document.activeElement.value`))
	if strings.Contains(loc, "status=") || focused != "status=needs_verification" {
		t.Errorf("two arrow keys on the status filter: at %s, focus on %q; want no reload and status=needs_verification", loc, focused)
	}
	if err := webtest.Do(ctx, "Enter on the status filter", webtest.Navigation(chromedp.KeyEvent(kb.Enter)), chromedp.WaitVisible("#queue")); err != nil {
		t.Fatal(err)
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "status=needs_verification") {
		t.Errorf("Enter on the status filter: at %s, want the queue filtered by needs_verification", loc)
	}
}

// TestExpiredSessionSaysSignInAgain: a reviewer whose session expired
// while writing a note sent the decision form and got a bare "401 not
// signed in" page, no way back and no word on whether the decision was
// kept. The page now says nothing was recorded and links to the login,
// which says the session expired (expired=1).
func TestExpiredSessionSaysSignInAgain(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionTTL: time.Hour})
	id := env.SeedConflict(t, "c_expired", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c := env.Login(t, "rev")
	env.Clock.Advance(2 * time.Hour)
	st, page := c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=different_persons&note=khác")
	if st != http.StatusUnauthorized || !strings.Contains(string(page), `<a href="/login?expired=1&amp;next=%2fconflicts%2f`+id+`">`) || !strings.Contains(string(page), "nothing was recorded") {
		t.Errorf("a decision after the session expired: %d %s, want 401 with a link to sign in again", st, page)
	}
	if ds, _ := env.Store.Decisions(context.Background(), id); len(ds) != 0 {
		t.Errorf("a decision was stored after the session expired: %+v", ds)
	}
}

// TestAssignNeedsAChoice: the supervisor's assignment list opened on its
// first name (alphabetical: an admin), so one click on Assign gave the
// conflict to whoever sorted first. The list now starts on an empty,
// required choice (the browser will not send it), and a form sent without
// one answers 400 naming the field.
func TestAssignNeedsAChoice(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_assign", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	env.AddUser(t, "aaa.admin", store.RoleAdmin)
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c := env.Login(t, "sup")
	st, page := c.Do(t, "GET", "/conflicts/"+id, nil)
	if st != http.StatusOK || !strings.Contains(string(page), `<select name="assignee" required><option value="" selected disabled>`) {
		t.Errorf("the assignment list does not start on an empty required choice (%d)", st)
	}
	st, page = c.Form(t, "/conflicts/"+id+"/assign", "csrf_token="+c.CSRF+"&assignee=")
	if st != http.StatusBadRequest || !strings.Contains(string(page), "assignee") {
		t.Errorf("assign without a choice: %d, want 400 naming the assignee", st)
	}
	if st, _ := c.Form(t, "/conflicts/"+id+"/assign", "csrf_token="+c.CSRF+"&assignee=rev"); st != http.StatusSeeOther {
		t.Errorf("assign to rev: %d, want 303", st)
	}
}

// TestAuditFilters: an auditor asked "who looked at this conflict?" and
// could only read the latest entries of everyone (limit at most 10,000,
// no filter; a bad limit silently gave 100). The audit log now filters by
// user, conflict and action, on the page and the API, within the
// auditor's provinces; a value it cannot use answers 400.
func TestAuditFilters(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	a := env.SeedConflict(t, "c_audit_a", schemas.ConflictSharedID, "01", "01")
	b := env.SeedConflict(t, "c_audit_b", schemas.ConflictSharedID, "01", "01")
	hue := env.SeedConflict(t, "c_audit_hue", schemas.ConflictSharedID, "46", "46")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "rev.hue", store.RoleReviewer, "46")
	env.AddUser(t, "aud", store.RoleAuditor, "01")
	rev := env.Login(t, "rev")
	rev.Do(t, "GET", "/api/conflicts/"+a, nil)
	rev.Do(t, "GET", "/api/conflicts/"+b, nil)
	rev.Do(t, "POST", "/api/conflicts/"+a+"/decision", map[string]string{"decision": "different_persons"})
	env.Login(t, "rev.hue").Do(t, "GET", "/api/conflicts/"+hue, nil)
	aud := env.Login(t, "aud")

	type entries struct {
		Entries []store.AuditEntry `json:"entries"`
	}
	get := func(q string) (int, entries) {
		st, body := aud.Do(t, "GET", "/api/audit?"+q, nil)
		var e entries
		json.Unmarshal(body, &e)
		return st, e
	}
	st, e := get("object=" + a)
	got := map[string]bool{}
	for _, x := range e.Entries {
		if x.ObjectID != a {
			t.Errorf("object=%s listed an entry on %q", a, x.ObjectID)
		}
		got[x.Username+" "+x.Action] = true
	}
	if st != http.StatusOK || !got["rev open_conflict"] || !got["rev decide"] {
		t.Errorf("object=%s: %d %v, want rev's open and decision", a, st, got)
	}
	if st, e := get("user=rev&action=open_conflict"); st != http.StatusOK || len(e.Entries) != 2 {
		t.Errorf("user=rev&action=open_conflict: %d, %d entries, want 2", st, len(e.Entries))
	}
	if st, e := get("object=" + hue); st != http.StatusOK || len(e.Entries) != 0 {
		t.Errorf("object=%s (Huế's) for an auditor of Hà Nội: %d, %d entries, want none", hue, st, len(e.Entries))
	}
	for _, q := range []string{"action=opened", "limit=abc", "limit=20000"} {
		if st, _ := aud.Do(t, "GET", "/api/audit?"+q, nil); st != http.StatusBadRequest {
			t.Errorf("GET /api/audit?%s: %d, want 400", q, st)
		}
		if st, _ := aud.Do(t, "GET", "/audit?"+q, nil); st != http.StatusBadRequest {
			t.Errorf("GET /audit?%s: %d, want 400", q, st)
		}
	}
	if st, page := aud.Do(t, "GET", "/audit?object="+a, nil); st != http.StatusOK || !strings.Contains(string(page), `name="object" value="`+a+`"`) ||
		strings.Contains(string(page), b) {
		t.Errorf("the audit page filtered by %s: %d, want the filter kept and no entry on %s", a, st, b)
	}
}

// TestBrowserLongValuesWrap: a record whose name or address runs long
// without a space (a scanned form's "Số_12/34/56_Ngõ_Hàng_Bạc,…") made
// the conflict page 2,490 pixels wide at a 1,280-pixel window, the other
// record's column squeezed to a word. Cells now wrap anywhere and the
// records' columns share the width.
func TestBrowserLongValuesWrap(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	long := strings.Repeat("Tôn-Nữ-Thị-Huyền-Trang-", 8)
	addr := strings.Repeat("Số_12/34/56_Ngõ_Hàng_Bạc,_Phường_Hàng_Bạc,_Quận_Hoàn_Kiếm,_Thành_phố_Hà_Nội,", 3)
	env.Exec(t, `INSERT INTO records (record_id, full_name, birth_year, sex, id_number, perm_address, perm_province_code, perm_district_code, perm_new_province_code)
VALUES ('r_long_1', '`+long+`', 1990, 'F', '001190012345', '`+addr+`', '01', '002', '01'),
       ('r_long_2', 'Tôn Nữ Thị Huyền Trang', 1990, 'F', '001190012345', 'Hà Nội', '01', '002', '01')`,
		`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
VALUES ('c_long', 'shared_id', '01', '001190012345', ['p_l1', 'p_l2'], ['r_long_1', 'r_long_2'], 0, 'seeded', 'open', 1)`)
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "open the conflict of long values", chromedp.Navigate(env.URL+"/conflicts/c_long"), chromedp.WaitVisible("#records")); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-long-values.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	widths := run(t, ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	if widths[0] > widths[1] {
		t.Errorf("the conflict page is %d pixels wide in a window of %d: long values do not wrap", widths[0], widths[1])
	}
}

// TestStaticListsNothing: GET /static/ (public) listed the folder of the
// embedded files, and a missing file answered the file server's bare
// "404 page not found". Both are now the application's 404 page.
func TestStaticListsNothing(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	c := env.NewClient()
	for _, p := range []string{"/static/", "/static/nope.js"} {
		st, body := c.Do(t, "GET", p, nil)
		if st != http.StatusNotFound || strings.Contains(string(body), ">desk.css</a>") || !strings.Contains(string(body), "<html") {
			t.Errorf("GET %s: %d %.120s, want the application's 404 page and no listing", p, st, body)
		}
	}
	if st, body := c.Do(t, "GET", "/static/desk.css", nil); st != http.StatusOK || !strings.Contains(string(body), "table.sbs") {
		t.Errorf("GET /static/desk.css: %d", st)
	}
}

// TestSignedInAgainBackToTheConflict: a reviewer whose session expired
// mid-decision signed in again from the page's link and landed on the
// queue, to look for the conflict again among the others. The link now
// carries the conflict (next), the login form keeps it, and signing in
// goes there; a page asked for in a tab whose session expired likewise
// (not without any session: TestAuthorisationMatrix). next names only
// this server's pages: another site, however written, gives home.
func TestSignedInAgainBackToTheConflict(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionTTL: time.Hour})
	id := env.SeedConflict(t, "c_back", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	c, tab := env.Login(t, "rev"), env.Login(t, "rev")
	env.Clock.Advance(2 * time.Hour)
	_, page := c.Form(t, "/conflicts/"+id+"/decision", "csrf_token="+c.CSRF+"&decision=different_persons&note=khác")
	m := regexp.MustCompile(`href="(/login[^"]*)">Sign in again`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("the 401 page has no link to sign in again: %s", page)
	}
	signIn := html.UnescapeString(string(m[1]))
	// post the login form of client b with next; its answer's Location.
	post := func(b *webtest.Client, next string) (int, string) {
		req, _ := http.NewRequest("POST", env.URL+"/login", strings.NewReader(url.Values{
			"username": {"rev"}, "password": {webtest.Password}, "next": {next}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := b.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location")
	}
	for _, tc := range []struct{ login, want string }{
		{signIn, "/conflicts/" + id},
		{"/login?next=" + url.QueryEscape("/conflicts?status=decided&kind=two_ids"), "/conflicts?status=decided&kind=two_ids"},
		{"/login?next=" + url.QueryEscape("//evil.example/conflicts"), "/"},
		{"/login?next=" + url.QueryEscape("/\\evil.example"), "/"},
		{"/login?next=" + url.QueryEscape("https://evil.example/conflicts"), "/"},
		{"/login?next=" + url.QueryEscape("/api/logout"), "/"},
		{"/login", "/"},
	} {
		b := env.NewClient()
		st, form := b.Do(t, "GET", tc.login, nil)
		next := ""
		if m := regexp.MustCompile(`name="next" value="([^"]*)"`).FindSubmatch(form); m != nil {
			next = html.UnescapeString(string(m[1]))
		}
		if st != http.StatusOK {
			t.Fatalf("GET %s: %d", tc.login, st)
		}
		if st, loc := post(b, next); st != http.StatusSeeOther || loc != tc.want {
			t.Errorf("signed in from %s (next %q): %d to %q, want 303 to %q", tc.login, next, st, loc, tc.want)
		}
		// The form's own next, bypassed: posted straight, the same rule.
		if tc.want == "/" && strings.Contains(tc.login, "next=") {
			raw, _ := url.QueryUnescape(strings.TrimPrefix(tc.login, "/login?next="))
			if _, loc := post(env.NewClient(), raw); loc != "/" {
				t.Errorf("signed in with next %q posted: to %q, want /", raw, loc)
			}
		}
	}
	// A page asked for in a tab whose session expired: the login, then
	// that page; without a session, the login alone.
	for _, tc := range []struct {
		c    *webtest.Client
		want string
	}{{tab, "/login?expired=1&next=" + url.QueryEscape("/conflicts/"+id)}, {env.NewClient(), "/login"}} {
		resp, err := tc.c.Client.Get(env.URL + "/conflicts/" + id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); loc != tc.want {
			t.Errorf("a conflict's page: to %q, want %q", loc, tc.want)
		}
	}
}

// TestBrowserNoteKeptWhenSessionExpires: an officer types a note in a
// conflict's form, the session expires before it is sent, and the 401
// page gives the note back (nothing recorded); its link to sign in again
// reaches a login page that says the session expired, and signed in
// again, on the conflict, the note is in the form again, once.
func TestBrowserNoteKeptWhenSessionExpires(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionIdle: 30 * time.Minute})
	id := env.SeedConflict(t, "c_note_kept", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	dir := shotDir(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	const note = "Hai người khác nhau: khác cha mẹ, khác quê — đã hỏi trưởng thôn"
	err := webtest.Do(ctx, "write a note on the conflict",
		chromedp.Navigate(env.URL+"/conflicts/"+id),
		chromedp.WaitVisible("#decide"),
		chromedp.Click(`input[name="decision"][value="different_persons"]`),
		chromedp.SendKeys(`#decide textarea[name="note"]`, note),
		webtest.Loaded(), // before the clock moves (TestBrowserSessionExpired)
	)
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Hour)
	if err := webtest.Do(ctx, "send after the session expired", chromedp.Click("#submit-decision"), chromedp.WaitVisible("#signin-again")); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text("#unsent-note")); !strings.Contains(got, note) {
		t.Errorf("the 401 page does not give the note back: %q", got)
	}
	writePNG(t, filepath.Join(dir, "session-expired-note.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if err := webtest.Do(ctx, "follow the link to sign in again", chromedp.Click("#signin-again a"), chromedp.WaitVisible("#username")); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text("section.login")); !strings.Contains(got, "session has expired") {
		t.Errorf("the login page reached from the 401 does not say the session expired: %q", got)
	}
	err = webtest.Do(ctx, "sign in again",
		chromedp.SendKeys("#username", "reviewer.hn"),
		chromedp.SendKeys("#password", webtest.Password),
		chromedp.Click("#signin"),
		chromedp.WaitVisible("#decide"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Value(`#decide textarea[name="note"]`)); got != note {
		t.Errorf("the note after signing in again: %q, want %q", got, note)
	}
	if ds, err := env.Store.Decisions(context.Background(), id); err != nil || len(ds) != 0 {
		t.Errorf("decisions recorded: %+v %v", ds, err)
	}
	if err := webtest.Do(ctx, "reload the conflict", chromedp.Reload(), chromedp.WaitVisible("#decide")); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Value(`#decide textarea[name="note"]`)); got != "" {
		t.Errorf("the note put back a second time: %q", got)
	}
}
