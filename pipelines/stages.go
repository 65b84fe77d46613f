package pipelines

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/pprof"
	"sync/atomic"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/segmentio/kafka-go"
	"golang.org/x/sync/errgroup"
)

// StagesConfig says which long-running stages to run and where.
type StagesConfig struct {
	Brokers []string    // Kafka bootstrap brokers
	Conn    driver.Conn // ClickHouse connection for the load stage
	Linker  Linker      // Default: a RegistryLinker over RegistryDir
	// RegistryDir holds the match stage's registry (Pebble) when Linker
	// is nil; Settings its trained model (default: the embedded one).
	RegistryDir string
	Settings    *settings.Settings
	Enrich      Enricher // Default: none
	// LoadDir keeps the load stage's inserts of coverage deltas while
	// they are sent (ClickHouseSink.PendingDir), so that the stage started
	// again after this process ended finishes one it left unfinished.
	// Empty: none kept (an engine killed between an insert's views while
	// the process ends can then leave coverage off; docs/pipeline.md).
	LoadDir string
	// Match and Load select the stages. Each process may run either or
	// both; more load processes join the same consumer group. One
	// process runs the match stage (it holds the registry).
	Match, Load bool
	// ScaleOut makes the match stage hand the scoring to score instances
	// over Kafka (RemoteScorer: the block and cluster roles) instead of
	// scoring in its own process.
	ScaleOut bool
	// Republish makes the match stage republish its registry to
	// ClickHouse before it links anything (republish.go); it does so
	// without it when the model is not the one it last published with.
	Republish bool
	// Score runs a score instance (RunScore) in this process, with
	// ScoreConfig (Brokers, Settings and Logger default to these).
	Score       bool
	ScoreConfig ScoreConfig
	// Consumer groups. Defaults: "dancu-match", "dancu-load".
	MatchGroup, LoadGroup string
	MatchConfig           MatchConfig
	LoadConfig            LoadConfig
	Logger                *slog.Logger
}

// StageStats are the counters of the stages of one process.
type StageStats struct {
	Match       MatchStats
	MatchDead   atomic.Int64 // record batches the match stage sent to the dead letters
	LoadMatched LoadStats    // rows from TopicMatched
	LoadRejects LoadStats    // rows from TopicRejects
	Score       ScoreStats   // the score instance of this process
}

// DeadLetters is the number of messages the stages of this process sent
// to the dead-letter topic.
func (s *StageStats) DeadLetters() int64 {
	return s.MatchDead.Load() + s.LoadMatched.Dead.Load() + s.LoadRejects.Dead.Load()
}

