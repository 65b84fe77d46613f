package pipelines

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/registry"
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
	// RecordDeltas are the records' coverage deltas (registry), summed by
	// unit.
	RecordDeltas []schemas.RecordDelta
	// PersonDeltaSums are the persons' coverage deltas (registry), summed
	// by unit; Deltas then holds only those the load stage completes.
	PersonDeltaSums []schemas.PersonDeltaSum
	Withdrawn       []string // the record ids a withdrawal took out (registry.Output.Withdrawn)
	// Refused are the records of the micro-batch the registry refused:
	// their ids were withdrawn (registry.Output.Refused). They are not
	// linked; their rows still reach ClickHouse, which keeps them out
	// (withdrawn_records).
	Refused []registry.Refusal
	// AlreadyWithdrawn are the ids of a withdrawal another corrected
	// file's withdrawal had named before (registry.Output.AlreadyWithdrawn).
	AlreadyWithdrawn []registry.Refusal
	// Generic counts the records linked without a value too many records
	// carry (a number copied onto many: the settings' generic_values;
	// registry.Output.Generic).
	Generic int
}

// Enricher normalises a record in place before linking (resolves address
// codes, cleans names). It must not fail: what it cannot resolve it leaves
// empty. It reports whether it changed the record: the match stage writes
// a message whose records none changed on to its output as it came,
// instead of encoding them again.
type Enricher func(*schemas.Record) (changed bool)

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
	// Refused counts the records refused because their ids were
	// withdrawn (LinkResult.Refused).
	Refused atomic.Int64
	// Generic counts the records linked without a value too many records
	// carry (LinkResult.Generic).
	Generic atomic.Int64
}

// Match runs the match stage until ctx is cancelled: it reads record
// batches from r, enriches and links them in micro-batches, writes the
// enriched records, persons, links and conflicts to w (topic
// TopicMatched), and only then commits the input offsets. A crash between
// the write and the commit replays the micro-batch, which the idempotent
// sink absorbs.
//
// The link of a micro-batch runs on one core for a good part (the
// registry scores on every core, but reclusters and commits on one), so
// the next micro-batch is fetched, decoded, enriched and its records
// encoded for the output (a message whose records the enricher left as
// they came is passed on as it is) meanwhile (prepare, in its own goroutine); when the
// link is slower than the input, the next micro-batch is whatever waited
// meanwhile, up to MaxRecords. Only the link, the write and the commit
// are in sequence: a micro-batch is linked once the one before it is
// written and committed, so at most one linked micro-batch is unwritten
// at any time, as before. A ChangelogLinker's changelog write runs beside
// the output's encoding and write; the commit waits for both.
func Match(ctx context.Context, r MessageReader, w MessageWriter, linker Linker, enrich Enricher, cfg MatchConfig, st *MatchStats) error {
	cfg = cfg.withDefaults()
	if st == nil {
		st = new(MatchStats)
	}
	b := &matchBatch{r: r, w: w, linker: linker, enrich: enrich, cfg: cfg, st: st, id: newBatchPrefix()}
	pctx, stopPrepare := context.WithCancel(ctx)
	// Room for a full micro-batch of prepared messages: import's hold up
	// to 2,000 records, split by partition (often a few hundred each).
	prep := make(chan prepared, cfg.MaxRecords/200+2)
	b.caughtUp = func() bool { return len(prep) == 0 }
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(prep)
		b.prepare(pctx, prep)
	}()
	defer func() {
		stopPrepare()
		for range prep {
		}
		<-done
	}()
	drain := func() error {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
		defer cancel()
		return b.flush(c)
	}
	var first time.Time
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var due <-chan time.Time
		if !b.empty() {
			wait := time.Until(first.Add(cfg.MaxWait))
			if wait <= 0 {
				if err := b.flush(ctx); err != nil {
					if ctx.Err() != nil {
						return drain()
					}
					return err
				}
				continue
			}
			timer.Reset(wait)
			due = timer.C
		}
		select {
		case <-ctx.Done():
			return drain()
		case <-due:
			if err := b.flush(ctx); err != nil {
				if ctx.Err() != nil {
					return drain()
				}
				return err
			}
		case p, ok := <-prep:
			if !ok {
				// prepare stops only when ctx is done or with an error.
				return drain()
			}
			if p.err != nil {
				if ctx.Err() != nil {
					return drain()
				}
				return p.err
			}
			if p.withdrawal != nil {
				// In its place: after the records before it, linked,
				// written and committed first.
				err := b.flush(ctx)
				if err == nil {
					err = b.withdraw(ctx, p.m, *p.withdrawal)
				}
				if err != nil {
					if ctx.Err() != nil {
						return drain()
					}
					return err
				}
				continue
			}
			if !b.empty() && !b.sameMonth(p) {
				// A micro-batch is of one load month (the registry
				// dates a batch by its records' latest LoadedAt).
				if err := b.flush(ctx); err != nil {
					if ctx.Err() != nil {
						return drain()
					}
					return err
				}
			}
			if b.empty() {
				first = time.Now()
			}
			if b.add(p) {
				if err := b.flush(ctx); err != nil {
					if ctx.Err() != nil {
						return drain()
					}
					return err
				}
			}
		}
	}
}

