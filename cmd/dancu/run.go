package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/spf13/cobra"
)

func newRunCmd(g *globals) *cobra.Command {
	var (
		stages   string
		metrics  string
		settings string
		every    time.Duration
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "run the match and load stages (Kafka → match → Kafka → load → ClickHouse)",
		Long: `Runs the long-lived stages of the pipeline until interrupted. Run more
load processes (--stages load) to scale out loading: each joins the same
Kafka consumer group. The match stage keeps the identity registry on disk
under --home (registry/, rebuilt from the topic dancu.registry-changelog when
missing) and must run in one process: two match processes would each hold
part of the registry. The first Ctrl-C drains what the stages hold (ClickHouse gets the rows, then
offsets are committed); a second one stops at once.

While there is work, a "progress" line every --progress interval gives this
process's counters and each stage's lag: the Kafka messages published to
its input topic that its consumer group has not committed yet (match_lag on
dancu.records, decisions_lag, load_lag on dancu.matched, load-rejects_lag
on dancu.rejects). An idle run logs nothing. loaded_person_rows counts
person versions: a person is written again each time it gains a record,
merges or splits, and ClickHouse keeps the last (persons FINAL, what dancu
coverage counts), so it exceeds the number of persons. The drain and the
stop are logged with the lags left.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
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
				default:
					return fmt.Errorf("--stages: unknown stage %q (want match, load)", s)
				}
			}
			if cfg.Load {
				conn, err := openClickHouse(cmd.Context(), g)
				if err != nil {
					return err
				}
				defer conn.Close()
				cfg.Conn = conn
			}
			if cfg.Match {
				// The registry lives under --home; it is rebuilt from its
				// changelog topic when the directory is missing.
				cfg.RegistryDir = filepath.Join(g.home, "registry")
				if settings != "" {
					s, err := matching.LoadSettings(settings)
					if err != nil {
						return err
					}
					if s.Model == nil {
						return fmt.Errorf("--settings %s: no trained model (run dancu train first)", settings)
					}
					cfg.Settings = s
				}
			}
			st := new(pipelines.StageStats)
			if metrics != "" {
				addr, err := serveMetrics(cmd.Context(), metrics, st)
				if err != nil {
					return fmt.Errorf("--metrics: %w", err)
				}
				cfg.Logger.Info("metrics", "url", "http://"+addr+"/metrics")
			}
			cfg.Logger.Info("stages running", "match", cfg.Match, "load", cfg.Load, "kafka", g.kafka)
			// Progress and lag lines, the drain and the stop: runlog.go.
			return superviseStages(cmd.Context(), cfg.Logger, cfg, st, every, pipelines.RunStages)
		},
	}
	cmd.Flags().StringVar(&stages, "stages", "match,load", "stages to run in this process")
	cmd.Flags().StringVar(&settings, "settings", "", "matching settings with a trained model (dancu train); default: the trained Vietnamese model embedded in the binary")
	cmd.Flags().StringVar(&metrics, "metrics", "", "serve Prometheus metrics on this host:port (e.g. 127.0.0.1:9464)")
	cmd.Flags().DurationVar(&every, "progress", 5*time.Second, "log the stage counters and each stage's lag this often while there is work (0: never)")
	return cmd
}

func newLogger(g *globals) *slog.Logger {
	lvl := slog.LevelInfo
	if g.verbose {
		lvl = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: lvl}))
}
