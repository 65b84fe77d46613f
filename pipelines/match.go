package pipelines

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// Linker assigns a micro-batch of records to persons. EngineLinker, over
// the matching engine, implements it.
type Linker interface {
	Link(ctx context.Context, recs []schemas.Record) (LinkResult, error)
}

// LinkResult is what a Linker decides for a micro-batch.
type LinkResult struct {
	Persons   []schemas.Person
	Links     []schemas.Link
	Conflicts []schemas.Conflict
	Events    []schemas.PersonEvent // merges and splits of persons
	Deltas    []schemas.PersonDelta // coverage deltas of Persons (registry)
}

// Enricher normalises a record in place before linking (resolves address
// codes, cleans names). It must not fail: what it cannot resolve it leaves
// empty.
type Enricher func(*schemas.Record)

// MatchConfig tunes the match stage.
type MatchConfig struct {
	// MaxRecords closes a micro-batch at this many records. Default: 20,000.
	MaxRecords int
	// MaxWait closes a non-empty micro-batch after this long. Default: 300ms.
	MaxWait time.Duration
	// ChunkRows bounds the rows in one output message. Default: 2,000.
	ChunkRows int
	// DeadLetter receives record batches that cannot be decoded, with the
	// error in a header. Nil: such a batch stops the stage with an error.
	DeadLetter MessageWriter
	// Logger. Default: slog.Default().
	Logger *slog.Logger
}

func (c MatchConfig) withDefaults() MatchConfig {
	if c.MaxRecords <= 0 {
		c.MaxRecords = 20000
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 300 * time.Millisecond
	}
	if c.ChunkRows <= 0 {
		c.ChunkRows = 2000
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// MatchStats counts what the match stage has done.
type MatchStats struct {
	Batches   atomic.Int64
	Records   atomic.Int64
	Persons   atomic.Int64
	Conflicts atomic.Int64
}

// Match runs the match stage until ctx is cancelled: it reads record
// batches from r, enriches and links them in micro-batches, writes the
// enriched records, persons, links and conflicts to w (topic
// TopicMatched), and only then commits the input offsets. A crash between
// the write and the commit replays the micro-batch, which the idempotent
// sink absorbs.
func Match(ctx context.Context, r MessageReader, w MessageWriter, linker Linker, enrich Enricher, cfg MatchConfig, st *MatchStats) error {
	cfg = cfg.withDefaults()
	if st == nil {
		st = new(MatchStats)
	}
	return runBatches(ctx, r, &matchBatch{r: r, w: w, linker: linker, enrich: enrich, cfg: cfg, st: st}, cfg.MaxWait)
}

// matchBatch is the pending micro-batch of the match stage.
type matchBatch struct {
	r      MessageReader
	w      MessageWriter
	linker Linker
	enrich Enricher
	cfg    MatchConfig
	st     *MatchStats
	msgs   []kafka.Message
	recs   []schemas.Record
}

func (b *matchBatch) empty() bool { return len(b.msgs) == 0 }

func (b *matchBatch) add(ctx context.Context, m kafka.Message) (bool, error) {
	rs, err := schemas.DecodeRecords(m.Value)
	if err != nil {
		// A batch that does not decode cannot be linked. It is never
		// dropped: it goes to the dead letters (and is committed with the
		// micro-batch), or the stage stops for an operator to see.
		err = fmt.Errorf("decode records %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
		if b.cfg.DeadLetter == nil {
			return false, err
		}
		if err := deadLetter(ctx, b.cfg.DeadLetter, m, err); err != nil {
			return false, err
		}
		b.cfg.Logger.Error("undecodable record batch sent to dead letters", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", err)
	}
	b.msgs = append(b.msgs, m)
	b.recs = append(b.recs, rs...)
	return len(b.recs) >= b.cfg.MaxRecords, nil
}

func (b *matchBatch) flush(ctx context.Context) error {
	if len(b.msgs) == 0 {
		return nil
	}
	recs := b.recs
	if b.enrich != nil {
		enrichAll(recs, b.enrich)
	}
	res, err := b.linker.Link(ctx, recs)
	if err != nil {
		return fmt.Errorf("link %d records: %w", len(recs), err)
	}
	n := b.cfg.ChunkRows
	var out []kafka.Message
	if out, err = appendChunks(out, KindRecords, recs, n, schemas.EncodeRecords); err != nil {
		return err
	}
	if out, err = appendResult(out, res, n); err != nil {
		return err
	}
	if err := b.w.WriteMessages(ctx, out...); err != nil {
		return fmt.Errorf("write %d matched messages: %w", len(out), err)
	}
	if err := b.r.CommitMessages(ctx, b.msgs...); err != nil {
		return fmt.Errorf("commit %d messages: %w", len(b.msgs), err)
	}
	b.st.Batches.Add(1)
	b.st.Records.Add(int64(len(recs)))
	b.st.Persons.Add(int64(len(res.Persons)))
	b.st.Conflicts.Add(int64(len(res.Conflicts)))
	b.cfg.Logger.Debug("match flushed", "records", len(recs), "persons", len(res.Persons), "conflicts", len(res.Conflicts))
	b.msgs, b.recs = b.msgs[:0], b.recs[:0]
	return nil
}

// appendResult appends the messages of a link result: persons, links,
// conflicts and person events, n rows a message at most.
func appendResult(out []kafka.Message, res LinkResult, n int) ([]kafka.Message, error) {
	var err error
	if out, err = appendChunks(out, KindPersons, res.Persons, n, schemas.EncodeRows[schemas.Person]); err != nil {
		return out, err
	}
	if out, err = appendChunks(out, KindLinks, res.Links, n, schemas.EncodeRows[schemas.Link]); err != nil {
		return out, err
	}
	if out, err = appendChunks(out, KindConflicts, res.Conflicts, n, schemas.EncodeRows[schemas.Conflict]); err != nil {
		return out, err
	}
	if out, err = appendChunks(out, KindPersonEvents, res.Events, n, schemas.EncodeRows[schemas.PersonEvent]); err != nil {
		return out, err
	}
	return appendChunks(out, KindPersonDeltas, res.Deltas, n, schemas.EncodeRows[schemas.PersonDelta])
}

func appendChunks[T any](out []kafka.Message, kind string, rows []T, n int, enc func([]T) ([]byte, error)) ([]kafka.Message, error) {
	for i := 0; i < len(rows); i += n {
		j := min(i+n, len(rows))
		b, err := enc(rows[i:j])
		if err != nil {
			return out, fmt.Errorf("encode %s: %w", kind, err)
		}
		out = append(out, kafka.Message{
			Topic:   "",
			Key:     []byte(fmt.Sprintf("%s-%d", kind, i/n)),
			Value:   b,
			Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(kind)}},
		})
	}
	return out, nil
}

// enrichAll runs enrich over recs on every core, in contiguous chunks.
func enrichAll(recs []schemas.Record, enrich Enricher) {
	workers := runtime.GOMAXPROCS(0)
	if workers > len(recs)/256 {
		workers = max(1, len(recs)/256)
	}
	var wg sync.WaitGroup
	chunk := (len(recs) + workers - 1) / workers
	for lo := 0; lo < len(recs); lo += chunk {
		hi := min(lo+chunk, len(recs))
		wg.Add(1)
		go func(part []schemas.Record) {
			defer wg.Done()
			for i := range part {
				enrich(&part[i])
			}
		}(recs[lo:hi])
	}
	wg.Wait()
}
