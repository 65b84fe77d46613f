package pipelines_test

import (
	"bytes"
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
