package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
)

// Env is a running web application over a fresh ClickHouse database.
type Env struct {
	URL    string // base URL, e.g. http://127.0.0.1:PORT
	Conn   driver.Conn
	Store  *store.Store
	Server *web.Server
	Clock  *Clock
}

// Clock is a settable clock for the store (session expiry, rate limits).
type Clock struct {
	mu  sync.Mutex
	off time.Duration
}

// Now is time.Now plus the advance so far.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// Start migrates a fresh database on the shared embedded engine and
// serves the application configured by cfg (its Store is set here) on a
// random local port until the test ends. Use chdbtest.Main as TestMain.
func Start(t testing.TB, cfg web.Config) *Env {
	t.Helper()
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatalf("webtest: migrate: %v", err)
	}
	clock := &Clock{}
	st := store.New(conn, clock.Now)
	cfg.Store = st
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatalf("webtest: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &Env{URL: hs.URL, Conn: conn, Store: st, Server: srv, Clock: clock}
}

// Password is the password AddUser gives every user.
const Password = "correct horse battery"

// AddUser adds an enabled user with Password.
func (e *Env) AddUser(t testing.TB, name, role string, provinces ...string) store.User {
	t.Helper()
	// Cheap hashing parameters: a test logs in many times on a busy machine.
	h, err := store.HashPasswordWith(Password, store.Argon2Params{Time: 1, Memory: 1024, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	u := store.User{Username: name, PasswordHash: h, Role: role, Provinces: provinces}
	if err := e.Store.PutUser(context.Background(), u); err != nil {
		t.Fatalf("webtest: add user %s: %v", name, err)
	}
	return u
}

// Client is an HTTP client with a cookie jar, signed in through the API.
type Client struct {
	*http.Client
	Base string
	CSRF string
	// Header is sent with every request (e.g. X-Forwarded-For, as a
	// proxy in front of the desk sets it).
	Header http.Header
}

// NewClient returns a client with an empty cookie jar that does not
// follow redirects.
func (e *Env) NewClient() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}, Base: e.URL}
}

// Login signs name in with Password through POST /api/login and returns
// the signed-in client. The test fails on anything but 200.
func (e *Env) Login(t testing.TB, name string) *Client {
	t.Helper()
	c := e.NewClient()
	status, body := c.Do(t, "POST", "/api/login", map[string]string{"username": name, "password": Password})
	if status != http.StatusOK {
		t.Fatalf("webtest: login %s: %d %s", name, status, body)
	}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.CSRF == "" {
		t.Fatalf("webtest: login %s: no csrf_token in %s", name, body)
	}
	c.CSRF = out.CSRF
	return c
}

// Do sends a request (body v as JSON when not nil, with the client's
// CSRF token as X-CSRF-Token) and returns the status and body.
func (c *Client) Do(t testing.TB, method, path string, v any) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	if v != nil {
		if err := json.NewEncoder(&body).Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, c.Base+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.Bytes()
}

// Exec runs SQL statements on the test database.
func (e *Env) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if err := e.Conn.Exec(context.Background(), s); err != nil {
			t.Fatalf("webtest: %s: %v", s, err)
		}
	}
}

// SeedConflict writes a conflict and its records (one per entry of
// provinces: the record's permanent address is in that old-era province)
// and returns the conflict id.
func (e *Env) SeedConflict(t testing.TB, id, kind string, provinces ...string) string {
	t.Helper()
	var rids, pids []string
	for i, p := range provinces {
		rid := fmt.Sprintf("r_%s_%d", id, i)
		pid := fmt.Sprintf("p_%s_%d", id, i)
		rids = append(rids, rid)
		pids = append(pids, pid)
		e.Exec(t, fmt.Sprintf(`INSERT INTO records (record_id, full_name, birth_year, sex, id_number, perm_address, perm_province_code, perm_district_code, perm_new_province_code)
VALUES ('%s', 'Nguyễn Văn An %d', %d, 'M', '001090012345', 'Xã %d, Tỉnh %s', '%s', '%s', '%s')`, rid, i, 1990+i, i, p, p, p+"1", store.NewProvince(p)),
			fmt.Sprintf(`INSERT INTO links (record_id, person_id, match_probability, version) VALUES ('%s', '%s', 1, 1)`, rid, pid),
			fmt.Sprintf(`INSERT INTO persons (person_id, id_number, full_name, record_count, version) VALUES ('%s', '001090012345', 'Nguyễn Văn An %d', 1, 1)`, pid, i))
	}
	b, err := e.Conn.PrepareBatch(context.Background(), "INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append(id, kind, "", "001090012345", pids, rids, 0.9, "seeded by webtest", "open", uint64(1)); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	return id
}

// SeedTie writes an ambiguous_tie conflict of Hà Nội as the matcher
// raises one: a record giving only the birth year (the tied record, its
// own person) and one record of each of n namesakes born the same year
// on different days, with numbers; the explanation compares the tied
// record with each. It returns the conflict id, the tied record and its
// person, and the namesakes' records and persons.
func (e *Env) SeedTie(t testing.TB, id string, n int) (string, string, string, []string, []string) {
	t.Helper()
	tied, tiedP := "ca/"+id, "P_"+id+"_y"
	var recs, persons []string
	expl := fmt.Sprintf("records match %d persons the guards keep apart with exactly the same probability 0.987: nothing the records hold chooses, so they joined none", n)
	insert := func(rid, pid, date string, year int, number string) {
		e.Exec(t, fmt.Sprintf(`INSERT INTO records (record_id, full_name, birth_date, birth_year, sex, id_number, perm_address, perm_province_code, perm_district_code, perm_new_province_code)
VALUES ('%s', 'Cầm Thị Phanh', '%s', %d, 'F', '%s', 'Xã Tân Xã, Huyện Thạch Thất, Hà Nội', '01', '276', '01')`, rid, date, year, number),
			fmt.Sprintf(`INSERT INTO links (record_id, person_id, match_probability, version) VALUES ('%s', '%s', 1, 1)`, rid, pid),
			fmt.Sprintf(`INSERT INTO persons (person_id, id_number, full_name, birth_year, record_count, version) VALUES ('%s', '%s', 'Cầm Thị Phanh', %d, 1, 1)`, pid, number, year))
	}
	insert(tied, tiedP, "", 1990, "")
	for i := range n {
		rid, pid := fmt.Sprintf("hk/%s/%d", id, i), fmt.Sprintf("P_%s_%d", id, i)
		insert(rid, pid, fmt.Sprintf("1990-%02d-%02d", 3+i, 10+i), 1990, fmt.Sprintf("00119000%04d", 1234+i))
		recs, persons = append(recs, rid), append(persons, pid)
		expl += fmt.Sprintf("\n\n%s ↔ %s\nname          exact   +9.1\n", tied, rid)
	}
	all := append([]string{tied}, recs...)
	slices.Sort(all)
	pids := append([]string{tiedP}, persons...)
	slices.Sort(pids)
	b, err := e.Conn.PrepareBatch(context.Background(), "INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append(id, schemas.ConflictAmbiguousTie, "01", "", pids, all, 0.987, expl, "open", uint64(1)); err != nil {
		t.Fatal(err)
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	return id, tied, tiedP, recs, persons
}

// Form posts an urlencoded form (without the X-CSRF-Token header: the
// form carries csrf_token itself when the caller puts it there).
func (c *Client) Form(t testing.TB, path, form string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", c.Base+path, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.Bytes()
}
