package chaos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/segmentio/kafka-go"
)

// Processes the harness runs and may kill.
const (
	Broker     = "broker"
	ClickHouse = "clickhouse"
	Run        = "run"
	Import     = "import"
	// Score is the prefix of the score instances' names (score-0 …),
	// run when Config.Matchers is set.
	Score = "score"
	// Load is the prefix of the load processes' names (load-0 …), run
	// when Config.Loaders is set.
	Load = "load"
)

// Config sets up a campaign: one clean run, then Runs runs with Kills
// kills each, all on one generated population.
type Config struct {
	// Binary is the dancu binary (go build -o … ./cmd/dancu). Required.
	Binary string
	// Dir holds the population and the runs' data. Required.
	Dir string
	// Persons in the generated population. Default: 500.
	Persons int
	// Seed of the population and of the kill schedule (which process,
	// when). Run i draws from Seed+i (or FirstRunSeed+i). Default: 1.
	Seed int64
	// FirstRunSeed, when set, seeds the first run's schedule instead of
	// Seed: to repeat run i of a campaign, give its seed here and Runs 1.
	FirstRunSeed int64
	// Runs with kills. Default: 1.
	Runs int
	// Kills per run. Default: 3.
	Kills int
	// Formats of the generated sources. Default: csv, jsonl.
	Formats []string
	// MinGap and MaxGap bound the random wait before each kill (from the
	// start of the imports, then from the previous kill).
	// Defaults: 500ms and 4s.
	MinGap, MaxGap time.Duration
	// BatchRows is the records per Kafka message of the imports: small
	// batches make an import long enough to be killed in. Default: 100.
	BatchRows int
	// RunTimeout bounds one run. Default: 5 minutes.
	RunTimeout time.Duration
	// AimAtCorrection adds to each run with kills one kill aimed at the
	// import of the correction: a random moment within the time it took
	// in the clean run after it starts, a random process then running
	// (the import among them). Without it the kills land where their
	// random gaps fall, and with a small population the imports are
	// over before the first.
	AimAtCorrection bool
	// Baseline adds a second clean run and compares it with the first:
	// how much persons differ between two runs without any kill.
	Baseline bool
	// Matchers, when set, scales the match stage out: `dancu run
	// --scale-out` and that many score instances, each a process of its
	// own (`dancu run --stages score --score-instance i/K`, named
	// score-i), which the harness kills as it does the others. Default:
	// 0, the match stage scores itself.
	Matchers int
	// Loaders, when set, runs the load stage apart: `dancu run` runs the
	// match stage alone (`--stages match`) and that many processes run
	// the load stage (`dancu run --stages load`, named load-i, one
	// consumer group), which the harness kills as it does the others.
	// Default: 0, the load stage runs in the match stage's process and is
	// killed only with it.
	Loaders int
	// SeparateHomes gives each load process (Loaders) a home of its own
	// (--home DIR/load-i/home-N), a new, empty one at each start: a load
	// member on a machine of its own that, killed, never comes back and is
	// replaced by a fresh one. A block of deltas it left unfinished is
	// then finished only by the member its partitions go to, from the
	// share (pipelines' sink_shared.go), never from its home's file.
	// Default: false, every loader in the run's home.
	SeparateHomes bool
	// Keep keeps the runs' data directories.
	Keep bool
	// Log receives progress lines. Default: discarded.
	Log io.Writer
}

