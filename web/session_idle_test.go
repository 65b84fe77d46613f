package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
