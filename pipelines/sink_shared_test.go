package pipelines_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// A block published to the share comes back whole, in parts larger than
// one message, with where it came from, until it is done.
func TestKafkaPendingShareKeepsBlocksUntilDone(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicLoadPending: 1}); err != nil {
		t.Fatal(err)
	}
	share, err := pipelines.NewKafkaPendingShare(brokers)
	if err != nil {
		t.Fatal(err)
	}
	defer share.Close()
	if got, err := share.Blocks(ctx); err != nil || len(got) != 0 {
		t.Fatalf("an empty share holds %d blocks (%v)", len(got), err)
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 80_000) // 1.28 MB: three parts
	written := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	blocks := []pipelines.SharedBlock{
		{Token: "person_delta_sums/aa", Query: "INSERT INTO person_delta_sums (batch) SETTINGS x = 1", Body: big,
			From: pipelines.MessageSpan{Topic: pipelines.TopicMatched, Last: map[int]int64{0: 7, 3: 12}}, Written: written, Parts: 3},
		{Token: "record_deltas/bb", Body: []byte("rows"), From: pipelines.MessageSpan{Topic: pipelines.TopicMatched, Last: map[int]int64{1: 2}},
			Written: written, Parts: 1},
	}
	for _, b := range blocks {
		if err := share.Publish(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	got, err := share.Blocks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d blocks, want 2", len(got))
	}
	for i, b := range blocks {
		g := got[i]
		if g.Token != b.Token || g.Query != b.Query || !bytes.Equal(g.Body, b.Body) || g.Parts != b.Parts || !g.Written.Equal(b.Written) ||
			g.From.Topic != b.From.Topic || len(g.From.Last) != len(b.From.Last) {
			t.Errorf("block %d came back as %s %q %d bytes in %d parts from %v at %v; want %s %q %d bytes in %d from %v at %v", i,
				g.Token, g.Query, len(g.Body), g.Parts, g.From, g.Written, b.Token, b.Query, len(b.Body), b.Parts, b.From, b.Written)
		}
		for p, o := range b.From.Last {
			if g.From.Last[p] != o {
				t.Errorf("block %d: partition %d's last offset %d, want %d", i, p, g.From.Last[p], o)
			}
		}
	}
	if err := share.Done(ctx, blocks[0].Token, blocks[0].Parts); err != nil {
		t.Fatal(err)
	}
	got, err = share.Blocks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Token != blocks[1].Token {
		t.Errorf("after the first is done the share holds %d blocks (%v), want only %s", len(got), got, blocks[1].Token)
	}
}

// Two load members of one group, each with its own home (a machine of
// its own), share the partitions of TopicMatched. The first one's insert
// of persons' deltas runs in the engine and its answer is lost, again and
// again: it publishes the block to the share and waits to send it again,
// and it is killed there, after the engine committed the aggregate's
// part (coverage_sums: coverage_persons and coverage_children) and before
// the keys' (a TRUNCATE of those forgets their part and its id). It is never started again: its home
// keeps its file, which no other member reads. Its partition goes to the
// second member, whose flush holds the first one's rows in another
// grouping (with the next message's rows). With the share it first sends
// the published block again under its token — the aggregate drops it, the
// keys take it — and its keys filter then skips those rows: every count
// exact. Without the share (before chaos12) the rows passed the keys
// filter under another token and the aggregate counted them twice, 11 for
// 7.
func TestLoadMemberOfAnotherHomeFinishesAnInsertCountOnce(t *testing.T) {
	withAndWithoutShare(t, loadMembersOfTwoHomes)
}

func loadMembersOfTwoHomes(t *testing.T, withShare bool, wantPersons int64) {
	loadMembersOfTwoHomesPublishing(t, withShare, false, wantPersons)
}

