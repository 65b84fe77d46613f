package main

import (
	"bytes"
	"context"
	"net/http/httptest"
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
	addr := chdbtest.Start(t)
	db := chdbtest.Database(t)
	ctx := context.Background()
	conn, err := chstore.Open(ctx, chstore.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	app, err := web.New(web.Config{Store: store.New(conn, nil)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(app)
	defer hs.Close()
	env := &webtest.Env{Conn: conn}
	own := env.SeedConflict(t, "c_cli_own", schemas.ConflictSharedID, "79", "79")
	other := env.SeedConflict(t, "c_cli_other", schemas.ConflictSharedID, "01", "01")

	dancu := func(stdin string, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		all := append([]string{"--home", t.TempDir(), "--clickhouse", "http://" + addr + "/" + db}, args...)
		err := run(ctx, all, strings.NewReader(stdin), &out, &errOut)
		return out.String() + errOut.String(), err
	}
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
		return dancu("hunter2hunter2\n", append([]string{"review", "--server", hs.URL, "--user", "hcm"}, args...)...)
	}
	out, err = review("list")
	if err != nil || !strings.Contains(out, own) || strings.Contains(out, other) || strings.Contains(out, "001090012345") {
		t.Errorf("review list: %v\n%s", err, out)
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
	if out, err := dancu("", "users", "disable", "hcm"); err != nil {
		t.Fatalf("users disable: %v %s", err, out)
	}
	if out, err := review("list"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("disabled user listed: %v %s", err, out)
	}
}
