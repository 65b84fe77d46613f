package coverage_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// BenchmarkMatchStage times the match stage alone (matchStage: a real
// registry linking LoadSpeed's records in micro-batches and encoding its
// output as messages) with coverage off and on, without ClickHouse or a
// broker: the registry's extra for coverage, which point 6 counts
// against coverage, is the difference of the two sub-benchmarks'
// cpu-s/op (user + system CPU of the process, the store's flushes and
// compactions included: Close waits for them). One op links
// DANCU_BENCH_LOAD_FILES × DANCU_BENCH_LOAD_ROWS records (default
// 200,000) into a fresh store; DANCU_BENCH_LOAD_SPREAD applies. Compare
// with benchstat over -count runs:
//
//	go test ./coverage -run '^$' -bench 'MatchStage$' -benchtime 1x -count 4
//
// On a shared machine one run's CPU time swings by a second or more
// either way; BenchmarkMatchStagePaired measures the difference with
// less noise.
func BenchmarkMatchStage(b *testing.B) {
	files, rows := envInt("DANCU_BENCH_LOAD_FILES", 20), envInt("DANCU_BENCH_LOAD_ROWS", 10_000)
	recs := benchRecords(files, rows, loadUnits())
	for _, cov := range []bool{false, true} {
		b.Run(fmt.Sprintf("coverage=%v", cov), func(b *testing.B) {
			var cpu time.Duration
			var msgs int
			for i := 0; i < b.N; i++ {
				dir := filepath.Join(b.TempDir(), fmt.Sprint("registry-", i))
				runtime.GC()
				m, _, _, c, _ := matchStage(b, dir, recs, cov, nil)
				os.RemoveAll(dir)
				cpu += c
				msgs = len(m)
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*len(recs)), "cpu-µs/record")
			b.ReportMetric(float64(msgs), "messages")
		})
	}
}