func (c Config) withDefaults() (Config, error) {
	if c.Binary == "" || c.Dir == "" {
		return c, errors.New("chaos: Binary and Dir are required")
	}
	if c.Persons <= 0 {
		c.Persons = 500
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Runs <= 0 {
		c.Runs = 1
	}
	if c.Kills < 0 {
		return c, fmt.Errorf("chaos: kills %d: must not be negative", c.Kills)
	}
	if c.Kills == 0 {
		c.Kills = 3
	}
	if c.Matchers < 0 || c.Matchers > kafkax.BlockingPartitions {
		return c, fmt.Errorf("chaos: matchers %d: want 0 to %d", c.Matchers, kafkax.BlockingPartitions)
	}
	if c.Loaders < 0 || c.Loaders > kafkax.DefaultPartitions {
		return c, fmt.Errorf("chaos: loaders %d: want 0 to %d (the partitions of %s)", c.Loaders, kafkax.DefaultPartitions, kafkax.TopicMatched)
	}
	if c.SeparateHomes && c.Loaders == 0 {
		return c, errors.New("chaos: separate homes are the load processes' (Loaders)")
	}
	if len(c.Formats) == 0 {
		c.Formats = []string{"csv", "jsonl"}
	}
	if c.MinGap <= 0 {
		c.MinGap = 500 * time.Millisecond
	}
	if c.MaxGap < c.MinGap {
		c.MaxGap = max(c.MinGap, 4*time.Second)
	}
	if c.BatchRows <= 0 {
		c.BatchRows = 100
	}
	if c.RunTimeout <= 0 {
		c.RunTimeout = 5 * time.Minute
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return c, nil
}

// Kill is one SIGKILL the harness sent.
type Kill struct {
	Process string
	After   time.Duration // since the run's imports started
	Phase   string        // "importing", "correcting" (the import with --replaces) or "draining"
}

// RunResult is one run compared with the clean run.
type RunResult struct {
	Seed     int64
	Kills    []Kill
	Restarts map[string]int // collateral: exits the harness did not cause
	Imports  int            // import attempts (one per file without kills)
	// Stalls: times the stages stopped making progress with messages
	// left to commit, and the harness restarted `dancu run` (liveness,
	// not loss: a stall that a restart cures loses nothing).
	Stalls  []string
	Elapsed time.Duration
	// CorrectionTook is how long the import of the correction took, from
	// its first attempt to its success.
	CorrectionTook time.Duration
	// With Config.SeparateHomes: Left counts the blocks of deltas left in
	// the homes of load processes that never started again (their
	// pending files), Published the inserts the load processes published
	// whole to the share (since chaos14 before they are sent, when their
	// rows cannot be made again from their messages) and Resent those a
	// member sent again from there or made again from an intent, as their
	// logs say.
	Left, Published, Resent int
	// With Config.Loaders: Fenced counts the flushes of the load
	// processes that dropped messages, uncommitted, because their group
	// had given the partitions to another member or was rebalancing
	// (pipelines' fence, chaos13), as their logs say.
	Fenced int
	Diff
}

// Report is a campaign's outcome.
type Report struct {
	Persons int    // generated
	Records int    // generated source records
	Clean   Counts // the clean run
	// CleanDiff is the clean run compared with itself: what it shows
	// beyond zero (records in force unlinked, withdrawn links left open,
	// coverage off its brute force) is wrong without any kill.
	CleanDiff Diff
	// Correction is the corrected list imported last, with --replaces
	// (nil when the population has no CSV list).
	Correction *Correction
	Runs       []RunResult
	Baseline   *Diff // second clean run against the first, when asked for
}

// KillsBy sums the kills per process over the runs.
func (r *Report) KillsBy() map[string]int {
	m := map[string]int{}
	for _, run := range r.Runs {
		for _, k := range run.Kills {
			m[k.Process]++
		}
	}
	return m
}

// Total sums the differences over the runs.
func (r *Report) Total() Diff {
	var t Diff
	for _, run := range r.Runs {
		t.add(run.Diff)
	}
	return t
}

// Campaign generates the population, makes the clean run, then the runs
// with kills, and compares each with the clean run.
func Campaign(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("chaos: %w", err)
	}
	pop := filepath.Join(cfg.Dir, "population")
	files, m, err := generate(ctx, cfg, pop)
	if err != nil {
		return nil, err
	}
	rep := &Report{Persons: m.Persons, Records: m.Records}
	fmt.Fprintf(cfg.Log, "chaos: %d persons, %d records in %d files\n", m.Persons, m.Records, len(files))
	corr, err := correct(files, pop, cfg.Seed)
	if err != nil {
		return nil, err
	}
	rep.Correction = corr
	if corr != nil {
		fmt.Fprintf(cfg.Log, "chaos: %s corrects %s: %d rows, %d changed, %d removed, %d added; imported last, with --replaces\n",
			filepath.Base(corr.File), filepath.Base(corr.Replaces), corr.Rows, corr.Changed, corr.Removed, corr.Added)
	}
	steps := importSteps(files, corr)

	clean, cleanRes, err := oneRun(ctx, cfg, steps, "clean", cfg.Seed, 0, 0)
	if err != nil {
		return rep, fmt.Errorf("chaos: clean run: %w", err)
	}
	rep.Clean = clean.counts()
	rep.CleanDiff = compare(clean, clean)
	fmt.Fprintf(cfg.Log, "chaos: clean run: %d records (%d withdrawn), %d rejects, %d persons\n", rep.Clean.Records, rep.Clean.Withdrawn, rep.Clean.Rejects, rep.Clean.Persons)
	if rep.CleanDiff.Broken() {
		fmt.Fprintf(cfg.Log, "chaos: the clean run against itself: %s %s\n", rep.CleanDiff, clean.CoverageNote)
	}
	if cfg.Baseline {
		again, _, err := oneRun(ctx, cfg, steps, "clean-again", cfg.Seed, 0, 0)
		if err != nil {
			return rep, fmt.Errorf("chaos: second clean run: %w", err)
		}
		d := compare(clean, again)
		rep.Baseline = &d
		fmt.Fprintf(cfg.Log, "chaos: baseline (clean vs clean): %s\n", d)
	}
	var aimWithin time.Duration
	if cfg.AimAtCorrection && corr != nil {
		aimWithin = max(cleanRes.CorrectionTook, 50*time.Millisecond)
		fmt.Fprintf(cfg.Log, "chaos: the correction's import took %s in the clean run; one kill a run lands within it\n", cleanRes.CorrectionTook.Round(time.Millisecond))
	}
	first := cfg.Seed
	if cfg.FirstRunSeed != 0 {
		first = cfg.FirstRunSeed
	}
	for i := 0; i < cfg.Runs; i++ {
		seed := first + int64(i)
		got, res, err := oneRun(ctx, cfg, steps, fmt.Sprintf("run-%03d", i+1), seed, cfg.Kills, aimWithin)
		if err != nil {
			return rep, fmt.Errorf("chaos: run %d (seed %d): %w", i+1, seed, err)
		}
		res.Diff = compare(clean, got)
		rep.Runs = append(rep.Runs, *res)
		if got.CoverageNote != "" {
			fmt.Fprintf(cfg.Log, "chaos: run %d: %s\n", i+1, got.CoverageNote)
		}
		fmt.Fprintf(cfg.Log, "chaos: run %d/%d (seed %d, %.0fs): kills %s; stalls %d; %s\n", i+1, cfg.Runs, seed, res.Elapsed.Seconds(), killList(res.Kills), len(res.Stalls), res.Diff)
		if cfg.SeparateHomes {
			fmt.Fprintf(cfg.Log, "chaos: run %d: blocks of deltas published whole to the share %d, sent again from it (or made again from an intent) by another member %d, left in homes never started again %d\n",
				i+1, res.Published, res.Resent, res.Left)
		}
		if cfg.Loaders > 0 {
			fmt.Fprintf(cfg.Log, "chaos: run %d: load flushes fenced (messages dropped uncommitted: their partitions given to another member, or the group rebalancing) %d\n",
				i+1, res.Fenced)
		}
	}
	return rep, nil
}

func killList(ks []Kill) string {
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s@%.1fs(%s)", k.Process, k.After.Seconds(), k.Phase))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// generate runs `dancu gen` once and returns the source files to import.
func generate(ctx context.Context, cfg Config, dir string) ([]string, *synth.Manifest, error) {
	manifest := filepath.Join(dir, "manifest.json")
	if _, err := os.Stat(manifest); err != nil {
		args := []string{"gen", "--persons", fmt.Sprint(cfg.Persons), "--seed", fmt.Sprint(cfg.Seed),
			"--formats", strings.Join(cfg.Formats, ","), "--out", dir}
		out, err := exec.CommandContext(ctx, cfg.Binary, args...).CombinedOutput()
		if err != nil {
			return nil, nil, fmt.Errorf("chaos: dancu %s: %w\n%s", strings.Join(args, " "), err, out)
		}
	}
	b, err := os.ReadFile(manifest)
	if err != nil {
		return nil, nil, fmt.Errorf("chaos: %w", err)
	}
	var m synth.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, fmt.Errorf("chaos: %s: %w", manifest, err)
	}
	files := m.SourcePaths(dir)
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("chaos: %s lists no source files", manifest)
	}
	return files, &m, nil
}

