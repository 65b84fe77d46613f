package broker

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/dancu-vn/dancu/internal/broker/compact"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DefaultAddr is where the embedded broker listens unless told otherwise.
const DefaultAddr = "127.0.0.1:9092"

// DefaultPartitions is the partition count of auto-created topics.
const DefaultPartitions = 6

// Config configures the embedded broker. The zero value is usable.
type Config struct {
	// Addr is the host:port to listen on. Port 0 picks a free port; read
	// the result with Broker.Addr. Clients are told to connect to exactly
	// this host, so use an address they can reach (not 0.0.0.0).
	// Default: DefaultAddr (127.0.0.1:9092).
	Addr string
	// DataDir is the directory holding topics, messages and committed
	// offsets. It is created if missing and reloaded on start.
	// Default: "" (memory only: everything is lost on Close).
	DataDir string
	// Partitions is the partition count of topics created automatically
	// (on first produce or metadata request) or with -1 partitions.
	// Default: DefaultPartitions (6).
	Partitions int
	// SyncWrites fsyncs every produced batch and every offset commit
	// before acknowledging it, so that acknowledged data survives the
	// process being killed, at the cost of throughput. Without it, data
	// survives Close and a clean stop, but a kill may lose the last
	// batches (like Kafka's default log.flush settings).
	// Default: false.
	SyncWrites bool
	// Logger receives the broker's warnings and errors.
	// Default: discard.
	Logger *slog.Logger
	// ClusterID is the cluster id that a new data directory, or a broker
	// without one, is given; clients read it in metadata, and a registry
	// refuses a changelog of another cluster. A data directory keeps the
	// id it was first started with, whatever this says: kfake stores it
	// there (meta.json) at the first start and reads it at every start.
	// Directories made before 6 December keep "dancu", so that the
	// registries written against them still start.
	// Default: "" (a random id of 22 characters, like Kafka's).
	ClusterID string
	// NoCompact leaves the compacted topics of DataDir as they are at
	// Start. Otherwise Start compacts them (package compact: the latest
	// message of each key kept, tombstones past their topic's
	// delete.retention.ms dropped, offsets kept) before it serves; the
	// running broker never compacts.
	// Default: false (compact at Start).
	NoCompact bool
	// Compact tunes the compaction at Start.
	// Default: the zero compact.Options (the last 1000 offsets of each
	// partition left as they are).
	Compact compact.Options
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	var errs []error
	if c.Addr != "" {
		host, _, err := net.SplitHostPort(c.Addr)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("addr %q: %w", c.Addr, err))
		case host == "" || host == "0.0.0.0" || host == "::":
			errs = append(errs, fmt.Errorf("addr %q: name the host clients connect to (e.g. 127.0.0.1), not a wildcard", c.Addr))
		}
	}
	if c.Partitions < 0 {
		errs = append(errs, fmt.Errorf("partitions %d: must be at least 1", c.Partitions))
	}
	return errors.Join(errs...)
}

