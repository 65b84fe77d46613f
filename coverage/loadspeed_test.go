package coverage_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/matching/vietnamese"
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

// benchRecords are the benchmark's records: files of rows records, as
// collected lists are. Every 50th record has no resolved address; 3 in 5
// carry a 12-digit number, 1 in 5 only a CMND; names and birth dates
// vary, so that the registry's blocks stay small. The fourth and fifth
// records of every five are the third's person written again (same name,
// birth date, number and address, another source kind and month): the
// registry joins them to it, so about three records in five found a
// person and the registry writes the others' persons again.
func benchRecords(files, rows int, units []addr) []schemas.Record {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middle := []string{"Thị", "Văn", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang"}
	given := []string{"Hà", "Bình", "Mai", "Đức", "Lan", "Nam", "Hồng", "Tuấn", "Hoa", "Sơn", "Nga", "Long", "An", "Hùng", "Dũng",
		"Linh", "Trang", "Phương", "Thảo", "Hải", "Yến", "Khánh", "Giang", "Châu", "Quỳnh", "Thắng", "Lợi", "Tâm", "Hạnh", "Vân",
		"Cường", "Thành", "Trung", "Kiên", "Phúc", "Nhung", "Hiền", "Loan", "Tùng", "Việt"}
	var recs []schemas.Record
	for f := 0; f < files; f++ {
		fh := fmt.Sprintf("%064x", f+1)
		for i := 0; i < rows; i++ {
			n := f*rows + i
			pn := n // the record whose person this is
			if i%5 >= 3 {
				pn = n - (i%5 - 2)
			}
			a := unitOf(units, pn, f)
			if pn%50 == 0 {
				a = addr{}
			}
			id, cmnd := "", ""
			switch pn % 5 {
			case 0, 1, 2:
				id = fmt.Sprintf("%03d%09d", 1+pn%96, pn)
			case 3:
				cmnd = fmt.Sprintf("%09d", pn)
			}
			kind, month := sourceOf(n, f)
			r := record(schemas.RecordID(fh, "Sheet1", i+2), a, kind, id, cmnd, month)
			r.FileHash, r.SourceFile, r.Sheet, r.Row = fh, fmt.Sprintf("list-%d.xlsx", f), "Sheet1", uint32(i+2)
			h := uint64(pn) * 0x9E3779B97F4A7C15
			r.FullName = family[h%13] + " " + middle[(h>>8)%8] + " " + given[(h>>16)%40] + " " + given[(h>>24)%40]
			year := 1930 + pn%96
			r.BirthDate, r.BirthYear = fmt.Sprintf("%d-%02d-%02d", year, 1+(h>>32)%12, 1+(h>>40)%28), uint16(year)
			r.Sex = []string{"F", "M"}[pn%2]
			r.PermAddress = "Số 5 phố Trúc Bạch, P. Trúc Bạch, Q. Ba Đình, TP Hà Nội"
			recs = append(recs, r)
		}
	}
	return recs
}

// matchStage links recs through a real identity registry (the Vietnamese
// trained model, a fresh store in dir) in micro-batches of matchBatch
// records (MatchConfig.MaxRecords) and encodes each batch's records and
// output as the match stage writes them to dancu.matched, in messages of
// chunkRows rows (MatchConfig.ChunkRows): records, persons, links,
// conflicts, events, then the coverage deltas. With cov false the
// registry keeps no coverage state and emits no deltas
// (registry.Config.NoCoverage): the match stage without coverage. It
// returns the messages, the rows of records, persons and links (deltas,
// conflicts and events are not counted in the rates), and the wall and
// CPU time of the registry and the encoding (the engine is idle).
// kinds, when set, keeps only the deltas of those kinds. written is
// what the store's flushes and compactions wrote before it closed.
func matchStage(t testing.TB, dir string, recs []schemas.Record, cov bool, kinds map[string]bool) (msgs []kafka.Message, rows int, wall, cpu time.Duration, written uint64) {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	cpu0, start := cputime.Process(), time.Now()
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s, Now: func() time.Time { return now }, NoCoverage: !cov})
	if err != nil {
		t.Fatal(err)
	}
	ad := registry.NewRecords()
	ctx := context.Background()
	for lo := 0; lo < len(recs); lo += matchBatch {
		batch := recs[lo:min(lo+matchBatch, len(recs))]
		out, err := reg.AddRecords(ctx, ad, batch)
		if err != nil {
			t.Fatal(err)
		}
		if msgs, err = appendMatched(msgs, batch, out, kinds); err != nil {
			t.Fatal(err)
		}
		rows += len(batch) + len(out.Persons) + len(out.Links)
	}
	st := reg.Stats()
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	return msgs, rows, time.Since(start), cputime.Process() - cpu0, st.CompactedBytes + st.Flushed
}

// matchBatch and chunkRows are the match stage's micro-batch
// (MatchConfig.MaxRecords) and message size (MatchConfig.ChunkRows) in
// the benchmarks.
const matchBatch, chunkRows = 20_000, 2_000