// proc is one supervised process.
type proc struct {
	name string
	args []string
	// argsAt, when set, gives the arguments of its start-th start.
	argsAt func(start int) []string
	starts int

	mu      sync.Mutex
	cmd     *exec.Cmd
	running bool
	killed  bool // the harness killed the current instance
}

// cluster is one run's processes.
type cluster struct {
	cfg       Config
	home      string
	kafka, ch string
	env       []string
	logs      string

	mu       sync.Mutex
	procs    map[string]*proc
	restarts map[string]int
	imports  int
	wg       sync.WaitGroup
	// correcting is set while the import with --replaces runs;
	// correctionStarted is closed when it starts.
	correcting        atomic.Bool
	correctionStarted chan struct{}
	correctionTook    time.Duration
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// oneRun starts a fresh cluster, imports every file while killing `kills`
// processes at random (and, when aimWithin is set, one more within
// aimWithin of the correction's start), waits until everything is loaded,
// and reads ClickHouse.
func oneRun(ctx context.Context, cfg Config, steps [][]string, name string, seed int64, kills int, aimWithin time.Duration) (*Snapshot, *RunResult, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, cfg.RunTimeout)
	defer cancel()
	home := filepath.Join(cfg.Dir, name)
	if err := os.RemoveAll(home); err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(filepath.Join(home, "logs"), 0o755); err != nil {
		return nil, nil, err
	}
	if !cfg.Keep {
		defer os.RemoveAll(home)
	}
	kafkaAddr, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	chAddr, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	c := &cluster{
		cfg: cfg, home: home, kafka: kafkaAddr, ch: chAddr, logs: filepath.Join(home, "logs"),
		env:      append(os.Environ(), "DANCU_HOME="+home, "DANCU_KAFKA_BROKERS="+kafkaAddr, "DANCU_CLICKHOUSE=http://"+chAddr),
		procs:    map[string]*proc{},
		restarts: map[string]int{},

		correctionStarted: make(chan struct{}),
	}
	sctx, stopAll := context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		stopAll()
		c.stop()
		c.wg.Wait()
	}()
	c.supervise(sctx, Broker, "broker", "--listen", kafkaAddr, "--data", filepath.Join(home, "kafka"))
	c.supervise(sctx, ClickHouse, "clickhouse", "--listen", chAddr, "--path", filepath.Join(home, "clickhouse"))
	if err := c.waitUp(ctx); err != nil {
		return nil, nil, c.withLogs(err)
	}
	if out, err := c.command(ctx, "migrate").CombinedOutput(); err != nil {
		return nil, nil, c.withLogs(fmt.Errorf("migrate: %w\n%s", err, out))
	}
	c.supervise(sctx, Run, runArgs(cfg)...)
	for i := range cfg.Matchers {
		c.supervise(sctx, fmt.Sprintf("%s-%d", Score, i), "run", "--progress", "0", "--stages", "score",
			"--score-instance", fmt.Sprintf("%d/%d", i, cfg.Matchers))
	}
	for i := range cfg.Loaders {
		name := fmt.Sprintf("%s-%d", Load, i)
		args := []string{"run", "--progress", "0", "--stages", "load"}
		if !cfg.SeparateHomes {
			c.supervise(sctx, name, args...)
			continue
		}
		c.superviseAt(sctx, name, func(start int) []string {
			return append([]string{"--home", filepath.Join(home, name, fmt.Sprintf("home-%d", start))}, args...)
		})
	}

	res := &RunResult{Seed: seed}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6368616f73)) // "chaos"
	importsDone := make(chan error, 1)
	begin := time.Now()
	go func() { importsDone <- c.importAll(ctx, steps) }()
	var killsMu sync.Mutex
	record := func(target, phase string) {
		killsMu.Lock()
		res.Kills = append(res.Kills, Kill{Process: target, After: time.Since(begin), Phase: phase})
		killsMu.Unlock()
	}
	aimed := make(chan struct{})
	actx, stopAim := context.WithCancel(ctx)
	defer func() { stopAim(); <-aimed }()
	if aimWithin > 0 && kills > 0 {
		// Its own stream, so that the other kills keep their schedule.
		arng := rand.New(rand.NewPCG(uint64(seed), 0x61696d)) // "aim"
		go func() {
			defer close(aimed)
			select {
			case <-actx.Done():
				return
			case <-c.correctionStarted:
			}
			select {
			case <-actx.Done():
				return
			case <-time.After(time.Duration(arng.Int64N(int64(aimWithin)))):
			}
			phase := "draining"
			if c.correcting.Load() {
				phase = "correcting"
			}
			if target := c.pickAlive(arng); target != "" {
				c.kill(target)
				record(target, phase)
			}
		}()
	} else {
		close(aimed)
	}

	var importErr error
	imported := false
	for i := 0; i < kills; i++ {
		gap := cfg.MinGap + time.Duration(rng.Int64N(int64(cfg.MaxGap-cfg.MinGap)+1))
		select {
		case <-ctx.Done():
			return nil, nil, c.withLogs(fmt.Errorf("before kill %d: %w", i+1, ctx.Err()))
		case importErr = <-importsDone:
			imported = true
			if importErr != nil {
				return nil, nil, c.withLogs(importErr)
			}
			// Imports are done: the rest of the kills land while the
			// stages drain (or after), after the same random gap.
			time.Sleep(gap)
		case <-time.After(gap):
		}
		phase := "importing"
		if imported {
			phase = "draining"
		} else if c.correcting.Load() {
			phase = "correcting"
		}
		target := c.pickAlive(rng)
		if target == "" {
			i-- // everything is restarting: try again after the next gap
			continue
		}
		c.kill(target)
		record(target, phase)
	}
	if !imported {
		select {
		case importErr = <-importsDone:
		case <-ctx.Done():
			return nil, nil, c.withLogs(fmt.Errorf("imports: %w", ctx.Err()))
		}
		if importErr != nil {
			return nil, nil, c.withLogs(importErr)
		}
	}
	if err := c.waitUp(ctx); err != nil {
		return nil, nil, c.withLogs(err)
	}
	stalls, err := c.waitDrained(ctx)
	if err != nil {
		return nil, nil, c.withLogs(err)
	}
	res.Stalls = stalls
	snap, err := readSnapshot(ctx, chAddr)
	if err != nil {
		return nil, nil, c.withLogs(err)
	}
	c.mu.Lock()
	res.Restarts = c.restarts
	res.Imports = c.imports
	res.CorrectionTook = c.correctionTook
	c.mu.Unlock()
	if cfg.SeparateHomes {
		res.Left, res.Published, res.Resent = c.sharedCounts()
	}
	if cfg.Loaders > 0 {
		res.Fenced = c.loadLogCount(fencedLines...)
	}
	<-aimed
	killsMu.Lock()
	sort.Slice(res.Kills, func(i, j int) bool { return res.Kills[i].After < res.Kills[j].After })
	killsMu.Unlock()
	res.Elapsed = time.Since(start)
	return snap, res, nil
}

