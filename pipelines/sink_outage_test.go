package pipelines_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// answerLosingProxy forwards TCP connections to the embedded engine and,
// while faults are left, drops the answer of a request that names both
// marks: the engine gets the whole request and runs it (an insert commits
// in every view), and the client's connection is then reset instead of
// being given the answer — what the load stage sees when the engine dies
// after an insert's views committed, or some of them.
type answerLosingProxy struct {
	ln     net.Listener
	to     string
	marks  [][]byte
	faults atomic.Int32
	hits   atomic.Int32
	wg     sync.WaitGroup
}

func newAnswerLosingProxy(t *testing.T, to string, marks ...string) *answerLosingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &answerLosingProxy{ln: ln, to: to}
	for _, m := range marks {
		p.marks = append(p.marks, []byte(m))
	}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

func (p *answerLosingProxy) serve() {
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
		var drop atomic.Bool
		p.wg.Add(2)
		go func() { // client to engine: marks the requests whose answer is lost
			defer p.wg.Done()
			defer s.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if p.named(buf[:n]) && p.faults.Add(-1) >= 0 {
						p.hits.Add(1)
						drop.Store(true)
					}
					if _, werr := s.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
		go func() { // engine to client: resets the client instead of a marked answer
			defer p.wg.Done()
			defer c.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := s.Read(buf)
				if n > 0 {
					if drop.Load() {
						c.(*net.TCPConn).SetLinger(0) // RST: a connection reset, as a killed engine's
						s.Close()
						return
					}
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

func (p *answerLosingProxy) named(b []byte) bool {
	for _, m := range p.marks {
		if !bytes.Contains(b, m) {
			return false
		}
	}
	return true
}

// An insert into person_deltas (migration 0013: persons known before the
// registry kept their coverage state, republishes, coverage.Rebuild)
// whose answer is lost after the engine ran it is sent again, the same
// block with its token, and counts once in every aggregate; Write does
// not fail. Before, Write failed on the outage and the restarted stage
// made the flush again from Kafka through the keys' filter, which cannot
// tell which of the insert's views committed (docs/pipeline.md, chaos8's
// "What remains" (2)).
func TestClickHouseSinkPersonDeltasOutageSentAgain(t *testing.T) {
	cfg := chdbtest.Config(t)
	ctx := context.Background()
	proxy := newAnswerLosingProxy(t, cfg.Addr, "INSERT", "person_deltas")
	cfg.Addr = proxy.ln.Addr().String()
	conn, err := chstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	sink := &pipelines.ClickHouseSink{Conn: conn}
	changed := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	b := &pipelines.Batch{}
	for seq := range uint32(3) {
		b.PersonDeltas = append(b.PersonDeltas, schemas.PersonDelta{Batch: "b1", Seq: seq, PersonID: "p" + string(rune('a'+seq)),
			Version: 1, ChangedAt: changed, Living: 1, ProvinceCode: "40", CommuneCode: "16681", NewProvinceCode: "40",
			NewCommuneCode: "16681", BirthYear: 2015, OldKnown: 1})
	}
	proxy.faults.Store(2)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := sink.Write(wctx, b); err != nil {
		t.Fatalf("write with the answers of two inserts lost: %v", err)
	}
	if h := proxy.hits.Load(); h != 2 {
		t.Fatalf("%d answers lost, want 2 (the proxy did not see the inserts)", h)
	}
	if r := sink.OutageRetries.Load(); r != 2 {
		t.Errorf("%d inserts sent again, want 2", r)
	}
	var p, c, k int64
	if err := conn.QueryRow(ctx, `SELECT (SELECT toInt64(sum(persons)) FROM coverage_persons), (SELECT toInt64(sum(persons)) FROM coverage_children),
		(SELECT toInt64(count()) FROM person_delta_keys FINAL)`).Scan(&p, &c, &k); err != nil {
		t.Fatal(err)
	}
	if p != 3 || c != 3 || k != 3 {
		t.Errorf("coverage_persons %d, coverage_children %d, keys %d; want 3 each (the insert ran three times, counted once)", p, c, k)
	}
}

// A load process that ends while the engine it sent an insert of deltas
// to is down, after the aggregate committed its part and before the keys
// did (before migration 0027: one of three aggregates), leaves the block
// in its pending directory (sink_pending.go); the restarted stage, with
// the same directory, whose flush holds those rows in another grouping
// (with others), first sends that block again under its token — the
// aggregate that has it drops it, the keys take it — and its keys filter
// then skips the rows. Before, the restarted stage's flush passed the keys filter with a
// token of its own and the aggregates counted the first block's rows
// twice, 11 for 7 (docs/pipeline.md, chaos8's "What remains" (1); the
// test is chaos9's, the directory is chaos11's).
func TestClickHouseSinkDeltasOfAnEndedLoadProcessCountOnce(t *testing.T) {
	ctx := context.Background()
	direct, viaProxy, proxy := engineLosingSumsAnswers(t, ctx)
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	sums := func(batch string, n uint32) []schemas.PersonDeltaSum { return deltaSums(batch, n, month) }
	// The first load process: its insert of b1 runs in the engine, every
	// answer is lost, and the process ends (its context) while it waits to
	// send it again.
	proxy.faults.Store(1 << 20)
	pending := t.TempDir()
	first := &pipelines.ClickHouseSink{Conn: viaProxy, PendingDir: pending}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- first.Write(wctx, &pipelines.Batch{PersonDeltaSums: sums("b1", 4)}) }()
	// Until the engine has run the insert (an answer lost may be the
	// prepare's, before any insert).
	deadline := time.Now().Add(time.Minute)
	for {
		var n int64
		if err := direct.QueryRow(ctx, "SELECT toInt64(sum(persons)) FROM coverage_persons").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 && proxy.hits.Load() > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the first Write ended before an insert's answer was lost: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the first Write's insert did not reach the engine in a minute")
		}
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the first Write succeeded with its answers lost")
	}
	// The engine died after the aggregate's part, before the keys'.
	forgetSumsButPersons(t, ctx, direct)
	// The restarted stage: b1's rows in another flush, after b2's.
	if left, _ := filepath.Glob(filepath.Join(pending, "*.pending")); len(left) != 1 {
		t.Fatalf("the first process left %d pending blocks, want 1: %v", len(left), left)
	}
	second := &pipelines.ClickHouseSink{Conn: direct, PendingDir: pending}
	if err := second.Write(ctx, &pipelines.Batch{PersonDeltaSums: append(sums("b2", 3), sums("b1", 4)...)}); err != nil {
		t.Fatal(err)
	}
	p, c, k := sumsCounted(t, ctx, direct)
	if p != 7 || c != 7 || k != 7 {
		t.Errorf("coverage_persons %d, coverage_children %d, keys %d; want 7 each (b1's 4 once, b2's 3)", p, c, k)
	}
	var months uint64
	var firstMonth time.Time
	if err := direct.QueryRow(ctx, `SELECT uniqExact(m), min(m) FROM (SELECT change_month AS m FROM coverage_children UNION ALL
		SELECT change_month AS m FROM coverage_persons)`).Scan(&months, &firstMonth); err != nil {
		t.Fatal(err)
	}
	if months != 1 || !firstMonth.Equal(month) {
		t.Errorf("the aggregates hold %d months, the first %v; want only %v", months, firstMonth, month)
	}
	if r := second.PendingResent.Load(); r != 1 {
		t.Errorf("the restarted stage sent %d unfinished inserts again, want 1", r)
	}
	if left, _ := os.ReadDir(pending); len(left) != 0 {
		t.Errorf("%d files left in the pending directory, want none: %v", len(left), left)
	}
}

// engineLosingSumsAnswers opens the test's engine, migrated, twice:
// directly, and through an answerLosingProxy that loses the answers of
// the inserts into coverage_deltas while its faults last.
func engineLosingSumsAnswers(t *testing.T, ctx context.Context) (direct, viaProxy driver.Conn, proxy *answerLosingProxy) {
	t.Helper()
	cfg := chdbtest.Config(t)
	direct, err := chstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	if _, err := chstore.Migrate(ctx, direct); err != nil {
		t.Fatal(err)
	}
	proxy = newAnswerLosingProxy(t, cfg.Addr, "INSERT+INTO+coverage_deltas")
	pcfg := cfg
	pcfg.Addr = proxy.ln.Addr().String()
	viaProxy, err = chstore.Open(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { viaProxy.Close() })
	return direct, viaProxy, proxy
}

// deltaSums is n deltas of batch, each adding one person of 2015 to
// commune 16681 in month.
func deltaSums(batch string, n uint32, month time.Time) []schemas.PersonDeltaSum {
	var out []schemas.PersonDeltaSum
	for seq := range n {
		out = append(out, schemas.PersonDeltaSum{Batch: batch, Seq: seq, ProvinceCode: "40", CommuneCode: "16681",
			NewProvinceCode: "40", NewCommuneCode: "16681", BirthYear: 2015, ChangeMonth: month, Added: 1})
	}
	return out
}

// forgetSumsButPersons makes the engine look as if it died after an
// insert of deltas committed the aggregate's part (coverage_sums, which
// holds coverage_persons and coverage_children since migration 0027: one
// part, so those two can no longer part ways) and before the keys': it
// waits until the inserts into coverage_deltas the engine still runs
// (their sender ended, its requests did not) have ended, then truncates
// the keys.
func forgetSumsButPersons(t *testing.T, ctx context.Context, direct driver.Conn) {
	t.Helper()
	for {
		var n uint64
		if err := direct.QueryRow(ctx, "SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO coverage_deltas%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, q := range []string{"TRUNCATE TABLE coverage_delta_keys"} {
		if err := direct.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

// sumsCounted is the persons in coverage_persons and coverage_children
// and the count of the persons' keys in coverage_delta_keys.
func sumsCounted(t *testing.T, ctx context.Context, direct driver.Conn) (persons, children, keys int64) {
	t.Helper()
	if err := direct.QueryRow(ctx, `SELECT (SELECT toInt64(sum(persons)) FROM coverage_persons), (SELECT toInt64(sum(persons)) FROM coverage_children),
		(SELECT toInt64(count()) FROM coverage_delta_keys FINAL WHERE kind = 2)`).Scan(&persons, &children, &keys); err != nil {
		t.Fatal(err)
	}
	return persons, children, keys
}
