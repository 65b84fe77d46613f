package address

import (
	"fmt"
	"hash/maphash"
	"sync"
	"testing"
)

// TestMemoReusesEntries checks the cache's reuse of the entries that
// fall out (put writes a new result into the least recently used entry):
// a result got before its entry was reused keeps its value, the table
// answers only what it was last told, and goroutines storing and looking
// up the same sets at once (run with -race) never see a result of
// another text.
func TestMemoReusesEntries(t *testing.T) {
	m := newMemo()
	res := func(text string) Result {
		return Result{Input: text, Province: Unit{Code: "p" + text}, Candidates: []Candidate{{Commune: Unit{Code: "c" + text}}}}
	}
	m.put("first", false, res("first"))
	got, ok := m.get("first", false)
	if !ok || got.Input != "first" {
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
	_, firstSet := m.slot(maphash.String(m.seed, "first"), 0)
	for i, put := 0, 0; put < memoWays; i++ {
		s := fmt.Sprint("f", i)
		if _, set := m.slot(maphash.String(m.seed, s), 0); set == firstSet {
			m.put(s, false, res(s))
			put++
		}
	}
	if _, ok := m.get("first", false); ok {
		t.Fatalf("first still remembered after %d other texts", n)
	}
	if got.Input != "first" || got.Province.Code != "pfirst" || got.Candidates[0].Commune.Code != "cfirst" {
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
			if r.Input != s || r.Province.Code != "p"+s {
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
	var same []string
	for i := 0; len(same) < 2*memoWays; i++ {
		s := fmt.Sprint("c", i)
		if _, set := m.slot(maphash.String(m.seed, s), 1); set == &m.shards[0].sets[1][0] {
			same = append(same, s)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20000 {
				s := same[(i*3+w)%len(same)]
				if r, ok := m.get(s, true); ok {
					if r.Input != s || r.Province.Code != "p"+s || r.Candidates[0].Commune.Code != "c"+s {
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
