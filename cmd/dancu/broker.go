package main

import (
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/internal/broker"
)

// brokerFlags are the settings of `dancu broker`.
type brokerFlags struct {
	listen     string // Default: 127.0.0.1:9092
	data       string // Default: <home>/kafka
	partitions int    // Default: 6
	sync       bool   // Default: true
}

func newBrokerCmd(g *globals) *cobra.Command {
	var f brokerFlags
	cmd := &cobra.Command{
		Use:   "broker",
		Short: "run the embedded Kafka-protocol broker",
		Long: `Run dancu's embedded Kafka-protocol broker (franz-go's kfake) in the
foreground until interrupted. Topics, messages and committed consumer-group
offsets are kept in the data directory and survive a restart; with --sync
(the default) every acknowledged batch is fsynced first. Topics are created
automatically on first use.

For development, tests and single-machine runs. In production point
--kafka / DANCU_KAFKA_BROKERS at an Apache Kafka or Redpanda cluster instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.data == "" {
				f.data = filepath.Join(g.home, "kafka")
			}
			if err := privateDir(g.stderr, f.data); err != nil {
				return err
			}
			return runBroker(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", broker.DefaultAddr, "host:port to listen on")
	fl.StringVar(&f.data, "data", "", "data directory (default <home>/kafka)")
	fl.IntVar(&f.partitions, "partitions", broker.DefaultPartitions, "partitions of automatically created topics")
	fl.BoolVar(&f.sync, "sync", true, "fsync every produced batch and offset commit (survives a crash; slower)")
	return cmd
}

func runBroker(cmd *cobra.Command, g *globals, f brokerFlags) error {
	level := slog.LevelInfo
	if g.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
	cfg := broker.Config{
		Addr:       f.listen,
		DataDir:    f.data,
		Partitions: f.partitions,
		SyncWrites: f.sync,
		Logger:     log,
	}
	if f.partitions < 1 {
		return fmt.Errorf("broker: --partitions %d: must be at least 1", f.partitions)
	}
	ctx := cmd.Context()
	b, err := broker.Start(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "dancu broker listening on %s (data %s, %d partitions per new topic, sync %v)\n",
		b.Addr(), f.data, f.partitions, f.sync)
	<-ctx.Done()
	log.Info("stopping broker", "addr", b.Addr())
	if err := b.Close(); err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, "dancu broker stopped; data saved in", f.data)
	return nil
}