// appendMatched appends to msgs a batch's records and the registry's
// output for it, encoded as the match stage writes them to
// dancu.matched in messages of chunkRows rows: records, persons, links,
// conflicts, events, then the coverage deltas (only those of kinds, when
// set).
func appendMatched(msgs []kafka.Message, batch []schemas.Record, out *registry.Output, kinds map[string]bool) ([]kafka.Message, error) {
	var err error
	chunks := func(kind string, n int, enc func(lo, hi int) ([]byte, error)) {
		if (kind == pipelines.KindRecordDeltas || kind == pipelines.KindPersonDeltas || kind == pipelines.KindPersonDeltaSums) && kinds != nil && !kinds[kind] {
			return
		}
		for lo := 0; lo < n && err == nil; lo += chunkRows {
			var v []byte
			if v, err = enc(lo, min(lo+chunkRows, n)); err == nil {
				msgs = append(msgs, kafka.Message{Value: v, Headers: []kafka.Header{{Key: pipelines.HeaderKind, Value: []byte(kind)}}})
			}
		}
	}
	chunks(pipelines.KindRecords, len(batch), func(lo, hi int) ([]byte, error) { return schemas.EncodeRecords(batch[lo:hi]) })
	chunks(pipelines.KindPersons, len(out.Persons), func(lo, hi int) ([]byte, error) { return schemas.EncodeRows(out.Persons[lo:hi]) })
	chunks(pipelines.KindLinks, len(out.Links), func(lo, hi int) ([]byte, error) { return schemas.EncodeRows(out.Links[lo:hi]) })
	chunks(pipelines.KindConflicts, len(out.Conflicts), func(lo, hi int) ([]byte, error) { return schemas.EncodeRows(out.Conflicts[lo:hi]) })
	chunks(pipelines.KindPersonEvents, len(out.Events), func(lo, hi int) ([]byte, error) { return schemas.EncodeRows(out.Events[lo:hi]) })
	chunks(pipelines.KindPersonDeltas, len(out.Deltas), func(lo, hi int) ([]byte, error) { return schemas.EncodeRows(out.Deltas[lo:hi]) })
	chunks(pipelines.KindRecordDeltas, len(out.RecordDeltas), func(lo, hi int) ([]byte, error) { return schemas.EncodeRows(out.RecordDeltas[lo:hi]) })
	chunks(pipelines.KindPersonDeltaSums, len(out.PersonDeltaSums), func(lo, hi int) ([]byte, error) {
		return schemas.EncodeRows(out.PersonDeltaSums[lo:hi])
	})
	return msgs, err
}

// unitOf is the address of record n of file f, by
// DANCU_BENCH_LOAD_SPREAD:
//
//   - unset (the default, the worst case for summing): a commune of the
//     whole country for each record;
//   - file: the file's commune for all its records (a file is one
//     collecting unit's list), one in ten in another commune of the
//     country;
//   - province (what an import of dancu gen's kind of records looks like
//     when a file is one province's list): each file is one province
//     (another for each file), and each household — the five records of
//     a group, three persons and the third's two other records — lives
//     in one commune of it, drawn at random among the province's.
func unitOf(units []addr, n, f int) addr {
	switch os.Getenv("DANCU_BENCH_LOAD_SPREAD") {
	case "file":
		if n%10 != 0 {
			return units[(f*7919)%len(units)]
		}
	case "province":
		in := provinceUnits(units)
		ps := in.codes
		us := in.units[ps[(f*17)%len(ps)]]
		h := uint64(n/5+1) * 0x9E3779B97F4A7C15
		return us[(h>>20)%uint64(len(us))]
	}
	return units[(n*7919)%len(units)]
}

// byProvince is units grouped by old province, the codes in order.
type byProvince struct {
	codes []string
	units map[string][]addr
}

var (
	provincesOnce sync.Once
	provinces     byProvince
)

func provinceUnits(units []addr) byProvince {
	provincesOnce.Do(func() {
		provinces.units = map[string][]addr{}
		for _, a := range units {
			if provinces.units[a.p] == nil {
				provinces.codes = append(provinces.codes, a.p)
			}
			provinces.units[a.p] = append(provinces.units[a.p], a)
		}
		slices.Sort(provinces.codes)
	})
	return provinces
}

// sourceOf is the source kind and month (1–11) of record n of file f:
// one of three kinds and eleven months in turn, record by record; with
// DANCU_BENCH_LOAD_SPREAD=province, the file's own (a province's list is
// one source, of one date).
func sourceOf(n, f int) (string, int) {
	kinds := []string{schemas.KindCSV, schemas.KindSpreadsheet, schemas.KindScan}
	if os.Getenv("DANCU_BENCH_LOAD_SPREAD") == "province" {
		return kinds[f%3], 1 + f%11
	}
	return kinds[n%3], 1 + n%11
}

