package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestIdleTimeout: a desk session lasted its whole 8 hours however long
// it sat unused (the data-protection audit, user15). It now ends after
// SessionIdle without a request — the API answers 401, a page sends the
// browser back to the login, which says the session expired — while a
// busy session still ends at its lifetime; each expiry is audited once,
// as a logout saying which limit ended it.
func TestIdleTimeout(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionTTL: time.Hour, SessionIdle: 10 * time.Minute})
	for _, u := range []string{"busy", "api", "page"} {
		env.AddUser(t, u, store.RoleReviewer, "01")
	}
	env.AddUser(t, "adm", store.RoleAdmin)
	busy, api, page := env.Login(t, "busy"), env.Login(t, "api"), env.Login(t, "page")
	base, _ := url.Parse(env.URL)
	apiCopy := env.NewClient()
	apiCopy.Jar.SetCookies(base, api.Jar.Cookies(base))

	// A request every nine minutes keeps a session for its hour, not
	// past it; two idle ones end after ten minutes.
	for at := 9 * time.Minute; at <= 54*time.Minute; at += 9 * time.Minute {
		env.Clock.Advance(9 * time.Minute)
		if st, _ := busy.Do(t, "GET", "/api/me", nil); st != http.StatusOK {
			t.Fatalf("a session used every 9 minutes, at %s: %d, want 200", at, st)
		}
		if at == 18*time.Minute {
			st, body := api.Do(t, "GET", "/api/me", nil)
			if st != http.StatusUnauthorized || !strings.Contains(string(body), "expired") {
				t.Errorf("the API after 18 minutes idle: %d %s, want 401 saying the session expired", st, body)
			}
			if st, _ := apiCopy.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
				t.Errorf("the expired session's cookie again: %d, want 401", st)
			}
			resp, err := page.Client.Get(env.URL + "/conflicts")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
				t.Fatalf("a page after 18 minutes idle: %d to %q, want 303 to the login", resp.StatusCode, loc)
			} else {
				resp, err = page.Client.Get(env.URL + loc)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "session has expired") || !strings.Contains(string(b), `id="signin"`) {
					t.Errorf("the login page after an expired session: %d, want the form saying the session expired: %s", resp.StatusCode, b)
				}
			}
		}
	}
	env.Clock.Advance(9 * time.Minute)
	if st, _ := busy.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
		t.Errorf("a busy session at 63 minutes of a 1h lifetime: %d, want 401", st)
	}

	adm := env.Login(t, "adm")
	st, body := adm.Do(t, "GET", "/api/audit?action=logout&limit=100", nil)
	if st != http.StatusOK {
		t.Fatalf("audit: %d %s", st, body)
	}
	for _, want := range []struct {
		user, why string
	}{{"api", "10m0s without a request"}, {"page", "10m0s without a request"}, {"busy", "lifetime of 1h0m0s is over"}} {
		if n := strings.Count(string(body), `"username":"`+want.user+`","role":"reviewer","action":"logout"`); n != 1 {
			t.Errorf("audit: %d logouts of %s, want 1: %s", n, want.user, body)
		}
		if !strings.Contains(string(body), want.why) {
			t.Errorf("audit: no logout saying %q: %s", want.why, body)
		}
	}
}

