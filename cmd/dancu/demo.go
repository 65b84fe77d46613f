package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/pipelines"
)

func newDemoCmd(g *globals) *cobra.Command {
	var (
		persons    int
		seed       int64
		dir        string
		formats    []string
		matchers   int
		stall      time.Duration
		compare    bool
		memLimit   byteSize
		batch      int
		memProfile string
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "run the whole pipeline on a small generated population",
		Long: `Starts an embedded Kafka-protocol broker and the embedded ClickHouse engine
(fetching libchdb with npm when it is not cached), generates a population
with ground truth, imports its spreadsheets and scanned forms into Kafka,
runs the match and load stages into ClickHouse and prints coverage by
province. Everything lives in --dir, which is emptied first; nothing else
needs to be running.

With --matchers K (K ≥ 1) the match stage is scaled out: it hands the
scoring to K score instances (in this process, each holding a share of the
12 partitions of dancu.blocking, as K "dancu run --stages score" processes
would) and clusters their edges. For the same arrival order of the records
the persons are the same for any K and any micro-batch size: the
"partition digest" line (a hash of which records are together) is then the
same for --matchers 1 and --matchers 2. The order in which the match stage
meets the records of dancu.records' partitions follows timing, and a block
larger than its rule's max_block compares a new record with its nearest
members among those that came before it, so two runs may differ by a
person or so at a million records (docs/registry-rounds.md, det1).

The demo waits for the stages to drain for as long as they make progress:
it gives up only when no stage has moved for --stall (default 5m), so a
population of any size can be measured (--persons 550000 is about a million
records). With --compare-link it then runs offline "dancu link" (a child
process, default settings) on the same source files and prints both wall
times, the ratio, both CPU times and peak memories.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				dir = filepath.Join(g.home, "demo")
			}
			if matchers < 0 || matchers > kafkax.BlockingPartitions {
				return fmt.Errorf("--matchers %d: want 0 (scoring in the match stage) to %d (one per partition)", matchers, kafkax.BlockingPartitions)
			}
			if batch < 0 {
				return fmt.Errorf("--match-batch %d: want 0 (the match stage's default) or more", batch)
			}
			applyMemoryLimit(memLimit)
			return runDemo(cmd.Context(), g, demoOptions{persons: persons, seed: seed, dir: dir, formats: formats,
				matchers: matchers, stall: stall, compareLink: compare, matchBatch: batch, memProfile: memProfile})
		},
	}
	cmd.Flags().IntVar(&persons, "persons", 2000, "persons to generate")
	cmd.Flags().Int64Var(&seed, "seed", 1, "generator seed")
	cmd.Flags().StringVar(&dir, "dir", "", "working directory, emptied first (default <home>/demo)")
	cmd.Flags().StringSliceVar(&formats, "formats", []string{"csv", "xlsx", "jsonl"}, "source formats to generate and import")
	cmd.Flags().IntVar(&matchers, "matchers", 0, "score instances of the scaled-out match stage (0: the match stage scores itself)")
	cmd.Flags().DurationVar(&stall, "stall", 5*time.Minute, "give up when no stage has made progress for this long while draining")
	cmd.Flags().BoolVar(&compare, "compare-link", false, "afterwards, time offline dancu link on the same files and print the pipeline's wall time against it")
	cmd.Flags().Var(&memLimit, "memory-limit", "soft memory limit for the Go runtime, e.g. 4GiB (GOGC 400 under it; the registry sizes its caches from it); 0 = the runtime's defaults")
	cmd.Flags().IntVar(&batch, "match-batch", 0, matchBatchUsage)
	cmd.Flags().StringVar(&memProfile, "memprofile", "", "write the allocations profile (pprof allocs, -sample_index=alloc_space; the generation's included, under internal/synth) once drained to this file")
	return cmd
}

// demoOptions are the flags of dancu demo.
type demoOptions struct {
	persons     int
	seed        int64
	dir         string
	formats     []string
	matchers    int
	stall       time.Duration // give up draining after this long without progress
	compareLink bool
	matchBatch  int    // MatchConfig.MaxRecords (0: its default)
	memProfile  string // write the allocations profile here once drained
}

func runDemo(ctx context.Context, g *globals, o demoOptions) error {
	persons, seed, dir, formats, matchers := o.persons, o.seed, o.dir, o.formats, o.matchers
	if o.stall <= 0 {
		o.stall = 5 * time.Minute
	}
	out := g.stdout
	log := newLogger(g)
	if err := demoDirClearable(dir); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("demo: clear %s: %w", dir, err)
	}
	if err := privateDir(g.stderr, dir); err != nil {
		return err
	}

	// 1. The ClickHouse engine, served on its HTTP interface.
	libPath, err := ensureLibchdb(ctx, g, true)
	if err != nil {
		return err
	}
	eng, err := chdb.Open(chdb.Config{DataDir: filepath.Join(dir, "clickhouse"), LibPath: libPath})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer eng.Close()
	srv, err := chdb.Listen(eng, "127.0.0.1:0", chdb.HandlerConfig{Logger: log})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer srv.Close(context.WithoutCancel(ctx))
	fmt.Fprintf(out, "ClickHouse %s (embedded) on http://%s\n", chdb.LibVersion, srv.Addr())

	// 2. The Kafka-protocol broker.
	b, err := broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0", DataDir: filepath.Join(dir, "kafka")})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer b.Close()
	brokers := []string{b.Addr()}
	fmt.Fprintf(out, "Kafka broker (embedded) on %s\n", b.Addr())

	conn, err := chstore.Open(ctx, chstore.Config{Addr: srv.Addr()})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer conn.Close()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		return fmt.Errorf("demo: %w", err)
	}

	// 3. A population with ground truth.
	srcDir := filepath.Join(dir, "sources")
	m, err := synth.Generate(ctx, synth.Config{Persons: persons, Seed: seed, OutDir: srcDir, Formats: formats})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(out, "generated %d persons in %d households: %d source records in %s\n", m.Persons, m.Households, m.Records, srcDir)

	// 4. The match and load stages, in the background.
	// The match stage links through the identity registry (on disk under
	// the demo directory) with the embedded trained model.
	stages := pipelines.StagesConfig{Brokers: brokers, Conn: conn, Match: true, Load: true,
		Enrich: pipelines.ResolveAddresses, RegistryDir: filepath.Join(dir, "registry"), Logger: log,
		MatchConfig: pipelines.MatchConfig{MaxRecords: o.matchBatch}}
	sctx, stopStages := context.WithCancel(ctx)
	defer stopStages()
	stagesDone := make(chan error, 1+matchers)
	running := 1 // goroutines that send to stagesDone
	// The wait for the stages to drain (step 6) ends as soon as one of
	// them fails, with its error, rather than after --stall.
	wctx, cancelWait := context.WithCancelCause(ctx)
	defer cancelWait(nil)
	stageEnded := func(err error) {
		if err != nil && !errors.Is(err, context.Canceled) {
			cancelWait(fmt.Errorf("a stage stopped: %w", err))
		}
		stagesDone <- err
	}
	if matchers > 0 {
		// Scaled out: K score instances, the first in the stages' process.
		stages.ScaleOut, stages.Score = true, true
		stages.ScoreConfig = pipelines.ScoreConfig{Dir: filepath.Join(dir, "score"), Instance: 0, Instances: matchers}
		for i := 1; i < matchers; i++ {
			sc := pipelines.ScoreConfig{Brokers: brokers, Dir: filepath.Join(dir, "score"), Instance: i, Instances: matchers, Logger: log}
			go func() { stageEnded(pipelines.RunScore(sctx, sc, nil)) }()
			running++
		}
		fmt.Fprintf(out, "match stage scaled out: %d score instances over the %d partitions of %s\n", matchers, kafkax.BlockingPartitions, kafkax.TopicBlocking)
	}
	st := new(pipelines.StageStats)
	go func() { stageEnded(pipelines.RunStages(sctx, stages, st)) }()

	// 5. Import every source file.
	start, startCPU := time.Now(), cputime.Process()
	startAllocs, startMemo := readAllocs(), address.Stats()
	threads := startThreadTimes()
	var sources []string // the files imported, for --compare-link
	var read, accepted, rejected int64
	for _, f := range m.Files {
		if !f.IsSource() {
			continue
		}
		sd, err := f.Date()
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		opts := ingest.Options{SourceDate: sd}
		sources = append(sources, filepath.Join(srcDir, f.Name))
		src, err := ingest.Open(filepath.Join(srcDir, f.Name), opts)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		st, err := pipelines.Import(ctx, pipelines.ImportConfig{Brokers: brokers, Enrich: pipelines.ResolveAddresses}, src, nil)
		src.Close()
		if err != nil {
			return fmt.Errorf("demo: import %s: %w", f.Name, err)
		}
		fmt.Fprintf(out, "imported %-28s rows %6d = accepted %6d + rejected %4d\n", f.Name, st.Read, st.Accepted, st.Rejected)
		read += st.Read
		accepted += st.Accepted
		rejected += st.Rejected
	}

	imported := time.Since(start)

	// 6. Wait until ClickHouse has everything, then stop the stages. The
	// wait lasts as long as the stages make progress and none has failed.
	fmt.Fprintf(out, "imported in %.1fs (%.0f rows/s); matching and loading …\n", imported.Seconds(), float64(read)/imported.Seconds())
	stopWatch := watchProgress(st, o.stall, cancelWait)
	err = pipelines.WaitDrained(wctx, stages, 0)
	stopWatch()
	if err != nil && context.Cause(wctx) != nil && !errors.Is(context.Cause(wctx), context.Canceled) {
		err = fmt.Errorf("%w (%w)", err, context.Cause(wctx))
	}
	cancelWait(nil)
	stopStages()
	for i := 0; i < running; i++ {
		if serr := <-stagesDone; serr != nil && !errors.Is(serr, context.Canceled) {
			return fmt.Errorf("demo: %w", serr)
		}
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}

	elapsed, pipelineCPU := time.Since(start), cputime.Process()-startCPU
	allocs, memo := readAllocs().since(startAllocs), address.Stats()
	byThread := threads.Stop()
	if o.memProfile != "" {
		if err := writeAllocs(o.memProfile); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	engStats, srvStats := eng.Stats(), srv.Stats()

	// 7. Coverage.
	rep, err := coverage.Compute(ctx, conn, coverage.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Coverage by province (pre-2025 provinces; `dancu coverage --era new` for the 34 since 1 July 2025):")
	if err := rep.WriteTable(out, false); err != nil {
		return err
	}
	truth := map[string]string{}
	if err := readTruth(filepath.Join(srcDir, "truth.csv"), nil, truth); err == nil {
		pred, err := pipelines.SourceClusters(ctx, conn)
		if err != nil {
			return err
		}
		mt := eval.Clusters(truth, pred)
		fmt.Fprintf(out, "\nmatching against the generator's truth: %d persons generated, %d found; pairwise precision %.4f recall %.4f F1 %.4f (B-cubed F1 %.4f)\n",
			m.Persons, rep.Total.Persons, mt.Precision, mt.Recall, mt.F1, mt.BCubedF1)
		fmt.Fprintf(out, "partition digest %s (which records are together, whatever the person ids; for one arrival order of the records the same for any --matchers)\n", partitionDigest(pred))
	}
	var conflicts uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM conflicts FINAL").Scan(&conflicts); err != nil {
		return err
	}
	fmt.Fprintf(out, "conflicts raised for review: %d (planted in the sources: %s)\n", conflicts, plantedText(m.Conflicts))
	check := "✓"
	if rep.Total.Records != accepted || int64(rep.Rejects) != rejected || int64(m.Records) != read {
		check = "✗ MISMATCH"
	}
	fmt.Fprintf(out, "\ngenerated records %d − rejected %d = %d; records in ClickHouse %d %s\n",
		m.Records, rejected, int64(m.Records)-rejected, rep.Total.Records, check)
	cpu := cputime.Process()
	fmt.Fprintf(out, "file → Kafka → match → ClickHouse: %d rows in %.1fs = %.0f rows/s (import %.1fs, drain %.1fs after it); CPU %.1fs from the first import to drained (%.0f µs a row, broker and ClickHouse included); process CPU %.1fs (generation and the report too); peak memory (VmHWM) %s\n",
		read, elapsed.Seconds(), float64(read)/elapsed.Seconds(), imported.Seconds(), (elapsed - imported).Seconds(),
		pipelineCPU.Seconds(), float64(pipelineCPU.Microseconds())/float64(max(read, 1)), cpu.Seconds(), peakRSS())
	fmt.Fprintf(out, "until drained: match stage %d micro-batches; load stage %d flushes (%d of rejects); ClickHouse %d statements, %d inserts of %.1f MB, %d rows written\n",
		st.Match.Batches.Load(), st.LoadMatched.Flushes.Load()+st.LoadRejects.Flushes.Load(), st.LoadRejects.Flushes.Load(),
		engStats.Queries, srvStats.Inserts, float64(srvStats.InsertBytes)/1e6, engStats.RowsWritten)
	fmt.Fprintf(out, "Go heap from the first import to drained: %.0f MB allocated (%.1f kB, %.0f objects a row), %s; address cache %s\n",
		float64(allocs.bytes)/1e6, float64(allocs.bytes)/1e3/float64(max(read, 1)), float64(allocs.objects)/float64(max(read, 1)), allocs.gcText(),
		memoText(memo, startMemo))
	if t := engineThreadsText(byThread); t != "" {
		fmt.Fprintf(out, "of that CPU, the engine's own threads: %s (its queries run on the callers' threads and count with the process's)\n", t)
	}
	if check != "✓" {
		return fmt.Errorf("demo: records in ClickHouse (%d) do not equal generated records minus rejects (%d)", rep.Total.Records, int64(m.Records)-rejected)
	}
	if o.compareLink {
		return compareLink(ctx, g, dir, sources, elapsed)
	}
	return nil
}

// watchProgress cancels with an error when the stages' counters have not
// moved for stall; the returned func stops watching.
func watchProgress(st *pipelines.StageStats, stall time.Duration, cancel context.CancelCauseFunc) func() {
	progress := func() int64 {
		return st.Match.Records.Load() + st.Match.Batches.Load() + st.LoadMatched.Messages.Load() + st.LoadRejects.Messages.Load() +
			st.Score.Items.Load() + st.Score.Batches.Load() + st.DeadLetters()
	}
	done := make(chan struct{})
	go func() {
		last, since := progress(), time.Now()
		tick := time.NewTicker(min(time.Second, stall))
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if p := progress(); p != last {
				last, since = p, time.Now()
			} else if time.Since(since) >= stall {
				cancel(fmt.Errorf("no stage made progress for %v (--stall)", stall))
				return
			}
		}
	}()
	return func() { close(done) }
}

// compareLink times offline dancu link, in a child process with the
// default settings, on the files the pipeline imported, and prints its
// wall time, CPU and peak memory against the pipeline's wall time.
func compareLink(ctx context.Context, g *globals, dir string, sources []string, pipeline time.Duration) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("demo: --compare-link: %w", err)
	}
	args := []string{"--home", g.home, "link", "--out", filepath.Join(dir, "link-clusters.csv")}
	for _, s := range sources {
		args = append(args, "--in", s)
	}
	fmt.Fprintf(g.stdout, "\noffline: dancu link on the same %d files …\n", len(sources))
	cmd := exec.CommandContext(ctx, exe, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("demo: --compare-link: dancu link: %w", err)
	}
	// The child's rusage counts the parent's memory at the fork, so its
	// peak is read from /proc while it runs.
	peak := "unknown"
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			if v := procHWM(status); v != "" {
				peak = v
			}
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	err = cmd.Wait()
	wall := time.Since(start)
	close(done)
	<-watched
	if err != nil {
		return fmt.Errorf("demo: --compare-link: dancu link: %w\n%s", err, stderr.String())
	}
	cpu := "unknown"
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		cpu = fmt.Sprintf("%.1fs", (time.Duration(ru.Utime.Nano()) + time.Duration(ru.Stime.Nano())).Seconds())
	}
	fmt.Fprintf(g.stdout, "offline dancu link: %.1fs wall, CPU %s, peak memory %s; the pipeline took %.2f× its wall time (target ≤ 1.3×)\n",
		wall.Seconds(), cpu, peak, pipeline.Seconds()/wall.Seconds())
	return nil
}

// engineThreadsText says the CPU time of the threads not named as the
// process (the embedded ClickHouse's: MergeMutate are its merges), the
// largest first: "2.1s (MergeMutate 1.6s, RuntimeData 0.3s, …)", or "".
func engineThreadsText(by map[string]time.Duration) string {
	var names []string
	var total time.Duration
	for name, d := range by {
		if name != "" && d > 0 {
			names = append(names, name)
			total += d
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Slice(names, func(i, j int) bool {
		if by[names[i]] != by[names[j]] {
			return by[names[i]] > by[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, 0, 4)
	for i, name := range names {
		if i == 4 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%s %.1fs", name, by[name].Seconds()))
	}
	return fmt.Sprintf("%.1fs (%s)", total.Seconds(), strings.Join(parts, ", "))
}

// peakRSS reads the process's peak resident set size from /proc.
func peakRSS() string {
	if v := procHWM("/proc/self/status"); v != "" {
		return v
	}
	return "unknown"
}

// procHWM is the VmHWM line of a /proc status file ("1008124 kB"), or ""
// when it cannot be read (the process has exited).
func procHWM(status string) string {
	b, err := os.ReadFile(status)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// plantedText says the generator's planted conflicts in words, kinds in
// a fixed order: "12 shared ID numbers, 3 two ID numbers" or "none".
func plantedText(planted map[string]int) string {
	kinds := make([]string, 0, len(planted))
	total := 0
	for k, n := range planted {
		if n > 0 {
			kinds = append(kinds, k)
			total += n
		}
	}
	if total == 0 {
		return "none"
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", planted[k], strings.ReplaceAll(k, "_", " "))
	}
	return fmt.Sprintf("%d — %s", total, strings.Join(parts, ", "))
}

// partitionDigest hashes a partition of records (record → cluster):
// each cluster's sorted records, the clusters sorted. Two runs that put
// the same records together give the same digest.
func partitionDigest(pred map[string]string) string {
	groups := map[string][]string{}
	for rec, c := range pred {
		groups[c] = append(groups[c], rec)
	}
	lines := make([]string, 0, len(groups))
	for _, recs := range groups {
		sort.Strings(recs)
		lines = append(lines, strings.Join(recs, "\x00"))
	}
	sort.Strings(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(h[:8])
}

// demoDirClearable refuses to empty a --dir that holds anything a demo
// does not write (user23: "dancu demo --dir ~" or "--dir ." removed the
// home directory or the clone without a word). A directory missing,
// empty, or holding only what a demo left is cleared.
func demoDirClearable(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: --dir %s: %w", dir, err)
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "clickhouse", name == "kafka", name == "sources", name == "score",
			name == "registry", strings.HasPrefix(name, "registry."), strings.HasPrefix(name, "link-"):
		default:
			return fmt.Errorf("demo: --dir %s holds %q, which no demo wrote: the demo empties its directory at each run, so give it a new or empty one", dir, name)
		}
	}
	return nil
}

// goAllocs are the Go runtime's counters of allocation since the start
// and the process's minor page faults (each first touch of a page of
// fresh memory: under GOGC 400 the heap's growth costs them). The
// runtime's estimate of the collector's CPU (/cpu/classes/gc) is not
// told: it counts the time its workers hold a P, which on a loaded
// machine is not CPU (3.6–4.0 s for 0.3 s under perf in the 100k demo at
// load 25, pipe19).
type goAllocs struct {
	bytes, objects, cycles uint64
	faults                 int64 // minor page faults, -1 when unknown
}

// readAllocs reads the runtime's cumulative allocation counters.
func readAllocs() goAllocs {
	ss := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/allocs:objects"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(ss)
	var a goAllocs
	for i, p := range []*uint64{&a.bytes, &a.objects, &a.cycles} {
		if ss[i].Value.Kind() == metrics.KindUint64 {
			*p = ss[i].Value.Uint64()
		}
	}
	a.faults = minorFaults("/proc/self/stat")
	return a
}

// since is a less the counters of an earlier reading b.
func (a goAllocs) since(b goAllocs) goAllocs {
	d := goAllocs{a.bytes - b.bytes, a.objects - b.objects, a.cycles - b.cycles, a.faults - b.faults}
	if a.faults < 0 || b.faults < 0 {
		d.faults = -1
	}
	return d
}

// gcText tells the collections and the page faults of a reading made by
// since.
func (a goAllocs) gcText() string {
	s := fmt.Sprintf("%d collections", a.cycles)
	if a.faults >= 0 {
		s += fmt.Sprintf(", %d minor page faults", a.faults)
	}
	return s
}

// minorFaults is the minflt field of a /proc stat file (the tenth: the
// process's minor page faults), -1 when it cannot be read.
func minorFaults(stat string) int64 {
	b, err := os.ReadFile(stat)
	if err != nil {
		return -1
	}
	// the command's name, in parentheses, may hold spaces: count the
	// fields after its closing one (the third field is the state)
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 8 {
		return -1
	}
	n, err := strconv.ParseInt(f[7], 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// memoText tells the address cache's work between two readings: the
// lookups it answered and the searches run.
func memoText(now, before address.MemoStats) string {
	hits, misses, searches := now.Hits-before.Hits, now.Misses-before.Misses, now.Searches-before.Searches
	if hits+misses == 0 {
		return "not asked"
	}
	return fmt.Sprintf("%d lookups, %.1f%% answered, %d searches", hits+misses, 100*float64(hits)/float64(hits+misses), searches)
}