// BenchmarkMatchStagePaired measures the registry's extra CPU for
// coverage as paired differences: two registries, coverage off and on,
// are given the same micro-batches in turn (which one goes first
// alternates from batch to batch), and each turn is timed from the Add
// until the store's flushes and compactions it started are done
// (Stats.InProgress back to zero), the output's messages encoded, as
// matchStage does. The load of a shared machine then weighs on both
// sides of each pair alike, where two whole runs a minute apart may
// differ by seconds. It reports both sides' CPU per op (all batches,
// the closing of the stores included), the extra per op and per record,
// the spread of the per-batch differences (their standard deviation,
// times √batches: the noise of the op's extra), and three extras that do
// not depend on the machine's load: the bytes allocated, the bytes the
// stores' flushes and compactions wrote (which depend on when the
// compactions ran), and of those the flushes' (which do not: what the
// side with coverage adds to its store, batch by batch; round 14: at
// 200,000 records the store is level 0 above one level, each compaction
// of level 0 rewrites that level whole, and which side's last flushes
// are left to the closing compaction moves the bytes written by tens of
// MB either way). Which batch's turn pays for a compaction differs
// between the two stores, and so does the compaction debt left when
// they close: the per-batch differences spread by a second or more, and
// the sum over the op still swings by about as much (round 7: ±2–3 s
// at load 4–9) — a CPU profile of the run tells the coverage code's own
// share with less noise.
//
// With DANCU_BENCH_SETTLE=1 each store is compacted whole before it
// closes (Registry.Compact, counted in its side's CPU), so that neither
// side leaves compaction debt the other paid: which compactions run
// within the op depends on when each store's levels fill, not on what
// was written (round 9: in every run one batch's turn cost the side
// without coverage 1.5–1.8 s more than the other side's, a compaction,
// and that side wrote 12–18 MB more than the side with coverage;
// settled, the side with coverage writes 57 MB more, every run). With DANCU_BENCH_CPUPROFILE=dir each turn is
// profiled apart (profileTurn), so that each side's profile is its own.
// With DANCU_BENCH_LOAD_MEMTABLES (as in TestLoadSpeed) op i runs with
// the i-th memtable size, in turn, and logs each op's bytes: with
// -benchtime 3x and three sizes, one pair a size. Since cov27 each turn
// ends with a collection counted in it, the collector off within the
// turn (gcMode "turn"; DANCU_BENCH_GC=free for the collector as it
// would run, DANCU_BENCH_GC=split for cov24's split by bytes allocated).
//
//	go test ./coverage -run '^$' -bench MatchStagePaired -benchtime 1x -count 3
//	DANCU_BENCH_SETTLE=1 DANCU_BENCH_CPUPROFILE=/tmp/p go test ./coverage -run '^$' -bench MatchStagePaired -benchtime 1x
//	go tool pprof -top -diff_base <(go tool pprof -proto coverage.test /tmp/p/off-*.prof) <(go tool pprof -proto coverage.test /tmp/p/on-*.prof)
func BenchmarkMatchStagePaired(b *testing.B) {
	files, rows := envInt("DANCU_BENCH_LOAD_FILES", 20), envInt("DANCU_BENCH_LOAD_ROWS", 10_000)
	recs := benchRecords(files, rows, loadUnits())
	warmUp(b, recs)
	var off, on, noise float64
	settleStores := os.Getenv("DANCU_BENCH_SETTLE") != ""
	var alloc, written, flushed [2]uint64 // bytes allocated; bytes the stores' flushes and compactions wrote; of which flushes
	sizes := memTables(b)
	for i := 0; i < b.N; i++ {
		mt := sizes[i%len(sizes)]
		p := pairedMatch(b, filepath.Join(b.TempDir(), fmt.Sprint("pair-", i)), recs, 0, settleStores, false, nil, mt, profileTurn)
		b.Logf("pair %d, memtable %s: the registry's extra %+.3f s CPU; the stores' flushes wrote %.1f / %.1f MB, flushes and compactions %.1f / %.1f MB (coverage off / on); %s",
			i, memTableName(mt), (p.cpu[1] - p.cpu[0]).Seconds(), float64(p.flushed[0])/1e6, float64(p.flushed[1])/1e6,
			float64(p.written[0])/1e6, float64(p.written[1])/1e6, p.gcLine())
		off, on = off+p.cpu[0].Seconds(), on+p.cpu[1].Seconds()
		for c := range 2 {
			alloc[c] += p.alloc[c]
			written[c] += p.written[c]
			flushed[c] += p.flushed[c]
		}
		noise += stddev(p.diffs) * math.Sqrt(float64(len(p.diffs)))
		slices.Sort(p.diffs)
		b.Logf("per-batch extra (s): %.3f", p.diffs)
	}
	n := float64(b.N)
	b.ReportMetric(off/n, "off-cpu-s/op")
	b.ReportMetric(on/n, "on-cpu-s/op")
	b.ReportMetric((on-off)/n, "extra-cpu-s/op")
	b.ReportMetric((on-off)/n/float64(len(recs))*1e6, "extra-cpu-µs/record")
	b.ReportMetric(noise/n, "extra-noise-s/op")
	b.ReportMetric((float64(alloc[1])-float64(alloc[0]))/n/1e6, "extra-alloc-MB/op")
	b.ReportMetric((float64(written[1])-float64(written[0]))/n/1e6, "extra-written-MB/op")
	b.ReportMetric((float64(flushed[1])-float64(flushed[0]))/n/1e6, "extra-flushed-MB/op")
}

