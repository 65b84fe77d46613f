package pipelines

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// RegistryLinker links micro-batches with the identity registry (package
// registry): each new record is scored against its blocking candidates
// with the one trained model and the persons it touches are clustered
// again; the state is on disk (Pebble) under the registry's directory,
// and every batch goes to the changelog topic, from which a matcher
// whose disk state is missing rebuilds it.
type RegistryLinker struct {
	Registry *registry.Registry
	Records  *registry.Records
	// Changelog receives each batch's records (key = a hash of their
	// ids and a nonce: changelogKey) before Link returns, and each
	// decision and withdrawal. Nil: no changelog.
	Changelog MessageWriter

	// mu keeps the changelog in the order batches and decisions were
	// applied.
	mu sync.Mutex
	// written follows the changelog writer's offsets, stored as the
	// registry's changelog position after each write (registry_catchup.go).
	// Nil: no position kept.
	written *changelogWritten
	// store turns the registry store's panic on a failed write (a full
	// disk) into an error, and refuses its later use (storefail.go).
	store storeGuard
}

var (
	_ ChunkLinker     = (*RegistryLinker)(nil)
	_ ChangelogLinker = (*RegistryLinker)(nil)
)

// Link implements Linker.
func (l *RegistryLinker) Link(ctx context.Context, recs []schemas.Record) (LinkResult, error) {
	return l.LinkChunks(ctx, recs, nil)
}

// LinkChunks implements ChunkLinker: Link, with the changelog messages
// carrying chunks (recs already encoded, in order, each at most
// changelogChunk records) instead of an encoding of their own. Nil
// chunks: recs are encoded here.
func (l *RegistryLinker) LinkChunks(ctx context.Context, recs []schemas.Record, chunks [][]byte) (LinkResult, error) {
	res, logged, err := l.LinkLogging(ctx, recs, chunks)
	if err != nil {
		return LinkResult{}, err
	}
	if err := logged(); err != nil {
		return LinkResult{}, err
	}
	return res, nil
}

// LinkLogging implements ChangelogLinker: LinkChunks, returning once the
// registry has the batch; the batch's changelog messages are written
// meanwhile, and logged waits for them (their error). Until logged
// returns, the linker takes no other batch or decision, so that the
// changelog keeps the order in which they were applied; recs and chunks
// must stay unchanged until then.
func (l *RegistryLinker) LinkLogging(ctx context.Context, recs []schemas.Record, chunks [][]byte) (LinkResult, func() error, error) {
	l.mu.Lock()
	out, err := guarded(&l.store, func() (*registry.Output, error) { return l.Registry.AddRecords(ctx, l.Records, recs) })
	if err != nil {
		l.mu.Unlock()
		return LinkResult{}, nil, err
	}
	res := linkResult(out)
	if l.Changelog == nil || len(recs) == 0 {
		l.mu.Unlock()
		return res, func() error { return nil }, nil
	}
	// The lock is held until the changelog has the batch (a sync.Mutex
	// may be unlocked by another goroutine than the one that locked it).
	done := make(chan error, 1)
	go func() {
		defer l.mu.Unlock()
		done <- l.writeChangelog(ctx, recs, chunks)
	}()
	var logErr error
	var once sync.Once
	return res, func() error {
		once.Do(func() { logErr = <-done })
		return logErr
	}, nil
}

// writeChangelog writes a batch to the changelog: one message per chunk
// of at most changelogChunk records (a message has a size limit), each
// saying which part of the batch it is, so that a rebuild adds the batch
// whole, as it was added.
func (l *RegistryLinker) writeChangelog(ctx context.Context, recs []schemas.Record, chunks [][]byte) error {
	var err error
	if chunks == nil {
		if chunks, err = encodeChunks(recs, changelogChunk, schemas.EncodeRecords); err != nil {
			return fmt.Errorf("registry changelog: %w", err)
		}
	}
	key := changelogKey(string(batchKey(recs)))
	parts := len(chunks)
	msgs := make([]kafka.Message, 0, parts)
	// Every part says the batch's time, as the registry took it (the
	// latest LoadedAt), so that a replay dates the batch the same.
	loaded := loadedAtHeader(latestLoaded(recs))
	for i, v := range chunks {
		msgs = append(msgs, kafka.Message{Key: []byte(fmt.Sprintf("%s-%d", key, i)), Value: v,
			Headers: append([]kafka.Header{{Key: headerPart, Value: []byte(fmt.Sprintf("%d/%d", i, parts))}}, loaded...)})
	}
	return l.logMessages(ctx, msgs...)
}