// RunStages runs the selected stages until ctx is cancelled (each drains
// what it holds before returning) or one of them fails. A stop asked for
// while the stages are still starting (Ctrl-C while the topics are being
// made or the registry opened) is a stop, not a failure: it returns nil.
func RunStages(ctx context.Context, cfg StagesConfig, st *StageStats) (err error) {
	stop := ctx
	defer func() {
		if err != nil && stop.Err() != nil && errors.Is(err, context.Canceled) {
			err = nil
		}
	}()
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if st == nil {
		st = new(StageStats)
	}
	ctx, cancel := context.WithCancel(ctx)
	g, ctx := errgroup.WithContext(ctx)
	// On an early return, the score instance started below stops first.
	defer func() { cancel(); g.Wait() }()
	if cfg.Score {
		sc := cfg.ScoreConfig
		if sc.Brokers == nil {
			sc.Brokers = cfg.Brokers
		}
		if sc.Settings == nil {
			sc.Settings = cfg.Settings
		}
		if sc.Logger == nil {
			sc.Logger = cfg.Logger
		}
		if sc.Dir == "" {
			return fmt.Errorf("run stages: the score role needs a directory")
		}
		g.Go(func() error {
			return withStage(ctx, "score", func(ctx context.Context) error {
				if err := RunScore(ctx, sc, &st.Score); err != nil && ctx.Err() == nil {
					return err
				}
				return nil
			})
		})
	}
	var stageRegistry *RegistryLinker // opened here: republished if need be
	if cfg.Linker == nil && cfg.Match {
		if cfg.RegistryDir == "" {
			return fmt.Errorf("run stages: the match stage needs a registry directory (or a Linker)")
		}
		rc := RegistryConfig{Dir: cfg.RegistryDir, Settings: cfg.Settings, Brokers: cfg.Brokers}
		if cfg.ScaleOut {
			rs, err := NewRemoteScorer(ctx, cfg.Brokers, cfg.Logger)
			if err != nil {
				return fmt.Errorf("run stages: %w", err)
			}
			defer rs.Close()
			if rc.Settings == nil {
				if rc.Settings, err = vietnamese.Trained(); err != nil {
					return fmt.Errorf("run stages: %w", err)
				}
			}
			rs.Model = registry.Fingerprint(rc.Settings)
			rc.Score, rc.Withdraw = rs.Score, rs.Withdraw
		}
		l, err := openStageRegistry(ctx, rc, cfg.Logger)
		if err != nil {
			return fmt.Errorf("run stages: %w", err)
		}
		defer l.Close()
		cfg.Linker = l
		stageRegistry = l
		if cfg.Conn != nil && l.Registry.Len() == 0 {
			sayClickHouseAhead(ctx, cfg.Conn, cfg.Logger)
		}
	}
	if cfg.MatchGroup == "" {
		cfg.MatchGroup = "dancu-match"
	}
	if cfg.LoadGroup == "" {
		cfg.LoadGroup = "dancu-load"
	}
	if cfg.Load && cfg.Conn == nil {
		return fmt.Errorf("run stages: load stage needs a ClickHouse connection")
	}
	topics := kafkax.FlowTopics(0)
	topics[TopicDead] = 1
	topics[TopicDecisions] = 1
	topics[TopicLoadPending] = 1
	if err := kafkax.EnsureTopics(ctx, cfg.Brokers, topics); err != nil {
		return fmt.Errorf("run stages: %w", err)
	}
	if cfg.Match || cfg.Load {
		sayExpired(ctx, cfg, cfg.Logger)
	}
	dead, err := kafkax.NewWriter(cfg.Brokers, TopicDead)
	if err != nil {
		return err
	}
	defer dead.Close()
	if cfg.Match {
		r, err := kafkax.NewReader(cfg.Brokers, cfg.MatchGroup, TopicRecords)
		if err != nil {
			return err
		}
		w, err := kafkax.NewWriter(cfg.Brokers, TopicMatched)
		if err != nil {
			return err
		}
		w.Compression = 0 // Arrow IPC bodies, LZ4-compressed already (as Import's)
		mc := cfg.MatchConfig
		mc.Logger = cfg.Logger
		if mc.DeadLetter == nil {
			mc.DeadLetter = deadCounter{w: dead, n: &st.MatchDead}
		}
		g.Go(func() error {
			defer r.Close()
			defer w.Close()
			return withStage(ctx, "match", func(ctx context.Context) error {
				if stageRegistry != nil {
					if err := republishIfNeeded(ctx, stageRegistry, cfg.RegistryDir, cfg.Republish, w, mc.ChunkRows,
						loadCaughtUp(cfg.Brokers, cfg.LoadGroup, cfg.Logger), cfg.Logger); err != nil {
						return fmt.Errorf("match stage: %w", err)
					}
				}
				if err := Match(ctx, r, w, cfg.Linker, cfg.Enrich, mc, &st.Match); err != nil {
					return fmt.Errorf("match stage: %w", err)
				}
				return nil
			})
		})
	}
	if dec, ok := cfg.Linker.(Decider); ok && cfg.Match {
		// Police decisions go to the registry the match stage holds.
		r, err := kafkax.NewReader(cfg.Brokers, cfg.MatchGroup+"-decisions", TopicDecisions)
		if err != nil {
			return err
		}
		w, err := kafkax.NewWriter(cfg.Brokers, TopicMatched)
		if err != nil {
			return err
		}
		w.Compression = 0 // Arrow IPC bodies, LZ4-compressed already (as Import's)
		g.Go(func() error {
			defer r.Close()
			defer w.Close()
			return withStage(ctx, "decisions", func(ctx context.Context) error {
				return Decisions(ctx, r, w, dec, dead, cfg.Logger)
			})
		})
	}
	if cfg.Load {
		share, err := NewKafkaPendingShare(cfg.Brokers)
		if err != nil {
			return err
		}
		defer share.Close()
		// One group per topic: a kafka-go reader follows one topic, and
		// two readers with different subscriptions in one group would
		// rebalance each other for nothing.
		share.Groups = map[string]string{TopicMatched: cfg.LoadGroup, TopicRejects: cfg.LoadGroup + "-rejects"}
		sink := &ClickHouseSink{Conn: cfg.Conn, PendingDir: cfg.LoadDir, Share: share}
		for _, topic := range []string{TopicMatched, TopicRejects} {
			group := share.Groups[topic]
			r, err := kafkax.NewReader(cfg.Brokers, group, topic)
			if err != nil {
				return err
			}
			lc := cfg.LoadConfig
			lc.Logger = cfg.Logger
			if topic == TopicMatched && lc.BacklogWait == 0 {
				lc.BacklogWait = matchedBacklogWaits * cmp.Or(lc.MaxWait, defaultLoadWait)
			}
			if lc.DeadLetter == nil {
				lc.DeadLetter = dead
			}
			stats, stage := &st.LoadMatched, "load"
			if topic == TopicRejects {
				stats, stage = &st.LoadRejects, "load-rejects"
			}
			g.Go(func() error {
				defer r.Close()
				return withStage(ctx, stage, func(ctx context.Context) error {
					if err := Load(ctx, r, sink, lc, stats); err != nil {
						return fmt.Errorf("load stage (%s): %w", topic, err)
					}
					return nil
				})
			})
		}
	}
	return g.Wait()
}

