package coverage_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// benchUnits fills a table bench_units(i, p, d, c, np, nc) with every old
// commune and its preferred new commune, for synthesising records inside
// ClickHouse.
func benchUnits(t testing.TB, conn driver.Conn) int {
	t.Helper()
	m := refdata.MustLoad("admin_units_2025_mapping.csv")
	ctx := context.Background()
	if err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_units (i UInt32, p String, d String, c String, np String, nc String) ENGINE = Memory`); err != nil {
		t.Fatal(err)
	}
	b, err := conn.PrepareBatch(ctx, "INSERT INTO bench_units")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range m.Rows {
		if m.Get(r, "preferred") != "1" {
			continue
		}
		if err := b.Append(uint32(n), m.Get(r, "old_province_code"), m.Get(r, "old_district_code"), m.Get(r, "old_commune_code"),
			m.Get(r, "new_province_code"), m.Get(r, "new_commune_code")); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	return n
}

// synthRecords inserts n records numbered from start, spread over all
// communes (1 in 50 unresolved), with an ID number on 3 in 5, a third from
// scanned forms, source months over 2024–2026.
func synthRecords(t testing.TB, conn driver.Conn, start, n, units int) {
	t.Helper()
	q := fmt.Sprintf(`INSERT INTO records (record_id, schema_version, source_kind, source_date, full_name, birth_date, birth_year, sex, id_number, cmnd,
		perm_province_code, perm_district_code, perm_commune_code, perm_new_province_code, perm_new_commune_code)
	WITH u AS (SELECT * FROM bench_units)
	SELECT concat('r', toString(number)), 1, ['spreadsheet', 'csv', 'scan'][1 + number %% 3],
		toDate32('2024-01-01') + toIntervalMonth(number %% 30), 'Nguyễn Văn A', toString(1930 + number %% 96), 1930 + number %% 96, ['M', 'F'][1 + number %% 2],
		if(cityHash64(number, 1) %% 5 < 3, leftPad(toString(cityHash64(number) %% 1000000000000), 12, '0'), ''),
		if(cityHash64(number, 1) %% 5 = 3, leftPad(toString(cityHash64(number) %% 1000000000), 9, '0'), ''),
		if(number %% 50 = 0, '', u.p), if(number %% 50 = 0, '', u.d), if(number %% 50 = 0, '', u.c), if(number %% 50 = 0, '', u.np), if(number %% 50 = 0, '', u.nc)
	FROM numbers(%d, %d) AS n
	INNER JOIN u ON u.i = cityHash64(n.number, 2) %% %d`, start, n, units)
	if err := conn.Exec(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	// Their coverage, summed by unit as the registry emits the records'
	// deltas (migration 0015: the aggregates are fed by the deltas, not
	// by the records rows).
	q = fmt.Sprintf(`INSERT INTO coverage_sums (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
		source_kind, source_month, month, n, with_id, cmnd_only)
	SELECT 1, 0, perm_province_code, perm_district_code, perm_commune_code, perm_new_province_code, perm_new_commune_code, source_kind,
		toStartOfMonth(source_date), toStartOfMonth(now()), count(), countIf(match(id_number, '^[0-9]{12}$')),
		countIf(id_number = '' AND match(cmnd, '^[0-9]{9}$'))
	FROM records WHERE record_id IN (SELECT concat('r', toString(number)) FROM numbers(%d, %d))
	GROUP BY perm_province_code, perm_district_code, perm_commune_code, perm_new_province_code, perm_new_commune_code, source_kind,
		toStartOfMonth(source_date)`, start, n)
	if err := conn.Exec(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// synthPersons inserts n persons (3 in 5 with a 12-digit number, 1 in 5
// with only a CMND), updated in the months from January 2026
// on (months of them; 0: all now, as the registry writes persons when it
// links records loaded now).
func synthPersons(t testing.TB, conn driver.Conn, n, units, months int) {
	t.Helper()
	for start := 0; start < n; start += 1_000_000 {
		synthPersonsFrom(t, conn, start, min(1_000_000, n-start), units, months)
	}
}

func synthPersonsFrom(t testing.TB, conn driver.Conn, start, n, units, months int) {
	t.Helper()
	updated := "now64(3)"
	if months > 0 {
		updated = fmt.Sprintf("toDateTime64('2026-01-05 00:00:00', 3) + toIntervalMonth(number %% %d)", months)
	}
	q := fmt.Sprintf(`INSERT INTO persons (person_id, id_number, cmnd, id_status, birth_year, province_code, commune_code, new_province_code, new_commune_code, record_count, version, updated_at)
	WITH u AS (SELECT * FROM bench_units)
	SELECT concat('p', toString(number)), if(cityHash64(number, 1) %% 5 < 3, leftPad(toString(cityHash64(number) %% 1000000000000), 12, '0'), ''),
		if(cityHash64(number, 1) %% 5 = 3, leftPad(toString(cityHash64(number) %% 1000000000), 9, '0'), ''), 'inferred',
		1930 + number %% 96, if(number %% 50 = 0, '', u.p), if(number %% 50 = 0, '', u.c), if(number %% 50 = 0, '', u.np), if(number %% 50 = 0, '', u.nc), 1, 1,
		%s
	FROM numbers(%d, %d) AS n
	INNER JOIN u ON u.i = cityHash64(n.number, 2) %% %d`, updated, start, n, units)
	if err := conn.Exec(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	// Their coverage deltas, as the registry emits them for new persons
	// (migration 0013: the aggregates are fed by the deltas, not by the
	// persons rows).
	q = fmt.Sprintf(`INSERT INTO person_deltas (batch, seq, person_id, version, changed_at, living, province_code, commune_code,
		new_province_code, new_commune_code, has_id, cmnd_only, birth_year, old_known)
	SELECT 'synth-%d', toUInt32(rowNumberInAllBlocks()), person_id, version, updated_at, 1, province_code, commune_code,
		new_province_code, new_commune_code, match(id_number, '^[0-9]{12}$'), NOT match(id_number, '^[0-9]{12}$') AND match(cmnd, '^[0-9]{9}$'),
		if(birth_year >= 2010, birth_year, 0), 1
	FROM persons WHERE person_id IN (SELECT concat('p', toString(number)) FROM numbers(%d, %d))`, start, start, n)
	if err := conn.Exec(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// synthConflicts raises a conflict for about one person in 205 (the 1M
// demo raised 2,920 for 998,622 records: at 10M records and 6M persons,
// ~29,000), each naming that person first and the next person second,
// in the first person's province, with two records (r<k>, r<k+1> of
// person p<k>: their addresses are drawn apart from the persons', so most
// conflicts name two or three provinces, which the report counts each in,
// since cov29; the conflicts carry them, since cov32); one in three has a final decision, and
// one in ten has its first person merged away (a later persons row with
// merged_into set, as a same-person decision leaves it), so that the
// report's "first living person" has work to do. It returns how many.
func synthConflicts(t testing.TB, conn driver.Conn, persons int) int64 {
	t.Helper()
	ctx := context.Background()
	// Each with the provinces of its two records, as the matcher writes
	// them with the conflict (record_province_codes, since cov32; here read
	// by key once, as migration 0028 fills a conflict written without them).
	q := fmt.Sprintf(`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version, created_at,
		record_province_codes, record_new_province_codes)
	WITH c AS (SELECT concat('c', person_id) AS conflict_id, province_code, [person_id, concat('p', toString((toUInt64(substring(person_id, 2)) + 1) %% %d))] AS person_ids,
		[concat('r', substring(person_id, 2)), concat('r', toString(toUInt64(substring(person_id, 2)) + 1))] AS record_ids
		FROM persons WHERE cityHash64(person_id, 3) %% 205 = 0)
	SELECT c.conflict_id, 'possible_duplicate', c.province_code, '', c.person_ids, c.record_ids, 0.9, '', 'open', 1, now64(3), p.olds, p.news
	FROM c LEFT JOIN
	(
		SELECT f.conflict_id AS conflict_id,
			arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([toString(r.perm_province_code), toString(r.cur_province_code)]))) AS olds,
			arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([toString(r.perm_new_province_code), toString(r.cur_new_province_code)]))) AS news
		FROM (SELECT conflict_id, arrayJoin(record_ids) AS record_id FROM c) AS f
		INNER JOIN (SELECT record_id, perm_province_code, cur_province_code, perm_new_province_code, cur_new_province_code
			FROM records WHERE record_id IN (SELECT arrayJoin(record_ids) FROM c)) AS r ON r.record_id = f.record_id
		GROUP BY f.conflict_id
	) AS p ON p.conflict_id = c.conflict_id`, persons)
	if err := conn.Exec(ctx, q); err != nil {
		t.Fatal(err)
	}
	q = `INSERT INTO decisions (decision_id, conflict_id, conflict_kind, person_ids, record_ids, decision, user, role, note, status_before, status_after, decided_at)
	SELECT concat('d', conflict_id), conflict_id, kind, person_ids, [], 'not_same_person', 'bench', 'reviewer', '', 'open', 'decided', now64(3)
	FROM conflicts WHERE cityHash64(conflict_id, 4) % 3 = 0`
	if err := conn.Exec(ctx, q); err != nil {
		t.Fatal(err)
	}
	q = `INSERT INTO persons (person_id, id_number, cmnd, id_status, birth_year, province_code, commune_code, new_province_code, new_commune_code, record_count, version, updated_at, merged_into)
	SELECT person_id, id_number, cmnd, id_status, birth_year, '', '', '', '', 0, version + 1, now64(3), person_ids[2]
	FROM persons FINAL INNER JOIN (SELECT person_ids[1] AS pid, person_ids FROM conflicts WHERE cityHash64(conflict_id, 5) % 10 = 0) AS c ON c.pid = person_id`
	if err := conn.Exec(ctx, q); err != nil {
		t.Fatal(err)
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM conflicts").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return int64(n)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestCoverageSpeed is the speed check of issue 11 point 6, run only with
// DANCU_BENCH_COVERAGE=1 (it loads 10M records; DANCU_BENCH_COVERAGE_ROWS
// changes that): bulk load through the views, then the report of all
// provinces (both eras) and of all communes of Nghệ An, each ≤ 1 s.
func TestCoverageSpeed(t *testing.T) {
	if os.Getenv("DANCU_BENCH_COVERAGE") == "" {
		t.Skip("set DANCU_BENCH_COVERAGE=1 to load 10M records and time the report")
	}
	n := envInt("DANCU_BENCH_COVERAGE_ROWS", 10_000_000)
	conn := openDB(t)
	units := benchUnits(t, conn)
	ctx := context.Background()
	start := time.Now()
	const chunk = 1_000_000
	for i := 0; i < n; i += chunk {
		synthRecords(t, conn, i, min(chunk, n-i), units)
	}
	tr := time.Since(start)
	start = time.Now()
	synthPersons(t, conn, n*3/5, units, 11)
	tp := time.Since(start)
	t.Logf("loaded %d records in %v (%.0f rows/s through the views), %d persons in %v", n, tr.Round(time.Millisecond), float64(n)/tr.Seconds(), n*3/5, tp.Round(time.Millisecond))
	conflicts := synthConflicts(t, conn, n*3/5)
	t.Logf("%d conflicts raised", conflicts)
	var aggRows uint64
	conn.QueryRow(ctx, "SELECT (SELECT count() FROM coverage_records) + (SELECT count() FROM coverage_persons)").Scan(&aggRows)
	t.Logf("aggregate rows (unmerged): %d", aggRows)
	for _, o := range []coverage.Options{{Era: coverage.Old}, {Era: coverage.New}, {Era: coverage.Old, Level: coverage.Commune, Province: "40"},
		{Era: coverage.New, Level: coverage.Commune, Province: "40"}, {Era: coverage.Old, Level: coverage.District}, {Era: coverage.Old, Level: coverage.Commune}} {
		var best time.Duration
		var rep *coverage.Report
		for i := 0; i < 3; i++ {
			s := time.Now()
			r, err := coverage.Compute(ctx, conn, o)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(s); i == 0 || d < best {
				best = d
			}
			rep = r
		}
		t.Logf("%s %s province=%q: %d rows, %d records, %d persons: %v (best of 3)", o.Era, o.Level, o.Province, len(rep.Rows), rep.Total.Records, rep.Total.Persons, best.Round(time.Millisecond))
		if o.Province == "" && rep.Total.Records != int64(n) {
			t.Errorf("total %d records, loaded %d", rep.Total.Records, n)
		}
		if o.Province == "" && rep.Total.ConflictsOpen+rep.Total.ConflictsDecided != conflicts {
			t.Errorf("total %d open + %d decided conflicts, raised %d", rep.Total.ConflictsOpen, rep.Total.ConflictsDecided, conflicts)
		}
		if best > time.Second && (o.Level == "" || o.Level == coverage.Province || o.Province != "") {
			t.Errorf("%s %s %q: %v, want ≤ 1 s", o.Era, o.Level, o.Province, best)
		}
	}
}

// BenchmarkLoadWithViews measures the load stage's ClickHouse sink (batches
// of 2,000 records, as the load stage sends them) with the records'
// coverage deltas (computed with the registry's rule, migration 0015) and
// without.
func BenchmarkLoadWithViews(b *testing.B) {
	for _, views := range []bool{true, false} {
		b.Run(fmt.Sprintf("views=%v", views), func(b *testing.B) {
			conn, _ := chdbtestOpen(b)
			var tr registry.RecordCoverageTracker
			recs := make([]schemas.Record, envInt("DANCU_BENCH_BATCH", 2000))
			places := []addr{{"40", "412", "16681", "40", "16681"}, {"01", "001", "00004", "01", "00004"}}
			sink := &pipelines.ClickHouseSink{Conn: conn}
			cpu0 := cputime.Process()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for j := range recs {
					a := places[j%2]
					recs[j] = record(fmt.Sprintf("r%d-%d", i, j), a, schemas.KindCSV, strings.Repeat("1", 12), "", 5)
					recs[j].FullName, recs[j].PermAddress, recs[j].BirthDate = "Nguyễn Thị Thu Hà", "Số 5 phố Trúc Bạch, P. Trúc Bạch, Q. Ba Đình, TP Hà Nội", "1990-03-15"
				}
				batch := &pipelines.Batch{Records: recs}
				if views {
					batch.RecordDeltas = tr.Deltas(recs, time.Now())
				}
				if err := sink.Write(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "rows/s")
			// The engine runs in this process: CPU time per row is the
			// figure a busy shared machine distorts least.
			b.ReportMetric(float64(b.N*len(recs))/(cputime.Process()-cpu0).Seconds(), "rows/cpu-s")
		})
	}
}

// BenchmarkDeltaFlush measures what one flush of the coverage deltas
// costs the load stage's sink, by kind and view (issue 11 point 6): the
// deltas a real registry emits for DANCU_BENCH_LOAD_FILES (default 7)
// files of DANCU_BENCH_LOAD_ROWS (default 10,000) records of
// benchRecords (DANCU_BENCH_LOAD_SPREAD as in TestLoadSpeed), about one
// flush of the load stage's default MaxRows (200,000 rows of records,
// persons and links), written by pipelines.ClickHouseSink — records'
// rows alone, persons' alone, or both, as a flush of the load stage
// holds them (since migration 0027 one insert into coverage_deltas) —
// with the migrations' views (views=all) and with none of them (views=none: the
// Null table's insert, the look-up of the keys already inserted and the
// client's work); with DANCU_BENCH_DROP_EACH=1 also with each view
// dropped alone (views=all-NAME: what that one view costs is all minus
// it). Each flush renames the batches, so that none is dropped as a
// replay. It reports the process's CPU a flush (the engine runs in it),
// the kernel's part of it (sys-ms/flush: mostly the parts' files, cov25)
// and the merges' after the last flush.
func BenchmarkDeltaFlush(b *testing.B) {
	recs := benchRecords(envInt("DANCU_BENCH_LOAD_FILES", 7), envInt("DANCU_BENCH_LOAD_ROWS", 10_000), loadUnits())
	s, err := vietnamese.Trained()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	reg, err := registry.Open(registry.Config{Dir: b.TempDir(), Settings: s, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	ad := registry.NewRecords()
	var flush pipelines.Batch
	for lo := 0; lo < len(recs); lo += matchBatch {
		out, err := reg.AddRecords(context.Background(), ad, recs[lo:min(lo+matchBatch, len(recs))])
		if err != nil {
			b.Fatal(err)
		}
		flush.RecordDeltas = append(flush.RecordDeltas, out.RecordDeltas...)
		flush.PersonDeltaSums = append(flush.PersonDeltaSums, out.PersonDeltaSums...)
	}
	if err := reg.Close(); err != nil {
		b.Fatal(err)
	}
	children := 0
	for _, d := range flush.PersonDeltaSums {
		if d.BirthYear > 0 {
			children++
		}
	}
	b.Logf("%d records: %d rows of records' deltas, %d of persons' (%d of them with a birth year)",
		len(recs), len(flush.RecordDeltas), len(flush.PersonDeltaSums), children)
	// Since migration 0027 both kinds go in one insert, whose two views
	// write the keys and the one aggregate.
	views := map[string][]string{
		"records": {"coverage_delta_keys_mv", "coverage_deltas_mv"},
		"persons": {"coverage_delta_keys_mv", "coverage_deltas_mv"},
		"both":    {"coverage_delta_keys_mv", "coverage_deltas_mv"},
	}
	for _, kind := range []string{"records", "persons", "both"} {
		withs := []string{"all", "none"}
		if os.Getenv("DANCU_BENCH_DROP_EACH") != "" {
			for _, v := range views[kind] {
				withs = append(withs, "all-"+v)
			}
		}
		for _, with := range withs {
			b.Run(fmt.Sprintf("%s/views=%s", kind, with), func(b *testing.B) {
				conn, _ := chdbtestOpen(b)
				ctx := context.Background()
				if with != "all" {
					for _, v := range views[kind] {
						if with != "none" && with != "all-"+v {
							continue
						}
						if err := conn.Exec(ctx, "DROP VIEW "+v); err != nil {
							b.Fatal(err)
						}
					}
				}
				// Each insert kept while it is sent, as dancu run's load
				// stage keeps them (StagesConfig.LoadDir); not with
				// DANCU_BENCH_PENDING=0.
				sink := &pipelines.ClickHouseSink{Conn: conn, PendingDir: b.TempDir()}
				if os.Getenv("DANCU_BENCH_PENDING") == "0" {
					sink.PendingDir = ""
				}
				var cpu, sys time.Duration
				for i := 0; i < b.N; i++ {
					var batch pipelines.Batch
					suffix := fmt.Sprint("-", i)
					if kind != "persons" {
						batch.RecordDeltas = slices.Clone(flush.RecordDeltas)
						for j := range batch.RecordDeltas {
							batch.RecordDeltas[j].Batch += suffix
						}
					}
					if kind != "records" {
						batch.PersonDeltaSums = slices.Clone(flush.PersonDeltaSums)
						for j := range batch.PersonDeltaSums {
							batch.PersonDeltaSums[j].Batch += suffix
						}
					}
					c0, s0 := cputime.Process(), cputime.System()
					if err := sink.Write(ctx, &batch); err != nil {
						b.Fatal(err)
					}
					cpu, sys = cpu+cputime.Process()-c0, sys+cputime.System()-s0
				}
				b.StopTimer()
				c0 := cputime.Process()
				settle(b, conn)
				b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/flush")
				b.ReportMetric(sys.Seconds()*1000/float64(b.N), "sys-ms/flush")
				b.ReportMetric((cputime.Process()-c0).Seconds()*1000/float64(b.N), "merge-cpu-ms/flush")
			})
		}
	}
}

// BenchmarkRebuild times coverage.Rebuild on DANCU_BENCH_REBUILD_ROWS
// (default 500,000) records and a person for every two, 1 in 100 records
// withdrawn:
//
//	go test ./coverage -run '^$' -bench Rebuild -benchtime 3x
func BenchmarkRebuild(b *testing.B) {
	conn, _ := chdbtestOpen(b)
	ctx := context.Background()
	n := envInt("DANCU_BENCH_REBUILD_ROWS", 500_000)
	units := benchUnits(b, conn)
	synthRecords(b, conn, 0, n, units)
	synthPersons(b, conn, n/2, units, 12)
	if err := conn.Exec(ctx, fmt.Sprintf(`INSERT INTO withdrawn_records (record_id, withdrawal_id)
		SELECT concat('r', toString(number)), 'w' FROM numbers(%d) WHERE number %% 100 = 7`, n)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cputime.Process()
	for b.Loop() {
		if err := coverage.Rebuild(ctx, conn); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}
