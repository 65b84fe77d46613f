package main

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/dancu-vn/dancu/pipelines"
	"github.com/spf13/cobra"
)

func newRunCmd(g *globals) *cobra.Command {
	var stages string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "run the match and load stages (Kafka → match → Kafka → load → ClickHouse)",
		Long: `Runs the long-lived stages of the pipeline until interrupted. Run more
processes to scale out: each joins the same Kafka consumer groups. The
first Ctrl-C drains what the stages hold (ClickHouse gets the rows, then
offsets are committed); a second one stops at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := pipelines.StagesConfig{Brokers: brokerList(g), Enrich: pipelines.ResolveAddresses, Logger: newLogger(g)}
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
			cfg.Logger.Info("stages running", "match", cfg.Match, "load", cfg.Load, "kafka", g.kafka)
			return pipelines.RunStages(cmd.Context(), cfg, nil)
		},
	}
	cmd.Flags().StringVar(&stages, "stages", "match,load", "stages to run in this process")
	return cmd
}

func newLogger(g *globals) *slog.Logger {
	lvl := slog.LevelInfo
	if g.verbose {
		lvl = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: lvl}))
}