// sharedCounts counts, with Config.SeparateHomes, the pending files in
// the load processes' homes and the lines of their logs that say an
// insert was published to the share or sent again from it.
func (c *cluster) sharedCounts() (left, published, resent int) {
	files, _ := filepath.Glob(filepath.Join(c.home, Load+"-*", "home-*", "load", "*.pending"))
	left = len(files)
	logs, _ := filepath.Glob(filepath.Join(c.logs, Load+"-*.log"))
	for _, l := range logs {
		b, err := os.ReadFile(l)
		if err != nil {
			continue
		}
		published += strings.Count(string(b), "published whole for the load group")
		resent += strings.Count(string(b), "another load member left unfinished sent again") +
			strings.Count(string(b), "made again from its messages and sent")
	}
	return left, published, resent
}

// fencedLines are the log lines of a load process's fence
// (pipelines/load.go).
var fencedLines = []string{
	"flush dropped, not committed",
	"dropped from the flush, not committed",
	"a flush written but not committed, its generation of the group over",
}

// loadLogCount counts the lines of the load processes' logs that hold
// one of texts.
func (c *cluster) loadLogCount(texts ...string) int {
	n := 0
	logs, _ := filepath.Glob(filepath.Join(c.logs, Load+"-*.log"))
	for _, l := range logs {
		b, err := os.ReadFile(l)
		if err != nil {
			continue
		}
		for _, t := range texts {
			n += strings.Count(string(b), t)
		}
	}
	return n
}

