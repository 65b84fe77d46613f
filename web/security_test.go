package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestCSRF: a state-changing request without the token, or with another
// session's token, is refused with 403 and changes nothing; the form
// field and the header both work.
func TestCSRF(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c_csrf", schemas.ConflictSharedID, "01", "01")
	env.AddUser(t, "ana", store.RoleReviewer, "01")
	env.AddUser(t, "binh", store.RoleReviewer, "01")
	a, b := env.Login(t, "ana"), env.Login(t, "binh")
	path := "/api/conflicts/" + id + "/decision"
	body := map[string]string{"decision": "needs_verification"}

	tok := a.CSRF
	a.CSRF = ""
	if st, _ := a.Do(t, "POST", path, body); st != http.StatusForbidden {
		t.Errorf("API without X-CSRF-Token: %d, want 403", st)
	}
	a.CSRF = b.CSRF
	if st, _ := a.Do(t, "POST", path, body); st != http.StatusForbidden {
		t.Errorf("API with another session's token: %d, want 403", st)
	}
	a.CSRF = tok[:len(tok)-1] + "x"
	if st, _ := a.Do(t, "POST", path, body); st != http.StatusForbidden {
		t.Errorf("API with a wrong token: %d, want 403", st)
	}
	if st, _ := a.Form(t, "/conflicts/"+id+"/decision", "decision=needs_verification"); st != http.StatusForbidden {
		t.Errorf("form without csrf_token: %d, want 403", st)
	}
	// The API ignores a form field: only the header counts there.
	if st, _ := a.Form(t, path, "csrf_token="+tok); st != http.StatusForbidden {
		t.Errorf("API with the token only as a form field: %d, want 403", st)
	}
	ds, err := env.Store.Decisions(t.Context(), id)
	if err != nil || len(ds) != 0 {
		t.Fatalf("refused requests stored decisions: %v %v", ds, err)
	}
	if st, _ := a.Form(t, "/conflicts/"+id+"/decision", "decision=needs_verification&csrf_token="+url.QueryEscape(tok)); st != http.StatusSeeOther {
		t.Errorf("form with csrf_token: %d, want 303", st)
	}
	a.CSRF = tok
	if st, b := a.Do(t, "POST", path, body); st != http.StatusOK {
		t.Errorf("API with X-CSRF-Token: %d %s", st, b)
	}
	if ds, _ := env.Store.Decisions(t.Context(), id); len(ds) != 2 {
		t.Errorf("%d decisions stored, want 2", len(ds))
	}
}

// TestSessionFixation: a session cookie planted before login is never
// adopted; login issues a fresh token, and a session that was live
// before login is ended by it.
func TestSessionFixation(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	env.AddUser(t, "ana", store.RoleReviewer, "01")
	env.AddUser(t, "mallory", store.RoleReviewer, "01")

	// An attacker's chosen value and an attacker's own live session.
	planted := env.Login(t, "mallory")
	u, _ := url.Parse(env.URL)
	attackerTok := cookieValue(planted, u)

	victim := env.NewClient()
	victim.Jar.SetCookies(u, []*http.Cookie{{Name: "dancu_session", Value: attackerTok, Path: "/"}})
	st, body := victim.Do(t, "POST", "/api/login", map[string]string{"username": "ana", "password": webtest.Password})
	if st != http.StatusOK {
		t.Fatalf("login: %d %s", st, body)
	}
	got := cookieValue(victim, u)
	if got == "" || got == attackerTok {
		t.Fatalf("login kept the planted session token")
	}
	// The planted session was ended by the login it came with.
	if st, _ := planted.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
		t.Errorf("planted session after the victim's login: %d, want 401", st)
	}
	if st, body := victim.Do(t, "GET", "/api/me", nil); st != http.StatusOK || !strings.Contains(string(body), `"username":"ana"`) {
		t.Errorf("victim's new session: %d %s", st, body)
	}
	// A made-up token authenticates nobody.
	forged := env.NewClient()
	forged.Jar.SetCookies(u, []*http.Cookie{{Name: "dancu_session", Value: store.RandomToken(), Path: "/"}})
	if st, _ := forged.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
		t.Errorf("forged token: %d, want 401", st)
	}
}

func cookieValue(c *webtest.Client, u *url.URL) string {
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "dancu_session" {
			return ck.Value
		}
	}
	return ""
}

