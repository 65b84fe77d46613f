package pipelines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// The registry keeps the changelog position it has applied
// (registry.ChangelogPosition), as a Kafka Streams state store keeps its
// checkpoint: the offset and key of the changelog's last message whose
// batch, decision or withdrawal it holds. The store is written first
// (Registry.AddRecords, Decide, Withdraw), the changelog after, and the
// position once the changelog has the messages, before the linker takes
// anything more (RegistryLinker.mu); the input's offsets are committed
// after that. So a store is never behind its position, and at most one
// operation ahead of it: one it applied whose changelog write, or whose
// position, did not last (a crash). Replaying that one again changes
// nothing (a batch known already is a redelivery, a decision applied
// already is a no-op, a withdrawal applied already returns the output it
// gave, kept by the registry); one the changelog never got comes again
// from its input, whose offset was not committed. The output of a replay
// is dropped: the input's message comes again (its offset was not
// committed) and gives it again, to the load stage, which writes each row
// once.
//
// At start (catchUp) the registry replays what follows its position: a
// copy of --home/registry restored from a backup, or a store that lost
// its last unsynced writes, catches up whatever its age, each batch,
// decision and withdrawal once, in the changelog's order. A copy written
// against another changelog — another cluster, or a topic recreated
// since, whose message at the position has another key — or ahead of the
// changelog (the topic truncated or lost) is refused, with the way out.
//
// A store is marked, synced, when it starts empty (StartChangelog), so
// that it holds a position before it applies anything: the registry's
// writes are not synced, and a kill keeps them only up to where Pebble
// last wrote its log out, which can be after a batch and before the
// position written after it. Without the mark, such a store held records
// and no position, which reads as a registry written before positions
// were kept — taken as up to date, the operations it lost never replayed
// (chaos3's run, issue 9). With it, the store replays the changelog from
// its start. Only a store with records and neither is taken as up to
// date.

// ErrChangelogMismatch is wrapped by the error of a start refused because
// the registry's directory does not follow the changelog it would replay.
var ErrChangelogMismatch = errors.New("the registry does not follow this changelog")

// changelogWritten follows the messages the changelog writer has written
// (kafka.Writer.Completion gives their offsets): the last one is the
// registry's position once its operation is whole in the changelog.
type changelogWritten struct {
	cluster string

	mu     sync.Mutex
	offset int64 // -1: nothing written yet
	key    string
	// vouch: the store's start mark names no message of the changelog
	// yet; the first one written (first, firstKey) is named then
	// (registry.VouchChangelogStart).
	vouch    bool
	first    int64
	firstKey string
}

func (c *changelogWritten) completion(msgs []kafka.Message, err error) {
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range msgs {
		if m.Offset > c.offset {
			c.offset, c.key = m.Offset, string(m.Key)
		}
		if c.firstKey == "" || m.Offset < c.first {
			c.first, c.firstKey = m.Offset, string(m.Key)
		}
	}
}

// toVouch returns the first message written, when the store's mark is to
// name it (vouch), and forgets that it is.
func (c *changelogWritten) toVouch() (offset int64, key string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.vouch || c.firstKey == "" {
		return 0, "", false
	}
	c.vouch = false
	return c.first, c.firstKey, true
}

func (c *changelogWritten) position() (registry.ChangelogPosition, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return registry.ChangelogPosition{Cluster: c.cluster, Topic: kafkax.TopicRegistryChangelog, Offset: c.offset, Key: c.key}, c.offset >= 0
}

// logMessages writes msgs, one batch's or one decision's or withdrawal's,
// to the changelog, then stores the registry's position there. It is
// called under l.mu, after the registry has applied them.
func (l *RegistryLinker) logMessages(ctx context.Context, msgs ...kafka.Message) error {
	if err := l.Changelog.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("registry changelog: %w", err)
	}
	if l.written == nil {
		return nil
	}
	if offset, key, ok := l.written.toVouch(); ok {
		// Synced, after the operation these messages log: a store that
		// keeps the operation and no position names its changelog.
		if _, err := guarded(&l.store, func() (struct{}, error) { return struct{}{}, l.Registry.VouchChangelogStart(offset, key) }); err != nil {
			return fmt.Errorf("registry changelog: %w", err)
		}
	}
	if p, ok := l.written.position(); ok {
		if err := l.setPosition(p); err != nil {
			return fmt.Errorf("registry changelog: %w", err)
		}
	}
	return nil
}

// setPosition stores the registry's changelog position, guarded as
// the registry's other writes are (storefail.go).
func (l *RegistryLinker) setPosition(p registry.ChangelogPosition) error {
	_, err := guarded(&l.store, func() (struct{}, error) { return struct{}{}, l.Registry.SetChangelogPosition(p) })
	return err
}