// TestLoadSpeed is issue 11 point 6's load check, run only with
// DANCU_BENCH_LOAD=1: what coverage costs loading, wherever it is paid.
// Since migrations 0015 and 0016 the identity registry keeps the
// coverage states and emits the deltas summed by unit (the match stage)
// and the load stage inserts them (no view looks anything up), so both
// stages are timed with and without coverage:
//
//   - the match stage: DANCU_BENCH_LOAD_FILES (default 20) files of
//     DANCU_BENCH_LOAD_ROWS (default 10,000) records (benchRecords) linked
//     by a real registry in micro-batches, its output encoded as the
//     match stage writes it (matchStage), with coverage off
//     (registry.Config.NoCoverage) and on, twice each (off, on, on, off),
//     after a round not counted (warm-up); each round's output is
//     spilled to a file at once, so that every round runs with the same
//     heap, and the broker starts after them;
//   - the load stage (pipelines.Load with its default batching, reading
//     dancu.matched from the embedded broker, writing through
//     pipelines.ClickHouseSink) drains each backlog (the output without
//     coverage, and with its deltas) into a fresh database, twice each
//     (without, with, with, without), in the same process, after the
//     engine has started, waiting for each round's merges before the next.
//
// It prints rows/s and rows per CPU-second of each stage both ways, and
// the share kept: the load stage without coverage against the load stage
// with coverage plus the registry's extra time (with coverage minus
// without), the figure of point 6; and, for the whole of match and load,
// the sum of both stages both ways. DANCU_BENCH_LOAD_WAIT_MS sets the
// load stage's MaxWait (since cov27 ten minutes by default, loadWait;
// before, the stage's 2 s): on a busy machine the stage fetches fewer
// rows than MaxRows in 2 s and flushes more often, and each flush has
// fixed costs, so a long wait compares rounds with the same number of
// flushes. DANCU_BENCH_LOAD_ONLY=records|persons keeps
// only one kind of deltas in the backlog with coverage.
//
// DANCU_BENCH_LOAD_PAIRS=N (since round 9) measures in N pairs instead,
// so that a run decides: N paired rounds of the match stage
// (pairedMatch: both registries side by side, batch by batch, the side
// that goes first alternating, each store compacted whole before it
// closes, so that neither leaves compaction debt the other paid), the
// first pair's outputs the backlogs; then N pairs of load rounds
// (without then with, with then without, …). Point 6 is unchanged,
// computed per pair (load stage without ÷ (load stage with + the
// registry's extra of the same pair), per CPU-second) and printed with
// its median and range, after the lines of the old printout, which sum
// over all rounds. DANCU_BENCH_LOAD_MEMTABLES=64MiB,96MiB,128MiB (cov21)
// runs DANCU_BENCH_LOAD_PAIRS pairs at each of those registry memtables,
// the sizes in turn, and prints point 6's median over all pairs and per
// size with each size's bytes compacted (memTables): the memtable sets
// the stores' compaction schedule, so a figure over one size is one draw.
// Since cov23 each match pair has DANCU_BENCH_LOAD_REPEAT (default 2)
// load pairs, the pair's load stage their mean (loadRepeat); each load
// round's database is dropped after the round; and the printout gives,
// per pair, the engine's queries' CPU within the load stage's and point 6
// per wall second beside the figure per CPU-second.
//
// Since cov27 the collector runs at the same points on both sides
// (gcMode, DANCU_BENCH_GC; "free" is the measure before): in the match
// pairs each turn ends with a collection counted in it, the collector off
// within the turn, and each load round starts from a collected heap and
// ends with a collection counted in it; and POINT 6, POOLED gives the
// definition over the whole run — the load stage's mean CPU a round
// without ÷ (its mean with + the registry's mean extra a pair) — with the
// even and the odd pairs apart, beside the median of the pairs' ratios.
func TestLoadSpeed(t *testing.T) {
	if os.Getenv("DANCU_BENCH_LOAD") == "" {
		t.Skip("set DANCU_BENCH_LOAD=1 to time loading with and without coverage")
	}
	files, rows := envInt("DANCU_BENCH_LOAD_FILES", 20), envInt("DANCU_BENCH_LOAD_ROWS", 10_000)
	ctx := context.Background()
	var kinds map[string]bool
	switch os.Getenv("DANCU_BENCH_LOAD_ONLY") {
	case "records":
		kinds = map[string]bool{pipelines.KindRecordDeltas: true}
	case "persons":
		kinds = map[string]bool{pipelines.KindPersonDeltas: true, pipelines.KindPersonDeltaSums: true}
	}
	only := os.Getenv("DANCU_BENCH_LOAD_ONLY")
	type result struct{ wall, cpu, merged time.Duration }
	recs := benchRecords(files, rows, loadUnits())
	backlogs := map[bool]string{} // the first output of each, spilled to a file
	match := map[bool][]result{}
	var total int
	// A first round, not counted, warms the process up (the adapter's
	// tables, the compiled comparisons, the heap's size): round 7's first
	// round without coverage cost 2–3 s more than its last. Each round's
	// output is spilled to a file at once, so that no round runs with
	// another's backlog held in the heap (a larger live heap collects
	// less often: the rounds holding one or two backlogs were the
	// cheaper), and the broker starts after these rounds.
	sizes := memTables(t)
	pairs := envInt("DANCU_BENCH_LOAD_PAIRS", 0) * len(sizes)
	var xs []time.Duration     // the paired rounds' extras (on − off CPU), in order
	var pairSize []int64       // the paired rounds' memtables, in order
	var compacted [2][]float64 // the paired rounds' bytes compacted (MB), coverage off and on
	for i := 0; i < pairs; i++ {
		if i == 0 {
			warmUp(t, recs)
		}
		// Pair i: both registries side by side, batch by batch, the side
		// that goes first alternating (and the first side of each pair
		// too; with several memtables, from one round of sizes to the
		// next), each store compacted whole before it closes; the
		// memtables in turn, so that a drift of the machine's load weighs
		// on each size alike.
		mt := sizes[i%len(sizes)]
		p := pairedMatch(t, filepath.Join(t.TempDir(), fmt.Sprint("pair-", i)), recs, (i/len(sizes))%2, true, i == 0, kinds, mt, nil)
		pairSize = append(pairSize, mt)
		for c := range 2 {
			compacted[c] = append(compacted[c], float64(p.written[c]-p.flushed[c])/1e6)
		}
		if total != 0 && p.rows != total {
			t.Fatalf("match stage, pair %d: %d rows of records, persons and links, want %d as in the other runs", i, p.rows, total)
		}
		total = p.rows
		if i == 0 {
			backlogs[false], backlogs[true] = spill(t, p.msgs[0]), spill(t, p.msgs[1])
		}
		for c, cov := range []bool{false, true} {
			match[cov] = append(match[cov], result{wall: p.wall[c], cpu: p.cpu[c]})
		}
		xs = append(xs, p.cpu[1]-p.cpu[0])
		t.Logf("match stage, pair %d (memtable %s): %d records → %d rows: coverage off %v wall, %v CPU; on %v wall, %v CPU; the registry's extra %+.3f s CPU (per batch: median %+.3f s, spread ±%.3f s); the stores' flushes and compactions wrote %.0f / %.0f MB (flushes %.1f / %.1f MB); allocated %.0f / %.0f MB; %s",
			i, memTableName(mt), len(recs), p.rows, p.wall[0].Round(time.Millisecond), p.cpu[0].Round(time.Millisecond), p.wall[1].Round(time.Millisecond),
			p.cpu[1].Round(time.Millisecond), (p.cpu[1] - p.cpu[0]).Seconds(), median(p.diffs), stddev(p.diffs),
			float64(p.written[0])/1e6, float64(p.written[1])/1e6, float64(p.flushed[0])/1e6, float64(p.flushed[1])/1e6,
			float64(p.alloc[0])/1e6, float64(p.alloc[1])/1e6, p.gcLine())
		var batches float64
		for _, d := range p.diffs {
			batches += d
		}
		t.Logf("match stage, pair %d: the extra per batch %.3f s, the closing %+.3f s", i, p.diffs, (p.cpu[1]-p.cpu[0]).Seconds()-batches)
	}
	order := []bool{false, false, true, true, false}
	if pairs > 0 {
		order = nil
	}
	for i, cov := range order {
		dir := filepath.Join(t.TempDir(), fmt.Sprint("registry-", i))
		runtime.GC()
		gc0 := gcCount()
		msgs, n, wall, cpu, written := matchStage(t, dir, recs, cov, kinds)
		gcs := gcCount() - gc0
		os.RemoveAll(dir)
		if total != 0 && n != total {
			t.Fatalf("match stage, coverage=%v: %d rows of records, persons and links, want %d as in the other runs", cov, n, total)
		}
		total = n
		what := "match stage"
		if i == 0 {
			what = "match stage (warm-up, not counted)"
		} else {
			if backlogs[cov] == "" {
				backlogs[cov] = spill(t, msgs)
			}
			match[cov] = append(match[cov], result{wall: wall, cpu: cpu})
		}
		t.Logf("%s, coverage=%-5v %d records → %d rows (%d messages): %v wall, %v CPU (%d collections; the store's flushes and compactions wrote %.0f MB): %.0f records/s, %.0f records/CPU-s",
			what, cov, len(recs), n, len(msgs), wall.Round(time.Millisecond), cpu.Round(time.Millisecond), gcs, float64(written)/1e6,
			float64(len(recs))/wall.Seconds(), float64(len(recs))/cpu.Seconds())
	}
	brokers := []string{brokertest.Start(t)}
	// The two backlogs, each a one-partition topic: the rounds with
	// coverage read the output with the deltas, those without the output
	// of the registry without coverage (same records, persons and links).
	topics := map[bool]string{true: "bench-matched-deltas", false: "bench-matched-no-deltas"}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{topics[true]: 1, topics[false]: 1}); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for cov, topic := range topics {
		msgs := unspill(t, backlogs[cov])
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
	res := map[bool][]result{}
	round := 0
	// Start the engine before timing (the first database opened pays for
	// it), and run the rounds in the order without, with, with, without,
	// so that a drift of the machine's load over the run weighs on both.
	chdbtestOpen(t)
	loads := []bool{false, true, true, false}
	repeat := 1 // load pairs per match pair
	if pairs > 0 {
		// Load pair g without then with, pair g+1 with then without, and
		// so on; repeat load pairs for each match pair (loadRepeat).
		repeat = loadRepeat(t)
		loads = nil
		for g := 0; g < pairs*repeat; g++ {
			loads = append(loads, g%2 == 1, g%2 == 0)
		}
	}
	var engineCPU [2][]time.Duration // the engine's queries' CPU of each round, without and with coverage
	var flushes [2][]int64           // the load stage's flushes of each round, without and with coverage
	for _, views := range loads {
		round++
		conn, db := chdbtestOpen(t)
		ev0 := engineCPUOf(t, conn)
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
		// Each round starts from a collected heap and ends with a
		// collection counted in it (gcMode "turn" or "split"), as the
		// match pairs' turns do: a cycle that the last round's garbage
		// would have started does not land in this one.
		gcRounds := gcMode() != "free"
		if gcRounds {
			runtime.GC()
		}
		cpu0, start := cputime.Process(), time.Now()
		// The stage stops when it asks for a message past the backlog:
		// it then flushes what it holds at once, as at the end of any
		// backlog, instead of after MaxWait.
		dr := &drainReader{MessageReader: r, left: counts[topic], cancel: cancel, start: start}
		// The inserts of deltas kept while they are sent, as dancu run
		// keeps them (StagesConfig.LoadDir): their cost is the stage's.
		ts := &timedSink{Sink: &pipelines.ClickHouseSink{Conn: conn, PendingDir: t.TempDir()}}
		if set := os.Getenv("DANCU_BENCH_LOAD_SETTINGS"); set != "" && views {
			lctx = clickhouse.Context(lctx, clickhouse.WithSettings(benchSettings(t, set)))
		}
		go func() {
			done <- pipelines.Load(lctx, dr, ts, pipelines.LoadConfig{MaxWait: loadWait()}, &st)
		}()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if gcRounds {
			runtime.GC()
		}
		wall, cpu := time.Since(start), cputime.Process()-cpu0
		cancel()
		if n := st.Records.Load() + st.Persons.Load() + st.Links.Load(); n != int64(total) {
			t.Fatalf("the load stage wrote %d rows, want %d", n, total)
		}
		r.Close()
		// The parts written go on merging after the last flush (more parts
		// with the views): wait for this database's merges so that their
		// CPU counts in this round, not in the next.
		settle(t, conn)
		merged := cputime.Process() - cpu0
		eng := engineCPUOf(t, conn) - ev0
		res[views] = append(res[views], result{wall, cpu, merged})
		engineCPU[b2i(views)] = append(engineCPU[b2i(views)], eng)
		flushes[b2i(views)] = append(flushes[b2i(views)], st.Flushes.Load())
		t.Logf("first message after %v, in the sink %v wall, %v CPU; the engine's queries %v CPU (of the process's %v with the merges after)",
			dr.first.Round(time.Millisecond), ts.wall.Round(time.Millisecond), ts.cpu.Round(time.Millisecond), eng.Round(time.Millisecond), merged.Round(time.Millisecond))
		t.Logf("coverage=%-5v %d rows (%d records) in %d flushes: %v wall, %v CPU (%v with the merges after): %.0f rows/s, %.0f rows/CPU-s",
			views, total, files*rows, st.Flushes.Load(), wall.Round(time.Millisecond), cpu.Round(time.Millisecond), merged.Round(time.Millisecond),
			float64(total)/wall.Seconds(), float64(total)/cpu.Seconds())
		if views && only != "persons" {
			var n int64
			if err := conn.QueryRow(ctx, "SELECT sum(records) FROM coverage_records").Scan(&n); err != nil || n != int64(files*rows) {
				t.Errorf("coverage_records counts %d records, loaded %d (%v)", n, files*rows, err)
			}
		}
		if views && only != "records" {
			// Each batch's deltas come after its pieces: all are in.
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
		// The round's database goes now, not at the test's end: the
		// tables of earlier rounds would keep the engine's background
		// tasks busy in every later round (a drift of the rounds' CPU
		// with their number, not with coverage).
		// (Dropped as chdbtest drops it at the end, through the engine;
		// SYNC through the connection waits for ever.)
		conn.Close()
		if _, err := chdbtest.Engine(t).Query(ctx, "DROP DATABASE IF EXISTS "+chdb.QuoteIdent(db), chdb.QueryOptions{}); err != nil {
			t.Fatal(err)
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
	t.Logf("load stage alone: with coverage %.1f%% of the rows/s without, %.1f%% of the rows per CPU-second (%.1f%% counting the merges after)",
		100*wn.Seconds()/wv.Seconds(), 100*cn.Seconds()/cv.Seconds(), 100*mn.Seconds()/mv.Seconds())
	// The registry's extra time with coverage counts against coverage:
	// added to the load stage's time with it (both summed over two runs).
	mwOn, mcOn, _ := sum(match[true])
	mwOff, mcOff, _ := sum(match[false])
	xw, xc := mwOn-mwOff, mcOn-mcOff
	t.Logf("match stage: coverage off %v wall, %v CPU; on %v wall, %v CPU (%d runs each): coverage adds %v wall, %v CPU (%+.1f%% CPU)",
		mwOff.Round(time.Millisecond), mcOff.Round(time.Millisecond), mwOn.Round(time.Millisecond), mcOn.Round(time.Millisecond),
		len(match[false]), xw.Round(time.Millisecond), xc.Round(time.Millisecond), 100*(mcOn.Seconds()/mcOff.Seconds()-1))
	rounds := len(res[false])
	rate := func(d time.Duration) float64 { return float64(rounds*total) / d.Seconds() }
	t.Logf("loading without coverage: %.0f rows/s, %.0f rows/CPU-s (%.2f s wall, %.2f s CPU for %d loads of %d rows)",
		rate(wn), rate(cn), wn.Seconds(), cn.Seconds(), rounds, total)
	t.Logf("loading with coverage (load stage + the registry's extra): %.0f rows/s, %.0f rows/CPU-s (%.2f + %.2f s wall, %.2f + %.2f s CPU)",
		rate(wv+xw), rate(cv+xc), wv.Seconds(), xw.Seconds(), cv.Seconds(), xc.Seconds())
	t.Logf("POINT 6: with coverage %.1f%% of the rows/s without, %.1f%% of the rows per CPU-second (%.1f%% counting the merges after)",
		100*wn.Seconds()/(wv+xw).Seconds(), 100*cn.Seconds()/(cv+xc).Seconds(), 100*mn.Seconds()/(mv+xc).Seconds())
	t.Logf("match + load: %.0f → %.0f rows/s (%.1f%%), %.0f → %.0f rows/CPU-s (%.1f%%)",
		rate(wn+mwOff), rate(wv+mwOn), 100*(wn+mwOff).Seconds()/(wv+mwOn).Seconds(),
		rate(cn+mcOff), rate(cv+mcOn), 100*(cn+mcOff).Seconds()/(cv+mcOn).Seconds())
	if pairs == 0 {
		return
	}
	// Paired: point 6 per pair (the load stage without and with coverage
	// of load pair i, the registry's extra of match pair i), then the
	// median and range of each.
	// With repeat load pairs per match pair, the load stage's CPU of a
	// pair is the mean of its repeat rounds of each side.
	var p6, kept, x, offs, ons, p6w, engOff, engOn []float64
	mean := func(rs []result, d func(result) time.Duration) float64 {
		var s time.Duration
		for _, r := range rs {
			s += d(r)
		}
		return s.Seconds() / float64(len(rs))
	}
	for i := 0; i < pairs; i++ {
		lo, hi := i*repeat, (i+1)*repeat
		off, on := mean(res[false][lo:hi], func(r result) time.Duration { return r.cpu }), mean(res[true][lo:hi], func(r result) time.Duration { return r.cpu })
		offs, ons = append(offs, off), append(ons, on)
		p6 = append(p6, 100*off/(on+xs[i].Seconds()))
		kept = append(kept, 100*off/on)
		x = append(x, xs[i].Seconds())
		// The same by wall time: the load stage's rows/s and the
		// registry's extra wall of the pair.
		offW, onW := mean(res[false][lo:hi], func(r result) time.Duration { return r.wall }), mean(res[true][lo:hi], func(r result) time.Duration { return r.wall })
		p6w = append(p6w, 100*offW/(onW+(match[true][i].wall-match[false][i].wall).Seconds()))
		engOff = append(engOff, meanDur(engineCPU[0][lo:hi]))
		engOn = append(engOn, meanDur(engineCPU[1][lo:hi]))
	}
	t.Logf("per pair (%d load pairs each): the registry's extra %.3f s CPU; load stage alone kept %.1f%%; point 6 %.1f%% (per CPU-second), %.1f%% (per wall second)", repeat, x, kept, p6, p6w)
	t.Logf("per pair: the load stage's CPU without / with coverage %.3f / %.3f s, of which the engine's queries %.3f / %.3f s (the rest: Go, the broker, the engine's background)", offs, ons, engOff, engOn)
	t.Logf("POINT 6, PAIRED (%d pairs): median %.1f%% of the rows per CPU-second (range %.1f–%.1f%%); the registry's extra median %+.3f s CPU per %d records (range %+.3f to %+.3f s); the load stage alone kept median %.1f%% (range %.1f–%.1f%%); point 6 of the medians %.1f%%",
		pairs, median(p6), slices.Min(p6), slices.Max(p6), median(x), len(recs), slices.Min(x), slices.Max(x),
		median(kept), slices.Min(kept), slices.Max(kept), 100*median(offs)/(median(ons)+median(x)))
	// Pooled: the definition over the whole run (the load stage's mean
	// CPU a round without ÷ (with + the registry's mean extra a pair)),
	// which averages every round and pair instead of taking the middle
	// of six ratios, each with its pair's noise in its denominator.
	mOff, mOn, mX := meanOf(offs), meanOf(ons), meanOf(x)
	half := func(h int) float64 { // the same over every other pair
		var o, n, e []float64
		for i := h; i < pairs; i += 2 {
			o, n, e = append(o, offs[i]), append(n, ons[i]), append(e, x[i])
		}
		if len(o) == 0 {
			return math.NaN()
		}
		return 100 * meanOf(o) / (meanOf(n) + meanOf(e))
	}
	t.Logf("POINT 6, POOLED (%d pairs, collector %s): %.1f%% of the rows per CPU-second (the load stage %.3f s CPU a round without, %.3f s with, %d rounds each; the registry's extra %+.3f s a pair, ±%.3f s its standard error); the even and odd pairs apart %.1f%% and %.1f%%",
		pairs, gcMode(), 100*mOff/(mOn+mX), mOff, mOn, len(res[false]), mX, stddev(x)/math.Sqrt(float64(len(x))), half(0), half(1))
	t.Logf("the load stage's flushes a round, without / with coverage: %d / %d (MaxWait %v)", flushes[0], flushes[1], loadWait())
	t.Logf("POINT 6 PER WALL SECOND, PAIRED (%d pairs): median %.1f%% (range %.1f–%.1f%%); the load stage's coverage cost median %+.3f s CPU a round, of which the engine's queries %+.3f s",
		pairs, median(p6w), slices.Min(p6w), slices.Max(p6w), median(ons)-median(offs), median(engOn)-median(engOff))
	if len(sizes) < 2 {
		return
	}
	// Over several memtables: each size is one compaction schedule (the
	// same for every pair of that size), so the median over all pairs is
	// a median over schedules; each size's own beside it. The bytes
	// compacted are the stores' (deterministic for one build and size).
	var meds []float64
	for _, mt := range sizes {
		var p6s, xs6, offc, onc []float64
		for i, m := range pairSize {
			if m == mt {
				p6s, xs6 = append(p6s, p6[i]), append(xs6, x[i])
				offc, onc = append(offc, compacted[0][i]), append(onc, compacted[1][i])
			}
		}
		meds = append(meds, median(p6s))
		t.Logf("memtable %s (%d pairs): point 6 median %.1f%% (%.1f); the registry's extra median %+.3f s; the stores' compactions wrote %.1f / %.1f MB (coverage off / on, extra %+.1f MB)",
			memTableName(mt), len(p6s), median(p6s), p6s, median(xs6), median(offc), median(onc), median(onc)-median(offc))
	}
	t.Logf("POINT 6 OVER MEMTABLES (%s, %d pairs each): median of all %d pairs %.1f%% (range %.1f–%.1f%%); the sizes' medians %.1f%%; the registry's extra median %+.3f s",
		memTableNames(sizes), pairs/len(sizes), pairs, median(p6), slices.Min(p6), slices.Max(p6), meds, median(x))
}

// memTables is DANCU_BENCH_LOAD_MEMTABLES ("64MiB,96MiB,128MiB": sizes
// with a unit of KiB, MiB, GiB, KB, MB or GB, or bytes): the registry's
// memtables the paired rounds run with, in turn, each size
// DANCU_BENCH_LOAD_PAIRS times. The memtable sets when the store flushes
// and so which compactions run: for one build and one size the schedule
// is the same in every pair, and a change of either reshuffles it (cov20:
// the registry's extra follows the bytes compacted, ~0.04 s a MB), so a
// figure over one size is one draw of it. Unset: one size, the
// registry's default (0 here: registry.DefaultMemTableBytes, which
// GOMEMLIMIT raises).
func memTables(t testing.TB) []int64 {
	v := os.Getenv("DANCU_BENCH_LOAD_MEMTABLES")
	if v == "" {
		return []int64{0}
	}
	var out []int64
	for _, f := range strings.Split(v, ",") {
		n, err := parseBytes(strings.TrimSpace(f))
		if err != nil || n < 1<<20 {
			t.Fatalf("DANCU_BENCH_LOAD_MEMTABLES: %q is not a size of at least 1MiB (64MiB, 96MiB, …)", f)
		}
		out = append(out, n)
	}
	return out
}

// parseBytes reads "96MiB", "100MB", "1GiB" or a number of bytes.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("not a size: %q", s)
	}
	return n * mult, nil
}

// memTableName names a memtable of memTables ("96MiB"; the default's
// size when 0).
func memTableName(n int64) string {
	if n == 0 {
		return fmt.Sprintf("%dMiB (default)", registry.DefaultMemTableBytes()>>20)
	}
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprint(n, "B")
}

func memTableNames(sizes []int64) string {
	var names []string
	for _, n := range sizes {
		names = append(names, memTableName(n))
	}
	return strings.Join(names, ", ")
}

// median is the median of x (the mean of the middle two when even).
func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(x))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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
	w, c := time.Now(), cputime.Process()
	err := s.Sink.Write(ctx, b)
	s.wall, s.cpu = s.wall+time.Since(w), s.cpu+cputime.Process()-c
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

