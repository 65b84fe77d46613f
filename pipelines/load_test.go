package pipelines

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// memReader serves messages from a slice and records commits. It stands
// in for a Kafka reader in unit tests of the stage loops; the integration
// tests use the real broker.
type memReader struct {
	mu        sync.Mutex
	msgs      []kafka.Message
	next      int
	committed []int64
	events    *[]string
}

func (r *memReader) FetchMessage(ctx context.Context) (kafka.Message, error) {
	r.mu.Lock()
	if r.next < len(r.msgs) {
		m := r.msgs[r.next]
		r.next++
		r.mu.Unlock()
		return m, nil
	}
	r.mu.Unlock()
	<-ctx.Done()
	return kafka.Message{}, ctx.Err()
}

func (r *memReader) CommitMessages(_ context.Context, msgs ...kafka.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		r.committed = append(r.committed, m.Offset)
	}
	*r.events = append(*r.events, "commit")
	return nil
}

type memSink struct {
	fail   error
	rows   int
	events *[]string
}

func (s *memSink) Write(_ context.Context, b *Batch) error {
	if s.fail != nil {
		return s.fail
	}
	s.rows += b.Len()
	*s.events = append(*s.events, "write")
	return nil
}

// memWriter is in import_test.go.

// eventWriter records "write" in events for each call, then writes to w:
// with memReader's "commit" it shows the order of writes and commits.
type eventWriter struct {
	w      *memWriter
	events *[]string
}

func (e eventWriter) WriteMessages(ctx context.Context, msgs ...kafka.Message) error {
	if err := e.w.WriteMessages(ctx, msgs...); err != nil {
		return err
	}
	*e.events = append(*e.events, "write")
	return nil
}

func rejectMsg(t *testing.T, off int64, n int) kafka.Message {
	t.Helper()
	rows := make([]schemas.Reject, n)
	for i := range rows {
		rows[i] = schemas.Reject{RejectID: "x", Row: uint32(i + 1), Reason: "no name", RejectedAt: time.Unix(0, 0).UTC()}
	}
	b, err := schemas.EncodeRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	return kafka.Message{Topic: TopicRejects, Offset: off, Value: b}
}

func TestLoadCommitsOnlyAfterSink(t *testing.T) {
	var events []string
	r := &memReader{msgs: []kafka.Message{rejectMsg(t, 0, 3), rejectMsg(t, 1, 2)}, events: &events}
	sink := &memSink{events: &events}
	st := new(LoadStats)
	runUntil(t, func(ctx context.Context) error {
		return Load(ctx, r, sink, LoadConfig{MaxWait: 20 * time.Millisecond}, st)
	}, func() bool { return st.Messages.Load() >= 2 })
	if sink.rows != 5 || st.Rejects.Load() != 5 {
		t.Errorf("sink got %d rows, stats %d, want 5", sink.rows, st.Rejects.Load())
	}
	if len(events) == 0 || events[0] != "write" {
		t.Errorf("events %v: the first commit came before any write", events)
	}
	for i, e := range events {
		if e == "commit" && (i == 0 || events[i-1] != "write") {
			t.Errorf("events %v: commit %d not preceded by a write", events, i)
		}
	}
}

func TestLoadSinkFailureCommitsNothing(t *testing.T) {
	var events []string
	r := &memReader{msgs: []kafka.Message{rejectMsg(t, 0, 3)}, events: &events}
	sink := &memSink{fail: errors.New("clickhouse down"), events: &events}
	err := Load(context.Background(), r, sink, LoadConfig{MaxWait: 10 * time.Millisecond}, nil)
	if err == nil {
		t.Fatal("load went on after the sink failed")
	}
	if len(r.committed) != 0 {
		t.Errorf("committed %v although the sink failed", r.committed)
	}
}

func TestLoadDeadLettersUndecodable(t *testing.T) {
	var events []string
	bad := kafka.Message{Topic: TopicMatched, Offset: 1, Value: []byte("not arrow"), Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(KindRecords)}}}
	r := &memReader{msgs: []kafka.Message{rejectMsg(t, 0, 2), bad}, events: &events}
	sink := &memSink{events: &events}
	dl := &memWriter{}
	st := new(LoadStats)
	runUntil(t, func(ctx context.Context) error {
		return Load(ctx, r, sink, LoadConfig{MaxWait: 10 * time.Millisecond, DeadLetter: dl}, st)
	}, func() bool { return st.Messages.Load() >= 2 })
	if len(dl.msgs) != 1 || st.Dead.Load() != 1 {
		t.Fatalf("dead letters %d (stats %d), want 1", len(dl.msgs), st.Dead.Load())
	}
	var hasErr bool
	for _, h := range dl.msgs[0].Headers {
		hasErr = hasErr || h.Key == "dancu-error"
	}
	if !hasErr {
		t.Error("dead letter carries no error header")
	}
	if len(r.committed) != 2 {
		t.Errorf("committed %v, want both messages (the good rows written, the bad one dead-lettered)", r.committed)
	}
}

