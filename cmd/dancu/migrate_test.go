package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
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
// ON CLUSTER on), the commented fills for existing data too, uncommented.
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
	n, replicated, fills := 0, 0, 0
	distributed := map[string]bool{}
	reDist := regexp.MustCompile(`CREATE TABLE IF NOT EXISTS (\w+) ON CLUSTER dancu AS (\w+)\nENGINE = Distributed\(dancu, currentDatabase\(\), (\w+), `)
	for _, m := range migs {
		for _, st := range m.Statements {
			if fill, ok := clusterFill(st); ok {
				// A commented step for existing data: parsed as the DBA
				// would run it, uncommented.
				if err := conn.Exec(context.Background(), "EXPLAIN AST "+fill); err != nil {
					t.Errorf("%s: the engine cannot parse the fill %.80s…: %v", m.Name, fill, err)
				}
				fills++
				continue
			}
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
	if fills == 0 {
		t.Errorf("no commented fill for existing data found")
	}
	t.Logf("%d statements and %d fills parsed, %d Distributed tables", n, fills, len(distributed))
}

// clusterFill returns the statement of a commented step for existing data
// of the cluster DDL ("-- existing data only: on one replica of each shard
// run …" then the statement, each line commented), uncommented and without
// its final semicolon.
func clusterFill(st string) (string, bool) {
	head, rest, ok := strings.Cut(st, "\n")
	if !ok || !strings.HasPrefix(head, "-- existing data only:") {
		return "", false
	}
	var b strings.Builder
	for _, line := range strings.Split(rest, "\n") {
		b.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "-- "), "--"))
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(strings.TrimSpace(b.String()), ";"), true
}

// The cluster's fill of migration 0028 (each conflict's records'
// provinces) finds a conflict's records on every shard: records are
// sharded by their file, conflicts by their id, so a conflict's records
// are mostly elsewhere. Two databases of the engine stand for two shards,
// each with its conflicts_local and records_local (the single node's
// tables) and a records that reads both shards' records_local (a Merge
// table, where the cluster has the Distributed one); the fill, as
// migrate --cluster prints it, runs on each. Fails with the fill reading
// records_local: shard A's conflict gets only its own shard's province,
// shard B's none.
func TestMigrateClusterFillReadsEveryShard(t *testing.T) {
	ctx := context.Background()
	proto, protoDB := chdbtest.Open(t)
	if _, err := chstore.MigrateTo(ctx, proto, 28); err != nil {
		t.Fatal(err)
	}
	type shard struct {
		conn driver.Conn
		db   string
	}
	var shards [2]shard
	for i := range shards {
		shards[i].conn, shards[i].db = chdbtest.Open(t)
	}
	for _, sh := range shards {
		for _, q := range []string{
			"CREATE TABLE conflicts_local AS " + protoDB + ".conflicts",
			"CREATE TABLE records_local AS " + protoDB + ".records",
			fmt.Sprintf("CREATE TABLE records AS %s.records ENGINE = Merge(REGEXP('^(%s|%s)$'), '^records_local$')", protoDB, shards[0].db, shards[1].db),
		} {
			if err := sh.conn.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	// Records a1, a2 on shard 0 and b1 on shard 1 (Nghệ An 40, Hà Nội
	// 01, Huế 46 in the old era; 40, 01, 46 today); conflict x on shard 0
	// names a1 and b1, conflict y on shard 1 names a2 (its only record is
	// on the other shard), conflict z on shard 1 names a record loaded
	// nowhere and keeps its row as it is.
	records := []struct {
		shard          int
		id, old, today string
	}{{0, "a1", "40", "40"}, {0, "a2", "01", "01"}, {1, "b1", "46", "46"}}
	for _, r := range records {
		if err := shards[r.shard].conn.Exec(ctx, "INSERT INTO records_local (record_id, file_hash, perm_province_code, cur_province_code, perm_new_province_code) VALUES (?, ?, ?, '', ?)",
			r.id, "file-"+r.id, r.old, r.today); err != nil {
			t.Fatal(err)
		}
	}
	conflicts := []struct {
		shard   int
		id      string
		records []string
	}{{0, "x", []string{"a1", "b1"}}, {1, "y", []string{"a2"}}, {1, "z", []string{"nowhere"}}}
	for _, c := range conflicts {
		if err := shards[c.shard].conn.Exec(ctx, "INSERT INTO conflicts_local (conflict_id, kind, record_ids, status, version) VALUES (?, 'shared_id', ?, 'open', 1)",
			c.id, c.records); err != nil {
			t.Fatal(err)
		}
	}
	migs, err := schemas.ClusterMigrations("dancu")
	if err != nil {
		t.Fatal(err)
	}
	var fill string
	for _, m := range migs {
		if m.Version != 28 {
			continue
		}
		for _, st := range m.Statements {
			if f, ok := clusterFill(st); ok {
				fill = f
			}
		}
	}
	if fill == "" {
		t.Fatal("migration 0028 has no fill in the cluster DDL")
	}
	for _, sh := range shards {
		if err := sh.conn.Exec(ctx, fill); err != nil {
			t.Fatalf("the fill on shard %s: %v\n%s", sh.db, err, fill)
		}
	}
	want := map[string][2]string{}
	for _, c := range conflicts {
		var olds []string
		for _, id := range c.records {
			for _, r := range records {
				if r.id == id {
					olds = append(olds, r.old)
				}
			}
		}
		slices.Sort(olds)
		want[c.id] = [2]string{strings.Join(c.records, ","), strings.Join(olds, ",")}
	}
	for i, sh := range shards {
		rows, err := sh.conn.Query(ctx, "SELECT conflict_id, record_province_codes, record_new_province_codes, version FROM conflicts_local FINAL ORDER BY conflict_id")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			var olds, news []string
			var version uint64
			if err := rows.Scan(&id, &olds, &news, &version); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(olds, ","); got != want[id][1] || !slices.Equal(news, olds) || version != 1 {
				t.Errorf("shard %d, conflict %s (records %v): provinces %q / %q at version %d, want %q in both eras at version 1",
					i, id, want[id][0], olds, news, version, want[id][1])
			}
			delete(want, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	if len(want) > 0 {
		t.Errorf("conflicts missing after the fill: %v", want)
	}
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
