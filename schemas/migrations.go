package schemas

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one embedded SQL file, applied in order of Version.
type Migration struct {
	Version    int      // leading number of the file name
	Name       string   // file name
	Statements []string // the file split on ';' at end of line, comments kept
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		var v int
		if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number: %w", e.Name(), err)
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: e.Name(), Statements: splitSQL(string(b))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

// splitSQL splits a script into statements at semicolons that end a line.
// Lines that are only comments are dropped.
func splitSQL(s string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			stmt := strings.TrimSpace(cur.String())
			out = append(out, strings.TrimSuffix(stmt, ";"))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}

// ShardKeys are the tables a production cluster shards, with the sharding
// key of their Distributed table. Every key is a function of values that
// never change for a row's id, so a re-loaded or corrected row lands on
// the shard that holds its earlier copy (ReplacingMergeTree and the
// coverage views' state look-ups work per shard). Records and rejects go
// by source file: one file is one collecting unit's list, so a province's
// rows stay together file by file. (A key on the address would move a
// corrected record to another shard and leave its old copy counted.)
// Persons and their events go by person id, links by record id, conflicts
// by conflict id. The coverage state and aggregate tables are written
// only by views on each shard; their Distributed tables read all shards.
var ShardKeys = map[string]string{
	"records":           "cityHash64(file_hash)",
	"rejects":           "cityHash64(file_hash)",
	"persons":           "cityHash64(person_id)",
	"person_events":     "cityHash64(person_id)",
	"links":             "cityHash64(record_id)",
	"conflicts":         "cityHash64(conflict_id)",
	"record_state":      "cityHash64(record_id)",
	"person_state":      "cityHash64(person_id)",
	"coverage_records":  "rand()",
	"coverage_persons":  "rand()",
	"coverage_children": "rand()",
	// The registry's coverage deltas (0013) go to the shard of their
	// person, whose person_state the views keep there; their keys (what
	// was inserted) are written by a view on each shard.
	"person_deltas":     "cityHash64(person_id)",
	"person_delta_keys": "cityHash64(batch)",
	// The records' deltas (0015) are summed by unit already: any shard
	// will do, by batch so that a row and its key are on one shard.
	"record_deltas":     "cityHash64(batch)",
	"record_delta_keys": "cityHash64(batch)",
	// So are the persons' (0016).
	"person_delta_sums":     "cityHash64(batch)",
	"person_delta_sum_keys": "cityHash64(batch)",
	// Since 0027 both kinds go in one insert, by batch, and one aggregate
	// holds the three (coverage_records, coverage_persons and
	// coverage_children are views over it since, querying its Distributed
	// table; their entries above shard the tables of 0005–0026).
	"coverage_deltas":     "cityHash64(batch)",
	"coverage_delta_keys": "cityHash64(batch)",
	"coverage_sums":       "rand()",
}

var (
	reCreateTable = regexp.MustCompile(`(?s)^CREATE TABLE IF NOT EXISTS (\w+)\s*(\(.*\))\s*ENGINE = (\w+)(\(([^)]*)\))?(.*)$`)
	reAlterTable  = regexp.MustCompile(`(?s)^ALTER TABLE (\w+)\s+(.*)$`)
	reCreateView  = regexp.MustCompile(`(?s)^CREATE (OR REPLACE VIEW|VIEW IF NOT EXISTS) (\w+) AS(.*)$`)
	reCreateMV    = regexp.MustCompile(`(?s)^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+) TO (\w+) AS(.*)$`)
	reInsert      = regexp.MustCompile(`(?s)^INSERT INTO (\w+)`)
	// reCopyInsert is an INSERT that names its columns and selects them
	// from another table (0027's copies), not a feed of a table through
	// its views (INSERT INTO t SELECT * FROM t FINAL).
	reCopyInsert = regexp.MustCompile(`(?s)^INSERT INTO \w+ \(`)
	reFromTable  = regexp.MustCompile(`\b(FROM|JOIN)\s+(\w+)\b`)
	// reInSubquery is an IN or NOT IN whose right side is a subquery.
	reInSubquery = regexp.MustCompile(`\b((?:NOT\s+)?IN\s*\(\s*SELECT\b)`)
	reDrop       = regexp.MustCompile(`^DROP (VIEW|TABLE) IF EXISTS (\w+)$`)
	reTruncate   = regexp.MustCompile(`^TRUNCATE TABLE (\w+)$`)
)

// ClusterMigrations returns the migrations rewritten for a ClickHouse
// cluster named cluster: each sharded table (ShardKeys) becomes a
// Replicated*MergeTree NAME_local on every node behind a Distributed NAME;
// other tables (reference lists, the desk's accounts and audit log) are
// Replicated*MergeTree tables holding all rows on every node; the
// materialised views read and write the local tables on each shard; views
// query the Distributed ones. Every DDL statement runs ON CLUSTER. The
// backfill statements, which only matter for a database that already has
// rows, become comments saying how to run them on each shard: into the
// local table, reading locally the tables sharded like it and through the
// Distributed table (GLOBAL IN) those whose rows may be on another shard.
func ClusterMigrations(cluster string) ([]Migration, error) {
	if !regexp.MustCompile(`^\w+$`).MatchString(cluster) {
		return nil, fmt.Errorf("cluster %q: want a name of letters, digits and _", cluster)
	}
	migs, err := Migrations()
	if err != nil {
		return nil, err
	}
	null := map[string]bool{}
	for i := range migs {
		var out []string
		for _, st := range migs[i].Statements {
			sts, err := clusterStatement(st, cluster, null)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", migs[i].Name, err)
			}
			out = append(out, sts...)
		}
		migs[i].Statements = out
	}
	return migs, nil
}