// A process that ends after the engine failed in its insert of deltas,
// before anything more it sends reaches the broker (issue 9 (e) (1),
// docs/pipeline.md, chaos13 and chaos14): both killed within a produce's
// round trip, or one machine holding both losing power. Here every
// publish made once the insert was on its way to the engine fails
// (lateShare), as it never arrives. Before chaos14 the block was published
// only after the insert's first attempt failed, so the second member, on
// another machine, found nothing to send again: its keys filter could not
// tell that the aggregate had the rows and the keys did not, and
// coverage_persons (and coverage_children, one part of coverage_sums since
// migration 0027) counted b1's 4 persons twice, 11 for 7. Since chaos14
// the first member publishes, before the insert, the block's intent (its
// token and the messages its rows come from, not the rows), and the
// second member, given the partitions, reads those messages again, makes
// the same block, and sends it under that token before its keys filter
// reads the keys: 7.
func TestLoadMemberEndedWhenTheEngineFailedCountsOnce(t *testing.T) {
	loadMembersOfTwoHomesPublishing(t, true, true, 7)
}

// lateShare is a share whose publishes made after the proxy passed an
// insert of deltas on to the engine never arrive: the process ended then.
type lateShare struct {
	pipelines.PendingShare
	proxy *answerLosingProxy
}

func (s lateShare) Publish(ctx context.Context, b pipelines.SharedBlock) error {
	if s.proxy.hits.Load() > 0 {
		return errors.New("the process ended before the broker acknowledged the block")
	}
	return s.PendingShare.Publish(ctx, b)
}