// matchedBacklogWaits is the load stage's BacklogWait on TopicMatched in
// MaxWaits (10 s by default): a match stage with a backlog writes a
// micro-batch every few seconds (1.8 s at 1M records on an idle machine),
// and a pending batch waits for MaxRows of them rather than MaxWait,
// one insert per table for a few micro-batches instead of one for each.
const matchedBacklogWaits = 5

// withStage runs f with the profiler label stage=name on its goroutine
// and those it starts, so that a CPU profile of a process running several
// stages (dancu demo, dancu run) splits by stage: go tool pprof
// -tagfocus stage=load, or -tags for the totals. The ClickHouse engine's
// own threads and the embedded broker carry no label.
func withStage(ctx context.Context, name string, f func(context.Context) error) error {
	var err error
	pprof.Do(ctx, pprof.Labels("stage", name), func(ctx context.Context) { err = f(ctx) })
	return err
}

// deadCounter counts the messages written through it: the match stage
// sends undecodable record batches to the dead letters, and this is where
// the stage counters learn of them.
type deadCounter struct {
	w MessageWriter
	n *atomic.Int64
}

func (c deadCounter) WriteMessages(ctx context.Context, msgs ...kafka.Message) error {
	if err := c.w.WriteMessages(ctx, msgs...); err != nil {
		return err
	}
	c.n.Add(int64(len(msgs)))
	return nil
}

// sayClickHouseAhead logs, at error level, a ClickHouse that holds
// records while the registry, rebuilt from its changelog, holds none: the
// broker's data was lost (or the database is another's). Importing the
// files again then keeps one row per record but makes coverage count each
// record twice (user16: 61,652 records for 30,826), which nothing said.
func sayClickHouseAhead(ctx context.Context, conn driver.Conn, log *slog.Logger) {
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM records").Scan(&n); err != nil || n == 0 {
		return
	}
	log.Error("the registry and its changelog hold no record, but ClickHouse holds some: the broker's data was lost, or this is "+
		"another region's database. Restore "+kafkax.TopicRegistryChangelog+" from a backup of the broker (then start again); "+
		"do not import the files again into this database — coverage would count their records twice — but into an empty "+
		"one (--database, dancu migrate)", "clickhouse_record_rows", n) // rows, not records: no FINAL (cheap at 10M)
}