func local(name string) string { return name + "_local" }

func clusterStatement(st, cluster string, null map[string]bool) ([]string, error) {
	on := " ON CLUSTER " + cluster
	if m := reCreateTable.FindStringSubmatch(st); m != nil {
		name, cols, engine, args, rest := m[1], m[2], m[3], m[5], m[6]
		if engine == "Null" {
			null[name] = true
			key, sharded := ShardKeys[name]
			if !sharded {
				return []string{"CREATE TABLE IF NOT EXISTS " + name + on + "\n" + cols + "\nENGINE = Null" + rest}, nil
			}
			// A sharded input table: the rows go through the
			// Distributed table to the Null table of their shard, whose
			// views write that shard's local tables.
			return []string{"CREATE TABLE IF NOT EXISTS " + local(name) + on + "\n" + cols + "\nENGINE = Null" + rest,
				"CREATE TABLE IF NOT EXISTS " + name + on + " AS " + local(name) + "\nENGINE = Distributed(" + cluster + ", currentDatabase(), " + local(name) + ", " + key + ")"}, nil
		}
		if !strings.HasSuffix(engine, "MergeTree") {
			return nil, fmt.Errorf("table %s: engine %s has no replicated form", name, engine)
		}
		key, sharded := ShardKeys[name]
		path := "/clickhouse/tables/all/{database}/" + name
		table := name
		if sharded {
			table = local(name)
			path = "/clickhouse/tables/{shard}/{database}/" + table
		}
		rargs := "'" + path + "', '{replica}'"
		if args != "" {
			rargs += ", " + args
		}
		out := []string{"CREATE TABLE IF NOT EXISTS " + table + on + "\n" + cols + "\nENGINE = Replicated" + engine + "(" + rargs + ")" + rest}
		if sharded {
			out = append(out, "CREATE TABLE IF NOT EXISTS "+name+on+" AS "+table+"\nENGINE = Distributed("+cluster+", currentDatabase(), "+table+", "+key+")")
		}
		return out, nil
	}
	if m := reAlterTable.FindStringSubmatch(st); m != nil {
		name, rest := m[1], m[2]
		if _, sharded := ShardKeys[name]; sharded {
			out := []string{"ALTER TABLE " + local(name) + on + "\n    " + rest}
			if strings.HasPrefix(rest, "MODIFY SETTING ") {
				// A MergeTree setting: the local tables have it, the
				// Distributed table has no such setting.
				return out, nil
			}
			return append(out, "ALTER TABLE "+name+on+"\n    "+rest), nil
		}
		return []string{"ALTER TABLE " + name + on + "\n    " + rest}, nil
	}
	if m := reCreateMV.FindStringSubmatch(st); m != nil {
		name, to, body := m[1], m[2], m[3]
		if _, sharded := ShardKeys[to]; sharded {
			to = local(to)
		}
		body = reFromTable.ReplaceAllStringFunc(body, func(s string) string {
			g := reFromTable.FindStringSubmatch(s)
			if _, sharded := ShardKeys[g[2]]; sharded {
				return g[1] + " " + local(g[2])
			}
			return s
		})
		return []string{"CREATE MATERIALIZED VIEW IF NOT EXISTS " + name + on + " TO " + to + " AS" + body}, nil
	}
	if m := reCreateView.FindStringSubmatch(st); m != nil {
		return []string{"CREATE " + m[1] + " " + m[2] + on + " AS" + m[3]}, nil
	}
	if m := reDrop.FindStringSubmatch(st); m != nil {
		if _, sharded := ShardKeys[m[2]]; sharded && m[1] == "TABLE" {
			// SYNC: the replicated table's Keeper path is free again at once.
			return []string{"DROP TABLE IF EXISTS " + m[2] + on + " SYNC", "DROP TABLE IF EXISTS " + local(m[2]) + on + " SYNC"}, nil
		}
		return []string{"DROP " + m[1] + " IF EXISTS " + m[2] + on + " SYNC"}, nil
	}
	if m := reTruncate.FindStringSubmatch(st); m != nil {
		if _, sharded := ShardKeys[m[1]]; sharded {
			return []string{"TRUNCATE TABLE " + local(m[1]) + on}, nil
		}
		return []string{"TRUNCATE TABLE " + m[1] + on}, nil
	}
	if m := reInsert.FindStringSubmatch(st); m != nil {
		if _, sharded := ShardKeys[m[1]]; sharded {
			l := local(m[1])
			if !reCopyInsert.MatchString(st) {
				// A backfill through the views: per shard, on local tables.
				return []string{"-- existing data only: on one replica of each shard run\n-- INSERT INTO " + l + " SELECT * FROM " + l + " FINAL;"}, nil
			}
			// A copy from other tables (0027, 0028): the same statement
			// per shard, into the local table. A table sharded by the
			// target's key holds on this shard exactly the rows that
			// belong to this shard's (0027: keys by batch, sums any
			// shard will do), so it is read locally; a table sharded
			// otherwise holds the rows this shard needs on any shard
			// (0028: a conflict's records, by their file), so it is
			// read through its Distributed table, and the IN subqueries
			// become GLOBAL IN: the shard that runs the fill computes
			// the set from its own local tables and sends it to the
			// others, which would otherwise read their own.
			body, everyShard := shardFillBody(st[len(m[0]):], ShardKeys[m[1]])
			note := ""
			if len(everyShard) > 0 {
				note = " (it reads every shard's " + strings.Join(everyShard, ", ") + " through the Distributed table)"
			}
			return []string{"-- existing data only: on one replica of each shard run" + note + "\n-- " +
				strings.ReplaceAll("INSERT INTO "+l+body+";", "\n", "\n-- ")}, nil
		}
		return []string{st}, nil // reference rows into a table replicated to every node
	}
	return nil, fmt.Errorf("statement has no cluster form: %.60s", st)
}

// shardFillBody rewrites the body of a per-shard copy into a table
// sharded by key: the sharded tables of the same key become their local
// tables, the others stay Distributed (named in everyShard, in order of
// first use), and when there are such, every IN subquery becomes GLOBAL
// IN. (A JOIN needs GLOBAL only when its left side is a Distributed table:
// the fills join subqueries, which the shard running the fill computes
// and joins itself.)
func shardFillBody(body, key string) (string, []string) {
	var everyShard []string
	body = reFromTable.ReplaceAllStringFunc(body, func(s string) string {
		g := reFromTable.FindStringSubmatch(s)
		k, sharded := ShardKeys[g[2]]
		if !sharded {
			return s
		}
		if k == key {
			return g[1] + " " + local(g[2])
		}
		if !slices.Contains(everyShard, g[2]) {
			everyShard = append(everyShard, g[2])
		}
		return s
	})
	if len(everyShard) > 0 {
		body = reInSubquery.ReplaceAllString(body, "GLOBAL $1")
	}
	return body, everyShard
}