// loadMembersOfTwoHomesPublishing runs loadMembersOfTwoHomes' test; with
// lost, the first member's publishes made once its insert reached the
// engine never arrive (lateShare).
func loadMembersOfTwoHomesPublishing(t *testing.T, withShare, lost bool, wantPersons int64) {
	ctx, cancelAll := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelAll()
	brokers, direct, viaProxy, proxy, produce := loadMembersSetUp(t, ctx)
	newShare := func() pipelines.PendingShare {
		if !withShare {
			return nil
		}
		s, err := pipelines.NewKafkaPendingShare(brokers)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	const group = "dancu-load-test"
	lc := pipelines.LoadConfig{MaxWait: 300 * time.Millisecond}

	// The first member, alone in the group: both partitions.
	produce("b1", 4, 0)
	proxy.faults.Store(1 << 20)
	homeA := t.TempDir()
	rA, err := kafkax.NewReader(brokers, group, pipelines.TopicMatched)
	if err != nil {
		t.Fatal(err)
	}
	sinkA := &pipelines.ClickHouseSink{Conn: viaProxy, PendingDir: filepath.Join(homeA, "load"), Share: newShare()}
	if lost {
		sinkA.Share = lateShare{sinkA.Share, proxy}
	}
	actx, killA := context.WithCancel(ctx)
	doneA := make(chan error, 1)
	go func() { doneA <- pipelines.Load(actx, rA, sinkA, lc, nil) }()
	deadline := time.Now().Add(time.Minute)
	for {
		var n int64
		if err := direct.QueryRow(ctx, "SELECT toInt64(sum(persons)) FROM coverage_persons").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 && proxy.hits.Load() > 0 && (!withShare || published(sinkA) > 0 && sinkA.OutageRetries.Load() > 0) {
			break
		}
		select {
		case err := <-doneA:
			t.Fatalf("the first member ended before its insert's answer was lost: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first member's insert did not reach the engine and the share in a minute (published %d)", published(sinkA))
		}
	}
	// Killed while it waits to send its block again: nothing committed,
	// its partitions go to the other member.
	killA()
	if err := <-doneA; err == nil {
		t.Fatal("the first member's Load ended without an error, its insert unanswered")
	}
	rA.Close()
	forgetSumsButPersons(t, ctx, direct)
	if left, _ := filepath.Glob(filepath.Join(homeA, "load", "*.pending")); len(left) != 1 {
		t.Fatalf("the first member left %d pending blocks in its home, want 1: %v", len(left), left)
	}

	// The second member, on another machine: its own, empty home.
	produce("b2", 3, 1)
	homeB := t.TempDir()
	rB, err := kafkax.NewReader(brokers, group, pipelines.TopicMatched)
	if err != nil {
		t.Fatal(err)
	}
	defer rB.Close()
	sinkB := &pipelines.ClickHouseSink{Conn: direct, PendingDir: filepath.Join(homeB, "load"), Share: newShare()}
	var st pipelines.LoadStats
	bctx, stopB := context.WithCancel(ctx)
	doneB := make(chan error, 1)
	go func() { doneB <- pipelines.Load(bctx, rB, sinkB, lc, &st) }()
	for deadline := time.Now().Add(time.Minute); st.Messages.Load() < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("the second member committed %d messages of 2 in a minute", st.Messages.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopB()
	if err := <-doneB; err != nil {
		t.Fatal(err)
	}
	p, c, k := sumsCounted(t, ctx, direct)
	// b1's 4 rows and b2's 3, each Added 1: 7 in each target.
	if p != wantPersons || c != wantPersons || k != 7 {
		t.Errorf("coverage_persons %d, coverage_children %d, keys %d; want %d, %[4]d, 7", p, c, k, wantPersons)
	}
	if !withShare {
		return
	}
	if r := sinkB.SharedResent.Load(); r != 1 {
		t.Errorf("the second member sent %d blocks of the share again, want 1", r)
	}
	if left, _ := os.ReadDir(filepath.Join(homeB, "load")); len(left) != 0 {
		t.Errorf("%d files left in the second member's home, want none", len(left))
	}
	if got, err := sinkB.Share.Blocks(ctx); err != nil || len(got) != 0 {
		t.Errorf("the share holds %d blocks after the second member sent it again (%v), want none", len(got), err)
	}
}

// The same with both members in the group from the start, each given one
// partition: the member that reads the message of 4 deltas (through a
// proxy that loses its inserts' answers) publishes the block and is
// killed; the other member, already reading its own partition, is given
// the dead one's by the group's rebalance (its reader begins that
// partition at offset 0) and sends the block again before its keys filter
// reads the keys. The dead member's partition then holds a second
// message, so the other's flush is of other rows than the block (without
// the share: 11 for 7).
func TestLoadMemberGivenADeadMembersPartitionFinishesItsInsert(t *testing.T) {
	withAndWithoutShare(t, loadMembersRebalanced)
}

func loadMembersRebalanced(t *testing.T, withShare bool, wantPersons int64) {
	ctx, cancelAll := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelAll()
	brokers, direct, viaProxy, proxy, produce := loadMembersSetUp(t, ctx)
	const group = "dancu-load-test"
	lc := pipelines.LoadConfig{MaxWait: 300 * time.Millisecond}
	type member struct {
		r      *kafka.Reader
		sink   *pipelines.ClickHouseSink
		st     pipelines.LoadStats
		cancel context.CancelFunc
		done   chan error
	}
	var members [2]*member
	for i := range members {
		r, err := kafkax.NewReader(brokers, group, pipelines.TopicMatched)
		if err != nil {
			t.Fatal(err)
		}
		m := &member{r: r, sink: &pipelines.ClickHouseSink{Conn: viaProxy, PendingDir: filepath.Join(t.TempDir(), "load")}, done: make(chan error, 1)}
		if withShare {
			s, err := pipelines.NewKafkaPendingShare(brokers)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			m.sink.Share = s
		}
		mctx, cancel := context.WithCancel(ctx)
		m.cancel = cancel
		go func() { m.done <- pipelines.Load(mctx, r, m.sink, lc, &m.st) }()
		members[i] = m
	}
	defer func() {
		for _, m := range members {
			m.cancel()
			m.r.Close()
		}
	}()
	// Both in the group, one partition each.
	client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
	defer closeClient()
	for deadline := time.Now().Add(time.Minute); ; {
		resp, err := client.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
		if err == nil && len(resp.Groups) == 1 && resp.Groups[0].GroupState == "Stable" && len(resp.Groups[0].Members) == 2 {
			assigned := 0
			for _, m := range resp.Groups[0].Members {
				for _, tp := range m.MemberAssignments.Topics {
					assigned += len(tp.Partitions)
				}
			}
			if assigned == 2 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the two members did not share the partitions in a minute (%v)", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	produce("b1", 4, 0)
	proxy.faults.Store(1 << 20)
	var dead, live *member
	for deadline := time.Now().Add(time.Minute); dead == nil; {
		var n int64
		if err := direct.QueryRow(ctx, "SELECT toInt64(sum(persons)) FROM coverage_persons").Scan(&n); err != nil {
			t.Fatal(err)
		}
		for i, m := range members {
			if n > 0 && m.sink.OutageRetries.Load() > 0 && (!withShare || published(m.sink) > 0) {
				dead, live = m, members[1-i]
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no member's insert reached the engine and the share in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	dead.cancel()
	if err := <-dead.done; err == nil {
		t.Fatal("the dead member's Load ended without an error, its insert unanswered")
	}
	dead.r.Close()
	proxy.faults.Store(0)
	forgetSumsButPersons(t, ctx, direct)
	produce("b2", 3, 0)
	for deadline := time.Now().Add(time.Minute); live.st.Messages.Load() < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("the live member committed %d messages of 2 in a minute", live.st.Messages.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	p, c, k := sumsCounted(t, ctx, direct)
	if p != wantPersons || c != wantPersons || k != 7 {
		t.Errorf("coverage_persons %d, coverage_children %d, keys %d; want %d, %[4]d, 7", p, c, k, wantPersons)
	}
	if withShare {
		if r := live.sink.SharedResent.Load(); r != 1 {
			t.Errorf("the live member sent %d blocks of the share again, want 1", r)
		}
	}
}

// published is how many inserts sink published to its share, whole or as
// intents (before chaos14 only those whose first attempt failed, after it).
func published(sink *pipelines.ClickHouseSink) int64 {
	return sink.SharedPublished.Load() + sink.IntentsPublished.Load()
}

// produceDeltaSums writes rows to w's topic as one message of
// KindPersonDeltaSums on partition, keyed by batch.
func produceDeltaSums(t *testing.T, ctx context.Context, w *kafka.Writer, partition int, batch string, rows []schemas.PersonDeltaSum) {
	t.Helper()
	v, err := schemas.EncodeRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessages(ctx, kafka.Message{Partition: partition, Key: []byte(batch), Value: v,
		Headers: []kafka.Header{{Key: pipelines.HeaderKind, Value: []byte(pipelines.KindPersonDeltaSums)}}}); err != nil {
		t.Fatal(err)
	}
}

// withAndWithoutShare runs a test of two load members as subtests, with
// the share (7 persons counted, b1's 4 and b2's 3) and without it (the
// hole: b1's counted twice in coverage_persons, 11).
func withAndWithoutShare(t *testing.T, run func(t *testing.T, withShare bool, wantPersons int64)) {
	for _, c := range []struct {
		name        string
		share       bool
		wantPersons int64
	}{{"share", true, 7}, {"no share (the hole)", false, 11}} {
		t.Run(c.name, func(t *testing.T) {
			run(t, c.share, c.wantPersons)
		})
	}
}

// loadMembersSetUp starts a broker with TopicMatched (two partitions) and
// TopicLoadPending, and the engine directly and behind a proxy that loses
// the answers of inserts into coverage_deltas; produce writes a message
// of n deltas of batch (December 2026) to a partition of TopicMatched.
func loadMembersSetUp(t *testing.T, ctx context.Context) (brokers []string, direct, viaProxy driver.Conn, proxy *answerLosingProxy,
	produce func(batch string, n uint32, partition int)) {
	t.Helper()
	brokers = []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicMatched: 2, pipelines.TopicLoadPending: 1}); err != nil {
		t.Fatal(err)
	}
	direct, viaProxy, proxy = engineLosingSumsAnswers(t, ctx)
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	w, err := kafkax.NewPartitionWriter(brokers, pipelines.TopicMatched)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	produce = func(batch string, n uint32, partition int) {
		t.Helper()
		produceDeltaSums(t, ctx, w, partition, batch, deltaSums(batch, n, month))
	}
	return brokers, direct, viaProxy, proxy, produce
}