// TestNoLockOutByAStranger: five wrong passwords for an account name
// locked the account for everyone for 15 minutes, so whoever knew a
// reviewer's name could keep them out (the data-protection audit,
// user15). The limit is now per account and client address: a stranger
// guessing ~100 times from one address (behind the trusted proxy, the
// address X-Forwarded-For names) is refused after five, even with the
// right password, while the owner signs in from their own address; a
// stranger writing other addresses into X-Forwarded-For, not through a
// trusted proxy, gains no tries.
func TestNoLockOutByAStranger(t *testing.T) {
	proxies, err := web.ParseTrustedProxies([]string{"127.0.0.1", "::1/128"})
	if err != nil {
		t.Fatal(err)
	}
	env := webtest.Start(t, web.Config{TrustedProxies: proxies})
	env.AddUser(t, "ana", store.RoleReviewer, "01")
	env.AddUser(t, "adm", store.RoleAdmin)
	from := func(xff string) *webtest.Client {
		c := env.NewClient()
		c.Header = http.Header{"X-Forwarded-For": {xff}}
		return c
	}
	login := func(c *webtest.Client, password string) int {
		t.Helper()
		st, _ := c.Do(t, "POST", "/api/login", map[string]string{"username": "ana", "password": password})
		return st
	}

	stranger := from("198.51.100.66")
	counts := map[int]int{}
	for i := range 100 {
		counts[login(stranger, fmt.Sprintf("guess-%03d", i))]++
		if i == 50 {
			if st := login(from("203.0.113.5"), webtest.Password); st != http.StatusOK {
				t.Errorf("the owner from their address while a stranger guesses: %d, want 200", st)
			}
		}
	}
	if counts[http.StatusUnauthorized] != 5 || counts[http.StatusTooManyRequests] != 95 {
		t.Errorf("100 guesses from one address: %v, want 5 answered 401 and 95 refused 429", counts)
	}
	if st := login(stranger, webtest.Password); st != http.StatusTooManyRequests {
		t.Errorf("the right password from the guessing address: %d, want 429", st)
	}
	if st := login(from("203.0.113.5"), webtest.Password); st != http.StatusOK {
		t.Errorf("the owner after 100 guesses by a stranger: %d, want 200", st)
	}

	// Not through a trusted proxy, X-Forwarded-For is the client's word:
	// new addresses there are the same peer, refused after five.
	direct, err := web.New(web.Config{Store: env.Store})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(direct)
	defer hs.Close()
	refused := 0
	for i := range 10 {
		c := from(fmt.Sprintf("192.0.2.%d", i+1))
		c.Base = hs.URL
		if login(c, "wrong-password") == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused != 5 {
		t.Errorf("10 guesses from one untrusted peer naming 10 addresses: %d refused, want 5", refused)
	}

	adm := env.Login(t, "adm")
	st, body := adm.Do(t, "GET", "/api/audit?action=login_failed&limit=200", nil)
	if st != http.StatusOK || !strings.Contains(string(body), "too many failures of this account from this address") ||
		strings.Contains(string(body), "guess-") {
		t.Errorf("audit: want the refusals saying which limit, and no password: %d %s", st, body)
	}
}

// TestBrowserSessionExpired: a reviewer whose session ran idle past its
// timeout, in a real Chromium, is sent to the login page, which says why,
// and the expiry is audited once (DANCU_SCREENSHOTS=DIR keeps
// desk-session-expired.png). The clock moves only once the queue has
// loaded whole (webtest.Loaded): on CI the browser's own favicon request,
// still on its way when the clock jumped, moved the session on, and the
// queue came back instead of the login page (ui1).
func TestBrowserSessionExpired(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionTTL: time.Hour, SessionIdle: 10 * time.Minute})
	env.AddUser(t, "rev.hue", store.RoleReviewer, "46")
	env.AddUser(t, "adm", store.RoleAdmin)
	ctx := webtest.Browser(t)
	err := webtest.Do(ctx, "sign in",
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "rev.hue"),
		chromedp.SendKeys("#password", webtest.Password),
		chromedp.Click("#signin"),
		chromedp.WaitVisible("#queue"),
		webtest.Loaded(),
	)
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(11 * time.Minute)
	if err := webtest.Do(ctx, "the queue after 11 idle minutes", chromedp.Navigate(env.URL+"/conflicts"), chromedp.WaitVisible("#username"), webtest.Loaded()); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-session-expired.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if notice := run(t, ctx, chromedp.Text(".notice")); !strings.Contains(notice, "session has expired (after 10 minutes without a request, or 1 hour after") {
		t.Errorf("the login page says %q, want that the session expired", notice)
	}
	st, body := env.Login(t, "adm").Do(t, "GET", "/api/audit?action=logout&limit=100", nil)
	if n := strings.Count(string(body), `"username":"rev.hue","role":"reviewer","action":"logout"`); st != http.StatusOK || n != 1 {
		t.Errorf("audit: %d, %d logouts of rev.hue for one expired session, want 1: %s", st, n, body)
	}
}

