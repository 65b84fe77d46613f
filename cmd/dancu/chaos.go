package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/internal/chaos"
	"github.com/spf13/cobra"
)

func newChaosCmd(g *globals) *cobra.Command {
	cfg := chaos.Config{}
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "chaos",
		Short: "crash-anywhere test: SIGKILL random dancu processes mid-flow and compare with a clean run",
		Long: `Runs the real processes — dancu broker, dancu clickhouse, dancu run and dancu
import, all from this binary — on a population made by dancu gen: first a clean
run, then --runs runs in which a randomly chosen process is SIGKILLed --kills
times at random moments and restarted. Each run imports the generated files,
then a corrected copy of the first CSV list (written from --seed: some rows
changed, some left out, some added) with --replaces, which withdraws the old
list's records; one kill more a run is aimed at that import (--aim-correction).
After each run it compares ClickHouse with the clean run (FINAL): rows lost,
rows doubled, records withdrawn otherwise, records in force without a person,
withdrawn records whose link is still open, coverage's aggregates against a
brute-force count, persons differing (compared as sets of records in force)
and records whose person id differs. Exits non-zero on any of these but the
last two.

With --matchers K the match stage is scaled out (dancu run --scale-out) and K
score instances run as processes of their own (score-0 …), killed as the
others are.

With --loaders N the load stage runs apart: dancu run runs the match
stage alone (--stages match) and N processes the load stage (dancu run
--stages load, load-0 …, one consumer group), killed as the others are;
each run says how many of their flushes the fence dropped, uncommitted,
because the group had given the flush's partitions to another member or
was rebalancing. Without it the load stage runs in the match stage's
process and is killed only with it.

With --separate-homes each load process has a home of its own, a new,
empty one at each start (DIR/load-i/home-N): a member on a machine of its
own that, killed, never comes back. An insert of deltas it left
unfinished is then finished only by the member its partitions go to,
from the share (dancu.load-pending), never from its home's file; each run
says how many blocks were published, sent again and left.

Everything runs on free local ports with data under --dir; nothing else needs
to be running. The same --seed gives the same population and kill schedule.`,
		Example: `  dancu chaos --runs 30 --seed 1
  dancu chaos --runs 3 --kills 5 --persons 2000 --baseline`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			bin, err := os.Executable()
			if err != nil {
				return fmt.Errorf("chaos: find this binary: %w", err)
			}
			cfg.Binary = bin
			if cfg.Dir == "" {
				cfg.Dir = filepath.Join(g.home, "chaos")
			}
			if err := privateDir(g.stderr, cfg.Dir); err != nil {
				return err
			}
			cfg.Log = g.stderr
			ctx := cmd.Context()
			if timeout > 0 {
				cfg.RunTimeout = timeout
			}
			start := time.Now()
			rep, err := chaos.Campaign(ctx, cfg)
			if rep != nil && len(rep.Runs) > 0 {
				printChaos(g, rep, time.Since(start))
			}
			if err != nil {
				return err
			}
			if t := rep.Total(); t.Broken() || rep.CleanDiff.Broken() {
				return fmt.Errorf("chaos: %s (the clean run against itself: %s)", t, rep.CleanDiff)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Runs, "runs", 1, "runs with kills")
	f.IntVar(&cfg.Kills, "kills", 3, "SIGKILLs per run")
	f.Int64Var(&cfg.Seed, "seed", 1, "seed of the population and the kill schedule (run i uses seed+i)")
	f.Int64Var(&cfg.FirstRunSeed, "run-seed", 0, "seed of the first run's kill schedule (default --seed); repeats run i of a campaign with --runs 1 --run-seed <its seed>")
	f.IntVar(&cfg.Persons, "persons", 500, "persons in the generated population")
	f.StringVar(&cfg.Dir, "dir", "", "working directory (default <home>/chaos)")
	f.BoolVar(&cfg.AimAtCorrection, "aim-correction", true, "add one kill a run aimed at the import of the correction (within the time it took in the clean run)")
	f.BoolVar(&cfg.Baseline, "baseline", false, "also compare a second clean run with the first (how much persons differ without kills)")
	f.IntVar(&cfg.Matchers, "matchers", 0, "scale the match stage out: dancu run --scale-out and this many score instances, each a process the harness kills too (score-i)")
	f.IntVar(&cfg.Loaders, "loaders", 0, "run the load stage apart: dancu run --stages match, and this many load processes (dancu run --stages load), each killed too (load-i)")
	f.BoolVar(&cfg.SeparateHomes, "separate-homes", false, "with --loaders: give each load process a home of its own, a new empty one at each start (a machine that never came back, replaced), so that only the load group's share finishes an insert a killed loader left")
	f.BoolVar(&cfg.Keep, "keep", false, "keep each run's data and process logs")
	f.DurationVar(&cfg.MinGap, "min-gap", 500*time.Millisecond, "shortest wait before a kill")
	f.DurationVar(&cfg.MaxGap, "max-gap", 4*time.Second, "longest wait before a kill")
	f.DurationVar(&timeout, "run-timeout", 5*time.Minute, "give up on a run after this long")
	return cmd
}

