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

// TestMemoPutLast checks putCodes with last: a result put last in its
// set's order of use takes the place of the least recently used one and
// is the next to go, so that results put last one after the other push
// out each other and not the set's others — unless it is used before it
// goes, which puts it first like any other.
func TestMemoPutLast(t *testing.T) {
	m := newMemo()
	// keys of one set (of one shard), each with units of its own
	key := func(j int) memoKey { return memoKey{h: 5 + uint64(j)*memoShards*memoSets, chk: uint32(j), n: 10} }
	units := func(j int) [5]int32 { return [5]int32{int32(j) + 1, 7} }
	has := func(j int) bool {
		u, ok := m.units(key(j), false)
		if ok && u != units(j) {
			t.Fatalf("key %d: units %v, want %v", j, u, units(j))
		}
		return ok
	}
	for j := range memoWays {
		m.putCodes(key(j), false, units(j), false)
	}
	for j := memoWays; j < memoWays+3; j++ {
		m.putCodes(key(j), false, units(j), true)
	}
	// 0 (the least recently used) went for the first put last, which
	// went for the next, and so on
	for j, want := range map[int]bool{0: false, memoWays: false, memoWays + 1: false} {
		if has(j) != want {
			t.Errorf("key %d remembered %v, want %v", j, !want, want)
		}
	}
	for j := 1; j < memoWays; j++ {
		if !has(j) {
			t.Errorf("key %d, put first, went for a result put last", j)
		}
	}
	last := memoWays + 2
	if !has(last) { // and now used: first
		t.Fatalf("key %d, the last put last, went", last)
	}
	m.putCodes(key(last+1), false, units(last+1), true)
	if !has(last) || !has(last+1) || has(1) {
		t.Errorf("after a use, key %d: %v, key %d: %v, key 1 (least recently used): %v; want true, true, false", last, has(last), last+1, has(last+1), has(1))
	}
}
