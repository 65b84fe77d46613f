package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
	// ids) before Link returns, and each decision. Nil: no changelog.
	Changelog MessageWriter

	// mu keeps the changelog in the order batches and decisions were
	// applied.
	mu sync.Mutex
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
	out, err := l.Registry.AddRecords(ctx, l.Records, recs)
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
	key := batchKey(recs)
	parts := len(chunks)
	msgs := make([]kafka.Message, 0, parts)
	for i, v := range chunks {
		msgs = append(msgs, kafka.Message{Key: []byte(fmt.Sprintf("%s-%d", key, i)), Value: v,
			Headers: []kafka.Header{{Key: headerPart, Value: []byte(fmt.Sprintf("%d/%d", i, parts))}}})
	}
	if err := l.Changelog.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("registry changelog: %w", err)
	}
	return nil
}

// Decide applies a police decision to the registry, then writes it to
// the changelog, so that a rebuild replays it in its place.
func (l *RegistryLinker) Decide(ctx context.Context, d schemas.Decision) (LinkResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out, err := l.Registry.Decide(ctx, d)
	if err != nil {
		return LinkResult{}, err
	}
	if err := l.logJSON(ctx, "decision:"+d.DecisionID, kindDecision, d); err != nil {
		return LinkResult{}, err
	}
	return linkResult(out), nil
}

// linkResult is a registry output as the match stage takes it (a
// decision's has no record deltas and an add's or a decision's no
// withdrawn ids: those fields are empty there).
func linkResult(out *registry.Output) LinkResult {
	return LinkResult{Persons: out.Persons, Links: out.Links, Conflicts: out.Conflicts, Events: out.Events, Deltas: out.Deltas,
		RecordDeltas: out.RecordDeltas, PersonDeltaSums: out.PersonDeltaSums, Withdrawn: out.Withdrawn}
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
	m := kafka.Message{Key: []byte(key), Value: b, Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(kind)}}}
	if err := l.Changelog.WriteMessages(ctx, m); err != nil {
		return fmt.Errorf("registry changelog: %w", err)
	}
	return nil
}

// kindDecision marks a decision on the registry's changelog.
const kindDecision = "decision"

// Withdraw takes records out of the registry (registry.Withdraw), then
// writes the withdrawal to the changelog, so that a rebuild replays it in
// its place, between the batches it came between.
func (l *RegistryLinker) Withdraw(ctx context.Context, w schemas.Withdrawal) (LinkResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out, err := l.Registry.Withdraw(ctx, w)
	if err != nil {
		return LinkResult{}, err
	}
	if err := l.logJSON(ctx, "withdrawal:"+w.WithdrawalID, changelogWithdrawal, w); err != nil {
		return LinkResult{}, err
	}
	return linkResult(out), nil
}

// changelogWithdrawal marks a withdrawal on the registry's changelog.
const changelogWithdrawal = "withdrawal"

// changelogChunk bounds the records of one changelog message; headerPart
// says which part of its batch a message is ("i/n").
const (
	changelogChunk = 2000
	headerPart     = "dancu-part"
)

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
}

// OpenRegistry opens the registry in cfg.Dir. When the directory holds
// no record and the changelog topic holds batches (the disk state was
// lost), it first replays them, in their order, into the registry: the
// same batches in the same order give the same persons and ids. It
// returns the linker and the number of records replayed.
func OpenRegistry(ctx context.Context, cfg RegistryConfig) (*RegistryLinker, int, error) {
	s := cfg.Settings
	if s == nil {
		var err error
		if s, err = vietnamese.Trained(); err != nil {
			return nil, 0, fmt.Errorf("open registry: %w", err)
		}
	}
	reg, err := registry.Open(registry.Config{Dir: cfg.Dir, Settings: s, Score: cfg.Score, Withdraw: cfg.Withdraw})
	if err != nil {
		return nil, 0, err
	}
	l := &RegistryLinker{Registry: reg, Records: registry.NewRecords()}
	if len(cfg.Brokers) == 0 {
		return l, 0, nil
	}
	if err := kafkax.EnsureTopics(ctx, cfg.Brokers, map[string]int{kafkax.TopicRegistryChangelog: 1}); err != nil {
		reg.Close()
		return nil, 0, fmt.Errorf("open registry: %w", err)
	}
	n := 0
	if reg.Len() == 0 {
		if n, err = replayChangelog(ctx, cfg.Brokers, l); err != nil {
			reg.Close()
			return nil, 0, fmt.Errorf("open registry: rebuild from %s: %w", kafkax.TopicRegistryChangelog, err)
		}
	}
	w, err := kafkax.NewWriter(cfg.Brokers, kafkax.TopicRegistryChangelog)
	if err != nil {
		reg.Close()
		return nil, 0, err
	}
	w.Compression = 0 // Arrow IPC bodies, LZ4-compressed already (as Import's)
	l.Changelog = w
	return l, n, nil
}

// Close closes the registry and the changelog writer.
func (l *RegistryLinker) Close() error {
	var err error
	if c, ok := l.Changelog.(interface{ Close() error }); ok {
		err = c.Close()
	}
	return errors.Join(err, l.Registry.Close())
}

// replayChangelog adds every batch of the changelog (one partition) to
// the registry, from the first offset to the end.
func replayChangelog(ctx context.Context, brokers []string, l *RegistryLinker) (int, error) {
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	topic := kafkax.TopicRegistryChangelog
	lo, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
		topic: {kafka.FirstOffsetOf(0), kafka.LastOffsetOf(0)}}})
	if err != nil {
		return 0, err
	}
	var first, end int64
	for _, p := range lo.Topics[topic] {
		if p.Error != nil {
			return 0, p.Error
		}
		first, end = p.FirstOffset, p.LastOffset
	}
	if end <= first {
		return 0, nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: 0, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 250 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return 0, err
	}
	n := 0
	var batch []schemas.Record // parts of a batch so far
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return n, err
		}
		if kindOf(m) == kindDecision {
			var d schemas.Decision
			if err := json.Unmarshal(m.Value, &d); err != nil {
				return n, fmt.Errorf("offset %d: %w", m.Offset, err)
			}
			// A decision the registry refused when it came is refused
			// again: nothing to replay.
			l.Registry.Decide(ctx, d)
		} else if kindOf(m) == changelogWithdrawal {
			var w schemas.Withdrawal
			if err := json.Unmarshal(m.Value, &w); err != nil {
				return n, fmt.Errorf("offset %d: %w", m.Offset, err)
			}
			if _, err := l.Registry.Withdraw(ctx, w); err != nil {
				return n, fmt.Errorf("offset %d: %w", m.Offset, err)
			}
		} else {
			recs, err := schemas.DecodeRecords(m.Value)
			if err != nil {
				return n, fmt.Errorf("offset %d: %w", m.Offset, err)
			}
			if i, _ := partOf(m); i == 0 {
				batch = batch[:0]
			}
			batch = append(batch, recs...)
			if i, parts := partOf(m); i == parts-1 {
				if _, err := l.Registry.AddRecords(ctx, l.Records, batch); err != nil {
					return n, fmt.Errorf("offset %d: %w", m.Offset, err)
				}
				n += len(batch)
				batch = batch[:0]
			}
		}
		if m.Offset+1 >= end {
			if len(batch) > 0 {
				// A batch whose last part never came (the matcher died
				// while writing it): its input was not committed and will
				// come again.
				if _, err := l.Registry.AddRecords(ctx, l.Records, batch); err != nil {
					return n, err
				}
				n += len(batch)
			}
			return n, nil
		}
	}
}
