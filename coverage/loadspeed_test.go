package coverage_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// loadUnits are the old communes with their preferred new commune, for
// spreading synthetic rows over the whole country.
func loadUnits() []addr {
	m := refdata.MustLoad("admin_units_2025_mapping.csv")
	var out []addr
	for _, r := range m.Rows {
		if m.Get(r, "preferred") == "1" {
			out = append(out, addr{m.Get(r, "old_province_code"), m.Get(r, "old_district_code"), m.Get(r, "old_commune_code"),
				m.Get(r, "new_province_code"), m.Get(r, "new_commune_code")})
		}
	}
	return out
}

// matchedMessages builds the load stage's input as the match stage writes
// it to dancu.matched: per file of rows records, one message of records,
// one of persons and one of links, in pieces of 500 rows. Three records in
// five found a person; the other two join the person before them, which
// is then written again with a higher version (as the registry does). Every 50th record has no resolved
// address; 3 in 5 carry a 12-digit number, 1 in 5 only a CMND.
//
// With persons' deltas, each piece also has a message of the persons'
// coverage deltas, computed with the registry's rule
// (registry.CoverageTracker), as the registry emits them beside its person
// rows. With records' deltas, every matchBatch records (the match stage's
// micro-batch, MatchConfig.MaxRecords) are followed by the records'
// coverage deltas of that batch, summed by unit with the registry's rule
// (registry.RecordCoverageTracker), in messages of 2,000 rows
// (MatchConfig.ChunkRows). Deltas are not counted in the rows returned.
func matchedMessages(t testing.TB, files, rows int, units []addr, deltas, recordDeltas bool) ([]kafka.Message, int) {
	t.Helper()
	var msgs []kafka.Message
	var tr registry.CoverageTracker
	var rtr registry.RecordCoverageTracker
	var batch []schemas.Record // the match stage's micro-batch so far
	const matchBatch, chunkRows = 20_000, 2_000
	flushDeltas := func() {
		ds := rtr.Deltas(batch, time.Now())
		for lo := 0; lo < len(ds); lo += chunkRows {
			v, err := schemas.EncodeRows(ds[lo:min(lo+chunkRows, len(ds))])
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, kafka.Message{Value: v, Headers: []kafka.Header{{Key: pipelines.HeaderKind, Value: []byte(pipelines.KindRecordDeltas)}}})
		}
		batch = batch[:0]
	}
	total := 0
	add := func(kind string, v []byte, err error) {
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, kafka.Message{Value: v, Headers: []kafka.Header{{Key: pipelines.HeaderKind, Value: []byte(kind)}}})
	}
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	for f := 0; f < files; f++ {
		fh := fmt.Sprintf("%064x", f+1)
		for lo := 0; lo < rows; lo += 500 {
			var recs []schemas.Record
			var pers []schemas.Person
			var links []schemas.Link
			for i := lo; i < min(lo+500, rows); i++ {
				n := f*rows + i
				a := unitOf(units, n, f)
				if n%50 == 0 {
					a = addr{}
				}
				id, cmnd := "", ""
				switch n % 5 {
				case 0, 1, 2:
					id = fmt.Sprintf("%03d%09d", 1+n%96, n)
				case 3:
					cmnd = fmt.Sprintf("%09d", n)
				}
				r := record(schemas.RecordID(fh, "Sheet1", i+2), a, []string{schemas.KindCSV, schemas.KindSpreadsheet, schemas.KindScan}[n%3], id, cmnd, 1+n%11)
				r.FileHash, r.SourceFile, r.Sheet, r.Row = fh, fmt.Sprintf("list-%d.xlsx", f), "Sheet1", uint32(i+2)
				r.FullName, r.BirthDate, r.BirthYear, r.Sex = "Nguyễn Thị Thu Hà", fmt.Sprintf("%d-03-15", 1930+n%96), uint16(1930+n%96), "F"
				r.PermAddress = "Số 5 phố Trúc Bạch, P. Trúc Bạch, Q. Ba Đình, TP Hà Nội"
				recs = append(recs, r)
				// Two of five records join the person of the record
				// before them, which the registry then writes again (a
				// higher version, two records).
				pid, pn, count := r.RecordID, n, uint32(1)
				if i%5 >= 3 && i > lo {
					pid, pn, count = pers[len(pers)-1].PersonID, n-(i%5-2), pers[len(pers)-1].RecordCount+1
					a, id = unitOf(units, pn, f), pers[len(pers)-1].IDNumber
					if pn%50 == 0 {
						a = addr{}
					}
				}
				p := person(pid, uint64(n+1), a, id, 1930+pn%96, "", 1+pn%11)
				p.FullName, p.IDStatus, p.RecordCount, p.UpdatedAt = r.FullName, "inferred", count, now
				pers = append(pers, p)
				links = append(links, schemas.Link{RecordID: r.RecordID, PersonID: pid, MatchProbability: 0.98, MatchRule: "fellegi-sunter", Version: uint64(n + 1), LinkedAt: now})
			}
			v, err := schemas.EncodeRecords(recs)
			add(pipelines.KindRecords, v, err)
			v, err = schemas.EncodeRows(pers)
			add(pipelines.KindPersons, v, err)
			if ds := tr.Deltas(pers); deltas && len(ds) > 0 {
				v, err = schemas.EncodeRows(ds)
				add(pipelines.KindPersonDeltas, v, err)
			}
			v, err = schemas.EncodeRows(links)
			add(pipelines.KindLinks, v, err)
			total += len(recs) + len(pers) + len(links)
			if recordDeltas {
				if batch = append(batch, recs...); len(batch) >= matchBatch {
					flushDeltas()
				}
			}
		}
	}
	if len(batch) > 0 {
		flushDeltas()
	}
	return msgs, total
}