// runArgs are the arguments of the process named Run: the match stage,
// scaled out with Config.Matchers, and the load stage unless
// Config.Loaders runs it apart.
func runArgs(cfg Config) []string {
	args := []string{"run", "--progress", "0"}
	if cfg.Loaders > 0 {
		args = append(args, "--stages", "match")
	}
	if cfg.Matchers > 0 {
		args = append(args, "--scale-out")
	}
	return args
}

func (c *cluster) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.cfg.Binary, args...)
	cmd.Env = c.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

// start starts one instance of p with its output appended to its log; the
// channel is closed once it has exited.
func (c *cluster) start(p *proc) (*exec.Cmd, <-chan struct{}, error) {
	f, err := os.OpenFile(filepath.Join(c.logs, p.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	if p.argsAt != nil {
		p.args = p.argsAt(p.starts)
	}
	p.starts++
	cmd := exec.Command(c.cfg.Binary, p.args...)
	cmd.Env = c.env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	fmt.Fprintf(f, "--- chaos: start %s %s\n", p.name, time.Now().Format(time.RFC3339Nano))
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, nil, err
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		f.Close()
		close(done)
	}()
	return cmd, done, nil
}

// run starts p and waits for it to end, marked running meanwhile (so
// that a kill can find it); killed says whether the harness killed it.
func (c *cluster) run(p *proc) (cmd *exec.Cmd, killed bool, err error) {
	cmd, done, err := c.start(p)
	if err != nil {
		return nil, false, err
	}
	p.mu.Lock()
	p.cmd, p.running, p.killed = cmd, true, false
	p.mu.Unlock()
	<-done
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = false
	return cmd, p.killed, nil
}

// supervise runs a long-lived process and restarts it whenever it exits,
// until ctx ends.
func (c *cluster) supervise(ctx context.Context, name string, args ...string) {
	c.superviseAt(ctx, name, func(int) []string { return args })
}

// superviseAt is supervise with the arguments of each start.
func (c *cluster) superviseAt(ctx context.Context, name string, argsAt func(start int) []string) {
	p := &proc{name: name, argsAt: argsAt}
	c.mu.Lock()
	c.procs[name] = p
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for ctx.Err() == nil {
			_, killed, err := c.run(p)
			if err != nil {
				time.Sleep(time.Second)
				continue
			}
			if ctx.Err() != nil {
				return
			}
			if !killed {
				c.mu.Lock()
				c.restarts[name]++
				c.mu.Unlock()
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(300 * time.Millisecond):
			}
		}
	}()
}