// TestFaviconLeavesTheSession: the icon a browser asks for by itself
// after every page (GET /favicon.ico) passed the session middleware like
// any unknown path: it moved the idle timeout on as if the reviewer had
// done something, sent after the timeout it ended the session (audited)
// before the page the reviewer asked for could say so, and an anonymous
// browser got a redirect to the login page for it (ui1). It is now
// public, 204, and leaves the session alone.
func TestFaviconLeavesTheSession(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionTTL: time.Hour, SessionIdle: 10 * time.Minute})
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "adm", store.RoleAdmin)
	favicon := func(c *webtest.Client) *http.Response {
		t.Helper()
		resp, err := c.Get(env.URL + "/favicon.ico")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Location") != "" {
			t.Errorf("GET /favicon.ico: %d to %q, want 204 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
		}
		return resp
	}
	favicon(env.NewClient())

	// Asked for at 9 idle minutes, it does not keep the session.
	idle := env.Login(t, "rev")
	env.Clock.Advance(9 * time.Minute)
	favicon(idle)
	env.Clock.Advance(2 * time.Minute)
	if st, body := idle.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized || !strings.Contains(string(body), "expired") {
		t.Errorf("after a favicon at 9 and 2 more idle minutes: %d %s, want 401 saying the session expired", st, body)
	}

	// Asked for past the timeout, it does not end the session: the
	// request after it is the one that finds it expired and says so.
	late := env.Login(t, "rev")
	env.Clock.Advance(11 * time.Minute)
	if resp := favicon(late); len(resp.Cookies()) != 0 {
		t.Errorf("GET /favicon.ico with an expired session sets cookies %v, want none", resp.Cookies())
	}
	if st, body := late.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized || !strings.Contains(string(body), "expired") {
		t.Errorf("the request after a favicon past the timeout: %d %s, want 401 saying the session expired", st, body)
	}

	adm := env.Login(t, "adm")
	st, body := adm.Do(t, "GET", "/api/audit?action=logout&limit=100", nil)
	if n := strings.Count(string(body), `"username":"rev","role":"reviewer","action":"logout"`); st != http.StatusOK || n != 2 {
		t.Errorf("audit: %d, %d logouts of rev, want 2 (one a session): %s", st, n, body)
	}
}

// TestExpiryAuditedOnce: requests sent at once with one expired session's
// cookie (a page and the requests the browser sends by itself: in
// TestBrowserSessionExpired the server logged "session expired" twice
// for one navigation) each found the session expired, ended it and
// audited a logout (ui1). Now one of them does; each says the session
// expired or that the caller is not signed in, never serves the page.
func TestExpiryAuditedOnce(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionTTL: time.Hour, SessionIdle: 10 * time.Minute})
	const sessions, together = 6, 4
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "adm", store.RoleAdmin)
	var clients []*webtest.Client
	for range sessions {
		clients = append(clients, env.Login(t, "rev"))
	}
	env.Clock.Advance(11 * time.Minute)
	base, _ := url.Parse(env.URL)
	for i, c := range clients {
		cookies := c.Jar.Cookies(base)
		start := make(chan struct{})
		type answer struct {
			path, loc string
			status    int
			body      string
			err       error
		}
		answers := make(chan answer, together)
		for j := range together {
			path := []string{"/api/me", "/conflicts", "/api/conflicts", "/no-such-page"}[j%4]
			go func() {
				req, _ := http.NewRequest("GET", env.URL+path, nil)
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				<-start
				resp, err := env.NewClient().Client.Do(req)
				if err != nil {
					answers <- answer{path: path, err: err}
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				answers <- answer{path, resp.Header.Get("Location"), resp.StatusCode, string(b), nil}
			}()
		}
		close(start)
		for range together {
			a := <-answers
			switch {
			case a.err != nil:
				t.Errorf("session %d, GET %s: %v", i, a.path, a.err)
			case strings.HasPrefix(a.path, "/api/") && a.status != http.StatusUnauthorized,
				!strings.HasPrefix(a.path, "/api/") && (a.status != http.StatusSeeOther || !strings.HasPrefix(a.loc, "/login")):
				t.Errorf("session %d, GET %s with the expired cookie: %d to %q %.200s, want 401 or 303 to the login", i, a.path, a.status, a.loc, a.body)
			}
		}
	}
	adm := env.Login(t, "adm")
	st, body := adm.Do(t, "GET", "/api/audit?action=logout&limit=100", nil)
	if n := strings.Count(string(body), `"username":"rev","role":"reviewer","action":"logout"`); st != http.StatusOK || n != sessions {
		t.Errorf("audit: %d, %d logouts of rev for %d expired sessions, %d requests each at once; want one each", st, n, sessions, together)
	}
}