// unitOf is the address of record n of file f: a commune of the whole
// country for each record, or with DANCU_BENCH_LOAD_SPREAD=file the
// file's commune for all its records (a file is one collecting unit's
// list), one in ten then in another commune of the country.
func unitOf(units []addr, n, f int) addr {
	if os.Getenv("DANCU_BENCH_LOAD_SPREAD") == "file" && n%10 != 0 {
		return units[(f*7919)%len(units)]
	}
	return units[(n*7919)%len(units)]
}

// TestLoadSpeed is the load half of issue 11 point 6, run only with
// DANCU_BENCH_LOAD=1: the load stage (pipelines.Load with its default
// batching, reading dancu.matched from the embedded broker, writing
// through pipelines.ClickHouseSink) drains the same backlog into two
// fresh databases, one with the coverage views and one without, twice
// each (without, with, with, without), in the same process, after the
// engine has started. It prints rows/s and rows per CPU-second of each
// and their ratio, and the CPU again once the round's merges are done
// (waited for before the next round starts). DANCU_BENCH_LOAD_FILES (default 20)
// files of DANCU_BENCH_LOAD_ROWS (default 10,000) records.
// DANCU_BENCH_LOAD_WAIT_MS sets the load stage's MaxWait (default: its
// default, 2 s): on a busy machine the stage fetches fewer rows than
// MaxRows in 2 s and flushes more often, and each flush has fixed costs,
// so a long wait compares rounds with the same number of flushes.
func TestLoadSpeed(t *testing.T) {
	if os.Getenv("DANCU_BENCH_LOAD") == "" {
		t.Skip("set DANCU_BENCH_LOAD=1 to time the load stage with and without the coverage views")
	}
	files, rows := envInt("DANCU_BENCH_LOAD_FILES", 20), envInt("DANCU_BENCH_LOAD_ROWS", 10_000)
	brokers := []string{brokertest.Start(t)}
	ctx := context.Background()
	// Two backlogs of the same rows: with the registry's coverage deltas
	// of persons and records (read by the rounds with coverage) and
	// without (the load stage without coverage: no coverage view is
	// attached to records or persons since migration 0015, so nothing
	// counts). DANCU_BENCH_LOAD_ONLY=records|persons keeps only one kind
	// of deltas.
	only := os.Getenv("DANCU_BENCH_LOAD_ONLY")
	topics := map[bool]string{true: "bench-matched-deltas", false: "bench-matched-no-deltas"}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{topics[true]: 1, topics[false]: 1}); err != nil {
		t.Fatal(err)
	}
	var total int
	counts := map[string]int{}
	for deltas, topic := range topics {
		var msgs []kafka.Message
		msgs, total = matchedMessages(t, files, rows, loadUnits(), deltas && only != "records", deltas && only != "persons")
		counts[topic] = len(msgs)
		w, err := kafkax.NewWriter(brokers, topic)
		if err != nil {
			t.Fatal(err)
		}
		for lo := 0; lo < len(msgs); lo += 100 {
			if err := w.WriteMessages(ctx, msgs[lo:min(lo+100, len(msgs))]...); err != nil {
				t.Fatal(err)
			}
		}
		w.Close()
	}
	type result struct{ wall, cpu, merged time.Duration }
	res := map[bool][]result{}
	round := 0
	// Start the engine before timing (the first database opened pays for
	// it), and run the rounds in the order without, with, with, without,
	// so that a drift of the machine's load over the run weighs on both.
	chdbtestOpen(t)
	for _, views := range []bool{false, true, true, false} {
		round++
		conn, _ := chdbtestOpen(t)
		// Without coverage: the backlog without deltas (nothing reaches
		// person_deltas or record_deltas).
		topic := topics[views]
		r, err := kafkax.NewReader(brokers, fmt.Sprintf("bench-%d", round), topic)
		if err != nil {
			t.Fatal(err)
		}
		var st pipelines.LoadStats
		lctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		cpu0, start := cpuTime(), time.Now()
		// The stage stops when it asks for a message past the backlog:
		// it then flushes what it holds at once, as at the end of any
		// backlog, instead of after MaxWait.
		dr := &drainReader{MessageReader: r, left: counts[topic], cancel: cancel, start: start}
		ts := &timedSink{Sink: &pipelines.ClickHouseSink{Conn: conn}}
		if set := os.Getenv("DANCU_BENCH_LOAD_SETTINGS"); set != "" && views {
			lctx = clickhouse.Context(lctx, clickhouse.WithSettings(benchSettings(t, set)))
		}
		go func() {
			done <- pipelines.Load(lctx, dr, ts, pipelines.LoadConfig{MaxWait: time.Duration(envInt("DANCU_BENCH_LOAD_WAIT_MS", 0)) * time.Millisecond}, &st)
		}()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		wall, cpu := time.Since(start), cpuTime()-cpu0
		cancel()
		if n := st.Records.Load() + st.Persons.Load() + st.Links.Load(); n != int64(total) {
			t.Fatalf("the load stage wrote %d rows, want %d", n, total)
		}
		r.Close()
		// The parts written go on merging after the last flush (more parts
		// with the views): wait for this database's merges so that their
		// CPU counts in this round, not in the next.
		settle(t, conn)
		merged := cpuTime() - cpu0
		res[views] = append(res[views], result{wall, cpu, merged})
		t.Logf("first message after %v, in the sink %v wall, %v CPU", dr.first.Round(time.Millisecond), ts.wall.Round(time.Millisecond), ts.cpu.Round(time.Millisecond))
		t.Logf("views=%-5v %d rows (%d records) in %d flushes: %v wall, %v CPU (%v with the merges after): %.0f rows/s, %.0f rows/CPU-s",
			views, total, files*rows, st.Flushes.Load(), wall.Round(time.Millisecond), cpu.Round(time.Millisecond), merged.Round(time.Millisecond),
			float64(total)/wall.Seconds(), float64(total)/cpu.Seconds())
		if views && only != "persons" {
			var n int64
			if err := conn.QueryRow(ctx, "SELECT sum(records) FROM coverage_records").Scan(&n); err != nil || n != int64(files*rows) {
				t.Errorf("coverage_records counts %d records, loaded %d (%v)", n, files*rows, err)
			}
		}
		if views && only != "records" {
			// Each piece's deltas come before its links: all are in.
			var got, want int64
			if err := conn.QueryRow(ctx, "SELECT toInt64(sum(persons)) FROM coverage_persons").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(ctx, "SELECT toInt64(count()) FROM persons FINAL WHERE merged_into = ''").Scan(&want); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("coverage_persons counts %d persons, persons FINAL %d", got, want)
			}
		}
	}
	sum := func(rs []result) (w, c, m time.Duration) {
		for _, r := range rs {
			w, c, m = w+r.wall, c+r.cpu, m+r.merged
		}
		return
	}
	wv, cv, mv := sum(res[true])
	wn, cn, mn := sum(res[false])
	t.Logf("with the views: %.1f%% of the rows/s without them, %.1f%% of the rows per CPU-second (%.1f%% counting the merges after)",
		100*wn.Seconds()/wv.Seconds(), 100*cn.Seconds()/cv.Seconds(), 100*mn.Seconds()/mv.Seconds())
}

