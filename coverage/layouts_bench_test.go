package coverage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/cputime"
)

// deltaLayouts are ways to lay out the coverage deltas' tables, in SQL
// only: what a flush of both kinds costs the engine in each is
// BenchmarkDeltaLayouts' question (cov25). "two" is the layout of
// migrations 0015–0026, "unified" that of 0027 (cov26). In every layout a
// records' row is counted by (a, b, m), a persons' row by (a, b, m) and,
// with a birth year y > 0, by (y, a, b, m) too; sums names the three
// aggregates' queries, each (kind, a, b, y, m, x) summed by key.
var deltaLayouts = []struct {
	name string
	ddl  []string
	one  bool // both kinds in one insert, one keys table
	sums string
}{
	{name: "two", // as migrations 0015–0016: two Null tables, five views, five parts a flush
		ddl: []string{
			"CREATE TABLE rd (batch String, seq UInt32, a String, b String, m Date, c UInt32, d UInt32) ENGINE = Null",
			"CREATE TABLE pd (batch String, seq UInt32, a String, b String, y UInt16, m Date, c UInt32, d UInt32) ENGINE = Null",
			"CREATE TABLE rk (batch String, seq UInt32) ENGINE = ReplacingMergeTree ORDER BY (batch, seq)",
			"CREATE TABLE pk (batch String, seq UInt32) ENGINE = ReplacingMergeTree ORDER BY (batch, seq)",
			aggTable("cr", ""), aggTable("cp", ""), aggTable("cc", "y UInt16, "),
			"CREATE MATERIALIZED VIEW rk_mv TO rk AS SELECT batch, seq FROM rd",
			"CREATE MATERIALIZED VIEW pk_mv TO pk AS SELECT batch, seq FROM pd",
			"CREATE MATERIALIZED VIEW cr_mv TO cr AS SELECT a, b, m, toInt64(c) - toInt64(d) AS x FROM rd",
			"CREATE MATERIALIZED VIEW cp_mv TO cp AS SELECT a, b, m, toInt64(c) - toInt64(d) AS x FROM pd",
			"CREATE MATERIALIZED VIEW cc_mv TO cc AS SELECT y, a, b, m, toInt64(c) - toInt64(d) AS x FROM pd WHERE y > 0",
		},
		sums: "SELECT 1, a, b, 0, m, sum(x) FROM cr GROUP BY a, b, m UNION ALL SELECT 2, a, b, 0, m, sum(x) FROM cp GROUP BY a, b, m UNION ALL SELECT 3, a, b, y, m, sum(x) FROM cc GROUP BY y, a, b, m",
	},
	{name: "one", // one Null table and one keys table, the three views filtering by kind: four parts
		ddl: []string{
			"CREATE TABLE dd (kind UInt8, batch String, seq UInt32, a String, b String, y UInt16, m Date, c UInt32, d UInt32) ENGINE = Null",
			"CREATE TABLE kk (kind UInt8, batch String, seq UInt32) ENGINE = ReplacingMergeTree ORDER BY (batch, kind, seq)",
			aggTable("cr", ""), aggTable("cp", ""), aggTable("cc", "y UInt16, "),
			"CREATE MATERIALIZED VIEW kk_mv TO kk AS SELECT kind, batch, seq FROM dd",
			"CREATE MATERIALIZED VIEW cr_mv TO cr AS SELECT a, b, m, toInt64(c) - toInt64(d) AS x FROM dd WHERE kind = 1",
			"CREATE MATERIALIZED VIEW cp_mv TO cp AS SELECT a, b, m, toInt64(c) - toInt64(d) AS x FROM dd WHERE kind = 2",
			"CREATE MATERIALIZED VIEW cc_mv TO cc AS SELECT y, a, b, m, toInt64(c) - toInt64(d) AS x FROM dd WHERE kind = 2 AND y > 0",
		},
		one:  true,
		sums: "SELECT 1, a, b, 0, m, sum(x) FROM cr GROUP BY a, b, m UNION ALL SELECT 2, a, b, 0, m, sum(x) FROM cp GROUP BY a, b, m UNION ALL SELECT 3, a, b, y, m, sum(x) FROM cc GROUP BY y, a, b, m",
	},
	{name: "unified", // one Null table, one keys table, one aggregate of three row kinds: two parts
		ddl: []string{
			"CREATE TABLE dd (kind UInt8, batch String, seq UInt32, a String, b String, y UInt16, m Date, c UInt32, d UInt32) ENGINE = Null",
			"CREATE TABLE kk (kind UInt8, batch String, seq UInt32) ENGINE = ReplacingMergeTree ORDER BY (batch, kind, seq)",
			aggTable("cov", "k UInt8, y UInt16, "),
			"CREATE MATERIALIZED VIEW kk_mv TO kk AS SELECT kind, batch, seq FROM dd",
			// A persons' row is counted as kind 2 and, with a birth year, as kind 3 too.
			"CREATE MATERIALIZED VIEW cov_mv TO cov AS SELECT k, a, b, if(k = 3, yy, 0) AS y, m, x " +
				"FROM (SELECT kind, a, b, y AS yy, m, toInt64(c) - toInt64(d) AS x FROM dd) " +
				"ARRAY JOIN if(kind = 1, [1], if(yy > 0, [2, 3], [2])) AS k",
		},
		one:  true,
		sums: "SELECT k, a, b, y, m, sum(x) FROM cov GROUP BY k, a, b, y, m",
	},
}

