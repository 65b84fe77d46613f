package address

import (
	"fmt"
	"hash/maphash"
	"sync"
	"testing"
	"unsafe"
)

// TestMemoReusesEntries checks the cache's reuse of the entries that
// fall out (put writes a new result into the least recently used entry):
// a result got before its entry was reused keeps its value, the table
// answers only what it was last told, and goroutines storing and looking
// up the same sets at once (run with -race) never see a result of
// another text.
func TestMemoReusesEntries(t *testing.T) {
	m := newMemo()
	g, err := load()
	if err != nil {
		t.Fatal(err)
	}
	// a text's result: a unit picked by its hash (the cache keeps units
	// as ids), a street inside the text and a hamlet not in it
	seed := maphash.MakeSeed()
	unitOf := func(text string) int32 { return int32(maphash.String(seed, text) % uint64(len(g.pubs))) }
	res := func(text string) Result {
		u := unitOf(text)
		return Result{Input: text, Province: g.pubs[u], ids: [5]int32{u + 1}, Street: text[1:], Hamlet: "h" + text,
			Candidates: []Candidate{{Commune: Unit{Code: "c" + text}}}}
	}
	same := func(r Result, text string) bool {
		return r.Input == text && r.Province == g.pubs[unitOf(text)] && r.District == Unit{} && r.Street == text[1:] &&
			r.Hamlet == "h"+text && len(r.Candidates) == 1 && r.Candidates[0].Commune.Code == "c"+text
	}
	m.put("first", false, res("first"))
	got, ok := m.get("first", false)
	if !ok || !same(got, "first") {
		t.Fatalf("get after put: %+v, %v", got, ok)
	}
	// more texts than the era holds, then as many as a set holds in
	// first's own set (the texts before may have missed it: about one
	// run in 25 put fewer than memoWays there): "first" falls out and its
	// entry is reused
	n := memoShards * memoSets * memoWays * 2
	for i := range n {
		s := fmt.Sprint("t", i)
		m.put(s, false, res(s))
	}
	_, firstSet, _ := m.slot(maphash.String(m.seed, "first"))
	for i, put := 0, 0; put < memoWays; i++ {
		s := fmt.Sprint("f", i)
		if _, set, _ := m.slot(maphash.String(m.seed, s)); set == firstSet {
			m.put(s, false, res(s))
			put++
		}
	}
	if _, ok := m.get("first", false); ok {
		t.Fatalf("first still remembered after %d other texts", n)
	}
	if !same(got, "first") {
		t.Fatalf("a result got earlier changed when its entry was reused: %+v", got)
	}
	if l := m.len(0); l > memoShards*memoSets*memoWays {
		t.Fatalf("era holds %d results, more than its %d slots", l, memoShards*memoSets*memoWays)
	}
	hits := 0
	for i := n - 1000; i < n; i++ {
		s := fmt.Sprint("t", i)
		if r, ok := m.get(s, false); ok {
			hits++
			if !same(r, s) {
				t.Fatalf("get(%q) = %+v", s, r)
			}
		}
	}
	if hits == 0 {
		t.Fatal("none of the last 1,000 texts stored is remembered")
	}

	// concurrent stores and lookups of twice as many texts as one set
	// holds, all of that set: entries fall out and are reused all the time
	m.reset()
	var oneSet []string
	for i := 0; len(oneSet) < 2*memoWays; i++ {
		s := fmt.Sprint("c", i)
		if _, set, _ := m.slot(eraHash(memoKey{h: maphash.String(m.seed, s)}, true).h); set == &m.shards[0].sets[0] {
			oneSet = append(oneSet, s)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20000 {
				s := oneSet[(i*3+w)%len(oneSet)]
				if r, ok := m.get(s, true); ok {
					if !same(r, s) {
						t.Errorf("get(%q) = %+v", s, r)
						return
					}
					continue
				}
				m.put(s, true, res(s))
			}
		}()
	}
	wg.Wait()
}

// TestMemoLayout: a set and an entry are one cache line each.
func TestMemoLayout(t *testing.T) {
	if s, e := unsafe.Sizeof(memoSet{}), unsafe.Sizeof(memoEntry{}); s != 64 || e != 64 {
		t.Errorf("a set is %d bytes and an entry %d; want 64 each", s, e)
	}
}