// TestSessionExpiry: a session stops working when its time is up; logout
// ends it at once; disabling a user ends their access at once. (The idle
// timeout is set past the lifetime: TestIdleTimeout tests it.)
func TestSessionExpiry(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionTTL: time.Hour, SessionIdle: 2 * time.Hour})
	env.AddUser(t, "ana", store.RoleReviewer, "01")
	env.AddUser(t, "binh", store.RoleReviewer, "01")
	a := env.Login(t, "ana")
	if st, _ := a.Do(t, "GET", "/api/me", nil); st != http.StatusOK {
		t.Fatalf("fresh session: %d", st)
	}
	env.Clock.Advance(59 * time.Minute)
	if st, _ := a.Do(t, "GET", "/api/me", nil); st != http.StatusOK {
		t.Errorf("session at 59 min: %d, want 200", st)
	}
	env.Clock.Advance(2 * time.Minute)
	if st, _ := a.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
		t.Errorf("session at 61 min: %d, want 401", st)
	}
	if st, _ := a.Do(t, "GET", "/conflicts", nil); st != http.StatusSeeOther {
		t.Errorf("page with an expired session: %d, want 303 to /login", st)
	}

	b := env.Login(t, "binh")
	if st, _ := b.Do(t, "POST", "/api/logout", nil); st != http.StatusOK {
		t.Fatalf("logout: %d", st)
	}
	// Replay the old cookie after logout.
	u, _ := url.Parse(env.URL)
	b2 := env.NewClient()
	b2.Jar.SetCookies(u, b.Jar.Cookies(u))
	if st, _ := b2.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
		t.Errorf("session after logout: %d, want 401", st)
	}

	a = env.Login(t, "ana")
	usr, err := env.Store.User(t.Context(), "ana")
	if err != nil {
		t.Fatal(err)
	}
	usr.Disabled = true
	if err := env.Store.PutUser(t.Context(), usr); err != nil {
		t.Fatal(err)
	}
	if st, _ := a.Do(t, "GET", "/api/me", nil); st != http.StatusUnauthorized {
		t.Errorf("session of a disabled user: %d, want 401", st)
	}
	c := env.NewClient()
	if st, _ := c.Do(t, "POST", "/api/login", map[string]string{"username": "ana", "password": webtest.Password}); st != http.StatusUnauthorized {
		t.Errorf("login of a disabled user: %d, want 401", st)
	}
}

// TestBruteForce: after 5 failed logins of one name, even the right
// password is refused (429) until the window has passed; wrong
// credentials are 401; failures are audited without the password.
func TestBruteForce(t *testing.T) {
	env := webtest.Start(t, web.Config{LoginFailures: 5, LoginWindow: 15 * time.Minute})
	env.AddUser(t, "ana", store.RoleReviewer, "01")
	env.AddUser(t, "adm", store.RoleAdmin)
	c := env.NewClient()
	for i := 0; i < 5; i++ {
		if st, _ := c.Do(t, "POST", "/api/login", map[string]string{"username": "ana", "password": "guess-" + string(rune('a'+i)) + "-xyz"}); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i, st)
		}
	}
	if st, _ := c.Do(t, "POST", "/api/login", map[string]string{"username": "ana", "password": webtest.Password}); st != http.StatusTooManyRequests {
		t.Errorf("right password after 5 failures: %d, want 429", st)
	}
	// Unknown names are 401 like wrong passwords (no user enumeration).
	if st, _ := env.NewClient().Do(t, "POST", "/api/login", map[string]string{"username": "nobody", "password": "whatever1"}); st != http.StatusTooManyRequests && st != http.StatusUnauthorized {
		t.Errorf("unknown user: %d", st)
	}
	// A password typed into the name field is no account: the audit keeps
	// two characters of it and its length, not the whole.
	env.NewClient().Do(t, "POST", "/api/login", map[string]string{"username": "Hunter2-Secret!", "password": "whatever1"})
	env.Clock.Advance(16 * time.Minute)
	if st, body := c.Do(t, "POST", "/api/login", map[string]string{"username": "ana", "password": webtest.Password}); st != http.StatusOK {
		t.Errorf("right password after the window: %d %s", st, body)
	}
	adm := env.Login(t, "adm")
	st, body := adm.Do(t, "GET", "/api/audit?limit=100", nil)
	if st != http.StatusOK || strings.Count(string(body), `"login_failed"`) < 6 || strings.Contains(string(body), "guess-") {
		t.Errorf("audit of failed logins: %d %s", st, body)
	}
	if !strings.Contains(string(body), `"username":"ana"`) || strings.Contains(strings.ToLower(string(body)), "hunter2-secret") ||
		!strings.Contains(string(body), "hu… (15 characters, no such account)") {
		t.Errorf("audit of failed logins: want the account's name as typed and only 'hu… (15 characters…' of the name that is none: %s", body)
	}
}