// caughtUp says what a start replayed from the changelog.
type caughtUp struct {
	// Applied is the offset of the last message the registry held at
	// start (-1: none, an empty registry rebuilt from the start); End the
	// changelog's end then. Fresh: the registry was empty.
	Applied, End int64
	Fresh        bool
	// Unknown: a registry holding records but no position (written before
	// positions were kept), taken as up to date, as it used to be.
	Unknown bool
	// Start: a registry holding no position but the mark it got when
	// empty (registry.ChangelogPosition.Start): behind by the whole
	// changelog since.
	Start bool
	// Unverified: the message at Applied was compacted away (a batch
	// linked again later has its key: a changelog written before keys
	// were unique, changelogKey), so that only the cluster vouched for
	// the copy.
	Unverified                               bool
	Batches, Records, Decisions, Withdrawals int
}

// behind is how many changelog offsets follow the last message the
// registry had applied (its messages, but for gaps a broker may leave).
func (c caughtUp) behind() int64 { return c.End - 1 - c.Applied }

// changelogBounds returns the Kafka cluster's id and the changelog's
// first offset and end (the offset the next message will have).
func changelogBounds(ctx context.Context, brokers []string) (cluster string, first, end int64, err error) {
	client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
	defer closeClient()
	topic := kafkax.TopicRegistryChangelog
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return "", 0, 0, err
	}
	lo, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
		topic: {kafka.FirstOffsetOf(0), kafka.LastOffsetOf(0)}}})
	if err != nil {
		return "", 0, 0, err
	}
	for _, p := range lo.Topics[topic] {
		if p.Error != nil {
			return "", 0, 0, p.Error
		}
		first, end = p.FirstOffset, p.LastOffset
	}
	return md.ClusterID, first, end, nil
}

// catchUp replays into l's registry what the changelog holds after the
// registry's position — all of it into an empty registry — and stores
// the position after each operation, so that a catch-up cut short goes on
// from there at the next start. dir names the registry in errors and on
// log, which is told how far behind the registry was and what it
// replayed (the end of a rebuild of an empty one is logged by
// openStageRegistry).
func catchUp(ctx context.Context, brokers []string, l *RegistryLinker, dir string, log *slog.Logger) (caughtUp, error) {
	c, err := replayTail(ctx, brokers, l, dir, log)
	switch {
	case err != nil:
	case c.Unknown:
		log.Warn("the registry keeps no changelog position (written by an older dancu): taken as up to date with its changelog, "+
			"as before; it keeps one from its next batch on", "dir", dir, "topic", kafkax.TopicRegistryChangelog)
	case !c.Fresh && c.behind() > 0:
		log.Info("registry was behind its changelog (a restored copy, or a store that lost its last writes): caught up",
			"dir", dir, "topic", kafkax.TopicRegistryChangelog, "applied_offset", c.Applied, "changelog_end", c.End,
			"offsets_behind", c.behind(), "batches", c.Batches, "records", c.Records, "decisions", c.Decisions, "withdrawals", c.Withdrawals)
	case !c.Fresh:
		log.Debug("registry up to date with its changelog", "dir", dir, "applied_offset", c.Applied)
	}
	if c.Unverified {
		log.Warn("the changelog no longer holds the message the registry applied last (compacted away by a later copy of its batch): "+
			"its key was not checked, only its cluster", "dir", dir, "applied_offset", c.Applied)
	}
	return c, err
}

// lostChangelogAdvice ends a refusal whose cause may be a lost changelog;
// its verb takes the registry's directory.
const lostChangelogAdvice = "If the changelog was lost (the broker's data removed), restore the topic " +
	"from a backup of the broker. Without one, do not move %s aside and import the files again into the same database: " +
	"coverage would count every record ClickHouse holds twice (a republish mends persons and links, not coverage); " +
	"move it aside and import all the files into an empty database instead (--database, dancu migrate)"