// Decide applies a police decision to the registry, then writes it to
// the changelog, so that a rebuild replays it in its place.
func (l *RegistryLinker) Decide(ctx context.Context, d schemas.Decision) (LinkResult, error) {
	return l.applyLogged(ctx, changelogKey("decision:"+d.DecisionID), kindDecision, d, func() (*registry.Output, error) { return l.Registry.Decide(ctx, d) })
}

// applyLogged applies a decision or a withdrawal v to the registry (op),
// under the linker's lock, then writes v to the changelog (logJSON).
func (l *RegistryLinker) applyLogged(ctx context.Context, key, kind string, v any, op func() (*registry.Output, error)) (LinkResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out, err := guarded(&l.store, op)
	if err != nil {
		return LinkResult{}, err
	}
	if err := l.logJSON(ctx, key, kind, v); err != nil {
		return LinkResult{}, err
	}
	return linkResult(out), nil
}

// linkResult is a registry output as the match stage takes it (a
// decision's has no record deltas and an add's or a decision's no
// withdrawn ids: those fields are empty there).
func linkResult(out *registry.Output) LinkResult {
	return LinkResult{Persons: out.Persons, Links: out.Links, Conflicts: out.Conflicts, Events: out.Events, Deltas: out.Deltas,
		RecordDeltas: out.RecordDeltas, PersonDeltaSums: out.PersonDeltaSums, Withdrawn: out.Withdrawn,
		Refused: out.Refused, AlreadyWithdrawn: out.AlreadyWithdrawn, Generic: out.Generic}
}

// logJSON writes v (a decision or a withdrawal), JSON, to the changelog
// under key, with its kind in the message's header; nothing without a
// changelog.
func (l *RegistryLinker) logJSON(ctx context.Context, key, kind string, v any) error {
	if l.Changelog == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("registry changelog: %w", err)
	}
	return l.logMessages(ctx, kafka.Message{Key: []byte(key), Value: b, Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(kind)}}})
}

// kindDecision marks a decision on the registry's changelog.
const kindDecision = "decision"

// Withdraw takes records out of the registry (registry.Withdraw), then
// writes the withdrawal to the changelog, so that a rebuild replays it in
// its place, between the batches it came between.
func (l *RegistryLinker) Withdraw(ctx context.Context, w schemas.Withdrawal) (LinkResult, error) {
	return l.applyLogged(ctx, changelogKey("withdrawal:"+w.WithdrawalID), changelogWithdrawal, w, func() (*registry.Output, error) { return l.Registry.Withdraw(ctx, w) })
}

// changelogWithdrawal marks a withdrawal on the registry's changelog.
const changelogWithdrawal = "withdrawal"

// changelogChunk bounds the records of one changelog message; headerPart
// says which part of its batch a message is ("i/n").
const (
	changelogChunk = 2000
	headerPart     = "dancu-part"
)

// latestLoaded is the latest LoadedAt of recs; zero when none has one.
func latestLoaded(recs []schemas.Record) time.Time {
	var t time.Time
	for i := range recs {
		if recs[i].LoadedAt.After(t) {
			t = recs[i].LoadedAt
		}
	}
	return t
}

func partOf(m kafka.Message) (i, n int) {
	for _, h := range m.Headers {
		if h.Key == headerPart {
			if _, err := fmt.Sscanf(string(h.Value), "%d/%d", &i, &n); err == nil {
				return i, n
			}
		}
	}
	return 0, 1
}

// changelogKey is the key of an operation's changelog messages: name
// (a batch's hash of its record ids, "decision:" and its id, "withdrawal:"
// and its id), "@" and a random nonce, so that no two operations logged
// share a key, whatever they hold (chaos17, issue 9 point 1). The topic is
// compacted (cleanup.policy=compact: a Kafka cluster's cleaner, and
// `dancu broker` at its start, keep only the latest message of a key): an
// operation logged again under the key of an earlier one — a batch
// redelivered after a kill between the registry's commit and the input's
// offset commit, after a changelog write that failed but was written, or
// the same file imported again (record ids come from the file's hash and
// rows: all known, or refused once withdrawn); a decision or withdrawal
// redelivered — was kept only at its later place, so a rebuild
// applied it after the operations between, and a person founded across
// them got another id (and the registry's version counter, which every
// batch advances, redelivered or not, fell behind the versions
// ClickHouse's rows already had). With a key of its own each message is
// the only one of its key and compaction keeps it where it is: a rebuild
// replays exactly what the registry applied, in its order, as from a
// changelog never compacted. The rebuild reads keys only to check the
// registry's position (the key stored with it), never to find an
// operation. No tombstone is written to the changelog: a withdrawal is an
// operation replayed in its place, not a deletion of the batch that
// brought the records (which would lose the order they came in).
func changelogKey(name string) string {
	var nonce [8]byte
	rand.Read(nonce[:])
	return name + "@" + hex.EncodeToString(nonce[:])
}