// importSteps returns the arguments of each import after `import
// --batch-rows N`: the files one by one, then the correction's with
// --replaces.
func importSteps(files []string, corr *Correction) [][]string {
	var steps [][]string
	for _, f := range files {
		steps = append(steps, []string{f})
	}
	if corr != nil {
		steps = append(steps, []string{"--replaces", corr.Replaces, corr.File})
	}
	return steps
}

// importAll runs the imports one after the other, running an import
// again until it succeeds.
func (c *cluster) importAll(ctx context.Context, steps [][]string) error {
	p := &proc{name: Import}
	c.mu.Lock()
	c.procs[Import] = p
	c.mu.Unlock()
	for _, step := range steps {
		f := step[len(step)-1]
		p.args = append([]string{"import", "--batch-rows", fmt.Sprint(c.cfg.BatchRows)}, step...)
		correction := step[0] == "--replaces"
		c.correcting.Store(correction)
		began := time.Now()
		if correction {
			close(c.correctionStarted)
		}
		for {
			if ctx.Err() != nil {
				return fmt.Errorf("import %s: %w", filepath.Base(f), ctx.Err())
			}
			cmd, killed, err := c.run(p)
			if err != nil {
				return fmt.Errorf("import %s: %w", filepath.Base(f), err)
			}
			c.mu.Lock()
			c.imports++
			if !killed && !cmd.ProcessState.Success() {
				c.restarts[Import]++
			}
			c.mu.Unlock()
			if cmd.ProcessState.Success() {
				if correction {
					c.mu.Lock()
					c.correctionTook = time.Since(began)
					c.mu.Unlock()
				}
				break
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	c.correcting.Store(false)
	return nil
}

// pickAlive chooses, at random, a process that is running now.
func (c *cluster) pickAlive(rng *rand.Rand) string {
	c.mu.Lock()
	var alive []string
	for name, p := range c.procs {
		p.mu.Lock()
		if p.running {
			alive = append(alive, name)
		}
		p.mu.Unlock()
	}
	c.mu.Unlock()
	if len(alive) == 0 {
		return ""
	}
	sort.Strings(alive)
	return alive[rng.IntN(len(alive))]
}

// kill sends SIGKILL to the running instance of name.
func (c *cluster) kill(name string) { c.signal(name, syscall.SIGKILL) }

// signal sends sig to the running instance of name; its exit is not
// counted as a collateral restart.
func (c *cluster) signal(name string, sig syscall.Signal) {
	c.mu.Lock()
	p := c.procs[name]
	c.mu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running && p.cmd != nil {
		p.killed = true
		p.cmd.Process.Signal(sig)
	}
}

// stop ends every process of the run (the caller has cancelled the
// supervisors).
func (c *cluster) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.procs {
		p.mu.Lock()
		if p.running && p.cmd != nil {
			p.killed = true
			p.cmd.Process.Signal(syscall.SIGKILL)
		}
		p.mu.Unlock()
	}
}

// waitUp waits until the broker accepts connections and ClickHouse
// answers its ping.
func (c *cluster) waitUp(ctx context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		kafkaUp := false
		if conn, err := net.DialTimeout("tcp", c.kafka, time.Second); err == nil {
			conn.Close()
			kafkaUp = true
		}
		chUp := false
		if resp, err := client.Get("http://" + c.ch + "/ping"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			chUp = strings.HasPrefix(string(b), "Ok.")
		}
		if kafkaUp && chUp {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the broker (up %v) and ClickHouse (up %v): %w", kafkaUp, chUp, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stallAfter is how long the stages may make no progress, with messages
// still to commit, before the harness calls it a stall.
const stallAfter = 45 * time.Second

// waitDrained waits until the match and load groups have committed
// everything, riding out a broker that is still restarting. When the
// stages stop making progress with messages left (a stall), it records
// which group and partitions are stuck and restarts `dancu run`, as an
// operator would, and goes on waiting.
func (c *cluster) waitDrained(ctx context.Context) ([]string, error) {
	var stalls []string
	last, since := int64(-1), time.Now()
	for {
		behind, where, err := c.behind(ctx)
		if err == nil && behind == 0 {
			return stalls, nil
		}
		if err == nil && behind != last {
			last, since = behind, time.Now()
		}
		if err == nil && time.Since(since) > stallAfter {
			stalls = append(stalls, fmt.Sprintf("no progress for %s with %d messages uncommitted (%s); groups: %s; restarted dancu run", stallAfter, behind, where, c.describeGroups(ctx)))
			fmt.Fprintf(c.cfg.Log, "chaos: stall: %s\n", stalls[len(stalls)-1])
			// An operator's restart: SIGTERM, so that the stages drain and
			// leave their consumer groups (a SIGKILL would leave one more
			// dead member behind, which is what stalls follow). The load
			// processes, when the load stage runs apart, too.
			c.signal(Run, syscall.SIGTERM)
			for i := range c.cfg.Loaders {
				c.signal(fmt.Sprintf("%s-%d", Load, i), syscall.SIGTERM)
			}
			last, since = -1, time.Now()
		}
		select {
		case <-ctx.Done():
			return stalls, fmt.Errorf("waiting for the stages to drain (%d behind: %s; stalls %v): %w", last, where, stalls, ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// describeGroups says, for a stall's record, each consumer group's state,
// members and their partitions.
func (c *cluster) describeGroups(ctx context.Context) string {
	client, closeClient := kafkax.NewClient([]string{c.kafka}, 5*time.Second)
	defer closeClient()
	resp, err := client.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{"dancu-match", "dancu-load", "dancu-load-rejects"}})
	if err != nil {
		return "describe groups: " + err.Error()
	}
	var parts []string
	for _, g := range resp.Groups {
		var ms []string
		for _, m := range g.Members {
			var as []string
			for _, t := range m.MemberAssignments.Topics {
				as = append(as, fmt.Sprintf("%s%v", t.Topic, t.Partitions))
			}
			id := m.MemberID
			if i := strings.LastIndex(id, "-"); i > 0 && len(id)-i > 9 {
				id = "…" + id[len(id)-8:]
			}
			ms = append(ms, fmt.Sprintf("%s %s", id, strings.Join(as, " ")))
		}
		parts = append(parts, fmt.Sprintf("%s %s [%s]", g.GroupID, g.GroupState, strings.Join(ms, "; ")))
	}
	return strings.Join(parts, ", ")
}

// behind returns how many messages the match and load groups have yet to
// commit, and where.
func (c *cluster) behind(ctx context.Context) (int64, string, error) {
	steps := []struct{ group, topic string }{
		{"dancu-match", pipelines.TopicRecords},
		{"dancu-load", pipelines.TopicMatched},
		{"dancu-load-rejects", pipelines.TopicRejects},
	}
	var total int64
	var where []string
	for _, s := range steps {
		lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		lags, err := kafkax.Lag(lctx, []string{c.kafka}, s.group, s.topic)
		cancel()
		if err != nil {
			return 0, "", err
		}
		for _, l := range lags {
			if l.Lag > 0 {
				total += l.Lag
				where = append(where, fmt.Sprintf("%s on %s/%d: committed %d, end %d", s.group, s.topic, l.Partition, l.Committed, l.End))
			}
		}
	}
	return total, strings.Join(where, "; "), nil
}

// withLogs adds the tail of every process log to err, for diagnosis.
func (c *cluster) withLogs(err error) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", err)
	entries, _ := os.ReadDir(c.logs)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(c.logs, e.Name()))
		if len(data) > 2000 {
			data = data[len(data)-2000:]
		}
		fmt.Fprintf(&b, "\n--- %s (tail)\n%s", e.Name(), data)
	}
	return errors.New(b.String())
}