// replayTail is catchUp, logging only the start of a catch-up or of a
// rebuild.
func replayTail(ctx context.Context, brokers []string, l *RegistryLinker, dir string, log *slog.Logger) (caughtUp, error) {
	topic := kafkax.TopicRegistryChangelog
	cluster, first, end, err := changelogBounds(ctx, brokers)
	if err != nil {
		return caughtUp{}, err
	}
	l.written = &changelogWritten{cluster: cluster, offset: -1}
	pos, ok, err := l.Registry.ChangelogPosition()
	if err != nil {
		return caughtUp{}, err
	}
	c := caughtUp{Applied: -1, End: end}
	switch {
	case !ok && l.Registry.Len() > 0:
		c.Unknown = true
		return c, nil
	case !ok:
		// An empty store: marked, synced, as following the changelog
		// before it applies anything (registry.StartChangelog), guarded
		// as its other writes are. The mark names the changelog's first
		// message, or, on an empty changelog, the first the stage writes.
		c.Fresh = true
		start := registry.ChangelogPosition{Cluster: cluster, Topic: topic, Offset: first - 1}
		if end > first {
			m, err := changelogAt(ctx, brokers, first)
			if err != nil {
				return c, err
			}
			start.FirstOffset, start.FirstKey = m.Offset, string(m.Key)
		} else {
			l.written.vouch = true
		}
		if _, err := guarded(&l.store, func() (struct{}, error) { return struct{}{}, l.Registry.StartChangelog(start) }); err != nil {
			return c, err
		}
	case pos.Topic != topic || (pos.Cluster != "" && cluster != "" && pos.Cluster != cluster):
		// An embedded broker whose data directory was lost and made again
		// is another cluster (a random id per directory since 6 December).
		return c, fmt.Errorf("%w: %s was written against the changelog %s of Kafka cluster %q; these brokers are cluster %q, topic %s. "+
			"Start it with the brokers it was written with, or, if these are the right ones, move %s aside and start again: it is rebuilt "+
			"from this changelog. "+lostChangelogAdvice,
			ErrChangelogMismatch, dir, pos.Topic, pos.Cluster, cluster, topic, dir, dir)
	case pos.Offset >= end:
		return c, fmt.Errorf("%w: %s has applied %s up to offset %d, but the topic ends at offset %d: the changelog was truncated, "+
			"deleted or recreated after this copy was made, or the copy is from another one. If the changelog is right, move %s aside "+
			"and start again: the registry is rebuilt from it. "+lostChangelogAdvice,
			ErrChangelogMismatch, dir, topic, pos.Offset, end, dir, dir)
	case pos.Offset+1 < first:
		return c, fmt.Errorf("%w: %s has applied %s up to offset %d, but the topic now starts at offset %d: the messages between are gone "+
			"(keep the topic compacted, never time-retained). Move %s aside and start again: the registry is rebuilt from what the topic holds",
			ErrChangelogMismatch, dir, topic, pos.Offset, first, dir)
	case pos.Start():
		// Marked when empty, no position since: it lost every write
		// after its first ones (or applied nothing yet). The changelog
		// from its start, as at the mark; operations the store kept are
		// replayed again, changing nothing. The message the mark names
		// must be there: a topic deleted and made again lacks it.
		c.Applied, c.Start = pos.Offset, true
		if err := checkVouched(ctx, brokers, l, pos, first, end, dir); err != nil {
			return c, err
		}
	default:
		c.Applied = pos.Offset
		l.written.offset, l.written.key = pos.Offset, pos.Key
	}
	from := max(first, c.Applied) // the message at Applied is read, to check its key
	if end <= from {
		return c, nil
	}
	switch {
	case c.Fresh:
		log.Info("registry directory empty or missing: rebuilding it from its changelog", "dir", dir, "topic", topic, "messages", end)
	case c.Start:
		log.Info("registry holds no changelog position since it was created (a store that lost the writes after its first ones): "+
			"replaying its changelog from the start", "dir", dir, "topic", topic, "changelog_end", c.End)
	case c.behind() > 0:
		log.Info("registry behind its changelog: replaying the messages after the one it applied last", "dir", dir,
			"topic", topic, "applied_offset", c.Applied, "changelog_end", c.End, "offsets_behind", c.behind())
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: 0, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 20 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(from); err != nil {
		return c, err
	}
	mark := func(m kafka.Message) error {
		return l.setPosition(registry.ChangelogPosition{Cluster: cluster, Topic: topic, Offset: m.Offset, Key: string(m.Key)})
	}
	checked := c.Fresh || c.Start // no message to check the key of
	var batch []schemas.Record    // parts of a batch so far
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return c, err
		}
		if m.Offset == c.Applied {
			if string(m.Key) != pos.Key {
				return c, fmt.Errorf("%w: the message at offset %d of %s has the key %q, but the one %s applied there had %q: "+
					"the registry is a copy from another changelog (the topic was recreated since?): move %s aside and start "+
					"again: it is rebuilt from this changelog", ErrChangelogMismatch, m.Offset, topic, m.Key, dir, pos.Key, dir)
			}
			checked = true
		} else {
			c.Unverified = c.Unverified || !checked
			checked = true
			if _, err := replayMessage(ctx, l, m, &batch, &c); err != nil {
				return c, fmt.Errorf("offset %d: %w", m.Offset, err)
			}
			if len(batch) == 0 {
				if err := mark(m); err != nil {
					return c, err
				}
			}
		}
		if m.Offset+1 >= end {
			if len(batch) > 0 {
				// A batch whose last part never came (the matcher died
				// while writing it): its input was not committed and will
				// come again.
				if _, err := addReplayed(ctx, l, batch, &c); err != nil {
					return c, err
				}
				if err := mark(m); err != nil {
					return c, err
				}
			}
			return c, nil
		}
	}
}

