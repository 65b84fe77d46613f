package pipelines

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// slowLinker is KeyLinker taking a while per micro-batch, so that a
// backlog builds up behind it; it notes the size of each micro-batch.
type slowLinker struct {
	KeyLinker
	delay time.Duration
	mu    sync.Mutex
	sizes []int
}

func (l *slowLinker) Link(ctx context.Context, recs []schemas.Record) (LinkResult, error) {
	time.Sleep(l.delay)
	l.mu.Lock()
	l.sizes = append(l.sizes, len(recs))
	l.mu.Unlock()
	return l.KeyLinker.Link(ctx, recs)
}

// orderWriter notes, for each write, the record ids it carried.
type orderWriter struct {
	mu      sync.Mutex
	written map[string]int // record id → the event index of its write
	events  *[]string
}

func (w *orderWriter) WriteMessages(_ context.Context, msgs ...kafka.Message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range msgs {
		if kindOf(m) != KindRecords {
			continue
		}
		rs, err := schemas.DecodeRecords(m.Value)
		if err != nil {
			return err
		}
		for _, r := range rs {
			w.written[r.RecordID] = len(*w.events)
		}
	}
	*w.events = append(*w.events, "write")
	return nil
}

// The match stage prepares the next micro-batch while it links one: with
// a backlog (a linker slower than the input) its micro-batches gather
// several messages, up to MaxRecords; still every message is committed
// only after the records it carried were written, in offset order, each
// record linked once.
func TestMatchPreparesAheadAndCommitsAfterWrite(t *testing.T) {
	const msgs, per = 12, 5
	var events []string
	var in []kafka.Message
	ids := map[int64][]string{}
	for o := range int64(msgs) {
		var recs []schemas.Record
		for i := range per {
			id := fmt.Sprintf("r%02d-%d", o, i)
			recs = append(recs, schemas.Record{RecordID: id, FullName: "Nguyễn Văn An", BirthYear: 1990, Sex: "M", IDNumber: fmt.Sprintf("0010900%05d", o*per+int64(i))})
			ids[o] = append(ids[o], id)
		}
		b, err := schemas.EncodeRecords(recs)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, kafka.Message{Topic: TopicRecords, Offset: o, Value: b})
	}
	r := &memReader{msgs: in, events: &events}
	w := &orderWriter{written: map[string]int{}, events: &events}
	l := &slowLinker{delay: 50 * time.Millisecond}
	st := new(MatchStats)
	// Commits are noted with the offsets they carry.
	cr := &commitOrder{memReader: r}
	runUntil(t, func(ctx context.Context) error {
		return Match(ctx, cr, w, l, nil, MatchConfig{MaxRecords: 4 * per, MaxWait: time.Second}, st)
	}, func() bool { return st.Records.Load() >= msgs*per })

	if got := st.Records.Load(); got != msgs*per {
		t.Fatalf("linked %d records, want %d", got, msgs*per)
	}
	total, most := 0, 0
	for _, n := range l.sizes {
		total += n
		most = max(most, n)
		if n > 4*per {
			t.Errorf("a micro-batch of %d records, more than MaxRecords %d", n, 4*per)
		}
	}
	if total != msgs*per {
		t.Errorf("the linker saw %d records, want each of the %d once", total, msgs*per)
	}
	if most < 2*per {
		t.Errorf("micro-batches %v: with a backlog behind a slow linker, want some gathering several messages", l.sizes)
	}
	// Every message committed once, in order, after its records were written.
	if len(cr.commits) != msgs {
		t.Fatalf("committed offsets %v, want each of the %d messages once", cr.offsets(), msgs)
	}
	for i, c := range cr.commits {
		if c.offset != int64(i) {
			t.Fatalf("committed offsets %v, want 0..%d in order", cr.offsets(), msgs-1)
		}
		for _, id := range ids[c.offset] {
			at, ok := w.written[id]
			if !ok || at >= c.event {
				t.Fatalf("message %d committed (event %d) before its record %s was written (event %d, written %v)", c.offset, c.event, id, at, ok)
			}
		}
	}
}

// commitOrder notes each committed offset and the event index of its
// commit.
type commitOrder struct {
	*memReader
	commits []struct {
		offset int64
		event  int
	}
}

