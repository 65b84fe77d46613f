package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/spf13/cobra"
)

// matchBatchUsage is the help of dancu run's and dancu demo's
// --match-batch.
const matchBatchUsage = "the match stage closes a micro-batch at this many records (MatchConfig.MaxRecords; 0: its default, 20,000); under a backlog a micro-batch is whatever waited up to it, caught up it closes 300 ms after its first record"

func newRunCmd(g *globals) *cobra.Command {
	var (
		stages       string
		metrics      string
		settingsPath string
		every        time.Duration
		scaleOut     bool
		republish    bool
		instance     string
		memLimit     byteSize
		matchBatch   int
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "run the match and load stages (Kafka → match → Kafka → load → ClickHouse)",
		Long: `Runs the long-lived stages of the pipeline until interrupted. Run more
load processes (--stages load) to scale out loading: each joins the same
Kafka consumer group. The match stage keeps the identity registry on disk
under --home (registry/, rebuilt from the topic dancu.registry-changelog when
missing, caught up from it when restored from an older copy) and must run
in one process: two match processes would each hold part of the registry.

After a model upgrade (the registry rebuilt with another model) the match
stage republishes the registry before it links anything: ClickHouse's
persons, links, person events and coverage then say what the registry
says. It notes the model it published with in --home/registry.published;
--republish makes it republish whatever that file says (a match stage
that ran before the file existed, say). A republish waits for the load
stage (its consumer group on dancu.matched) to catch up before, between and
after its parts, so a load stage must run.

To scale the match stage out, run it with --scale-out: it then hands the
scoring of each batch's new records to score instances over Kafka (topic
dancu.blocking, 12 partitions by blocking key; edges back on dancu.edges)
and only clusters their edges. Run K score instances with
"--stages score --score-instance i/K" (i = 0 … K-1), in as many processes
or machines: instance i scores the partitions p with p mod K = i, each in a
store under --home (score/pNNN), rebuilt from the partition's history when
missing. Any K gives the same persons.

The first Ctrl-C drains what the stages hold (ClickHouse gets the rows, then
offsets are committed); a second one stops at once.

When Kafka or ClickHouse goes away (a restart, a minute's outage) the stages
stop, a warning says so, and they start again once a broker answers, from
the last committed offsets; an outage of more than 30 minutes, or any other
error, ends dancu run.

While there is work, a "progress" line every --progress interval gives this
process's counters and each stage's lag: the Kafka messages published to
its input topic that its consumer group has not committed yet (match_lag on
dancu.records, decisions_lag, load_lag on dancu.matched, load-rejects_lag
on dancu.rejects); a score instance, which keeps its offsets in its own
stores rather than a consumer group, gives score_lag: the blocking batches
published on its partitions that it has not scored yet. An idle run logs
nothing. loaded_person_rows counts person versions: a person is written
again each time it gains a record, merges or splits, and ClickHouse keeps
the last, so it exceeds the number of persons; persons (in a process that
loads) is the living persons ClickHouse holds, as dancu coverage counts
them. The drain and the stop are logged with the lags left.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			applyMemoryLimit(memLimit)
			brokers, err := kafkax.SplitBrokers(g.kafka)
			if err != nil {
				return fmt.Errorf("--kafka: %w", err)
			}
			// Kafka down is the operator's first line, before any log.
			if err := kafkax.Reachable(cmd.Context(), brokers, 0); err != nil {
				return fmt.Errorf("run: %w", err)
			}
			cfg := pipelines.StagesConfig{Brokers: brokers, Enrich: pipelines.ResolveAddresses, Logger: newLogger(g)}
			for _, s := range strings.Split(stages, ",") {
				switch strings.TrimSpace(s) {
				case "match":
					cfg.Match = true
				case "load":
					cfg.Load = true
				case "score":
					cfg.Score = true
				default:
					return fmt.Errorf("--stages: unknown stage %q (want match, load, score)", s)
				}
			}
			cfg.ScaleOut = scaleOut
			cfg.Republish = republish
			if republish && !cfg.Match {
				return fmt.Errorf("--republish is for the match stage; --stages %s has none", stages)
			}
			if matchBatch < 0 {
				return fmt.Errorf("--match-batch %d: want 0 (the match stage's default) or more", matchBatch)
			}
			cfg.MatchConfig.MaxRecords = matchBatch
			if scaleOut && !cfg.Match {
				return fmt.Errorf("--scale-out is for the match stage; --stages %s has none", stages)
			}
			if cfg.Score {
				var i, k int
				if n, err := fmt.Sscanf(instance, "%d/%d", &i, &k); n != 2 || err != nil || k < 1 || i < 0 || i >= k {
					return fmt.Errorf("--score-instance %q: want i/K with 0 ≤ i < K (e.g. 0/2)", instance)
				}
				if k > kafkax.BlockingPartitions {
					return fmt.Errorf("--score-instance %q: at most %d instances (the partitions of %s)", instance, kafkax.BlockingPartitions, kafkax.TopicBlocking)
				}
				cfg.ScoreConfig = pipelines.ScoreConfig{Dir: filepath.Join(g.home, "score"), Instance: i, Instances: k}
			}
			if cfg.Load {
				conn, err := openClickHouse(cmd.Context(), g)
				if err != nil {
					return err
				}
				defer conn.Close()
				cfg.Conn = conn
				if err := checkMigrated(cmd.Context(), conn, cfg.Logger); err != nil {
					return err
				}
				// The inserts of coverage deltas being sent: one this
				// process leaves unfinished is sent again by the next
				// load stage of this home (pipelines/sink_pending.go).
				cfg.LoadDir = filepath.Join(g.home, "load")
			}
			if cfg.Match || cfg.Score {
				// The registry lives under --home; it is rebuilt from its
				// changelog topic when the directory is missing.
				cfg.RegistryDir = filepath.Join(g.home, "registry")
				if err := privateDir(g.stderr, g.home); err != nil {
					return err
				}
				if settingsPath != "" {
					s, err := settings.Load(settingsPath)
					if err != nil {
						return err
					}
					if s.Model == nil {
						return fmt.Errorf("--settings %s: no trained model (run dancu train first)", settingsPath)
					}
					cfg.Settings = s
				} else {
					// The embedded model, parsed once here: the stages
					// (registry, scale-out scorer, score role) and the
					// "stages running" line each parsed it again when
					// given none.
					s, err := vietnamese.Trained()
					if err != nil {
						return err
					}
					cfg.Settings = s
				}
			}
			st := new(pipelines.StageStats)
			if metrics != "" {
				addr, err := serveMetrics(cmd.Context(), metrics, cfg, st)
				if err != nil {
					return fmt.Errorf("--metrics: %w", err)
				}
				cfg.Logger.Info("metrics", "url", "http://"+addr+"/metrics")
			}
			running := []any{"match", cfg.Match, "load", cfg.Load, "score", cfg.Score, "scale_out", cfg.ScaleOut, "kafka", g.kafka}
			if cfg.Match || cfg.Score {
				running = append(running, modelAttrs(cfg.Settings)...)
			}
			cfg.Logger.Info("stages running", running...)
			// Progress and lag lines, the drain and the stop: runlog.go.
			// An outage of Kafka or ClickHouse restarts the stages when
			// it is over (outage.go) instead of ending dancu run.
			run := func(ctx context.Context, cfg pipelines.StagesConfig, st *pipelines.StageStats) error {
				return restartOnOutage(ctx, cfg.Logger, brokers, defaultOutage, func(ctx context.Context) error {
					return pipelines.RunStages(ctx, cfg, st)
				})
			}
			return superviseStages(cmd.Context(), cfg.Logger, cfg, st, every, run)
		},
	}
	cmd.Flags().StringVar(&stages, "stages", "match,load", "stages to run in this process: match, load, score")
	cmd.Flags().BoolVar(&scaleOut, "scale-out", false, "the match stage hands the scoring to score instances (--stages score) over Kafka")
	cmd.Flags().BoolVar(&republish, "republish", false, "the match stage republishes its registry to ClickHouse (every person and link; the persons ClickHouse holds that it does not, retired) before it links anything; it does so unasked when its model is not the one it last published with (README, \"Upgrading the model\")")
	cmd.Flags().StringVar(&instance, "score-instance", "0/1", "with --stages score: this instance i of K (i/K)")
	cmd.Flags().StringVar(&settingsPath, "settings", "", "matching settings with a trained model (dancu train); default: the trained Vietnamese model embedded in the binary")
	cmd.Flags().StringVar(&metrics, "metrics", "", "serve Prometheus metrics on this host:port (e.g. 127.0.0.1:9464)")
	cmd.Flags().Var(&memLimit, "memory-limit", "soft memory limit for the Go runtime, e.g. 4GiB (with GOGC 400: the registry's garbage collection falls from about 12% to 4% of the CPU at 1M records); 0 = the runtime's defaults")
	cmd.Flags().IntVar(&matchBatch, "match-batch", 0, matchBatchUsage)
	cmd.Flags().DurationVar(&every, "progress", 5*time.Second, "log the stage counters and each stage's lag this often while there is work (0: never)")
	return cmd
}

// modelAttrs names the model a match stage or score instance runs with,
// for the "stages running" line: its version, as dancu train prints it,
// and the fingerprint that the registry's stores and a score instance's
// refusal name. After an upgrade an operator checks every process
// against them.
func modelAttrs(s *settings.Settings) []any {
	return []any{"model", settings.ModelVersion(s), "fingerprint", registry.Fingerprint(s)}
}

func newLogger(g *globals) *slog.Logger {
	lvl := slog.LevelInfo
	if g.verbose {
		lvl = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: lvl}))
}

// checkMigrated refuses a load stage on a database that lacks migrations
// of this binary, and warns of one a newer dancu migrated. A new binary
// started without dancu migrate loaded until an insert named a table or
// column the database lacked (user16, an upgrade over a running older
// dancu); an older one after the newer migrated said nothing.
func checkMigrated(ctx context.Context, conn driver.Conn, log *slog.Logger) error {
	missing, newer, err := chstore.Behind(ctx, conn)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if len(missing) > 0 {
		return fmt.Errorf("run: ClickHouse's database lacks %d migration(s) of this dancu (%s): run dancu migrate with this binary first",
			len(missing), strings.Join(missing, ", "))
	}
	if len(newer) > 0 {
		log.Warn("ClickHouse's database holds migrations this dancu does not know: a newer dancu migrated it; run that binary (stop this one first)",
			"versions", newer)
	}
	return nil
}
