package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/compact"
)

// brokerFlags are the settings of `dancu broker`.
type brokerFlags struct {
	listen     string // Default: 127.0.0.1:9092
	data       string // Default: <home>/kafka
	partitions int    // Default: 6
	sync       bool   // Default: true
	tail       int64  // Default: compact.DefaultTail
	noCompact  bool   // Default: false
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

At each start, before it serves, the broker compacts the topics created
with cleanup.policy=compact (the registry's changelog, the load stage's
share): of each key only the latest message is kept, tombstones older
than the topic's delete.retention.ms (one day) are dropped, offsets are
kept (readers see gaps), and each partition's last --compact-tail offsets
are left as they are. The running broker does not compact; stop it and
run 'dancu broker compact' (or start it again) to compact.

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
	fl.Int64Var(&f.tail, "compact-tail", envTail(), "last offsets of each compacted partition left as they are at start ($DANCU_BROKER_COMPACT_TAIL)")
	fl.BoolVar(&f.noCompact, "no-compact", false, "do not compact the compacted topics at start")
	cmd.AddCommand(newBrokerCompactCmd(g))
	return cmd
}

// envTail returns $DANCU_BROKER_COMPACT_TAIL, the default of
// --compact-tail (so that a harness starting brokers, dancu chaos, can set
// it), else compact.DefaultTail.
func envTail() int64 {
	if n, err := strconv.ParseInt(os.Getenv("DANCU_BROKER_COMPACT_TAIL"), 10, 64); err == nil {
		return n
	}
	return compact.DefaultTail
}

func newBrokerCompactCmd(g *globals) *cobra.Command {
	var data string
	var tail int64
	cmd := &cobra.Command{
		Use:   "compact",
		Short: "compact the compacted topics of a stopped broker's data directory",
		Long: `Compact the topics created with cleanup.policy=compact (the registry's
changelog dancu.registry-changelog, the load stage's share
dancu.load-pending) in the data directory of a stopped 'dancu broker', as
a Kafka cluster's log cleaner does: of each key only the latest message is
kept, a tombstone older than its topic's delete.retention.ms (one day by
default) is dropped, offsets are kept (readers see gaps), and each
partition's last --tail offsets are left as they are. A running broker
holds its directory: this is refused then (the broker compacts at its
start anyway). Each segment file is replaced whole, so an interrupted
compaction leaves a directory the broker reads as before.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" {
				data = filepath.Join(g.home, "kafka")
			}
			if _, err := os.Stat(filepath.Join(data, "meta.json")); err != nil {
				return fmt.Errorf("broker compact: %s holds no broker data (%w); give the broker's --data", data, err)
			}
			res, err := broker.Compact(data, compact.Options{Tail: tail})
			for _, p := range res.Partitions {
				switch {
				case p.Skipped != "":
					fmt.Fprintf(g.stdout, "%s-%d: left as it is: %s\n", p.Topic, p.Partition, p.Skipped)
				default:
					fmt.Fprintf(g.stdout, "%s-%d: %d → %d messages, %d → %d bytes, %d tombstones dropped\n",
						p.Topic, p.Partition, p.MessagesBefore, p.MessagesAfter, p.BytesBefore, p.BytesAfter, p.TombstonesDropped)
				}
			}
			if err != nil {
				return err
			}
			before, after := res.Messages()
			fmt.Fprintf(g.stdout, "compacted %s in %.2fs: %d → %d messages\n", data, res.Elapsed.Seconds(), before, after)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "the broker's data directory (default <home>/kafka)")
	fl.Int64Var(&tail, "tail", envTail(), "last offsets of each partition left as they are ($DANCU_BROKER_COMPACT_TAIL)")
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
		NoCompact:  f.noCompact,
		Compact:    compact.Options{Tail: f.tail},
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
