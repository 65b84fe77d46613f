package pipelines_test

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// A member stalled longer than the group's timeouts (chaos18; issue 9
// (e), chaos14's leftover (b)). Member A, alone in the group, reads both
// messages into one flush, passes its fence and stalls before publishing
// its insert's intent: its flush is held there, and its reader's
// connections — its heartbeats among them — send and read nothing, as in
// a process descheduled or paused. Member B joins; the coordinator waits
// the rebalance timeout (10 s) for A, leaves it out and gives B both
// partitions; B reads the two messages and a third written meanwhile,
// finds nothing in the share, filters, inserts the 9 rows under its own
// token and commits. A then runs again, its flush first (its heartbeat
// loop learns only once its connections go again): it publishes its
// intent — after B read the share — and asks its fence. Before chaos18
// the fence (Ownership.Live) still said live and A sent its insert of 6
// rows under its own token: coverage_persons 15 for 9. Now the fence
// trusts the generation only for a lease after the coordinator last
// answered for it (Ownership.Held): long past, it asks the coordinator
// with a heartbeat of its own, is told A is no longer a member, withdraws
// the intent and drops the flush uncommitted: 9, 9, 9.
func TestLoadMemberStalledPastTheRebalanceTimeoutCountsOnce(t *testing.T) {
	ctx, cancelAll := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelAll()
	r := newRebalanceRig(t, ctx)
	g := &stallGate{}
	d := &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true, DialFunc: g.dial}
	hook := &stallShare{reached: make(chan struct{}), release: make(chan struct{})}
	a := r.memberWith(t, ctx, r.direct, d, func(s pipelines.PendingShare) pipelines.PendingShare {
		hook.PendingShare = s
		return hook
	})
	t.Cleanup(func() { hook.Release(); g.open() })
	r.waitAssigned(t, ctx, 1)
	hook.armed.Store(true)
	r.produceBoth(t, ctx)
	select {
	case <-hook.reached:
	case <-time.After(time.Minute):
		t.Fatal("the first member did not publish its insert of deltas in a minute")
	}
	g.close() // A is stalled: its flush at the hook, its reader's connections still
	stalled := time.Now()
	// A third message, which A did not read: B's flush holds all three,
	// so its insert's rows, and token, are not A's (with the same two
	// messages both would insert one block under one token, and the
	// engine would drop the second whatever the fence did).
	v, err := schemas.EncodeRows(deltaSums("d1", 3, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.w.WriteMessages(ctx, kafka.Message{Partition: 0, Key: []byte("d1"), Value: v,
		Headers: []kafka.Header{{Key: pipelines.HeaderKind, Value: []byte(pipelines.KindPersonDeltaSums)}}}); err != nil {
		t.Fatal(err)
	}

	b := r.member(t, ctx, r.direct)
	for deadline := time.Now().Add(time.Minute); b.st.Messages.Load() < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("the new owner committed %d of the 3 messages in a minute", b.st.Messages.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if p, _, _ := sumsCounted(t, ctx, r.direct); p != 9 {
		t.Fatalf("coverage_persons %d after the new owner's flush, want 9", p)
	}
	t.Logf("the new owner committed the 3 messages %.1f s into the stall", time.Since(stalled).Seconds())

	hook.Release() // A runs again, its flush first
	for deadline := time.Now().Add(15 * time.Second); ; {
		p, _, _ := sumsCounted(t, ctx, r.direct)
		if p > 9 || a.st.Fenced.Load() > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	g.open() // and its heartbeat loop
	r.settle(t, ctx, a, b)
	if p, c, k := sumsCounted(t, ctx, r.direct); p != 9 || c != 9 || k != 9 {
		t.Errorf("coverage_persons %d, coverage_children %d, keys %d; want 9 each (4, 2 and 3 persons' deltas, each once)", p, c, k)
	}
	if a.st.Fenced.Load() == 0 {
		t.Error("the stalled member dropped no flush")
	}
	if yes, no := kafkax.OwnershipOf(a.r).Confirms(); no == 0 {
		t.Errorf("the stalled member's fence asked the coordinator %d times and was refused none", yes+no)
	}
}

// stallShare holds the first Publish, once armed, until released: the
// member stalled between its fence and its publish. The sink bounds a
// publish by a deadline it sets just before calling Publish; a process
// stalled a few lines earlier would set it after the stall, so the held
// publish is given a deadline of its own once released.
type stallShare struct {
	pipelines.PendingShare
	armed   atomic.Bool
	reached chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *stallShare) Publish(ctx context.Context, b pipelines.SharedBlock) error {
	if s.armed.CompareAndSwap(true, false) {
		close(s.reached)
		<-s.release
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return s.PendingShare.Publish(pctx, b)
	}
	return s.PendingShare.Publish(ctx, b)
}

func (s *stallShare) Release() { s.once.Do(func() { close(s.release) }) }

// stallGate makes connections that, while it is closed, neither send nor
// read: each Read and Write waits for it to open, whatever the deadline,
// then runs (and fails if the deadline passed meanwhile), as in a process
// that was not running.
type stallGate struct {
	mu   sync.Mutex
	shut chan struct{} // non-nil while closed
}

func (g *stallGate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut == nil {
		g.shut = make(chan struct{})
	}
}

func (g *stallGate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut != nil {
		close(g.shut)
		g.shut = nil
	}
}

func (g *stallGate) wait() {
	g.mu.Lock()
	c := g.shut
	g.mu.Unlock()
	if c != nil {
		<-c
	}
}

func (g *stallGate) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &gatedConn{Conn: c, g: g}, nil
}

type gatedConn struct {
	net.Conn
	g *stallGate
}

func (c *gatedConn) Read(p []byte) (int, error) {
	c.g.wait()
	return c.Conn.Read(p)
}

func (c *gatedConn) Write(p []byte) (int, error) {
	c.g.wait()
	return c.Conn.Write(p)
}