func TestLoadDrainsOnCancel(t *testing.T) {
	var events []string
	r := &memReader{msgs: []kafka.Message{rejectMsg(t, 0, 4)}, events: &events}
	sink := &memSink{events: &events}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	// A long MaxWait: only the drain on cancellation can flush.
	go func() { done <- Load(ctx, r, sink, LoadConfig{MaxWait: time.Hour}, nil) }()
	for {
		r.mu.Lock()
		n := r.next
		r.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if sink.rows != 4 || len(r.committed) != 1 {
		t.Errorf("after cancel: %d rows written, %d committed; want 4 and 1", sink.rows, len(r.committed))
	}
}

func TestMatchWritesBeforeCommit(t *testing.T) {
	var events []string
	recs := []schemas.Record{
		{RecordID: "r1", FullName: "Nguyễn Văn An", BirthYear: 1990, Sex: "M", IDNumber: "001090012345", SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
		{RecordID: "r2", FullName: "NGUYEN VAN AN", BirthYear: 1990, Sex: "M", IDNumber: "001090012345", SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
		{RecordID: "r3", FullName: "Trần Thị Bình", BirthYear: 1985, Sex: "F", SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
	}
	b, err := schemas.EncodeRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	r := &memReader{msgs: []kafka.Message{{Topic: TopicRecords, Value: b}}, events: &events}
	w := &memWriter{}
	st := new(MatchStats)
	runUntil(t, func(ctx context.Context) error {
		return Match(ctx, r, eventWriter{w, &events}, KeyLinker{}, nil, MatchConfig{MaxWait: 10 * time.Millisecond}, st)
	}, func() bool { return st.Batches.Load() >= 1 })
	// What the name says: every output write comes before the commit of
	// the input, and the input is committed once.
	r.mu.Lock()
	order := strings.Join(events, ",")
	r.mu.Unlock()
	if i, j := strings.LastIndex(order, "write"), strings.Index(order, "commit"); i < 0 || j < 0 || i > j || strings.Count(order, "commit") != 1 {
		t.Fatalf("events %q: want the matched output written before the one commit", order)
	}
	var out Batch
	for _, m := range w.msgs {
		if err := out.add(m); err != nil {
			t.Fatal(err)
		}
	}
	if len(out.Records) != 3 || len(out.Links) != 3 {
		t.Fatalf("matched output: %d records, %d links; want 3 and 3", len(out.Records), len(out.Links))
	}
	if out.Links[0].PersonID != out.Links[1].PersonID {
		t.Error("two records with one valid id number linked to different persons")
	}
	if out.Links[0].PersonID == out.Links[2].PersonID {
		t.Error("different people linked together")
	}
	if len(out.Persons) != 2 {
		t.Errorf("%d persons, want 2", len(out.Persons))
	}
	if len(r.committed) != 1 {
		t.Errorf("committed %v, want the one input message", r.committed)
	}
}

func TestMatchDeadLettersUndecodable(t *testing.T) {
	var events []string
	r := &memReader{msgs: []kafka.Message{{Topic: TopicRecords, Offset: 7, Value: []byte("garbage")}}, events: &events}
	w, dl := &memWriter{}, &memWriter{}
	st := new(MatchStats)
	runUntil(t, func(ctx context.Context) error {
		return Match(ctx, r, w, KeyLinker{}, nil, MatchConfig{MaxWait: 10 * time.Millisecond, DeadLetter: dl}, st)
	}, func() bool { return st.Batches.Load() >= 1 })
	if len(dl.msgs) != 1 || string(dl.msgs[0].Value) != "garbage" {
		t.Fatalf("dead letters %v, want the garbage batch", dl.msgs)
	}
	if len(r.committed) != 1 {
		t.Errorf("committed %v, want the dead-lettered message", r.committed)
	}
	// Without a dead-letter writer the stage stops instead of dropping it.
	r2 := &memReader{msgs: []kafka.Message{{Topic: TopicRecords, Value: []byte("garbage")}}, events: &events}
	if err := Match(context.Background(), r2, w, KeyLinker{}, nil, MatchConfig{}, nil); err == nil {
		t.Error("undecodable batch without dead letters did not stop the stage")
	}
}

// runUntil runs a stage until done reports true (or 5 s pass), then
// cancels it and fails the test if it returned an error.
func runUntil(t *testing.T, run func(context.Context) error, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- run(ctx) }()
	for deadline := time.Now().Add(5 * time.Second); !done() && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// refusingSink refuses the rejects at the given indexes of every batch.
type refusingSink struct {
	memSink
	refuse []int
}

func (s *refusingSink) Write(ctx context.Context, b *Batch) error {
	if err := s.memSink.Write(ctx, b); err != nil {
		return err
	}
	rr := &RefusedRows{}
	for _, i := range s.refuse {
		rr.Rows = append(rr.Rows, RefusedRow{Kind: KindRejects, Index: i, Table: "rejects", Err: errors.New("code: 469, value 'Nguyễn Văn An' 001090012345")})
	}
	return rr
}

func TestLoadDeadLettersRefusedRows(t *testing.T) {
	var events []string
	r := &memReader{msgs: []kafka.Message{rejectMsg(t, 10, 3), rejectMsg(t, 11, 4)}, events: &events}
	sink := &refusingSink{memSink: memSink{events: &events}, refuse: []int{4}}
	dl := &memWriter{}
	st := new(LoadStats)
	runUntil(t, func(ctx context.Context) error {
		return Load(ctx, r, sink, LoadConfig{MaxWait: 20 * time.Millisecond, DeadLetter: dl}, st)
	}, func() bool { return st.Messages.Load() >= 2 })
	if len(dl.msgs) != 1 {
		t.Fatalf("%d dead letters, want 1", len(dl.msgs))
	}
	m := dl.msgs[0]
	if got := header(m, HeaderSource); got != TopicRejects+"/0@11" {
		t.Errorf("refused row 4 (the 2nd row of the message at offset 11) has source %q", got)
	}
	if header(m, HeaderKind) != KindRejects || header(m, HeaderTable) != "rejects" || header(m, HeaderStage) != "load" || header(m, HeaderError) == "" {
		t.Errorf("dead letter headers %v", m.Headers)
	}
	rows, err := schemas.DecodeRows[schemas.Reject](m.Value)
	if err != nil || len(rows) != 1 || rows[0].Row != 2 {
		t.Errorf("dead letter holds %+v (%v), want the one refused row (row 2)", rows, err)
	}
	if st.Refused.Load() != 1 || st.Dead.Load() != 1 || st.Rejects.Load() != 6 {
		t.Errorf("stats refused %d dead %d rejects %d, want 1, 1, 6", st.Refused.Load(), st.Dead.Load(), st.Rejects.Load())
	}
	if len(r.committed) != 2 {
		t.Errorf("committed %v, want both messages", r.committed)
	}

	// Without a dead-letter topic a refused row stops the stage uncommitted.
	var ev2 []string
	r2 := &memReader{msgs: []kafka.Message{rejectMsg(t, 0, 3)}, events: &ev2}
	err = Load(context.Background(), r2, &refusingSink{memSink: memSink{events: &ev2}, refuse: []int{0}}, LoadConfig{MaxWait: 10 * time.Millisecond}, nil)
	if err == nil || len(r2.committed) != 0 {
		t.Errorf("refused row without dead letters: err %v, committed %v; want an error and no commit", err, r2.committed)
	}
}

func TestMaskValues(t *testing.T) {
	got := MaskValues("Column values: full_name = 'Nguyễn Văn An', id_number = '001090012345', n = 7")
	for _, leak := range []string{"Văn An", "001090012345"} {
		if strings.Contains(got, leak) {
			t.Errorf("MaskValues left %q in %q", leak, got)
		}
	}
	if !strings.Contains(got, "n = 7") || !strings.Contains(got, "'N…'") {
		t.Errorf("MaskValues(…) = %q: masked too much", got)
	}
}

// join puts each kind's rows of the parts together in order, in one
// slice of exactly their number, and leaves a kind no part has empty.
func TestJoinKeepsOrderInOneSlice(t *testing.T) {
	rec := func(ids ...string) []schemas.Record {
		var out []schemas.Record
		for _, id := range ids {
			out = append(out, schemas.Record{RecordID: id})
		}
		return out
	}
	parts := []Batch{
		{Records: rec("r0", "r1", "r2"), Links: []schemas.Link{{RecordID: "r0"}}},
		{Persons: []schemas.Person{{PersonID: "P1"}}},
		{Records: rec("r3", "r4"), Links: []schemas.Link{{RecordID: "r3"}}},
	}
	got := join(parts)
	var ids []string
	for _, r := range got.Records {
		ids = append(ids, r.RecordID)
	}
	if fmt.Sprint(ids) != "[r0 r1 r2 r3 r4]" || cap(got.Records) != 5 {
		t.Errorf("records %v (capacity %d), want r0…r4 in one slice of 5", ids, cap(got.Records))
	}
	if len(got.Links) != 2 || got.Links[1].RecordID != "r3" || len(got.Persons) != 1 || got.Conflicts != nil || got.Len() != 8 {
		t.Errorf("joined %d links, %d persons, conflicts %v, %d rows; want 2, 1, none, 8", len(got.Links), len(got.Persons), got.Conflicts, got.Len())
	}
	if one := join(parts[1:2]); len(one.Persons) != 1 || one.Len() != 1 {
		t.Errorf("one part joined: %+v", one)
	}
	if none := join(nil); none.Len() != 0 {
		t.Errorf("no part joined: %d rows", none.Len())
	}
}

// sizeSink records the rows of each batch it is given.
type sizeSink struct{ sizes []int }

func (s *sizeSink) Write(_ context.Context, b *Batch) error {
	s.sizes = append(s.sizes, b.Len())
	return nil
}

// The coverage deltas are bounded apart from the other rows, each by
// MaxRows: counted with them, they made a backlog's flushes more (round
// 9: 5 of 200,000 records instead of 3 when every record lies in a
// commune of its own).
func TestLoadBoundsCoverageDeltasApart(t *testing.T) {
	deltas := func(off int64, n int) kafka.Message {
		rows := make([]schemas.RecordDelta, n)
		for i := range rows {
			rows[i] = schemas.RecordDelta{Batch: "b", Seq: uint32(i), Added: 1, SourceMonth: time.Unix(0, 0).UTC(), LoadMonth: time.Unix(0, 0).UTC()}
		}
		b, err := schemas.EncodeRows(rows)
		if err != nil {
			t.Fatal(err)
		}
		return kafka.Message{Topic: TopicMatched, Offset: off, Value: b, Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(KindRecordDeltas)}}}
	}
	var events []string
	r := &memReader{msgs: []kafka.Message{rejectMsg(t, 0, 3), deltas(1, 4), rejectMsg(t, 2, 3), deltas(3, 3), deltas(4, 3)}, events: &events}
	sink := &sizeSink{}
	st := new(LoadStats)
	runUntil(t, func(ctx context.Context) error {
		return Load(ctx, r, sink, LoadConfig{MaxRows: 5, MaxWait: time.Hour}, st)
	}, func() bool { return st.Messages.Load() >= 5 })
	// 3 + 3 rejects reach 5 with the first four deltas; the next six
	// deltas reach 5 alone.
	if fmt.Sprint(sink.sizes) != "[10 6]" {
		t.Errorf("flushes of %v rows, want [10 6]", sink.sizes)
	}
}

// A micro-batch the match stage wrote caught up (HeaderCaughtUp on each
// of its messages) is flushed as soon as the load stage holds all of its
// messages, not MaxWait after the first; one missing a message waits.
func TestLoadFlushesCaughtUpBatch(t *testing.T) {
	mark := func(m kafka.Message, v string) kafka.Message {
		m.Headers = append(m.Headers, kafka.Header{Key: HeaderCaughtUp, Value: []byte(v)})
		return m
	}
	var events []string
	r := &memReader{msgs: []kafka.Message{
		rejectMsg(t, 0, 3),                // unmarked: written with a backlog behind it
		mark(rejectMsg(t, 1, 2), "a-7/2"), // the caught-up micro-batch's two messages
		mark(rejectMsg(t, 2, 4), "a-7/2"),
		mark(rejectMsg(t, 3, 1), "b-1/2"), // one of two: the other is elsewhere
	}, events: &events}
	sink := &memSink{events: &events}
	st := new(LoadStats)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Load(ctx, r, sink, LoadConfig{MaxWait: time.Hour}, st) }()
	for deadline := time.Now().Add(5 * time.Second); st.Flushes.Load() < 1 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	flushes, rows := st.Flushes.Load(), st.Rejects.Load()
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if flushes != 1 || rows != 9 {
		t.Errorf("before MaxWait: %d flushes of %d rows, want 1 of 9 (the unmarked message and the complete micro-batch)", flushes, rows)
	}
	if got := st.Rejects.Load(); got != 10 {
		t.Errorf("%d rows written in all, want 10 (the incomplete micro-batch at shutdown)", got)
	}
}

// Output the match stage wrote with a backlog (no HeaderCaughtUp) waits
// BacklogWait, not MaxWait, for more micro-batches to insert with it; a
// batch holding a marked message waits MaxWait, as before.
func TestLoadWaitsLongerUnderBacklog(t *testing.T) {
	run := func(m kafka.Message, cfg LoadConfig, look time.Duration) (early, late int64) {
		t.Helper()
		var events []string
		r := &memReader{msgs: []kafka.Message{m}, events: &events}
		st := new(LoadStats)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- Load(ctx, r, &memSink{events: &events}, cfg, st) }()
		time.Sleep(look)
		early = st.Flushes.Load()
		for deadline := time.Now().Add(5 * time.Second); st.Flushes.Load() < 1 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		late = st.Flushes.Load()
		cancel()
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		return early, late
	}
	// Unmarked: not flushed after MaxWait, flushed after BacklogWait.
	start := time.Now()
	early, late := run(rejectMsg(t, 0, 3), LoadConfig{MaxWait: 20 * time.Millisecond, BacklogWait: 600 * time.Millisecond}, 300*time.Millisecond)
	if early != 0 || late != 1 {
		t.Errorf("unmarked: %d flushes at 300ms, %d by 5s; want 0 (BacklogWait 600ms, not MaxWait 20ms), then 1", early, late)
	}
	if took := time.Since(start); took < 600*time.Millisecond {
		t.Errorf("unmarked: flushed after %v, before BacklogWait", took)
	}
	// Marked (one of a micro-batch's two messages: it never completes
	// here): MaxWait.
	marked := rejectMsg(t, 0, 3)
	marked.Headers = append(marked.Headers, kafka.Header{Key: HeaderCaughtUp, Value: []byte("b-1/2")})
	if early, late := run(marked, LoadConfig{MaxWait: 20 * time.Millisecond, BacklogWait: time.Hour}, 300*time.Millisecond); early != 1 || late != 1 {
		t.Errorf("marked: %d flushes at 300ms, want 1 (MaxWait 20ms, not BacklogWait)", early)
	}
}