// withDefaults returns a copy of c with defaults applied.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Partitions == 0 {
		c.Partitions = DefaultPartitions
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Broker is a running embedded broker.
type Broker struct {
	cluster   *kfake.Cluster
	addr      string
	clusterID string
	unlock    func() error
	compacted compact.Result
	// stopSessions ends the sweep of sessions.go; sessionsDone is closed
	// once it has returned.
	stopSessions, sessionsDone chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// Start starts a broker and returns once it accepts connections. The
// context bounds only the start-up; stop the broker with Close.
func Start(ctx context.Context, cfg Config) (*Broker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("start broker: %w", err)
	}
	cfg = cfg.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start broker: %w", err)
	}

	unlock := func() error { return nil }
	if cfg.DataDir != "" {
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("start broker: create data dir: %w", err)
		}
		u, err := lockDir(filepath.Join(cfg.DataDir, "dancu-broker.lock"))
		if err != nil {
			if errors.Is(err, ErrDataDirLocked) {
				return nil, fmt.Errorf("start broker: data dir %s: %w: stop that broker, or give this one another --data (or --home)", cfg.DataDir, err)
			}
			return nil, fmt.Errorf("start broker: data dir %s: %w", cfg.DataDir, err)
		}
		unlock = u
	}

	var compacted compact.Result
	if cfg.DataDir != "" && !cfg.NoCompact {
		compacted = compactAtStart(cfg)
	}
	clusterID, err := chooseClusterID(cfg)
	if err != nil {
		_ = unlock()
		return nil, fmt.Errorf("start broker: %w", err)
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		// kfake's own compaction, run by this ticker, is not used (see
		// package compact: it is not safe against a kill, moves the log
		// start offset, and the ticker time-retains compacted topics).
		kfake.BrokerConfigs(map[string]string{"log.cleaner.backoff.ms": noCleanerMs}),
		kfake.ClusterID(clusterID),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(cfg.Partitions),
		kfake.WithLogger(slogAdapter{cfg.Logger}),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			var lc net.ListenConfig
			return lc.Listen(ctx, network, cfg.Addr)
		}),
	}
	if cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(cfg.DataDir))
	}
	if cfg.SyncWrites {
		opts = append(opts, kfake.SyncWrites())
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		_ = unlock()
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("start broker on %s: %w: another process listens there (a broker already running?); stop it, or give this one another --listen", cfg.Addr, err)
		}
		return nil, fmt.Errorf("start broker on %s: %w", cfg.Addr, err)
	}
	persistAutoCreatedTopics(c, cfg.Partitions)
	addrs := c.ListenAddrs()
	if len(addrs) != 1 {
		c.Close()
		_ = unlock()
		return nil, fmt.Errorf("start broker: expected one listener, got %v", addrs)
	}
	b := &Broker{cluster: c, addr: addrs[0], clusterID: clusterID, unlock: unlock, compacted: compacted,
		stopSessions: make(chan struct{}), sessionsDone: make(chan struct{})}
	watchSessions(c, b.addr, cfg.Logger, b.stopSessions, b.sessionsDone)
	return b, nil
}

// noCleanerMs is log.cleaner.backoff.ms, the period of kfake's
// compaction and retention ticker: 10^12 ms, about 31 years (a longer
// one overflows kfake's time.Duration), so never.
const noCleanerMs = "1000000000000"

// compactAtStart compacts cfg.DataDir's compacted topics, logging what it
// did. A failure is logged and the broker started all the same: a
// segment is replaced whole or not at all, so the directory is as
// readable as before.
func compactAtStart(cfg Config) compact.Result {
	res, err := compact.Dir(cfg.DataDir, cfg.Compact)
	if err != nil {
		cfg.Logger.Warn("broker: compaction of the compacted topics failed; starting without it", "dir", cfg.DataDir, "err", err)
	}
	for _, p := range res.Partitions {
		switch {
		case p.Skipped != "":
			cfg.Logger.Warn("broker: partition not compacted", "topic", p.Topic, "partition", p.Partition, "why", p.Skipped)
		case p.MessagesAfter < p.MessagesBefore:
			cfg.Logger.Info("broker: compacted", "topic", p.Topic, "partition", p.Partition,
				"messages_before", p.MessagesBefore, "messages_after", p.MessagesAfter,
				"bytes_before", p.BytesBefore, "bytes_after", p.BytesAfter, "tombstones_dropped", p.TombstonesDropped)
		}
	}
	return res
}

// Compact compacts the compacted topics of a stopped broker's data
// directory (package compact), holding the directory's lock meanwhile:
// it fails with ErrDataDirLocked while a broker runs on it.
func Compact(dir string, opt compact.Options) (compact.Result, error) {
	unlock, err := lockDir(filepath.Join(dir, "dancu-broker.lock"))
	if err != nil {
		if errors.Is(err, ErrDataDirLocked) {
			return compact.Result{}, fmt.Errorf("compact broker data dir %s: %w: a broker runs on it (it compacts at its start); stop it first", dir, err)
		}
		return compact.Result{}, fmt.Errorf("compact broker data dir %s: %w", dir, err)
	}
	res, err := compact.Dir(dir, opt)
	if uerr := unlock(); err == nil && uerr != nil {
		err = fmt.Errorf("compact broker data dir %s: release: %w", dir, uerr)
	}
	return res, err
}

// Compacted returns what Start's compaction did.
func (b *Broker) Compacted() compact.Result { return b.compacted }

// Addr returns the host:port clients connect to.
func (b *Broker) Addr() string { return b.addr }

// ClusterID returns the cluster id the broker gives in metadata.
func (b *Broker) ClusterID() string { return b.clusterID }