// prepared is one fetched message of TopicRecords, decoded, enriched and
// its records encoded for TopicMatched (chunks; none when the message
// went to the dead letters), or the error that stops the stage.
type prepared struct {
	m      kafka.Message
	recs   []schemas.Record
	chunks [][]byte
	// slab, when not nil, is the array recs lie in, from slab[lo]
	// (recordSlab); runEnd says the message ends its run there, and so
	// its micro-batch.
	slab   []schemas.Record
	lo     int
	runEnd bool
	// withdrawal is set for a withdrawal message (KindWithdrawal): it is
	// applied alone, after the records that came before it.
	withdrawal *schemas.Withdrawal
	err        error
}

// prepare fetches, decodes, enriches and encodes messages into out until
// ctx is done or an error, which it sends.
func (b *matchBatch) prepare(ctx context.Context, out chan<- prepared) {
	send := func(p prepared) bool {
		select {
		case out <- p:
			return true
		case <-ctx.Done():
			return false
		}
	}
	slab := newRecordSlab(b.cfg.MaxRecords, b.cfg.ChunkRows)
	for {
		m, err := b.r.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() == nil {
				send(prepared{err: fmt.Errorf("fetch message: %w", err)})
			}
			return
		}
		p := prepared{m: m}
		if kindOf(m) == KindWithdrawal {
			// The micro-batch is flushed before it: so is the run.
			slab.endRun()
			w, err := decodeWithdrawal(m)
			if err == nil {
				p.withdrawal = &w
			} else if !b.deadLetter(ctx, m, fmt.Errorf("decode withdrawal %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err), send) {
				return
			}
			if !send(p) {
				return
			}
			continue
		}
		loaded, lerr := loadedAtOf(m)
		sr, err := slab.decode(m.Value, loadMonth(loaded))
		if err == nil {
			err = lerr
		}
		if err != nil {
			// A batch that does not decode cannot be linked. It is never
			// dropped: it goes to the dead letters (and is committed with
			// the micro-batch), or the stage stops for an operator to see.
			if !b.deadLetter(ctx, m, fmt.Errorf("decode records %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err), send) {
				return
			}
		} else {
			rs := sr.recs
			stampLoaded(rs, loaded)
			changed := b.enrich != nil && enrichAll(rs, b.enrich)
			p.recs, p.slab, p.lo, p.runEnd = rs, sr.buf, sr.lo, sr.runEnd
			if !changed && len(rs) <= b.cfg.ChunkRows && len(m.Value) <= chunkBytes {
				// Enriched at import (or nothing to fill): the message's
				// value is what encoding its records would give again.
				p.chunks = [][]byte{m.Value}
			} else if p.chunks, err = encodeChunks(rs, b.cfg.ChunkRows, schemas.EncodeRecords); err != nil {
				send(prepared{err: fmt.Errorf("encode %s: %w", KindRecords, err)})
				return
			}
		}
		if !send(p) {
			return
		}
	}
}

// deadLetter sends an undecodable message m to the dead letters and says
// whether the stage goes on; without dead letters it sends err, which
// stops the stage.
func (b *matchBatch) deadLetter(ctx context.Context, m kafka.Message, err error, send func(prepared) bool) bool {
	if err := deadLetter(ctx, b.cfg.DeadLetter, b.cfg.Logger, m, err, "undecodable message sent to dead letters"); err != nil {
		send(prepared{err: err})
		return false
	}
	return true
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
	parts  [][]schemas.Record // each message's records, in order
	n      int                // records in parts
	// slab[lo:lo+n] are the records of parts, in order, when they lie
	// one after the other in one recordSlab (slab not nil).
	slab   []schemas.Record
	lo     int
	chunks [][]byte // the records encoded, in order
	// caughtUp says whether nothing prepared is waiting for the next
	// micro-batch (nil: never); id and seq name the micro-batches in
	// HeaderCaughtUp.
	caughtUp func() bool
	id       string
	seq      int
}

func (b *matchBatch) empty() bool { return len(b.msgs) == 0 }

// sameMonth says whether p's records were loaded in the month of the
// batch's (both unstamped, or both stamped in one month): records of
// imports stamped in two months, or stamped and not, are linked in
// micro-batches apart, each dated by its own.
func (b *matchBatch) sameMonth(p prepared) bool {
	if len(p.recs) == 0 || len(b.parts) == 0 {
		return true
	}
	return loadMonth(p.recs[0].LoadedAt).Equal(loadMonth(b.parts[0][0].LoadedAt))
}

// loadMonth is t's month (schemas.MonthOf), zero for a zero t.
func loadMonth(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return schemas.MonthOf(t.UTC())
}

// add takes a prepared message into the batch and says whether it is full.
func (b *matchBatch) add(p prepared) bool {
	b.msgs = append(b.msgs, p.m)
	if len(p.recs) > 0 {
		switch {
		case len(b.parts) == 0:
			b.slab, b.lo = p.slab, p.lo
		case b.slab == nil || p.slab == nil || &p.slab[0] != &b.slab[0] || p.lo != b.lo+b.n:
			b.slab = nil
		}
		b.parts = append(b.parts, p.recs)
		b.n += len(p.recs)
	}
	b.chunks = append(b.chunks, p.chunks...)
	return b.n >= b.cfg.MaxRecords || p.runEnd
}

// records are the batch's records in one slice: the one message's own,
// the run of the slab they were decoded into one after the other, else
// a copy allocated once at the batch's size (appending message by
// message grew it by copies: 4% of the demo's allocated bytes).
func (b *matchBatch) records() []schemas.Record {
	switch {
	case len(b.parts) == 1:
		return b.parts[0]
	case b.slab != nil:
		return b.slab[b.lo : b.lo+b.n : b.lo+b.n]
	}
	return joinRows(b.parts, func(p *[]schemas.Record) []schemas.Record { return *p })
}

func (b *matchBatch) flush(ctx context.Context) error {
	if len(b.msgs) == 0 {
		return nil
	}
	recs := b.records()
	var res LinkResult
	var err error
	t0 := time.Now()
	logged := func() error { return nil }
	switch l := b.linker.(type) {
	case ChangelogLinker:
		res, logged, err = l.LinkLogging(ctx, recs, b.chunks)
	case ChunkLinker:
		res, err = l.LinkChunks(ctx, recs, b.chunks)
	default:
		res, err = b.linker.Link(ctx, recs)
	}
	if err != nil {
		return fmt.Errorf("link %d records: %w", len(recs), err)
	}
	t1 := time.Now()
	// The output is encoded and written while the linker's changelog is
	// written; the offsets are committed only once both are.
	caughtUp, werr := b.write(ctx, res)
	if err := logged(); err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	if err := b.r.CommitMessages(ctx, b.msgs...); err != nil {
		return fmt.Errorf("commit %d messages: %w", len(b.msgs), err)
	}
	b.st.Batches.Add(1)
	b.st.Records.Add(int64(len(recs)))
	b.st.Persons.Add(int64(len(res.Persons)))
	b.st.Conflicts.Add(int64(len(res.Conflicts)))
	b.st.Generic.Add(int64(res.Generic))
	if len(res.Refused) > 0 {
		b.st.Refused.Add(int64(len(res.Refused)))
		logRefused(b.cfg.Logger, res.Refused)
	}
	// link: the linker's part; written: from then to the commit (the
	// output encoded and written, the changelog's write, the commit).
	b.cfg.Logger.Debug("match flushed", "records", len(recs), "persons", len(res.Persons), "conflicts", len(res.Conflicts), "caught_up", caughtUp,
		"link", t1.Sub(t0).Round(time.Millisecond), "written", time.Since(t1).Round(time.Millisecond))
	clear(b.parts)
	b.msgs, b.parts, b.n, b.chunks, b.slab = b.msgs[:0], b.parts[:0], 0, b.chunks[:0], nil
	return nil
}

// withdraw applies the withdrawal of message m (the micro-batch is empty:
// flushed before it), writes its result and the withdrawal itself (for
// the load stage to mark the records withdrawn) and only then commits m,
// as for a batch.
func (b *matchBatch) withdraw(ctx context.Context, m kafka.Message, w schemas.Withdrawal) error {
	wd, ok := b.linker.(Withdrawer)
	if !ok {
		// Not the registry (the engine's linker): the withdrawal waits in
		// the dead letters for a match stage that can apply it.
		err := fmt.Errorf("withdrawal %s (%s/%d@%d): this match stage's linker cannot withdraw records", w.WithdrawalID, m.Topic, m.Partition, m.Offset)
		if err := deadLetter(ctx, b.cfg.DeadLetter, b.cfg.Logger, m, err, "withdrawal sent to dead letters", "withdrawal", w.WithdrawalID); err != nil {
			return err
		}
		return b.r.CommitMessages(ctx, m)
	}
	res, err := wd.Withdraw(ctx, w)
	if err != nil {
		return fmt.Errorf("withdrawal %s of %d records: %w", w.WithdrawalID, len(w.RecordIDs), err)
	}
	wm, err := withdrawalMessage(w)
	if err != nil {
		return err
	}
	if _, err := b.write(ctx, res, wm); err != nil {
		return err
	}
	if err := b.r.CommitMessages(ctx, m); err != nil {
		return fmt.Errorf("commit withdrawal %s: %w", w.WithdrawalID, err)
	}
	b.st.Persons.Add(int64(len(res.Persons)))
	// records: the ids the message names; withdrawn: those the registry
	// took out (0 for a withdrawal applied before, unless it was the last
	// call: a re-flush returns its output again).
	b.cfg.Logger.Info("withdrawal applied", "withdrawal", w.WithdrawalID, "batch", w.Batch, "replaces", w.Replaces,
		"records", len(w.RecordIDs), "withdrawn", len(res.Withdrawn), "persons", len(res.Persons), "events", len(res.Events))
	if len(res.AlreadyWithdrawn) > 0 {
		logAlreadyWithdrawn(b.cfg.Logger, w, res.AlreadyWithdrawn)
	}
	return nil
}

// write encodes the micro-batch's output (its records, already encoded,
// then extra, then res) and writes it, marked when the stage is caught up
// (which it says).
func (b *matchBatch) write(ctx context.Context, res LinkResult, extra ...kafka.Message) (caughtUp bool, err error) {
	out := make([]kafka.Message, 0, len(b.chunks)+len(extra)+8)
	for i, c := range b.chunks {
		out = append(out, chunkMessage(KindRecords, i, c))
	}
	out = append(out, extra...)
	if out, err = appendResult(out, res, b.cfg.ChunkRows); err != nil {
		return false, err
	}
	b.seq++
	caughtUp = b.caughtUp != nil && b.caughtUp()
	if caughtUp {
		markCaughtUp(out, b.id+"-"+strconv.Itoa(b.seq))
	}
	if err := b.w.WriteMessages(ctx, out...); err != nil {
		return caughtUp, fmt.Errorf("write %d matched messages: %w", len(out), err)
	}
	return caughtUp, nil
}

// markCaughtUp gives every message of a micro-batch's output
// HeaderCaughtUp: the batch's id and how many messages it has. The match
// stage does so when nothing is left waiting in its input (the end of a
// burst, or a trickle); under a backlog no message carries it and the
// load stage batches by MaxRows and MaxWait alone.
func markCaughtUp(out []kafka.Message, batch string) {
	v := []byte(batch + "/" + strconv.Itoa(len(out)))
	for i := range out {
		out[i].Headers = append(out[i].Headers, kafka.Header{Key: HeaderCaughtUp, Value: v})
	}
}

// newBatchPrefix is a random prefix for a match stage's micro-batch ids,
// so that two match stages (or two runs of one) never share one.
func newBatchPrefix() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ChunkLinker is a Linker that can use the match stage's encoding of the
// micro-batch's records (chunks: schemas.EncodeRecords of consecutive
// runs of recs, in order), as RegistryLinker does for its changelog.
type ChunkLinker interface {
	Linker
	LinkChunks(ctx context.Context, recs []schemas.Record, chunks [][]byte) (LinkResult, error)
}

// ChangelogLinker is a ChunkLinker that keeps a changelog of the batches
// it links (RegistryLinker): LinkLogging returns the result as soon as
// the batch is linked, and logged waits for its changelog write, so that
// the match stage encodes and writes its output meanwhile. The stage
// commits the batch's offsets only after logged returned nil and the
// output is written, as after LinkChunks.
type ChangelogLinker interface {
	ChunkLinker
	LinkLogging(ctx context.Context, recs []schemas.Record, chunks [][]byte) (res LinkResult, logged func() error, err error)
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
	if out, err = appendChunks(out, KindPersonDeltas, res.Deltas, n, schemas.EncodeRows[schemas.PersonDelta]); err != nil {
		return out, err
	}
	if out, err = appendChunks(out, KindRecordDeltas, res.RecordDeltas, n, schemas.EncodeRows[schemas.RecordDelta]); err != nil {
		return out, err
	}
	return appendChunks(out, KindPersonDeltaSums, res.PersonDeltaSums, n, schemas.EncodeRows[schemas.PersonDeltaSum])
}

func appendChunks[T any](out []kafka.Message, kind string, rows []T, n int, enc func([]T) ([]byte, error)) ([]kafka.Message, error) {
	chunks, err := encodeChunks(rows, n, enc)
	if err != nil {
		return out, fmt.Errorf("encode %s: %w", kind, err)
	}
	for i, c := range chunks {
		out = append(out, chunkMessage(kind, i, c))
	}
	return out, nil
}

// chunkMessage is the i-th message of kind in a micro-batch's output.
func chunkMessage(kind string, i int, value []byte) kafka.Message {
	return kafka.Message{
		Key:     []byte(kind + "-" + strconv.Itoa(i)),
		Value:   value,
		Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(kind)}},
	}
}