// A flush at MaxRows that takes part of a caught-up micro-batch does not
// lose its count: the rest of it, read afterwards, completes it and is
// flushed at once, not MaxWait later.
func TestLoadCaughtUpAcrossFlushes(t *testing.T) {
	mark := func(m kafka.Message) kafka.Message {
		m.Headers = append(m.Headers, kafka.Header{Key: HeaderCaughtUp, Value: []byte("c-1/3")})
		return m
	}
	var events []string
	r := &memReader{msgs: []kafka.Message{
		mark(rejectMsg(t, 0, 3)), // fills MaxRows: flushed alone
		mark(rejectMsg(t, 1, 1)),
		mark(rejectMsg(t, 2, 1)), // the micro-batch's last message
	}, events: &events}
	st := new(LoadStats)
	var running int64 // flushes while running (runUntil then stops it: a drain flushes what is held)
	runUntil(t, func(ctx context.Context) error {
		return Load(ctx, r, &memSink{events: &events}, LoadConfig{MaxRows: 3, MaxWait: time.Hour}, st)
	}, func() bool { running = st.Flushes.Load(); return running >= 2 })
	if running != 2 || st.Rejects.Load() != 5 {
		t.Fatalf("%d flushes before stopping (%d rows in all), want 2 of 5 rows: the micro-batch's last two messages waited for MaxWait", running, st.Rejects.Load())
	}
}

// A dead letter that cannot be written stops the stage with both errors:
// why the message was sent there, and why it could not be.
func TestDeadLetterUnwritable(t *testing.T) {
	full := errors.New("dead letters full")
	var events []string
	bad := kafka.Message{Topic: TopicMatched, Offset: 1, Value: []byte("not arrow"), Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(KindRecords)}}}
	err := Load(context.Background(), &memReader{msgs: []kafka.Message{bad}, events: &events}, &memSink{events: &events},
		LoadConfig{MaxWait: 10 * time.Millisecond, DeadLetter: &memWriter{fail: full}}, nil)
	if !errors.Is(err, full) || !strings.Contains(err.Error(), "decode message") {
		t.Errorf("load stage: %v; want the message's error and the dead letter's", err)
	}
	err = Match(context.Background(), &memReader{msgs: []kafka.Message{{Topic: TopicRecords, Value: []byte("garbage")}}, events: &events},
		&memWriter{}, KeyLinker{}, nil, MatchConfig{MaxWait: 10 * time.Millisecond, DeadLetter: &memWriter{fail: full}}, nil)
	if !errors.Is(err, full) || !strings.Contains(err.Error(), "decode records") {
		t.Errorf("match stage: %v; want the message's error and the dead letter's", err)
	}
}
