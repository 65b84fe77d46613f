package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/schemas"
)

// dancu migrate --roles prints the ClickHouse roles an operator applies
// (the data-protection audit, user15: nothing in dancu made a user or a
// role, so an analyst with SQL read records, persons, conflicts and the
// password hashes). For one server and for a cluster the script matches
// its golden file in testdata/roles (-update rewrites it after a
// reviewed change) and every statement is parsed by the engine (EXPLAIN
// AST: the embedded engine refuses CREATE ROLE); the analyst's grants
// are SELECT on the coverage aggregates, view and reference tables and
// nothing else; every table of the migrations is granted to the desk or
// the pipeline; on a cluster the local tables behind the Distributed
// ones are granted too.
func TestMigrateRoles(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	tables, _, err := schemas.Tables()
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(context.Background(), "EXPLAIN AST GRANT SELECT ON dancu.records TO"); err == nil {
		t.Fatal("EXPLAIN AST parses a GRANT without a grantee: it checks nothing")
	}
	reGrant := regexp.MustCompile(`^GRANT(?: ON CLUSTER \w+)? ([A-Z, ]+) ON dancu\.(\w+) TO (\w+)$`)
	for _, c := range []struct{ name, cluster string }{{"single.sql", ""}, {"cluster.sql", "prod"}} {
		args := []string{"--home", t.TempDir(), "--database", "dancu", "migrate", "--roles"}
		if c.cluster != "" {
			args = append(args, "--cluster", c.cluster)
		}
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("migrate --roles: %v\n%s", err, errOut.String())
		}
		golden := "testdata/roles/" + c.name
		if *update {
			os.MkdirAll("testdata/roles", 0o755)
			if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(want, out.Bytes()) {
			t.Errorf("migrate --roles: differs from %s (%v; run with -update after checking the change)", golden, err)
		}
		granted := map[string]map[string]bool{} // role → tables
		var script strings.Builder
		for _, line := range strings.SplitAfter(out.String(), "\n") {
			if !strings.HasPrefix(line, "--") {
				script.WriteString(line)
			}
		}
		for _, st := range strings.Split(strings.TrimSpace(script.String()), ";\n") {
			if c.cluster != "" && !strings.Contains(st, "ON CLUSTER "+c.cluster) {
				t.Errorf("%s: statement not ON CLUSTER: %s", c.name, st)
			}
			if err := conn.Exec(context.Background(), "EXPLAIN AST "+st); err != nil {
				t.Errorf("%s: the engine cannot parse %s: %v", c.name, st, err)
			}
			if g := reGrant.FindStringSubmatch(st); g != nil {
				if granted[g[3]] == nil {
					granted[g[3]] = map[string]bool{}
				}
				granted[g[3]][g[2]] = true
				if g[3] == schemas.RoleAnalyst && g[1] != "SELECT" {
					t.Errorf("%s: analyst granted %s", c.name, g[1])
				}
			}
		}
		for tb := range granted[schemas.RoleAnalyst] {
			if !slices.Contains(schemas.AnalystTables, strings.TrimSuffix(tb, "_local")) {
				t.Errorf("%s: analyst reads %s", c.name, tb)
			}
		}
		for _, tb := range schemas.AnalystTables {
			if !granted[schemas.RoleAnalyst][tb] {
				t.Errorf("%s: analyst cannot read %s", c.name, tb)
			}
		}
		for _, tb := range tables {
			if !granted[schemas.RoleDesk][tb] && !granted[schemas.RolePipeline][tb] && !granted[schemas.RoleAnalyst][tb] {
				t.Errorf("%s: table %s granted to no role", c.name, tb)
			}
		}
		for _, tb := range []string{"records", "persons", "conflicts", "users", "sessions", "audit_log", "decisions", "rejects", "person_state"} {
			if granted[schemas.RoleAnalyst][tb] {
				t.Errorf("%s: analyst reads %s", c.name, tb)
			}
		}
		if c.cluster != "" && (!granted[schemas.RoleAnalyst]["coverage_persons_local"] || !granted[schemas.RoleDesk]["records_local"]) {
			t.Errorf("%s: the local tables behind Distributed ones are not granted", c.name)
		}
		if granted[schemas.RolePipeline]["users"] || granted[schemas.RolePipeline]["sessions"] {
			t.Errorf("%s: the pipeline reads accounts or sessions", c.name)
		}
	}
}

// TestRolesCoverReadmeQueries: the analysts' documented queries (README,
// "Coverage for analysts"; run by go test ./coverage -run Readme) read
// only what the analyst role may: the tables the engine's parser finds
// in each (EXPLAIN AST's TableIdentifier) are among
// schemas.AnalystTables.
func TestRolesCoverReadmeQueries(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Coverage for analysts\n")
	if !ok {
		t.Fatal("README.md has no section \"Coverage for analysts\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := strings.Split(section, "```sql\n")[1:]
	if len(blocks) == 0 {
		t.Fatal("no SQL in README's \"Coverage for analysts\"")
	}
	read := map[string]bool{}
	for _, q := range blocks {
		q, _, _ = strings.Cut(q, "```")
		rows, err := conn.Query(context.Background(), "EXPLAIN AST "+q)
		if err != nil {
			t.Fatalf("EXPLAIN AST of README's %.60q: %v", q, err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "TableIdentifier" {
				read[f[1]] = true
			}
		}
		rows.Close()
	}
	if len(read) == 0 {
		t.Fatal("the README queries read no table: the parse found nothing")
	}
	for tb := range read {
		if !slices.Contains(schemas.AnalystTables, tb) {
			t.Errorf("README's analyst query reads %s, not granted to %s", tb, schemas.RoleAnalyst)
		}
	}
	t.Logf("README's analyst queries read %v", read)
}