// checkVouched refuses a store whose start mark names a message of its
// changelog (registry.ChangelogPosition.FirstKey) that this changelog
// (offsets first to end) does not hold, with the way out; a mark that
// names none yet is to name the first message written (or, when there
// is one, the changelog's first, read as the mark is at its making).
func checkVouched(ctx context.Context, brokers []string, l *RegistryLinker, pos registry.ChangelogPosition, first, end int64, dir string) error {
	topic := kafkax.TopicRegistryChangelog
	if pos.FirstKey == "" {
		if end <= first {
			l.written.vouch = true
			return nil
		}
		m, err := changelogAt(ctx, brokers, first)
		if err != nil {
			return err
		}
		_, err = guarded(&l.store, func() (struct{}, error) {
			return struct{}{}, l.Registry.VouchChangelogStart(m.Offset, string(m.Key))
		})
		return err
	}
	if pos.FirstOffset >= end {
		return fmt.Errorf("%w: %s was started on %s, whose message at offset %d it names, but the topic ends at offset %d: "+
			"the changelog was deleted and made again (or truncated) since. If it is right, move %s aside and start again: the registry "+
			"is rebuilt from it. "+lostChangelogAdvice, ErrChangelogMismatch, dir, topic, pos.FirstOffset, end, dir, dir)
	}
	if pos.FirstOffset < first {
		return nil // compacted or deleted away: nothing to check it against
	}
	m, err := changelogAt(ctx, brokers, pos.FirstOffset)
	if err != nil {
		return err
	}
	if m.Offset == pos.FirstOffset && string(m.Key) != pos.FirstKey {
		return fmt.Errorf("%w: the message at offset %d of %s has the key %q, but the one %s was started on had %q: "+
			"the changelog was deleted and made again since: move %s aside and start again: it is rebuilt from this changelog. "+
			lostChangelogAdvice, ErrChangelogMismatch, m.Offset, topic, m.Key, dir, pos.FirstKey, dir, dir)
	}
	return nil
}

// changelogAt reads the changelog's message at offset (the next one if
// compaction took it).
func changelogAt(ctx context.Context, brokers []string, offset int64) (kafka.Message, error) {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: kafkax.TopicRegistryChangelog, Partition: 0, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 20 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(offset); err != nil {
		return kafka.Message{}, err
	}
	m, err := r.FetchMessage(ctx)
	if err != nil {
		return m, fmt.Errorf("read %s at offset %d: %w", kafkax.TopicRegistryChangelog, offset, err)
	}
	return m, nil
}

// replayMessage applies one changelog message: a decision, a withdrawal
// or a part of a batch (batch holds the parts so far; the batch is added
// with its last part, and batch emptied). It returns the registry's
// output (nil for a part before the last, or a decision refused).
func replayMessage(ctx context.Context, l *RegistryLinker, m kafka.Message, batch *[]schemas.Record, c *caughtUp) (out *registry.Output, err error) {
	switch kindOf(m) {
	case kindDecision:
		var d schemas.Decision
		if err := json.Unmarshal(m.Value, &d); err != nil {
			return nil, err
		}
		// A decision the registry refused when it came is refused
		// again: nothing to replay. One cut short is not passed over.
		if out, err = guarded(&l.store, func() (*registry.Output, error) { return l.Registry.Decide(ctx, d) }); err != nil && (ctx.Err() != nil || l.store.err() != nil) {
			return nil, err
		}
		c.Decisions++
	case changelogWithdrawal:
		var w schemas.Withdrawal
		if err := json.Unmarshal(m.Value, &w); err != nil {
			return nil, err
		}
		if out, err = guarded(&l.store, func() (*registry.Output, error) { return l.Registry.Withdraw(ctx, w) }); err != nil {
			return nil, err
		}
		c.Withdrawals++
	default:
		recs, err := schemas.DecodeRecords(m.Value)
		if err != nil {
			return nil, err
		}
		loaded, err := loadedAtOf(m)
		if err != nil {
			return nil, err
		}
		stampLoaded(recs, loaded)
		i, parts := partOf(m)
		if i == 0 {
			*batch = (*batch)[:0]
		}
		*batch = append(*batch, recs...)
		if i == parts-1 {
			if out, err = addReplayed(ctx, l, *batch, c); err != nil {
				return nil, err
			}
			*batch = (*batch)[:0]
		}
	}
	return out, nil
}

func addReplayed(ctx context.Context, l *RegistryLinker, batch []schemas.Record, c *caughtUp) (*registry.Output, error) {
	out, err := guarded(&l.store, func() (*registry.Output, error) { return l.Registry.AddRecords(ctx, l.Records, batch) })
	if err != nil {
		return nil, err
	}
	c.Batches++
	c.Records += len(batch)
	return out, nil
}