// aggTable is a SummingMergeTree of x by extra columns and (a, b, m), as
// the coverage aggregates (LowCardinality keys, migration 0024's window).
func aggTable(name, extra string) string {
	order := "a, b, m"
	for _, c := range strings.Split(strings.TrimSuffix(extra, ", "), ", ") {
		if c != "" {
			order = strings.Fields(c)[0] + ", " + order
		}
	}
	return "CREATE TABLE " + name + " (" + extra + "a LowCardinality(String), b LowCardinality(String), m Date, x Int64) " +
		"ENGINE = SummingMergeTree ORDER BY (" + order + ") SETTINGS non_replicated_deduplication_window = 10000"
}

// BenchmarkDeltaLayouts measures a flush of the coverage deltas (about one
// flush of BenchmarkDeltaFlush: DANCU_BENCH_RROWS records' rows, default
// 1,600, and DANCU_BENCH_PROWS persons' rows, default 7,200, four in five
// with a birth year) in each layout of deltaLayouts: the keys looked up and
// the rows inserted with the sink's settings and a deduplication token, as
// an INSERT … SELECT from numbers() (the same in every layout). It reports
// the process's CPU a flush and the kernel's part, and fails when a layout's
// aggregates do not sum to what the first layout's do:
//
//	go test ./coverage -run '^$' -bench DeltaLayouts -benchtime 30x -count 6
func BenchmarkDeltaLayouts(b *testing.B) {
	ctx := context.Background()
	rr, pr := envInt("DANCU_BENCH_RROWS", 1600), envInt("DANCU_BENCH_PROWS", 7200)
	settings := func(token string) string {
		return " SETTINGS optimize_on_insert = 0, insert_deduplicate = 1, deduplicate_blocks_in_dependent_materialized_views = 1, insert_deduplication_token = '" + token + "'"
	}
	// The rows of flush i: kind 0 leaves the kind column out.
	rows := func(kind, i, n int, year string) string {
		k := ""
		if kind > 0 {
			k = fmt.Sprint(kind, ", ")
		}
		return fmt.Sprintf("SELECT %s'b%d', toUInt32(number), toString(number %% 170), toString(number %% 13), %s toDate('2026-01-01') + toIntervalMonth(number %% 3), 1 + number %% 2, number %% 3 = 0 FROM numbers(%d)",
			k, i, year, n)
	}
	const persYear = "toUInt16(if(number % 5 = 0, 0, 2010 + number % 17)),"
	want := map[string]int64{} // (kind, a, b, y, m) → x per flush, from the first layout
	for _, l := range deltaLayouts {
		b.Run(l.name, func(b *testing.B) {
			conn, _ := chdbtest.Open(b)
			exec := func(q string) {
				if err := conn.Exec(ctx, q); err != nil {
					b.Fatalf("%s: %v", q, err)
				}
			}
			lookup := func(q string) {
				r, err := conn.Query(ctx, q)
				if err != nil {
					b.Fatalf("%s: %v", q, err)
				}
				for r.Next() {
				}
				r.Close()
			}
			for _, q := range l.ddl {
				exec(q)
			}
			flush := func(i int) {
				if !l.one {
					lookup(fmt.Sprintf("SELECT batch, seq FROM rk WHERE batch IN ('b%d')", i))
					exec("INSERT INTO rd (batch, seq, a, b, m, c, d)" + settings(fmt.Sprint("r", i)) + " " + rows(0, i, rr, ""))
					lookup(fmt.Sprintf("SELECT batch, seq FROM pk WHERE batch IN ('b%d')", i))
					exec("INSERT INTO pd (batch, seq, a, b, y, m, c, d)" + settings(fmt.Sprint("p", i)) + " " + rows(0, i, pr, persYear))
					return
				}
				lookup(fmt.Sprintf("SELECT kind, batch, seq FROM kk WHERE batch IN ('b%d')", i))
				exec("INSERT INTO dd (kind, batch, seq, a, b, y, m, c, d)" + settings(fmt.Sprint("d", i)) + " " +
					rows(1, i, rr, "toUInt16(0),") + " UNION ALL " + rows(2, i, pr, persYear))
			}
			var cpu, sys int64
			for i := 0; i < b.N; i++ {
				c0, s0 := cputime.Process(), cputime.System()
				flush(i)
				cpu, sys = cpu+int64(cputime.Process()-c0), sys+int64(cputime.System()-s0)
			}
			b.StopTimer()
			b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/flush")
			b.ReportMetric(float64(sys)/1e6/float64(b.N), "sys-ms/flush")
			got := layoutSums(b, conn, l.sums, b.N)
			if len(want) == 0 {
				for k, v := range got {
					want[k] = v
				}
				return
			}
			if len(got) != len(want) {
				b.Fatalf("%s: %d keys summed, %s %d", l.name, len(got), deltaLayouts[0].name, len(want))
			}
			for k, v := range want {
				if got[k] != v {
					b.Fatalf("%s: %s sums to %d a flush, %s to %d", l.name, k, got[k], deltaLayouts[0].name, v)
				}
			}
		})
	}
}

// layoutSums runs q (kind, a, b, y, m, sum) and returns each key's sum
// divided by the n flushes, which all inserted the same rows; keys that
// sum to 0 are left out.
func layoutSums(b *testing.B, conn driver.Conn, q string, n int) map[string]int64 {
	r, err := conn.Query(context.Background(), q)
	if err != nil {
		b.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	out := map[string]int64{}
	for r.Next() {
		var kind uint8
		var a, bb string
		var y uint16
		var m time.Time
		var x int64
		if err := r.Scan(&kind, &a, &bb, &y, &m, &x); err != nil {
			b.Fatal(err)
		}
		if x == 0 {
			continue // SummingMergeTree drops a row whose sums are 0 when it merges it
		}
		if x%int64(n) != 0 {
			b.Fatalf("kind %d %s/%s/%d/%s sums to %d over %d flushes", kind, a, bb, y, m.Format(time.DateOnly), x, n)
		}
		out[fmt.Sprintf("%d/%s/%s/%d/%s", kind, a, bb, y, m.Format(time.DateOnly))] += x / int64(n)
	}
	if err := r.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}
