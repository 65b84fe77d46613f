package main

import (
	"context"
	"log/slog"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/dancu-vn/dancu/pipelines"
)

// superviseStages runs the stages (run: pipelines.RunStages in dancu run)
// and logs what they do:
//   - every interval while there is work, one "progress" line with the
//     counters of this process and the lag of each of its stages'
//     consumer groups (messages published but not yet committed), and of
//     a score instance's partitions (published but not yet scored, from
//     the offsets its stores keep);
//     nothing while idle (no counter moved and no stage behind);
//   - at the first Ctrl-C (ctx done), "draining" with the lags: the stages
//     write what they hold to ClickHouse and commit;
//   - when the stages have returned, "stopped" with the final counters,
//     the lags left and how long the drain took.
func superviseStages(ctx context.Context, log *slog.Logger, cfg pipelines.StagesConfig, st *pipelines.StageStats, every time.Duration,
	run func(context.Context, pipelines.StagesConfig, *pipelines.StageStats) error) error {
	watch, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		logProgress(watch, log, cfg, st, every)
	}()
	var drainStart time.Time
	drained, drainLogged := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(drainLogged)
		select {
		case <-ctx.Done():
			drainStart = time.Now()
			log.Info("draining: the stages write what they hold to ClickHouse and commit (Ctrl-C again to stop at once)",
				lagAttrs(lagsNow(cfg, st))...)
		case <-drained:
		}
	}()
	err := run(ctx, cfg, st)
	close(drained)
	<-drainLogged
	stopWatch()
	<-watched
	attrs := append(counterAttrs(cfg, counters(st)), personsAttr(context.WithoutCancel(ctx), cfg)...)
	attrs = append(attrs, lagAttrs(lagsNow(cfg, st))...)
	if !drainStart.IsZero() {
		attrs = append(attrs, "drain", time.Since(drainStart).Round(time.Millisecond).String())
	}
	if err != nil {
		log.Error("stopped", append(attrs, "err", err)...)
	} else {
		log.Info("stopped", attrs...)
	}
	return err
}

// logProgress logs the stage counters and lags every interval until ctx
// ends, when a counter moved or a stage is behind.
func logProgress(ctx context.Context, log *slog.Logger, cfg pipelines.StagesConfig, st *pipelines.StageStats, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var last [9]int64
	lagErr, memSaid := false, false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if live, limit, over := heapOverLimit(); over && !memSaid {
			log.Warn("the Go heap outgrew the memory limit (--memory-limit): the garbage collector runs all the time and the stages crawl; raise it (0: none)",
				"heap_live_mib", live>>20, "memory_limit_mib", limit>>20)
			memSaid = true
		}
		now := counters(st)
		lags, err := stageLags(ctx, cfg, st, every)
		switch {
		case err != nil && ctx.Err() == nil && !lagErr:
			log.Warn("cannot read the stages' lag", "err", err) // once per streak
			lagErr = true
		case err == nil:
			lagErr = false
		}
		if now == last && behind(lags) == 0 {
			continue // idle: nothing new to say
		}
		last = now
		attrs := append(counterAttrs(cfg, now), personsAttr(ctx, cfg)...)
		log.Info("progress", append(attrs, lagAttrs(lags)...)...)
	}
}

// counters snapshots the counters progress lines show: those of the
// match and load stages, then those of a score instance. Loaded person
// rows are versions: a person is written again each time it gains a
// record, merges or splits; ClickHouse keeps the last one (persons
// FINAL), which is what dancu coverage counts.
func counters(st *pipelines.StageStats) [9]int64 {
	return [9]int64{st.Match.Records.Load(), st.Match.Conflicts.Load(),
		st.LoadMatched.Records.Load(), st.LoadMatched.Persons.Load(),
		st.LoadRejects.Rejects.Load(), st.DeadLetters(),
		st.Score.Items.Load(), st.Score.Edges.Load(), st.Match.Generic.Load()}
}

// counterAttrs names the counters; a score instance's only when this
// process runs one.
func counterAttrs(cfg pipelines.StagesConfig, c [9]int64) []any {
	out := []any{"matched_records", c[0], "conflicts", c[1],
		"loaded_records", c[2], "loaded_person_rows", c[3],
		"loaded_rejects", c[4], "dead_letters", c[5]}
	if c[8] > 0 {
		// Records linked without a number too many records carry
		// (generic_values); the registry logs each such value, masked.
		out = append(out, "generic_records", c[8])
	}
	if cfg.Score {
		out = append(out, "scored_items", c[6], "edges", c[7])
	}
	return out
}

// personsAttr is "persons=N" in a process that loads: the living persons
// ClickHouse holds, counted as dancu coverage counts them (the sum of the
// coverage_persons deltas, a small table), which loaded_person_rows —
// person versions — is not. Nothing when it cannot be read.
func personsAttr(ctx context.Context, cfg pipelines.StagesConfig) []any {
	if !cfg.Load || cfg.Conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var n int64
	if err := cfg.Conn.QueryRow(ctx, "SELECT toInt64(sum(persons)) FROM coverage_persons").Scan(&n); err != nil {
		return nil
	}
	return []any{"persons", n}
}

// lagAttrs are "match_lag=N" and the like, in messages, one per stage.
func lagAttrs(lags []pipelines.StageLag) []any {
	var out []any
	for _, l := range lags {
		out = append(out, l.Stage+"_lag", l.Lag)
	}
	return out
}

func behind(lags []pipelines.StageLag) (n int64) {
	for _, l := range lags {
		n += l.Lag
	}
	return n
}

// stageLags reads the lags within a bound, so that a slow broker does not
// hold the progress line back past the next one.
func stageLags(ctx context.Context, cfg pipelines.StagesConfig, st *pipelines.StageStats, bound time.Duration) ([]pipelines.StageLag, error) {
	ctx, cancel := context.WithTimeout(ctx, max(bound, 2*time.Second))
	defer cancel()
	lags, err := pipelines.StageLags(ctx, cfg)
	if err != nil || !cfg.Score {
		return lags, err
	}
	// A score instance keeps its offsets in its own stores: its lag
	// comes from them, once it has opened them.
	l, ok, err := pipelines.ScoreLag(ctx, cfg.Brokers, &st.Score)
	if ok {
		lags = append(lags, l)
	}
	return lags, err
}

// lagsNow is stageLags for the drain and stop lines, which say nothing of
// lags they cannot read.
func lagsNow(cfg pipelines.StagesConfig, st *pipelines.StageStats) []pipelines.StageLag {
	lags, _ := stageLags(context.Background(), cfg, st, 5*time.Second)
	return lags
}

// heapOverLimit reports the live heap (after the last collection) and
// the runtime's memory limit when the first is above the second. A
// --memory-limit below what the stages hold made a rebuild of 30,826
// records take 14.9 s of CPU instead of 1.8 s, and nothing said why
// (user16, 32 MiB).
func heapOverLimit() (live, limit uint64, over bool) {
	lim := debug.SetMemoryLimit(-1)
	if lim <= 0 || lim == math.MaxInt64 {
		return 0, 0, false
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, 0, false
	}
	live = s[0].Value.Uint64()
	return live, uint64(lim), live > uint64(lim)
}