// TestLoginLimitBehindProxy: behind a trusted proxy the login limit
// counts the client named by X-Forwarded-For (its right-most address
// that is no trusted proxy; what the client wrote left of it is
// ignored), per address with a limit above the account's, so five typos
// at one station lock no one else; an account failed from many
// addresses is locked whatever the address (credential stuffing). From
// a peer that is not a trusted proxy the header is not read.
func TestLoginLimitBehindProxy(t *testing.T) {
	proxies, err := web.ParseTrustedProxies([]string{"127.0.0.1", "::1/128"})
	if err != nil {
		t.Fatal(err)
	}
	env := webtest.Start(t, web.Config{LoginFailures: 5, LoginAccountFailures: 5, LoginAddressFailures: 8, LoginWindow: 15 * time.Minute, TrustedProxies: proxies})
	for _, u := range []string{"ana", "bob", "cam"} {
		env.AddUser(t, u, store.RoleReviewer, "01")
	}
	env.AddUser(t, "adm", store.RoleAdmin)
	from := func(xff string) *webtest.Client {
		c := env.NewClient()
		c.Header = http.Header{"X-Forwarded-For": {xff}}
		return c
	}
	login := func(c *webtest.Client, user, password string) int {
		t.Helper()
		st, _ := c.Do(t, "POST", "/api/login", map[string]string{"username": user, "password": password})
		return st
	}

	// One station (one address): five failures of five names lock none
	// of its users.
	station := "203.0.113.9"
	for i := range 5 {
		if st := login(from(station), "typo"+string(rune('a'+i)), "wrong-password"); st != http.StatusUnauthorized {
			t.Fatalf("failure %d from the station: %d, want 401", i, st)
		}
	}
	if st := login(from(station), "ana", webtest.Password); st != http.StatusOK {
		t.Errorf("a user of the station after its five failures: %d, want 200", st)
	}
	// Its own limit: three more failures make eight, and the station is
	// refused; another address is not.
	for i := range 3 {
		login(from(station), "typo"+string(rune('a'+i)), "wrong-password")
	}
	if st := login(from(station), "cam", webtest.Password); st != http.StatusTooManyRequests {
		t.Errorf("the station after eight failures: %d, want 429", st)
	}
	if st := login(from("203.0.113.10"), "cam", webtest.Password); st != http.StatusOK {
		t.Errorf("another address while the station is refused: %d, want 200", st)
	}

	// What the client writes left of the proxy's entry changes nothing.
	for i := range 8 {
		login(from("198.51.100."+string(rune('1'+i))+", 203.0.113.20"), "nobody"+string(rune('a'+i)), "wrong-password")
	}
	if st := login(from("198.51.100.99, 203.0.113.20"), "ana", webtest.Password); st != http.StatusTooManyRequests {
		t.Errorf("a client varying the left of X-Forwarded-For: %d, want 429 (counted on 203.0.113.20)", st)
	}

	// Credential stuffing: bob failed from five addresses is locked from
	// a sixth; those addresses still serve others.
	for i := range 5 {
		login(from("192.0.2."+string(rune('1'+i))), "bob", "wrong-password")
	}
	if st := login(from("192.0.2.9"), "bob", webtest.Password); st != http.StatusTooManyRequests {
		t.Errorf("bob after five failures from five addresses: %d, want 429", st)
	}
	if st := login(from("192.0.2.1"), "cam", webtest.Password); st != http.StatusOK {
		t.Errorf("another account from one of those addresses: %d, want 200", st)
	}
	adm := env.Login(t, "adm")
	st, body := adm.Do(t, "GET", "/api/audit?action=login_failed&limit=200", nil)
	if st != http.StatusOK || !strings.Contains(string(body), `"remote_addr":"203.0.113.9"`) ||
		!strings.Contains(string(body), "too many failures of this account") || !strings.Contains(string(body), "too many failures of this address") {
		t.Errorf("audit: want the clients' addresses and which limit refused: %d %s", st, body)
	}

	// Not behind a trusted proxy: X-Forwarded-For is the client's own
	// word and is not read; every failure counts on the peer.
	direct, err := web.New(web.Config{Store: env.Store, LoginAddressFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(direct)
	defer hs.Close()
	dc := func(xff string) *webtest.Client {
		c := from(xff)
		c.Base = hs.URL
		return c
	}
	for i := range 3 {
		login(dc("198.51.100."+string(rune('1'+i))), "nobody", "wrong-password")
	}
	if st := login(dc("198.51.100.50"), "ana", webtest.Password); st != http.StatusTooManyRequests {
		t.Errorf("untrusted peer with a new X-Forwarded-For after three failures: %d, want 429", st)
	}
	if _, err := web.ParseTrustedProxies([]string{"proxy.example"}); err == nil {
		t.Error("a name is not a trusted proxy address")
	}
}

// TestSecurityHeaders: every answer, public or not, error or not, carries
// the security headers.
func TestSecurityHeaders(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	for _, p := range []string{"/healthz", "/login", "/static/desk.css", "/conflicts", "/api/conflicts", "/nowhere"} {
		resp, err := http.Get(env.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", p, k, got, want)
			}
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s: no Content-Security-Policy", p)
		}
	}
}

// TestCookieFlags: the session cookie is HttpOnly and SameSite=Strict,
// and Secure when serving over TLS.
func TestCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		env := webtest.Start(t, web.Config{SecureCookies: secure})
		env.AddUser(t, "ana", store.RoleReviewer, "01")
		resp, err := http.Post(env.URL+"/api/login", "application/json", strings.NewReader(`{"username":"ana","password":"`+webtest.Password+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		sc := resp.Header.Get("Set-Cookie")
		if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") || strings.Contains(sc, "Secure") != secure {
			t.Errorf("secure=%v: Set-Cookie %q", secure, sc)
		}
	}
}