// gcCount is the number of collections the process has run.
func gcCount() uint32 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}

// spill writes msgs (their kind header and value) to a file of the
// test's and returns its path, for unspill.
func spill(t testing.TB, msgs []kafka.Message) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "backlog-*")
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	var b []byte
	for _, m := range msgs {
		kind := ""
		for _, h := range m.Headers {
			if h.Key == pipelines.HeaderKind {
				kind = string(h.Value)
			}
		}
		b = binary.AppendUvarint(b[:0], uint64(len(kind)))
		b = append(b, kind...)
		b = binary.AppendUvarint(b, uint64(len(m.Value)))
		w.Write(b)
		w.Write(m.Value)
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// unspill reads the messages spill wrote to path.
func unspill(t testing.TB, path string) []kafka.Message {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var msgs []kafka.Message
	for {
		n, err := binary.ReadUvarint(r)
		if errors.Is(err, io.EOF) {
			return msgs
		}
		kind := make([]byte, n)
		if err == nil {
			_, err = io.ReadFull(r, kind)
		}
		if err == nil {
			n, err = binary.ReadUvarint(r)
		}
		v := make([]byte, n)
		if err == nil {
			_, err = io.ReadFull(r, v)
		}
		if err != nil {
			t.Fatalf("backlog %s: %v", path, err)
		}
		msgs = append(msgs, kafka.Message{Value: v, Headers: []kafka.Header{{Key: pipelines.HeaderKind, Value: kind}}})
	}
}

func TestMemTablesParse(t *testing.T) {
	t.Setenv("DANCU_BENCH_LOAD_MEMTABLES", "64MiB, 96MiB,100MB,134217728")
	got := memTables(t)
	want := []int64{64 << 20, 96 << 20, 100e6, 128 << 20}
	if !slices.Equal(got, want) {
		t.Errorf("memTables = %v, want %v", got, want)
	}
	if got := memTableNames(got); got != "64MiB, 96MiB, 100000000B, 128MiB" {
		t.Errorf("memTableNames = %q", got)
	}
	for _, bad := range []string{"64XiB", "MiB", "-5MiB", "1KiB"} {
		if n, err := parseBytes(bad); err == nil && n >= 1<<20 {
			t.Errorf("parseBytes(%q) = %d, want an error or less than 1MiB", bad, n)
		}
	}
	t.Setenv("DANCU_BENCH_LOAD_MEMTABLES", "")
	if got := memTables(t); len(got) != 1 || got[0] != 0 {
		t.Errorf("memTables unset = %v, want the default alone", got)
	}
}

// loadRepeat is DANCU_BENCH_LOAD_REPEAT (default 2): with
// DANCU_BENCH_LOAD_PAIRS, the load pairs (without and with coverage,
// the side that goes first alternating) run for each match pair; the
// pair's load stage is their mean. A load round is ~3 s of CPU where a
// match pair is ~25 s, and its CPU moves by ±10% from round to round.
func loadRepeat(t testing.TB) int {
	n := envInt("DANCU_BENCH_LOAD_REPEAT", 2)
	if n < 1 {
		t.Fatalf("DANCU_BENCH_LOAD_REPEAT=%d: want at least 1", n)
	}
	return n
}

// engineCPUOf is the CPU the engine's queries have used so far
// (system.events' OSCPUVirtualTimeMicroseconds: the threads that ran
// them, views and inserts included; not its background merges).
func engineCPUOf(t testing.TB, conn driver.Conn) time.Duration {
	t.Helper()
	var us uint64
	if err := conn.QueryRow(context.Background(), "SELECT toUInt64(sum(value)) FROM system.events WHERE event = 'OSCPUVirtualTimeMicroseconds'").Scan(&us); err != nil {
		t.Fatal(err)
	}
	return time.Duration(us) * time.Microsecond
}

// loadWait is the load stage's MaxWait in TestLoadSpeed:
// DANCU_BENCH_LOAD_WAIT_MS when set, else (since cov27) ten minutes, so
// that every round flushes by MaxRows (and at the end of the backlog)
// alone, as the stage does on a quiet machine: 3 flushes of 520,000
// rows. With the stage's default (2 s; DANCU_BENCH_LOAD_WAIT_MS=2000) a
// busy machine, fetching fewer than MaxRows in 2 s, flushed 3 to 5 times
// a round, more often with the deltas' messages to read (cov27: 3 and 3
// without, 4 and 5 with, at load 34), and each flush has fixed costs
// (the parts of every table and view), which weighed against coverage
// by the machine's load.
func loadWait() time.Duration {
	if ms := envInt("DANCU_BENCH_LOAD_WAIT_MS", 0); ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return 10 * time.Minute
}

// meanOf is the mean of x (0 when empty).
func meanOf(x []float64) float64 {
	var s float64
	for _, a := range x {
		s += a
	}
	return s / float64(max(len(x), 1))
}

func meanDur(ds []time.Duration) float64 {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s.Seconds() / float64(max(len(ds), 1))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
