package pipelines_test

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// holdingProxy forwards TCP connections to the engine and, when armed,
// holds the first request that names its mark: it forwards all of it but
// its last byte, and the last byte only once released. The engine has
// the request (an insert is running: system.processes shows it) but not
// all of it, so it answers nothing until the release — a slow insert, or
// a process stalled there.
type holdingProxy struct {
	ln      net.Listener
	to      string
	mark    []byte
	armed   atomic.Bool
	hits    atomic.Int32
	release chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

func newHoldingProxy(t *testing.T, to, mark string) *holdingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &holdingProxy{ln: ln, to: to, mark: []byte(mark), release: make(chan struct{})}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() { p.Release(); ln.Close(); p.wg.Wait() })
	return p
}

// Release lets the held request go on.
func (p *holdingProxy) Release() { p.once.Do(func() { close(p.release) }) }

func (p *holdingProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.to)
		if err != nil {
			c.Close()
			continue
		}
		p.wg.Add(2)
		go func() {
			defer p.wg.Done()
			defer s.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					b := buf[:n]
					if bytes.Contains(b, p.mark) && p.armed.CompareAndSwap(true, false) {
						p.hits.Add(1)
						if _, werr := s.Write(b[:n-1]); werr != nil {
							return
						}
						<-p.release
						b = b[n-1:]
					}
					if _, werr := s.Write(b); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
		go func() {
			defer p.wg.Done()
			defer c.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := s.Read(buf)
				if n > 0 {
					if _, werr := c.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

// The other order: the old owner's flush is held before it reads the
// keys (its query held by a proxy) while the group rebalances and the new
// owner reads the keys and sends its insert of the partition's rows (held
// in the engine). The old owner then reads the keys, none of which is
// there yet: before chaos13 it inserted all 6 rows under its token and
// the new owner's insert counted its partition's rows again. Now the old
// owner's sink checks, before each insert of deltas, that the reader's
// generation that gave it the flush's partitions is still live
// (kafkax.Ownership): it is not, and the flush is dropped uncommitted;
// its own partition's message comes again in the new generation.
func TestLoadMemberThatLostAPartitionDoesNotInsertItsDeltas(t *testing.T) {
	ctx, cancelAll := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelAll()
	r := newRebalanceRig(t, ctx)
	holdA := newHoldingProxy(t, r.cfg.Addr, "coverage_delta_keys")
	a := r.member(t, ctx, r.conn(t, ctx, holdA.ln.Addr().String()))
	r.waitAssigned(t, ctx, 1)
	holdA.armed.Store(true)
	r.produceBoth(t, ctx)
	for deadline := time.Now().Add(time.Minute); holdA.hits.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the first member did not read the keys in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	holdB := newHoldingProxy(t, r.cfg.Addr, "INSERT+INTO+coverage_deltas")
	holdB.armed.Store(true)
	b := r.member(t, ctx, r.conn(t, ctx, holdB.ln.Addr().String()))
	for deadline := time.Now().Add(time.Minute); holdB.hits.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the new owner did not send its insert in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	holdA.Release()
	// Until the old owner's insert counted its rows (before the mend), or
	// for 8 s (it dropped its flush).
	for deadline := time.Now().Add(8 * time.Second); time.Now().Before(deadline); {
		if p, _, _ := sumsCounted(t, ctx, r.direct); p >= 6 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	holdB.Release()
	r.settle(t, ctx, a, b)
	if p, c, k := sumsCounted(t, ctx, r.direct); p != 6 || c != 6 || k != 6 {
		t.Errorf("coverage_persons %d, coverage_children %d, keys %d; want 6 each (4 and 2 persons' deltas, each once)", p, c, k)
	}
	if a.st.Fenced.Load() == 0 {
		t.Error("the old owner dropped no flush for a partition it lost")
	}
}

// The window chaos13's fence left (issue 9 (e) (2), chaos14): the old
// owner's insert of deltas is already sent when its generation ends. Member
// A, alone in the group, reads both messages into one flush and sends its
// insert (held by a proxy: the engine has all of it but its last byte, so
// it has not begun). Member B joins and is given a partition; its keys
// filter finds none of its rows, since A's insert has not run. Before
// chaos14 B inserted them under its own token and A's insert, released,
// counted them again: coverage_persons 8 (or 10) for 6. Now A published
// its insert's intent before sending it, B's first flush (its reader
// began a partition) reads the share, makes A's block again from the two
// messages and sends it under A's token before its keys filter, which
// then finds B's rows in; A's insert, released, is dropped by every view
// (migration 0024): 6, 6, 6.
func TestLoadMemberWhoseInsertWasInFlightCountsOnce(t *testing.T) {
	ctx, cancelAll := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelAll()
	r := newRebalanceRig(t, ctx)
	holdA := newHoldingProxy(t, r.cfg.Addr, "INSERT+INTO+coverage_deltas")
	a := r.member(t, ctx, r.conn(t, ctx, holdA.ln.Addr().String()))
	r.waitAssigned(t, ctx, 1)
	holdA.armed.Store(true)
	r.produceBoth(t, ctx)
	for deadline := time.Now().Add(time.Minute); holdA.hits.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the first member did not send its insert in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	b := r.member(t, ctx, r.direct)
	for deadline := time.Now().Add(time.Minute); b.st.Messages.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the new owner committed nothing in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	holdA.Release()
	r.settle(t, ctx, a, b)
	if p, c, k := sumsCounted(t, ctx, r.direct); p != 6 || c != 6 || k != 6 {
		t.Errorf("coverage_persons %d, coverage_children %d, keys %d; want 6 each (4 and 2 persons' deltas, each once)", p, c, k)
	}
	if n := b.sink.SharedResent.Load(); n != 1 {
		t.Errorf("the new owner sent %d blocks of the share again, want 1 (the old owner's, made again from its intent)", n)
	}
}

// rebalanceRig is a broker with TopicMatched (two partitions) and the
// engine, for load members of one group.
type rebalanceRig struct {
	brokers []string
	cfg     chstore.Config
	direct  driver.Conn
	w       *kafka.Writer
	members []*loadMember
}

type loadMember struct {
	r    *kafka.Reader
	sink *pipelines.ClickHouseSink
	st   pipelines.LoadStats
	stop context.CancelFunc
	done chan error
}

const rebalanceGroup = "dancu-load-test"

func newRebalanceRig(t *testing.T, ctx context.Context) *rebalanceRig {
	t.Helper()
	r := &rebalanceRig{brokers: []string{brokertest.Start(t)}, cfg: chdbtest.Config(t)}
	if err := kafkax.EnsureTopics(ctx, r.brokers, map[string]int{pipelines.TopicMatched: 2, pipelines.TopicLoadPending: 1}); err != nil {
		t.Fatal(err)
	}
	r.direct = r.conn(t, ctx, r.cfg.Addr)
	if _, err := chstore.Migrate(ctx, r.direct); err != nil {
		t.Fatal(err)
	}
	w, err := kafkax.NewPartitionWriter(r.brokers, pipelines.TopicMatched)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	r.w = w
	t.Cleanup(func() {
		for _, m := range r.members {
			m.stop()
			m.r.Close()
		}
	})
	return r
}

func (r *rebalanceRig) conn(t *testing.T, ctx context.Context, addr string) driver.Conn {
	t.Helper()
	cfg := r.cfg
	cfg.Addr = addr
	c, err := chstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// member starts a load member of the group, writing through conn, with a
// home of its own and the share, as dancu run does.
func (r *rebalanceRig) member(t *testing.T, ctx context.Context, conn driver.Conn) *loadMember {
	t.Helper()
	return r.memberWith(t, ctx, conn, nil, nil)
}

// memberWith is member with the reader's connections made by d (nil:
// kafka-go's dialer) and the share wrapped by wrap (nil: as it is).
func (r *rebalanceRig) memberWith(t *testing.T, ctx context.Context, conn driver.Conn, d *kafka.Dialer, wrap func(pipelines.PendingShare) pipelines.PendingShare) *loadMember {
	t.Helper()
	rd, err := kafkax.NewReaderDialer(r.brokers, rebalanceGroup, pipelines.TopicMatched, d)
	if err != nil {
		t.Fatal(err)
	}
	share, err := pipelines.NewKafkaPendingShare(r.brokers)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { share.Close() })
	var sh pipelines.PendingShare = share
	if wrap != nil {
		sh = wrap(share)
	}
	m := &loadMember{r: rd, sink: &pipelines.ClickHouseSink{Conn: conn, PendingDir: filepath.Join(t.TempDir(), "load"), Share: sh},
		done: make(chan error, 1)}
	mctx, stop := context.WithCancel(ctx)
	m.stop = stop
	go func() {
		err := pipelines.Load(mctx, rd, m.sink, pipelines.LoadConfig{MaxWait: 300 * time.Millisecond}, &m.st)
		if err != nil {
			t.Logf("a load member ended: %v", err)
		}
		rd.Close() // out of the group, as a process that ended
		m.done <- err
	}()
	r.members = append(r.members, m)
	return m
}

// waitAssigned waits until the group is stable with n members holding
// both partitions.
func (r *rebalanceRig) waitAssigned(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	client, closeClient := kafkax.NewClient(r.brokers, 10*time.Second)
	defer closeClient()
	for deadline := time.Now().Add(time.Minute); ; {
		resp, err := client.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{rebalanceGroup}})
		if err == nil && len(resp.Groups) == 1 && resp.Groups[0].GroupState == "Stable" && len(resp.Groups[0].Members) == n {
			assigned := 0
			for _, m := range resp.Groups[0].Members {
				for _, tp := range m.MemberAssignments.Topics {
					assigned += len(tp.Partitions)
				}
			}
			if assigned == 2 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the group did not give both partitions to %d members in a minute (%v)", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// produceBoth writes, in one request, a message of 4 persons' deltas to
// partition 0 and one of 2 to partition 1: the first member reads both
// into one flush.
func (r *rebalanceRig) produceBoth(t *testing.T, ctx context.Context) {
	t.Helper()
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var msgs []kafka.Message
	for i, b := range []struct {
		batch string
		n     uint32
	}{{"b1", 4}, {"c1", 2}} {
		v, err := schemas.EncodeRows(deltaSums(b.batch, b.n, month))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, kafka.Message{Partition: i, Key: []byte(b.batch), Value: v,
			Headers: []kafka.Header{{Key: pipelines.HeaderKind, Value: []byte(pipelines.KindPersonDeltaSums)}}})
	}
	if err := r.w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// waitRunning waits until the engine runs n queries like pattern.
func (r *rebalanceRig) waitRunning(t *testing.T, ctx context.Context, pattern string, n uint64) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; {
		var got uint64
		if err := r.direct.QueryRow(ctx, "SELECT count() FROM system.processes WHERE query LIKE '"+pattern+"'").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the engine ran %d queries like %q after a minute, want %d", got, pattern, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settle waits until the two messages are committed in the group, then
// stops the members.
func (r *rebalanceRig) settle(t *testing.T, ctx context.Context, ms ...*loadMember) {
	t.Helper()
	client, closeClient := kafkax.NewClient(r.brokers, 10*time.Second)
	defer closeClient()
	for deadline := time.Now().Add(time.Minute); ; {
		of, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: rebalanceGroup,
			Topics: map[string][]int{pipelines.TopicMatched: {0, 1}}})
		done := 0
		if err == nil {
			for _, p := range of.Topics[pipelines.TopicMatched] {
				if p.CommittedOffset >= 1 {
					done++
				}
			}
		}
		if done == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of the 2 partitions committed after a minute (%v)", done, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, m := range ms {
		m.stop()
	}
}