// drainReader reads left messages, then cancels the load stage (which
// then flushes what it holds and returns).
type drainReader struct {
	pipelines.MessageReader
	left   int
	cancel func()
	start  time.Time
	first  time.Duration // until the first message
}

// timedSink adds up the wall and CPU time spent in its Sink.
type timedSink struct {
	pipelines.Sink
	wall, cpu time.Duration
}

func (s *timedSink) Write(ctx context.Context, b *pipelines.Batch) error {
	w, c := time.Now(), cpuTime()
	err := s.Sink.Write(ctx, b)
	s.wall, s.cpu = s.wall+time.Since(w), s.cpu+cpuTime()-c
	return err
}

func (d *drainReader) FetchMessage(ctx context.Context) (kafka.Message, error) {
	if d.left == 0 {
		d.cancel()
		<-ctx.Done()
		return kafka.Message{}, ctx.Err()
	}
	m, err := d.MessageReader.FetchMessage(ctx)
	if err == nil {
		if d.first == 0 {
			d.first = time.Since(d.start)
		}
		d.left--
	}
	return m, err
}

// settle waits until the database of conn has had no merge running for
// half a second (at most two minutes).
func settle(t testing.TB, conn driver.Conn) {
	t.Helper()
	quiet := 0
	for deadline := time.Now().Add(2 * time.Minute); quiet < 5 && time.Now().Before(deadline); {
		var n uint64
		if err := conn.QueryRow(context.Background(), "SELECT count() FROM system.merges WHERE database = currentDatabase()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// benchSettings parses DANCU_BENCH_LOAD_SETTINGS ("name=value,…"): query
// settings for the load stage's inserts in the rounds with the views.
func benchSettings(t testing.TB, s string) clickhouse.Settings {
	out := clickhouse.Settings{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("DANCU_BENCH_LOAD_SETTINGS: %q is not name=value", kv)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out
}