// chooseClusterID returns the id of the cluster: the one the data
// directory holds, else cfg.ClusterID, else a new random one.
//
// Every embedded broker used to be cluster "dancu", so a registry's
// check of its changelog's cluster could not tell two of them apart
// (stop 32's "Crash safety" list): a registry started against a broker
// whose data was lost or that was another one got as far as the
// changelog's offsets. kfake keeps the id in the data directory's
// meta.json, written at the first start and read at every start (it
// overrides the option); it is read here too, so that ClusterID says it.
func chooseClusterID(cfg Config) (string, error) {
	if cfg.DataDir != "" {
		raw, err := os.ReadFile(filepath.Join(cfg.DataDir, "meta.json"))
		switch {
		case err == nil:
			var meta struct {
				ClusterID string `json:"cluster_id"`
			}
			if err := json.Unmarshal(raw, &meta); err != nil {
				return "", fmt.Errorf("data dir %s: meta.json: %w", cfg.DataDir, err)
			}
			return meta.ClusterID, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("data dir %s: %w", cfg.DataDir, err)
		}
	}
	if cfg.ClusterID != "" {
		return cfg.ClusterID, nil
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(id), nil
}

// Close stops the broker, writes its state to the data directory, and
// releases the directory. It is safe to call more than once.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		close(b.stopSessions)
		<-b.sessionsDone
		b.cluster.Close()
		if err := b.unlock(); err != nil {
			b.closeErr = fmt.Errorf("close broker: release data dir: %w", err)
		}
	})
	return b.closeErr
}

// slogAdapter forwards kfake's log lines to slog. kfake logs every request
// at info level, far too much for dancu's info level, so its info becomes
// debug.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Logf(level kfake.LogLevel, format string, args ...any) {
	var lv slog.Level
	switch level {
	case kfake.LogLevelError:
		lv = slog.LevelError
	case kfake.LogLevelWarn:
		lv = slog.LevelWarn
	case kfake.LogLevelInfo, kfake.LogLevelDebug:
		lv = slog.LevelDebug
	default:
		return
	}
	ctx := context.Background()
	if !a.l.Enabled(ctx, lv) {
		return
	}
	a.l.Log(ctx, lv, "kfake: "+fmt.Sprintf(format, args...))
}

// persistAutoCreatedTopics makes topic auto-creation durable. kfake
// creates a topic named in a Metadata request in memory only: the topic
// list on disk is rewritten by CreateTopics and at Close, so after a kill
// an auto-created topic and all its acknowledged messages were gone
// (found by hand: produce to a new topic, SIGKILL, restart). This control
// function sees each Metadata request that asks for auto-creation, and
// before kfake answers it creates the topics it has not seen yet through
// kfake's CreateTopic, which writes the topic list to disk. It sleeps the
// request meanwhile (SleepControl), so that the cluster loop, which
// CreateTopic needs, keeps running.
func persistAutoCreatedTopics(c *kfake.Cluster, partitions int) {
	var known sync.Map // topic → struct{}: exists, and is on disk
	c.ControlKey(kmsg.Metadata.Int16(), func(req kmsg.Request) (kmsg.Response, error, bool) {
		mr, ok := req.(*kmsg.MetadataRequest)
		if !ok || !mr.AllowAutoTopicCreation {
			return nil, nil, false
		}
		var missing []string
		for _, t := range mr.Topics {
			if t.Topic == nil || *t.Topic == "" {
				continue
			}
			if _, ok := known.Load(*t.Topic); !ok {
				missing = append(missing, *t.Topic)
			}
		}
		if len(missing) == 0 {
			return nil, nil, false
		}
		c.SleepControl(func() {
			for _, t := range missing {
				err := c.CreateTopic(t, int32(partitions), nil)
				if err == nil || errors.Is(err, kerr.TopicAlreadyExists) {
					known.Store(t, struct{}{})
				}
				// Other errors (an invalid name): kfake answers the
				// request as it would have.
			}
		})
		return nil, nil, false
	})
}

// GroupMembers returns the member ids of a consumer group (nil when the
// broker has no such group).
func (b *Broker) GroupMembers(group string) map[string]bool {
	info := b.cluster.GroupInfo(group)
	if info == nil {
		return nil
	}
	ids := make(map[string]bool, len(info.Members))
	for _, m := range info.Members {
		ids[m.MemberID] = true
	}
	return ids
}