func (c *commitOrder) CommitMessages(ctx context.Context, msgs ...kafka.Message) error {
	c.mu.Lock()
	at := len(*c.events)
	for _, m := range msgs {
		c.commits = append(c.commits, struct {
			offset int64
			event  int
		}{m.Offset, at})
	}
	c.mu.Unlock()
	return c.memReader.CommitMessages(ctx, msgs...)
}

func (c *commitOrder) offsets() []int64 {
	var o []int64
	for _, x := range c.commits {
		o = append(o, x.offset)
	}
	return o
}

// callWriter keeps the messages of each write apart.
type callWriter struct {
	mu    sync.Mutex
	calls [][]kafka.Message
}

func (w *callWriter) WriteMessages(_ context.Context, msgs ...kafka.Message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, append([]kafka.Message(nil), msgs...))
	return nil
}

// The match stage marks a micro-batch's output as caught up (every
// message: the batch's id and its message count) when nothing is left
// waiting in its input, and leaves the micro-batches it wrote with a
// backlog behind them unmarked.
func TestMatchMarksCaughtUp(t *testing.T) {
	const msgs, per = 12, 5
	var events []string
	var in []kafka.Message
	for o := range int64(msgs) {
		var recs []schemas.Record
		for i := range per {
			recs = append(recs, schemas.Record{RecordID: fmt.Sprintf("r%02d-%d", o, i), FullName: "Nguyễn Văn An", BirthYear: 1990, Sex: "M", IDNumber: fmt.Sprintf("0010900%05d", o*per+int64(i))})
		}
		b, err := schemas.EncodeRecords(recs)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, kafka.Message{Topic: TopicRecords, Offset: o, Value: b})
	}
	r := &memReader{msgs: in, events: &events}
	w := &callWriter{}
	st := new(MatchStats)
	runUntil(t, func(ctx context.Context) error {
		return Match(ctx, r, w, &slowLinker{delay: 50 * time.Millisecond}, nil, MatchConfig{MaxRecords: 4 * per, MaxWait: time.Second}, st)
	}, func() bool { return st.Records.Load() >= msgs*per })

	if len(w.calls) != 3 {
		t.Fatalf("%d writes, want 3 micro-batches of 4 messages", len(w.calls))
	}
	for i, call := range w.calls {
		var marks []string
		for _, m := range call {
			marks = append(marks, header(m, HeaderCaughtUp))
		}
		if i < len(w.calls)-1 {
			for _, v := range marks {
				if v != "" {
					t.Errorf("write %d, with messages still waiting, marked caught up: %q", i, marks)
					break
				}
			}
			continue
		}
		for _, v := range marks {
			if !strings.HasSuffix(v, fmt.Sprintf("-%d/%d", len(w.calls), len(call))) || v != marks[0] {
				t.Errorf("last write (%d messages) marked %q, want every message \"<id>-%d/%d\"", len(call), marks, len(w.calls), len(call))
				break
			}
		}
	}
}

// A chunk of rows over chunkBytes is split in halves until each fits (the
// match stage's records are wider than import's, which bounded them by
// bytes): every chunk within the bound, the rows all there, in order.
func TestEncodeChunksWithinBytes(t *testing.T) {
	recs := make([]schemas.Record, 100)
	for i := range recs {
		recs[i] = schemas.Record{RecordID: fmt.Sprintf("r%03d", i), FullName: "Nguyễn Văn An", PermAddress: strings.Repeat(fmt.Sprintf("số %d ngõ 34 phố Hòe Nhai ", i), 40)}
	}
	whole, err := encodeChunks(recs, 40, schemas.EncodeRecords)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != 3 {
		t.Fatalf("%d chunks of 40 rows at the writers' bound, want 3", len(whole))
	}
	single, err := schemas.EncodeRecords(recs[:1])
	if err != nil {
		t.Fatal(err)
	}
	defer func(b int) { chunkBytes = b }(chunkBytes)
	chunkBytes = (len(whole[0]) + len(single)) / 2 // under 40 rows, over one (Arrow's schema is most of a small chunk)
	chunks, err := encodeChunks(recs, 40, schemas.EncodeRecords)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) <= 3 {
		t.Fatalf("%d chunks under a bound of %d bytes, want the 40-row chunks split", len(chunks), chunkBytes)
	}
	var ids []string
	for i, c := range chunks {
		if len(c) > chunkBytes {
			t.Errorf("chunk %d: %d bytes, over the bound %d", i, len(c), chunkBytes)
		}
		rs, err := schemas.DecodeRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			ids = append(ids, r.RecordID)
		}
	}
	if len(ids) != len(recs) {
		t.Fatalf("%d rows in the chunks, want %d", len(ids), len(recs))
	}
	for i, id := range ids {
		if id != recs[i].RecordID {
			t.Fatalf("row %d is %s, want %s: out of order", i, id, recs[i].RecordID)
		}
	}
	chunkBytes = 1 // a single row over the bound stays one chunk
	if one, err := encodeChunks(recs[:1], 40, schemas.EncodeRecords); err != nil || len(one) != 1 {
		t.Errorf("one row over the bound: %d chunks, %v; want 1", len(one), err)
	}
}