func printChaos(g *globals, rep *chaos.Report, elapsed time.Duration) {
	out := g.stdout
	kills := rep.KillsBy()
	phases := map[string]int{}
	for _, r := range rep.Runs {
		for _, k := range r.Kills {
			phases[k.Phase]++
		}
	}
	names := make([]string, 0, len(kills))
	total := 0
	for n, k := range kills {
		names = append(names, fmt.Sprintf("%s %d", n, k))
		total += k
	}
	sort.Strings(names)
	restarts := map[string]int{}
	for _, r := range rep.Runs {
		for n, k := range r.Restarts {
			restarts[n] += k
		}
	}
	var rs []string
	for n, k := range restarts {
		rs = append(rs, fmt.Sprintf("%s %d", n, k))
	}
	sort.Strings(rs)
	t := rep.Total()
	fmt.Fprintf(out, "population: %d persons, %d records (clean run: %d records, %d rejects, %d persons)\n",
		rep.Persons, rep.Records, rep.Clean.Records, rep.Clean.Rejects, rep.Clean.Persons)
	fmt.Fprintf(out, "runs: %d in %s\n", len(rep.Runs), elapsed.Round(time.Second))
	fmt.Fprintf(out, "kills: %d (%s; importing %d, correcting %d, draining %d)\n", total, strings.Join(names, ", "),
		phases["importing"], phases["correcting"], phases["draining"])
	if c := rep.Correction; c != nil {
		fmt.Fprintf(out, "correction: %s replaces %s (%d rows: %d changed, %d removed, %d added); clean run: %d of %d records withdrawn\n",
			filepath.Base(c.File), filepath.Base(c.Replaces), c.Rows, c.Changed, c.Removed, c.Added, rep.Clean.Withdrawn, rep.Clean.Records)
	}
	fmt.Fprintf(out, "collateral restarts (processes that exited because another was killed): %s\n", orDash(strings.Join(rs, ", ")))
	fmt.Fprintf(out, "rows lost: %d\nrows doubled: %d\nrecords withdrawn otherwise than in the clean run: %d\nrecords in force without a person: %d\nwithdrawn records with a link open: %d\ncoverage off its brute force (provinces, totals): %d\n",
		t.RowsLost, t.RowsDoubled, t.WithdrawnDiffering, t.Unlinked, t.LinksNotClosed, t.CoverageOff)
	stalls, stalled := 0, 0
	for _, r := range rep.Runs {
		stalls += len(r.Stalls)
		if len(r.Stalls) > 0 {
			stalled++
		}
	}
	fmt.Fprintf(out, "stalls (no progress for 45 s with messages left; dancu run restarted with SIGTERM): %d in %d of %d runs\n", stalls, stalled, len(rep.Runs))
	differing := 0
	for _, r := range rep.Runs {
		if r.PersonsDiffering > 0 {
			differing++
		}
	}
	fmt.Fprintf(out, "persons differing (as sets of records in force): %d over all runs (in %d of %d runs; %d persons per clean run)\n",
		t.PersonsDiffering, differing, len(rep.Runs), rep.Clean.Persons)
	fmt.Fprintf(out, "records whose person id differs: %d over all runs\n", t.PersonIDsDiffering)
	if rep.Baseline != nil {
		fmt.Fprintf(out, "baseline, a second clean run against the first: %s\n", rep.Baseline)
	}
}