func batchKey(recs []schemas.Record) []byte {
	h := sha256.New()
	for i := range recs {
		h.Write([]byte(recs[i].RecordID))
		h.Write([]byte{0})
	}
	return []byte(hex.EncodeToString(h.Sum(nil)[:16]))
}

// RegistryConfig says where the match stage keeps its registry.
type RegistryConfig struct {
	Dir      string             // Pebble directory (dancu run: --home/registry)
	Settings *settings.Settings // Default: the embedded trained Vietnamese model
	Brokers  []string           // for the changelog; none: no changelog
	// Score, when set, scores the new records of each batch (and of a
	// rebuild) instead of the registry: a RemoteScorer's Score, for the
	// match stage scaled out over score instances (RunScore).
	Score registry.ScoreFunc
	// Withdraw, with Score, tells the score role of a withdrawal (a
	// RemoteScorer's Withdraw): its instances take the records out of
	// their blocks.
	Withdraw registry.WithdrawFunc
	// Now is the registry's clock (registry.Config.Now). Default:
	// time.Now.
	Now func() time.Time
}

// OpenRegistry opens the registry in cfg.Dir and brings it up to date
// with its changelog (catchUp): an empty registry replays all of it, in
// its order — the same batches in the same order give the same persons
// and ids — and one restored from an older copy, or whose store lost its
// last writes, the messages after the position it has applied; a copy
// that does not follow the changelog is refused (ErrChangelogMismatch).
// It returns the linker and the number of records replayed.
func OpenRegistry(ctx context.Context, cfg RegistryConfig) (*RegistryLinker, int, error) {
	l, c, err := openRegistry(ctx, cfg, slog.New(slog.DiscardHandler))
	return l, c.Records, err
}

// openRegistry is OpenRegistry, saying what it replayed; a catch-up is
// logged on log.
func openRegistry(ctx context.Context, cfg RegistryConfig, log *slog.Logger) (*RegistryLinker, caughtUp, error) {
	s := cfg.Settings
	if s == nil {
		var err error
		if s, err = vietnamese.Trained(); err != nil {
			return nil, caughtUp{}, fmt.Errorf("open registry: %w", err)
		}
	}
	reg, err := registry.Open(registry.Config{Dir: cfg.Dir, Settings: s, Score: cfg.Score, Withdraw: cfg.Withdraw, Now: cfg.Now})
	if err != nil {
		return nil, caughtUp{}, err
	}
	l := &RegistryLinker{Registry: reg, Records: registry.NewRecords()}
	if len(cfg.Brokers) == 0 {
		return l, caughtUp{}, nil
	}
	if err := kafkax.EnsureTopics(ctx, cfg.Brokers, map[string]int{kafkax.TopicRegistryChangelog: 1}); err != nil {
		reg.Close()
		return nil, caughtUp{}, fmt.Errorf("open registry: %w", err)
	}
	c, err := catchUp(ctx, cfg.Brokers, l, cfg.Dir, log)
	if err != nil {
		l.Close() // not the store, if it failed
		return nil, c, fmt.Errorf("open registry: replay %s: %w", kafkax.TopicRegistryChangelog, err)
	}
	w, err := kafkax.NewWriter(cfg.Brokers, kafkax.TopicRegistryChangelog)
	if err != nil {
		reg.Close()
		return nil, c, err
	}
	w.Compression = 0 // Arrow IPC bodies, LZ4-compressed already (as Import's)
	w.Completion = l.written.completion
	l.Changelog = w
	return l, c, nil
}

// Close closes the registry and the changelog writer. A registry whose
// store failed (StoreFailure) is left as it is: closing it would wait
// for ever on the lock Pebble's panic left held; the process ends.
func (l *RegistryLinker) Close() error {
	var err error
	if c, ok := l.Changelog.(interface{ Close() error }); ok {
		err = c.Close()
	}
	if l.store.err() != nil {
		return err
	}
	return errors.Join(err, l.Registry.Close())
}