// warmUp links a few of recs once, in a registry thrown away: the first
// Add of the process loads what every later one uses (the adapter's
// tables, the compiled comparisons), whichever side it is.
func warmUp(t testing.TB, recs []schemas.Record) {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	warm, err := registry.Open(registry.Config{Dir: filepath.Join(t.TempDir(), "warm-up"), Settings: s, NoCoverage: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := warm.AddRecords(context.Background(), registry.NewRecords(), recs[:min(2_000, len(recs))]); err != nil {
		t.Fatal(err)
	}
	if err := warm.Close(); err != nil {
		t.Fatal(err)
	}
}

// pairRound is one round of the match stage run by pairedMatch: each
// side's (coverage off, on) messages (when kept), CPU, bytes allocated
// and bytes its store's flushes and compactions wrote, and the per-batch
// differences of CPU (on − off, seconds).
type pairRound struct {
	msgs           [2][]kafka.Message
	rows           int // rows of records, persons and links (the same both sides)
	cpu, wall      [2]time.Duration
	alloc, written [2]uint64
	flushed        [2]uint64 // of written, by the memtables' flushes
	diffs          []float64
	// cycles are the collections that ended in each side's turns (cov24:
	// the process's collections serve both registries, and which turn a
	// cycle ends in moved a pair's extra by ~0.15 s a cycle); gc is the
	// CPU of the collections gcMode "split" or "turn" ran, charged to
	// each side (zero with "free").
	cycles [2]uint64
	gc     [2]time.Duration
}

// gcMode is how pairedMatch runs the collector (DANCU_BENCH_GC), so that
// a pair's sides pay for their own garbage and not for the cycles that
// happened to end in their turns (cov24: r = 0.97 between a pair's extra
// and the difference of the cycles ended in its sides' turns, ~0.19 s a
// cycle):
//
//   - "turn" (the default since cov27): the collector is off during the
//     turns, and each turn ends with a collection counted in the turn
//     (after its Add, its messages and its store's flushes and
//     compactions; the closing's too). Both sides start every turn from
//     a collected heap and collect their own garbage at the same point;
//     the heap's high water is the live heap and one turn's garbage.
//   - "split" (DANCU_BENCH_GC_SPLIT=1, cov24): the collector off during
//     the turns, one collection after each batch's two turns, its CPU
//     charged to the sides in proportion to the bytes each allocated.
//   - "free": the collector runs as it would (the measure before cov27).
func gcMode() string {
	switch v := os.Getenv("DANCU_BENCH_GC"); v {
	case "turn", "split", "free":
		return v
	}
	if os.Getenv("DANCU_BENCH_GC_SPLIT") != "" {
		return "split"
	}
	return "turn"
}

// gcSplit is gcMode() == "split".
func gcSplit() bool { return gcMode() == "split" }

// gcCycles is the number of collections the process has finished.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// pairedMatch links recs in dir with two registries, coverage off and
// on, given the same micro-batches in turn: which side goes first
// alternates from batch to batch (first: the side of the first batch's
// first turn), and each turn is timed from its Add until the store's
// flushes and compactions it started are done (Stats.InProgress back to
// zero), the output encoded as the match stage writes it (appendMatched,
// only the deltas of kinds when set; kept when keep). Then each store is
// closed, after a whole compaction when settle (Registry.Compact: no
// compaction debt left that the other side paid), counted in its side.
// The load of a shared machine weighs on both sides of each pair alike.
// turn, when set, is called at the start of each turn (side "off" or
// "on", the batch's number, 999 for the closing) and returns what ends
// it (profileTurn). memTable, when positive, is both stores' memtable
// (registry.Config.MemTableBytes; else the default): it sets when the
// stores flush and so which compactions run (memTables).
func pairedMatch(t testing.TB, dir string, recs []schemas.Record, first int, settle, keep bool, kinds map[string]bool,
	memTable int64, turn func(testing.TB, string, int) func()) pairRound {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	ctx := context.Background()
	sides := [2]string{"off", "on"}
	if turn == nil {
		turn = func(testing.TB, string, int) func() { return func() {} }
	}
	var regs [2]*registry.Registry // coverage off, on
	for c := range regs {
		regs[c], err = registry.Open(registry.Config{Dir: filepath.Join(dir, sides[c]), Settings: s,
			Now: func() time.Time { return now }, NoCoverage: c == 0, MemTableBytes: memTable})
		if err != nil {
			t.Fatal(err)
		}
	}
	ad := registry.NewRecords()
	var p pairRound
	runtime.GC()
	mode := gcMode()
	split, perTurn := mode == "split", mode == "turn"
	if split || perTurn {
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}
	// ownGC, with gcMode "turn", collects the garbage of the turn that
	// just ran, counted in it (and in p.gc for the printout).
	ownGC := func(c int) {
		if perTurn {
			c0 := cputime.Process()
			runtime.GC()
			p.gc[c] += cputime.Process() - c0
		}
	}
	// collect, with gcSplit, collects the garbage of the turns since the
	// last (allocated the bytes each side allocated in them) and charges
	// its CPU to the sides by their shares.
	collect := func(allocs [2]uint64) (charge [2]time.Duration) {
		if !split {
			return
		}
		c0 := cputime.Process()
		runtime.GC()
		g := cputime.Process() - c0
		if all := allocs[0] + allocs[1]; all > 0 {
			charge[0] = time.Duration(float64(g) * float64(allocs[0]) / float64(all))
			charge[1] = g - charge[0]
		}
		p.gc[0], p.gc[1] = p.gc[0]+charge[0], p.gc[1]+charge[1]
		return
	}
	for n, lo := 0, 0; lo < len(recs); n, lo = n+1, lo+matchBatch {
		batch := recs[lo:min(lo+matchBatch, len(recs))]
		var cpu [2]time.Duration
		var allocs [2]uint64
		for k := range 2 {
			c := (first + n + k) % 2
			stop := turn(t, sides[c], n)
			g0 := gcCycles()
			w0, c0, a0 := time.Now(), cputime.Process(), allocated()
			out, err := regs[c].AddRecords(ctx, ad, batch)
			if err != nil {
				t.Fatal(err)
			}
			msgs, err := appendMatched(p.msgs[c], batch, out, kinds)
			if err != nil {
				t.Fatal(err)
			}
			if keep {
				p.msgs[c] = msgs
			}
			if c == 0 {
				p.rows += len(batch) + len(out.Persons) + len(out.Links)
			}
			allocs[c] = allocated() - a0
			p.alloc[c] += allocs[c]
			for quiet := 0; quiet < 3; {
				if regs[c].Stats().InProgress == 0 {
					quiet++
				} else {
					quiet = 0
				}
				time.Sleep(5 * time.Millisecond)
			}
			ownGC(c)
			cpu[c] = cputime.Process() - c0
			p.wall[c] += time.Since(w0)
			p.cycles[c] += gcCycles() - g0
			stop()
		}
		gc := collect(allocs)
		cpu[0], cpu[1] = cpu[0]+gc[0], cpu[1]+gc[1]
		p.cpu[0], p.cpu[1] = p.cpu[0]+cpu[0], p.cpu[1]+cpu[1]
		p.diffs = append(p.diffs, (cpu[1] - cpu[0]).Seconds())
	}
	var closing [2]uint64 // bytes allocated by each side's closing
	for k := range regs {
		c := (first + k) % 2
		stop := turn(t, sides[c], 999) // the closing
		g0, a0 := gcCycles(), allocated()
		w0, c0 := time.Now(), cputime.Process()
		if settle {
			if err := regs[c].Compact(); err != nil {
				t.Fatal(err)
			}
		}
		st := regs[c].Stats()
		p.written[c], p.flushed[c] = st.Flushed+st.CompactedBytes, st.Flushed
		if err := regs[c].Close(); err != nil {
			t.Fatal(err)
		}
		ownGC(c)
		p.cpu[c] += cputime.Process() - c0
		p.wall[c] += time.Since(w0)
		p.cycles[c] += gcCycles() - g0
		closing[c] = allocated() - a0
		stop()
	}
	gc := collect(closing)
	p.cpu[0], p.cpu[1] = p.cpu[0]+gc[0], p.cpu[1]+gc[1]
	os.RemoveAll(dir)
	return p
}

// gcLine says the collections of a pair: the cycles that ended in each
// side's turns, or with gcSplit the CPU of the collections charged to
// each.
func (p *pairRound) gcLine() string {
	switch gcMode() {
	case "split":
		return fmt.Sprintf("collections after each batch (DANCU_BENCH_GC=split), charged by bytes allocated: %.3f / %.3f s CPU", p.gc[0].Seconds(), p.gc[1].Seconds())
	case "turn":
		return fmt.Sprintf("a collection ending each turn (DANCU_BENCH_GC=turn): %.3f / %.3f s CPU; collections ended in the turns %d / %d", p.gc[0].Seconds(), p.gc[1].Seconds(), p.cycles[0], p.cycles[1])
	}
	return fmt.Sprintf("collections ended in the turns: %d / %d", p.cycles[0], p.cycles[1])
}

// allocated is the bytes the process allocated on the heap so far.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

func stddev(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	var m, v float64
	for _, a := range x {
		m += a
	}
	m /= float64(len(x))
	for _, a := range x {
		v += (a - m) * (a - m)
	}
	return math.Sqrt(v / float64(len(x)-1))
}

// profileTurn starts a CPU profile of one side's turn (batch n) when
// DANCU_BENCH_CPUPROFILE names a directory: side-NNN.prof there, each
// turn's its own, so that the two sides' profiles are apart (the
// registry's workers and the store's goroutines carry no label of the
// turn that woke them). Merge a side's with pprof (go tool pprof -top
// coverage.test dir/on-*.prof) and compare with -diff_base. It returns
// the function that stops the profile.
//
// DANCU_BENCH_MEMPROFILE=dir does the same for allocations: a heap
// profile at the start of each turn (side-NNN-start.prof) and at its end
// (side-NNN.prof), each after a collection, so that a side's allocations
// are the difference of the two merged (go tool pprof -sample_index
// alloc_space -diff_base <starts> <ends>). The collections cost CPU: a
// run with it measures allocations, not time.
func profileTurn(b testing.TB, side string, n int) func() {
	if dir := os.Getenv("DANCU_BENCH_MEMPROFILE"); dir != "" {
		heap := func(name string) {
			runtime.GC()
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				b.Fatal(err)
			}
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
		}
		heap(fmt.Sprintf("%s-%03d-start.prof", side, n))
		return func() { heap(fmt.Sprintf("%s-%03d.prof", side, n)) }
	}
	dir := os.Getenv("DANCU_BENCH_CPUPROFILE")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%03d.prof", side, n)))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