// eventLog notes events from several goroutines in the order they happen.
type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) add(e string) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

func (l *eventLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.events...)
}

// loggedWriter notes its writes as name in log. The output's closes
// opened at its first write; the changelog's waits for started to be
// closed (5 s at most, then fails), then delay, then fails with fail or
// writes.
type loggedWriter struct {
	log     *eventLog
	name    string
	opened  chan struct{}
	once    sync.Once
	started chan struct{}
	delay   time.Duration
	fail    error
}

func (w *loggedWriter) WriteMessages(ctx context.Context, msgs ...kafka.Message) error {
	if w.started != nil {
		select {
		case <-w.started:
		case <-time.After(5 * time.Second):
			return fmt.Errorf("%s: the output was not written while the changelog waited", w.name)
		}
		time.Sleep(w.delay)
		if w.fail != nil {
			w.log.add(w.name + " failed")
			return w.fail
		}
	}
	w.log.add(w.name)
	if w.opened != nil {
		w.once.Do(func() { close(w.opened) })
	}
	return nil
}

// The registry linker's changelog write runs while the match stage
// encodes and writes its output (a changelog that waits for the output's
// write to begin does not hold the stage up), and a micro-batch's offsets
// are committed only after both: never when the changelog write fails.
func TestMatchWritesOutputWhileChangelog(t *testing.T) {
	recs := []schemas.Record{
		{RecordID: "f1/1", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F", IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"},
		{RecordID: "f1/2", FullName: "NGUYEN THI THU HA", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F", IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"},
	}
	v, err := schemas.EncodeRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("changelog fails %v", fail), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			l, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			log := &eventLog{}
			gate := make(chan struct{})
			out := &loggedWriter{log: log, name: "output", opened: gate}
			clw := &loggedWriter{log: log, name: "changelog", started: gate, delay: 50 * time.Millisecond}
			if fail {
				clw.fail = errors.New("broker gone")
			}
			l.Changelog = clw
			var events []string
			r := &memReader{msgs: []kafka.Message{{Topic: TopicRecords, Offset: 0, Value: v}}, events: &events}
			cr := &loggedReader{memReader: r, log: log}
			st := new(MatchStats)
			errc := make(chan error, 1)
			go func() { errc <- Match(ctx, cr, out, l, nil, MatchConfig{MaxWait: 10 * time.Millisecond}, st) }()
			for deadline := time.Now().Add(20 * time.Second); st.Batches.Load() == 0 && time.Now().Before(deadline); {
				select {
				case err := <-errc:
					errc <- err
					deadline = time.Now()
				default:
					time.Sleep(5 * time.Millisecond)
				}
			}
			cancel()
			err = <-errc
			got := log.get()
			if !fail {
				if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
					t.Fatal(err)
				}
				if want := []string{"output", "changelog", "commit"}; !slices.Equal(got, want) {
					t.Fatalf("events %q, want %q: the output written while the changelog is, the commit after both", got, want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "broker gone") {
				t.Fatalf("Match returned %v, want the changelog's error", err)
			}
			if slices.Contains(got, "commit") {
				t.Fatalf("events %q: offsets committed though the changelog write failed", got)
			}
		})
	}
}

// loggedReader notes commits in an eventLog.
type loggedReader struct {
	*memReader
	log *eventLog
}

func (r *loggedReader) CommitMessages(ctx context.Context, msgs ...kafka.Message) error {
	r.log.add("commit")
	return r.memReader.CommitMessages(ctx, msgs...)
}
