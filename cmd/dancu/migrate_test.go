package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/schemas"
)

// dancu migrate against the embedded engine: the first run applies every
// migration, the second nothing.
func TestMigrateCommand(t *testing.T) {
	addr := chdbtest.Start(t)
	db := chdbtest.Database(t)
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--home", t.TempDir(), "--clickhouse", "http://" + addr + "/" + db, "migrate"}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("first migrate: %v\n%s", err, errOut.String())
	}
	if got := strings.Count(out.String(), "applied "); got != len(migs) {
		t.Fatalf("first migrate printed %q: %d applied, want %d", out.String(), got, len(migs))
	}
	out.Reset()
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if strings.Contains(out.String(), "applied ") || !strings.Contains(out.String(), "up to date") {
		t.Fatalf("second migrate printed %q, want nothing applied", out.String())
	}
}

func TestMigrateCommandNothingListening(t *testing.T) {
	args := []string{"--home", t.TempDir(), "--clickhouse", "http://127.0.0.1:1", "migrate"}
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "dancu clickhouse") {
		t.Fatalf("error %v, want one saying to start `dancu clickhouse`", err)
	}
}

var (
	update        = flag.Bool("update", false, "rewrite golden files")
	migrationName = regexp.MustCompile(`^\d{4}_\w+\.sql\n$`)
)

// dancu migrate --cluster prints the cluster DDL. Each migration's part
// matches its golden file in testdata/cluster (reference rows left out;
// go test ./cmd/dancu -run ClusterDDL -update rewrites them after a
// reviewed change; a migration without one is only logged, so adding a
// migration does not break this test), and every statement is parsed by
// the real engine (EXPLAIN AST: the embedded engine has no cluster to run
// ON CLUSTER on).
func TestMigrateClusterDDL(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"--home", t.TempDir(), "migrate", "--cluster", "dancu"}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("migrate --cluster: %v\n%s", err, errOut.String())
	}
	parts := map[string]*strings.Builder{}
	var cur *strings.Builder
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if name, ok := strings.CutPrefix(line, "-- "); ok && migrationName.MatchString(name) {
			cur = &strings.Builder{}
			parts[strings.TrimSpace(name)] = cur
		}
		if cur != nil && !strings.HasPrefix(line, "('") {
			cur.WriteString(line)
		}
	}
	if len(parts) == 0 {
		t.Fatalf("migrate --cluster printed no migration: %.200s", out.String())
	}
	for name, b := range parts {
		golden := "testdata/cluster/" + name
		if *update {
			os.MkdirAll("testdata/cluster", 0o755)
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if os.IsNotExist(err) {
			t.Logf("%s: no golden file yet (go test ./cmd/dancu -run ClusterDDL -update)", name)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Errorf("migrate --cluster: %s differs from %s (run with -update after checking the change)", name, golden)
		}
	}
	migs, err := schemas.ClusterMigrations("dancu")
	if err != nil {
		t.Fatal(err)
	}
	conn, _ := chdbtest.Open(t)
	n, replicated := 0, 0
	distributed := map[string]bool{}
	reDist := regexp.MustCompile(`CREATE TABLE IF NOT EXISTS (\w+) ON CLUSTER dancu AS (\w+)\nENGINE = Distributed\(dancu, currentDatabase\(\), (\w+), `)
	for _, m := range migs {
		for _, st := range m.Statements {
			if strings.HasPrefix(st, "--") {
				continue
			}
			if strings.HasPrefix(st, "INSERT INTO") {
				continue // reference rows, the same as on one node (TestMigrateCommand runs them)
			}
			if !strings.Contains(st, "ON CLUSTER dancu") {
				t.Errorf("%s: statement not ON CLUSTER: %.80s", m.Name, st)
			}
			if d := reDist.FindStringSubmatch(st); d != nil {
				if d[2] != d[1]+"_local" || d[3] != d[2] {
					t.Errorf("%s: Distributed %s over %s/%s, want %s_local", m.Name, d[1], d[2], d[3], d[1])
				}
				distributed[d[1]] = true
			} else if strings.Contains(st, "Distributed") {
				t.Errorf("%s: unexpected Distributed statement %.80s", m.Name, st)
			}
			replicated += strings.Count(st, "ENGINE = Replicated")
			if err := conn.Exec(context.Background(), "EXPLAIN AST "+st); err != nil {
				t.Errorf("%s: the engine cannot parse %.80s…: %v", m.Name, st, err)
			}
			n++
		}
	}
	for name := range schemas.ShardKeys {
		if !distributed[name] {
			t.Errorf("sharded table %s has no Distributed table", name)
		}
	}
	if len(distributed) != len(schemas.ShardKeys) || replicated < len(distributed) {
		t.Errorf("%d Distributed and %d Replicated tables, want %d Distributed each over a Replicated local table", len(distributed), replicated, len(schemas.ShardKeys))
	}
	t.Logf("%d statements parsed, %d Distributed tables", n, len(distributed))
}

// After an upgrade of dancu a DBA applies only the migrations the cluster
// lacks: the script names the --from of the next upgrade, and --from N
// prints the migrations after N and no other (the whole script again
// would re-run data migrations meant to run once); nothing when N is the
// last; an error past it.
func TestMigrateClusterFrom(t *testing.T) {
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(migs) < 2 {
		t.Skip("fewer than two migrations")
	}
	last, prev := migs[len(migs)-1], migs[len(migs)-2]
	migrate := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"--home", t.TempDir(), "migrate", "--cluster", "dancu"}, args...), strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}
	all, err := migrate()
	if err != nil {
		t.Fatal(err)
	}
	next := fmt.Sprintf("dancu migrate --cluster dancu --from %d ", last.Version)
	if !strings.Contains(all, next) {
		t.Errorf("the whole script does not name the next upgrade's %q:\n%.400s", next, all)
	}
	got, err := migrate("--from", fmt.Sprint(prev.Version))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if printed := strings.Contains(got, "\n-- "+m.Name+"\n"); printed != (m.Version > prev.Version) {
			t.Errorf("--from %d: migration %s printed: %v", prev.Version, m.Name, printed)
		}
	}
	if got, err := migrate("--from", fmt.Sprint(last.Version)); err != nil || strings.Contains(got, "ON CLUSTER") || !strings.Contains(got, "nothing after") {
		t.Errorf("--from %d (the last): %v\n%s", last.Version, err, got)
	}
	if _, err := migrate("--from", fmt.Sprint(last.Version+1)); err == nil {
		t.Errorf("--from %d, past the last migration: no error", last.Version+1)
	}
}