// TestCookiesSecureBehindAProxy: behind a trusted proxy that says the
// browser came over HTTPS (X-Forwarded-Proto: https), the session cookie
// set at login and the one clearing it at logout are Secure, HttpOnly and
// SameSite=Strict, and HSTS is sent; the proxy saying http, or a peer
// that is no trusted proxy saying https, gets them as before (not
// Secure, no HSTS). Before, only --tls-cert made them Secure, so a desk
// behind a TLS proxy sent its session cookie without the flag.
func TestCookiesSecureBehindAProxy(t *testing.T) {
	proxies, err := web.ParseTrustedProxies([]string{"127.0.0.1", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := web.ParseTrustedProxies([]string{"192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	behind, notBehind := webtest.Start(t, web.Config{TrustedProxies: proxies}), webtest.Start(t, web.Config{TrustedProxies: elsewhere})
	for _, env := range []*webtest.Env{behind, notBehind} {
		env.AddUser(t, "ana", store.RoleReviewer, "01")
	}
	for _, c := range []struct {
		name   string
		env    *webtest.Env
		proto  string
		secure bool
	}{
		{"trusted proxy, https", behind, "https", true},
		{"trusted proxy, HTTPS of two hops", behind, "HTTPS, http", true},
		{"trusted proxy, http", behind, "http", false},
		{"trusted proxy, no header", behind, "", false},
		{"not a trusted proxy, https", notBehind, "https", false},
	} {
		env := c.env
		// send sends a request as the proxy would and checks the cookie
		// it sets; it returns the cookie and the body.
		send := func(what, path, body string, session *http.Cookie, csrf string) (*http.Cookie, []byte) {
			t.Helper()
			req, err := http.NewRequest("POST", env.URL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if c.proto != "" {
				req.Header.Set("X-Forwarded-Proto", c.proto)
			}
			if session != nil {
				req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
				req.Header.Set("X-CSRF-Token", csrf)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %s: %d %s", c.name, what, resp.StatusCode, b)
			}
			cs := resp.Cookies()
			if len(cs) != 1 {
				t.Fatalf("%s: %s set %d cookies, want 1", c.name, what, len(cs))
			}
			if ck := cs[0]; ck.Secure != c.secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
				t.Errorf("%s: %s: Set-Cookie %q, want Secure=%v, HttpOnly, SameSite=Strict", c.name, what, resp.Header.Get("Set-Cookie"), c.secure)
			}
			if hsts := resp.Header.Get("Strict-Transport-Security") != ""; hsts != c.secure {
				t.Errorf("%s: %s: Strict-Transport-Security sent %v, want %v", c.name, what, hsts, c.secure)
			}
			return cs[0], b
		}
		session, body := send("login", "/api/login", `{"username":"ana","password":"`+webtest.Password+`"}`, nil, "")
		var in struct {
			CSRF string `json:"csrf_token"`
		}
		if err := json.Unmarshal(body, &in); err != nil || in.CSRF == "" {
			t.Fatalf("%s: login: no csrf_token in %s", c.name, body)
		}
		if cleared, _ := send("logout", "/api/logout", "", session, in.CSRF); cleared.MaxAge >= 0 {
			t.Errorf("%s: logout: the session cookie is not cleared (Max-Age %d)", c.name, cleared.MaxAge)
		}
	}
}
