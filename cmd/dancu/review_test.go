package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestUsersAndReviewCommands: `dancu users add` while the server runs
// makes an account that logs in at once; `dancu review list|show|decide`
// work through the JSON API within the reviewer's province; `users
// disable` shuts the account out.
func TestUsersAndReviewCommands(t *testing.T) {
	env, url, dancu := reviewServer(t)
	own := env.SeedConflict(t, "c_cli_own", schemas.ConflictSharedID, "79", "79")
	other := env.SeedConflict(t, "c_cli_other", schemas.ConflictSharedID, "01", "01")

	if out, err := dancu("hunter2hunter2\n", "users", "add", "hcm", "--role", "reviewer", "--province", "79"); err != nil {
		t.Fatalf("users add: %v %s", err, out)
	}
	if out, err := dancu("x\n", "users", "add", "nobody", "--role", "reviewer"); err == nil || !strings.Contains(err.Error(), "at least one province") {
		t.Errorf("reviewer without a province: %v %s", err, out)
	}
	if out, err := dancu("hunter2hunter2\n", "users", "add", "bad", "--role", "reviewer", "--province", "02"); err == nil || !strings.Contains(err.Error(), `province "02"`) {
		t.Errorf("pre-reform province 02 accepted: %v %s", err, out)
	}
	out, err := dancu("", "users", "list")
	if err != nil || !strings.Contains(out, "hcm") || !strings.Contains(out, "reviewer") || strings.Contains(out, "argon2") {
		t.Errorf("users list: %v %q", err, out)
	}

	review := func(args ...string) (string, error) {
		return dancu("hunter2hunter2\n", append([]string{"review", "--server", url, "--user", "hcm"}, args...)...)
	}
	out, err = review("list")
	if err != nil || !strings.Contains(out, own) || strings.Contains(out, other) || strings.Contains(out, "001090012345") {
		t.Errorf("review list: %v\n%s", err, out)
	}
	// A conflict without a probability (shared_id as the matcher raises
	// it: score 0) lists "—", as the desk's queue does, not 0.000.
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, 0, explanation, status, version + 1 FROM conflicts FINAL WHERE conflict_id = '`+own+`'`)
	if out, err := review("list"); err != nil || !regexp.MustCompile(own+` +shared_id +— +0010\*{6}45 `).MatchString(out) || strings.Contains(out, "0.000") {
		t.Errorf("review list, a conflict without a probability: %v\n%s", err, out)
	}
	env.SeedConflict(t, "c_cli_own2", schemas.ConflictGreyZone, "79", "79")
	if out, err := review("list", "--limit", "1", "--offset", "1"); err != nil || !strings.Contains(out, "2–2 of 2\n") || strings.Count(out, "c_cli_own") != 1 {
		t.Errorf("review list, second page of one: %v\n%s", err, out)
	}
	if out, err := review("list", "--status", "opne"); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("review list --status opne: %v %s", err, out)
	}
	if out, err := review("show", other); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("review show of another province: %v %s", err, out)
	}
	out, err = review("show", own)
	if err != nil || !strings.Contains(out, "001090012345") || !strings.Contains(out, `"records"`) {
		t.Errorf("review show: %v\n%.300s", err, out)
	}
	out, err = review("decide", own, "--decision", "different_persons", "--note", "khác cha mẹ")
	if err != nil || !strings.Contains(out, "open → decided") {
		t.Errorf("review decide: %v %s", err, out)
	}
	if out, err := review("decide", own, "--decision", "same_person"); err == nil || !strings.Contains(err.Error(), "409") {
		t.Errorf("second decision: %v %s", err, out)
	}
	if out, err := review("decide", own, "--decision", "merge"); err == nil {
		t.Errorf("unknown decision accepted: %s", out)
	}
	labels := t.TempDir() + "/labels.csv"
	if out, err := dancu("", "review", "labels", "--out", labels); err != nil || !strings.Contains(out, "1 labelled pairs (0 matches, 1 non-matches)") {
		t.Errorf("review labels: %v %s", err, out)
	}
	if lp, err := matching.ReadLabels(labels); err != nil || len(lp) != 1 || lp[0].Match {
		t.Errorf("labels read back by dancu train: %+v %v", lp, err)
	}
	if n := liveSessions(t, env, "hcm"); n != 0 {
		t.Errorf("%d sessions of hcm live after its commands: each should sign out", n)
	}
	if out, err := dancu("", "users", "disable", "hcm"); err != nil {
		t.Fatalf("users disable: %v %s", err, out)
	}
	if out, err := review("list"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("disabled user listed: %v %s", err, out)
	}
}

// reviewServer starts `dancu serve`'s application on a fresh database
// and returns its environment, its URL and a runner of dancu commands
// against that database (standard input, then the arguments).
func reviewServer(t *testing.T) (*webtest.Env, string, func(stdin string, args ...string) (string, error)) {
	addr := chdbtest.Start(t)
	db := chdbtest.Database(t)
	ctx := context.Background()
	conn, err := chstore.Open(ctx, chstore.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	st := store.New(conn, nil)
	app, err := web.New(web.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(app)
	t.Cleanup(hs.Close)
	dancu := func(stdin string, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		all := append([]string{"--home", t.TempDir(), "--clickhouse", "http://" + addr + "/" + db}, args...)
		err := run(ctx, all, strings.NewReader(stdin), &out, &errOut)
		return out.String() + errOut.String(), err
	}
	return &webtest.Env{Conn: conn, Store: st}, hs.URL, dancu
}

// liveSessions counts user's sessions neither ended nor expired.
func liveSessions(t *testing.T, env *webtest.Env, user string) uint64 {
	t.Helper()
	var n uint64
	if err := env.Conn.QueryRow(context.Background(),
		fmt.Sprintf("SELECT count() FROM sessions FINAL WHERE username = '%s' AND NOT ended AND expires_at > now64(3)", user)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReviewGroupsAndCorrection: a script gives the groups of a
// different_persons ruling (--group, one per person) and a supervisor
// corrects a ruling from the command line (review correct), as the page
// and the API allow; a reviewer may not correct, and a grouping that
// leaves a record out is refused with why.
func TestReviewGroupsAndCorrection(t *testing.T) {
	env, url, dancu := reviewServer(t)
	id := env.SeedConflict(t, "c_cli_three", schemas.ConflictSharedID, "79", "79", "79")
	r0, r1, r2 := "r_c_cli_three_0", "r_c_cli_three_1", "r_c_cli_three_2"
	for _, u := range []string{"rev --role reviewer --province 79", "sup --role supervisor --province 79"} {
		if out, err := dancu("hunter2hunter2\n", append([]string{"users", "add"}, strings.Fields(u)...)...); err != nil {
			t.Fatalf("users add %s: %v %s", u, err, out)
		}
	}
	as := func(user string, args ...string) (string, error) {
		return dancu("hunter2hunter2\n", append([]string{"review", "--server", url, "--user", user}, args...)...)
	}
	if out, err := as("rev", "decide", id, "--decision", "different_persons", "--group", r0, "--group", r2); err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), r1) {
		t.Errorf("a grouping without %s: %v %s", r1, err, out)
	}
	out, err := as("rev", "decide", id, "--decision", "different_persons", "--group", r0+", "+r2, "--group", r1, "--note", "hai người")
	if err != nil || !strings.Contains(out, "open → decided") || !strings.Contains(out, "person 2: "+r1) {
		t.Fatalf("decide with groups: %v %s", err, out)
	}
	ds, err := env.Store.Decisions(context.Background(), id)
	// The ruling carries its conflict's kind, which the registry keys the
	// conflicts it answers on (a ruling without one answers none).
	if err != nil || len(ds) != 1 || !slices.EqualFunc(ds[0].Groups, [][]string{{r0, r2}, {r1}}, slices.Equal) || ds[0].ConflictKind != schemas.ConflictSharedID {
		t.Fatalf("stored decision: %+v %v", ds, err)
	}
	if out, err := as("rev", "correct", id, "--decision", "same_person", "--reason", "nhầm"); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a reviewer's correction: %v %s", err, out)
	}
	if out, err := as("sup", "correct", id, "--decision", "same_person"); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Errorf("a correction without a reason: %v %s", err, out)
	}
	out, err = as("sup", "correct", id, "--decision", "same_person", "--reason", "cùng một người, bản quét đọc sai")
	if err != nil || !strings.Contains(out, "correction ") || !strings.Contains(out, "decided → decided") {
		t.Fatalf("review correct: %v %s", err, out)
	}
	out, err = as("sup", "correct", id, "--decision", "different_persons", "--group", r0, "--group", r1+","+r2, "--reason", "bản quét là người thứ hai")
	if err != nil || !strings.Contains(out, "decided → decided") {
		t.Fatalf("review correct with groups: %v %s", err, out)
	}
	ds, err = env.Store.Decisions(context.Background(), id)
	if err != nil || len(ds) != 3 || ds[1].Decision != schemas.DecisionSamePerson || ds[2].User != "sup" || ds[2].Note != "bản quét là người thứ hai" ||
		!slices.EqualFunc(ds[2].Groups, [][]string{{r0}, {r1, r2}}, slices.Equal) || ds[2].ConflictKind != schemas.ConflictSharedID {
		t.Errorf("the corrections stored: %+v %v", ds, err)
	}
	for _, u := range []string{"rev", "sup"} {
		if n := liveSessions(t, env, u); n != 0 {
			t.Errorf("%d sessions of %s live after its commands", n, u)
		}
	}
}

// TestReviewTiePlacement: `review decide --person` places an
// ambiguous_tie's record with one of the persons it matches equally (the
// ruling is about the record and that person's record only), as the
// conflict page does; a person it does not match is refused with the
// candidates; a supervisor's `review correct --person` moves it.
func TestReviewTiePlacement(t *testing.T) {
	env, url, dancu := reviewServer(t)
	id, tied, _, recs, persons := env.SeedTie(t, "c_cli_tie", 2)
	for _, u := range []string{"rev --role reviewer --province 01", "sup --role supervisor --province 01"} {
		if out, err := dancu("hunter2hunter2\n", append([]string{"users", "add"}, strings.Fields(u)...)...); err != nil {
			t.Fatalf("users add %s: %v %s", u, err, out)
		}
	}
	as := func(user string, args ...string) (string, error) {
		return dancu("hunter2hunter2\n", append([]string{"review", "--server", url, "--user", user}, args...)...)
	}
	if out, err := as("rev", "decide", id, "--decision", "same_person", "--person", "P_nobody"); err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), persons[1]) {
		t.Errorf("a person the record does not match: %v %s", err, out)
	}
	out, err := as("rev", "decide", id, "--decision", "same_person", "--person", persons[1])
	if err != nil || !strings.Contains(out, "open → decided") || !strings.Contains(out, "one person: "+tied+","+recs[1]) {
		t.Fatalf("review decide --person: %v %s", err, out)
	}
	out, err = as("sup", "correct", id, "--decision", "same_person", "--person", persons[0], "--reason", "nhầm người")
	if err != nil || !strings.Contains(out, "decided → decided") || !strings.Contains(out, "one person: "+tied+","+recs[0]) {
		t.Fatalf("review correct --person: %v %s", err, out)
	}
	ds, err := env.Store.Decisions(context.Background(), id)
	if err != nil || len(ds) != 2 || !slices.Equal(ds[1].RecordIDs, []string{tied, recs[0]}) || ds[1].ConflictKind != schemas.ConflictAmbiguousTie {
		t.Errorf("the rulings stored: %+v %v", ds, err)
	}
}
