package pipelines_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// The engine's merges over a run's load: DANCU_BENCH_FLUSHES (default 50,
// a 1M run's) flushes of 20,000 records with their persons and links into
// a fresh database, then a wait until no merge has run for 8 s. It
// reports the process's CPU for all of it (cpu-s/op), the part of it on
// the engine's merge threads (merge-cpu-s/op), the records table's active
// parts at the end of the last op, and the CPU of reading every record
// with FINAL and of SourceClusters (read-cpu-s/op, clusters-cpu-s/op).
// DANCU_BENCH_RECORDS_MERGE_BASE sets records' merge_selector_base first
// (5: ClickHouse's default, as before migration 0018), and
// DANCU_BENCH_MERGE_BASE ("persons=5,links=5") any tables'. An op is a
// whole run: use -benchtime 1x.
//
//	go test ./pipelines -run '^$' -bench ClickHouseSinkMerges -benchtime 1x
func BenchmarkClickHouseSinkMerges(b *testing.B) {
	flushes := 50
	if v, err := strconv.Atoi(os.Getenv("DANCU_BENCH_FLUSHES")); err == nil && v > 0 {
		flushes = v
	}
	ctx := context.Background()
	base := benchRecords(20000)
	at := time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)
	var cpu, merge, read, clusters time.Duration
	var parts uint64
	for range b.N {
		b.StopTimer()
		conn, _ := chdbtest.Open(b)
		if _, err := chstore.Migrate(ctx, conn); err != nil {
			b.Fatal(err)
		}
		bases := os.Getenv("DANCU_BENCH_MERGE_BASE")
		if v := os.Getenv("DANCU_BENCH_RECORDS_MERGE_BASE"); v != "" {
			bases += ",records=" + v
		}
		for _, tv := range strings.Split(bases, ",") {
			table, v, ok := strings.Cut(tv, "=")
			if !ok {
				continue
			}
			if _, err := strconv.Atoi(v); err != nil {
				b.Fatalf("DANCU_BENCH_MERGE_BASE: %q is not a number", v)
			}
			if err := conn.Exec(ctx, "ALTER TABLE "+chdb.QuoteIdent(table)+" MODIFY SETTING merge_selector_base = "+v); err != nil {
				b.Fatal(err)
			}
		}
		sink := &pipelines.ClickHouseSink{Conn: conn}
		b.StartTimer()
		threads0, cpu0 := threadTicks(), cputime.Process()
		for f := range flushes {
			recs := make([]schemas.Record, len(base))
			copy(recs, base)
			persons := make([]schemas.Person, len(recs))
			links := make([]schemas.Link, len(recs))
			for i := range recs {
				recs[i].RecordID = fmt.Sprintf("%s-%03d", base[i].RecordID, f)
				recs[i].Row = uint32(f*len(base) + i)
				pid := fmt.Sprintf("P%03d%020d", f, i/2)
				persons[i] = schemas.Person{PersonID: pid, IDNumber: recs[i].IDNumber, IDStatus: schemas.IDInferred, FullName: recs[i].FullName,
					BirthDate: recs[i].BirthDate, BirthYear: recs[i].BirthYear, Sex: "F", ProvinceCode: "01", NewProvinceCode: "01",
					CommuneCode: "00004", NewCommuneCode: "00004", RecordCount: 2, Version: uint64(i), UpdatedAt: at}
				links[i] = schemas.Link{RecordID: recs[i].RecordID, PersonID: pid, MatchProbability: 0.99, MatchRule: "score", Version: uint64(i), LinkedAt: at}
			}
			if err := sink.Write(ctx, &pipelines.Batch{Records: recs, Persons: persons, Links: links}); err != nil {
				b.Fatal(err)
			}
		}
		for quiet := 0; quiet < 8; {
			time.Sleep(time.Second)
			var n uint64
			if err := conn.QueryRow(ctx, "SELECT count() FROM system.merges").Scan(&n); err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				quiet++
			} else {
				quiet = 0
			}
		}
		threads1, cpu1 := threadTicks(), cputime.Process()
		b.StopTimer()
		if err := conn.QueryRow(ctx, "SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'records' AND active").Scan(&parts); err != nil {
			b.Fatal(err)
		}
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM records FINAL WHERE NOT ignore(*)").Scan(&n); err != nil || n != uint64(flushes*len(base)) {
			b.Fatalf("%d records read with FINAL (%v), want %d", n, err, flushes*len(base))
		}
		read0 := cputime.Process()
		if err := conn.QueryRow(ctx, "SELECT count() FROM records FINAL WHERE NOT ignore(*)").Scan(&n); err != nil {
			b.Fatal(err)
		}
		read1 := cputime.Process()
		if _, err := pipelines.SourceClusters(ctx, conn); err != nil {
			b.Fatal(err)
		}
		read2 := cputime.Process()
		cpu += cpu1 - cpu0
		merge += time.Duration(threads1["MergeMutate"]-threads0["MergeMutate"]) * time.Second / 100
		read += read1 - read0
		clusters += read2 - read1
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(merge.Seconds()/float64(b.N), "merge-cpu-s/op")
	b.ReportMetric(float64(parts), "records-parts")
	b.ReportMetric(read.Seconds()/float64(b.N), "read-cpu-s/op")
	b.ReportMetric(clusters.Seconds()/float64(b.N), "clusters-cpu-s/op")
}

// threadTicks sums the CPU time (clock ticks) of the process's threads by
// name: the embedded engine names its own (MergeMutate: the merges).
func threadTicks() map[string]uint64 {
	out := map[string]uint64{}
	dir, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return out
	}
	for _, e := range dir {
		b, err := os.ReadFile("/proc/self/task/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		open, close := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || close < open {
			continue
		}
		f := bytes.Fields(b[close+1:])
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseUint(string(f[11]), 10, 64)
		s, _ := strconv.ParseUint(string(f[12]), 10, 64)
		out[string(b[open+1:close])] += u + s
	}
	return out
}