// chunkBytes bounds an encoded chunk: a message's value, with room for
// its key, headers and framing under the writers' limit, as import's.
// Rows are chunked by count first (n); a chunk of unusually wide rows —
// the match stage's records carry their enrichment, which import's
// byte-bounded messages did not — is split in halves until each fits.
var chunkBytes = kafkax.MaxMessageBytes - messageOverhead

// encodeChunks encodes rows n at a time, the chunks on every core; a
// chunk over chunkBytes is split (encodeWithinBytes).
func encodeChunks[T any](rows []T, n int, enc func([]T) ([]byte, error)) ([][]byte, error) {
	parts := (len(rows) + n - 1) / n
	if parts == 0 {
		return [][]byte{}, nil
	}
	if parts == 1 {
		return encodeWithinBytes(rows, enc)
	}
	out := make([][][]byte, parts)
	errs := make([]error, parts)
	next := make(chan int, parts)
	for i := range parts {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(parts, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = encodeWithinBytes(rows[i*n:min((i+1)*n, len(rows))], enc)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	flat := make([][]byte, 0, parts)
	for _, o := range out {
		flat = append(flat, o...)
	}
	return flat, nil
}

// encodeWithinBytes encodes rows as one chunk, or, when that is over
// chunkBytes, as the chunks of each half, in order. A single row over it
// stays one chunk (the writer then refuses it, as it would have).
func encodeWithinBytes[T any](rows []T, enc func([]T) ([]byte, error)) ([][]byte, error) {
	b, err := enc(rows)
	if err != nil {
		return nil, err
	}
	if len(b) <= chunkBytes || len(rows) < 2 {
		return [][]byte{b}, nil
	}
	half := len(rows) / 2
	lo, err := encodeWithinBytes(rows[:half], enc)
	if err != nil {
		return nil, err
	}
	hi, err := encodeWithinBytes(rows[half:], enc)
	if err != nil {
		return nil, err
	}
	return append(lo, hi...), nil
}

// enrichAll runs enrich over recs on every core, in contiguous chunks,
// and says whether it changed any.
func enrichAll(recs []schemas.Record, enrich Enricher) bool {
	workers := runtime.GOMAXPROCS(0)
	if workers > len(recs)/256 {
		workers = max(1, len(recs)/256)
	}
	var wg sync.WaitGroup
	var changed atomic.Bool
	chunk := (len(recs) + workers - 1) / workers
	for lo := 0; lo < len(recs); lo += chunk {
		hi := min(lo+chunk, len(recs))
		wg.Add(1)
		go func(part []schemas.Record) {
			defer wg.Done()
			if enrichEach(part, enrich) {
				changed.Store(true)
			}
		}(recs[lo:hi])
	}
	wg.Wait()
	return changed.Load()
}

// enrichEach runs enrich over recs and says whether it changed any.
func enrichEach(recs []schemas.Record, enrich Enricher) bool {
	changed := false
	for i := range recs {
		if enrich(&recs[i]) {
			changed = true
		}
	}
	return changed
}
