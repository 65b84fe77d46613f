package address

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// memo remembers the results of recent addresses: the records of one
// commune repeat a few hundred address strings over and over, and a
// lookup costs a hash and a probe where resolving costs tens of
// microseconds. It is a set-associative table, not a map: the text's
// 64-bit hash (maphash, computed once) picks a shard, an era's table and
// in it a set of memoWays slots (one cache line of hashes and pointers);
// a lookup reads that line and, on a hash that agrees, the entry and its
// text, which tells the rare two texts of one hash apart — where a map
// of the same size touched its control word, its slot, the entry and
// the text, and a miss probed two generations. Each set keeps its slots
// in order of use: a hit moves its slot to the front, a new result takes
// the front and the least recently used one falls out, so what is used
// keeps its place and an endless stream of distinct addresses cannot
// grow the cache past memoShards × memoSets × memoWays results per era
// (each a few hundred bytes). Shards, each with its own lock, let
// goroutines resolving different addresses rarely wait for each other.
type memo struct {
	seed     maphash.Seed
	shards   [memoShards]memoShard
	searches atomic.Uint64 // addresses (or their parts after a street or hamlet) searched afresh
}

type memoShard struct {
	mu   sync.Mutex
	sets [2][]memoSet // by era (before, since ReformDate)
	// hits and misses are counted per shard, under its lock: one counter
	// for all would bounce between the cores resolving.
	hits, misses uint64
}

// memoSet is one set of the table: the hashes and entries of its slots,
// most recently used first (a nil entry is an empty slot).
type memoSet struct {
	h [memoWays]uint64
	e [memoWays]*memoEntry
}

// memoEntry is a remembered result with the text it is the result of.
type memoEntry struct {
	text string
	r    Result
}

const (
	memoShards = 16
	memoWays   = 4
	memoSets   = 1 << 12 // sets per shard and era: 16 × 4,096 × 4 = 262,144 results per era
)

var cache = newMemo()

func newMemo() *memo {
	m := &memo{seed: maphash.MakeSeed()}
	for i := range m.shards {
		for e := range m.shards[i].sets {
			m.shards[i].sets[e] = make([]memoSet, memoSets)
		}
	}
	return m
}

// slot returns the shard and the set of hash h in era e.
func (m *memo) slot(h uint64, e int) (*memoShard, *memoSet) {
	s := &m.shards[h%memoShards]
	return s, &s.sets[e][(h/memoShards)%memoSets]
}

func eraIndex(post bool) int {
	if post {
		return 1
	}
	return 0
}

// get returns the remembered result of text in the era. Its Candidates
// and OldNames are shared with every caller that gets it (Result says
// they are read-only): copying them on each hit would cost more than the
// lookup.
func (m *memo) get(text string, post bool) (Result, bool) {
	h := maphash.String(m.seed, text)
	s, set := m.slot(h, eraIndex(post))
	s.mu.Lock()
	var r Result
	found := false
	for i := range memoWays {
		if set.h[i] == h && set.e[i] != nil && set.e[i].text == text {
			me := set.e[i]
			r, found = me.r, true // under the lock: put may reuse an entry that falls out
			// move to the front: the slots stay in order of use
			copy(set.h[1:i+1], set.h[:i])
			copy(set.e[1:i+1], set.e[:i])
			set.h[0], set.e[0] = h, me
			break
		}
	}
	if found {
		s.hits++
	} else {
		s.misses++
	}
	s.mu.Unlock()
	return r, found
}

func (m *memo) put(text string, post bool, r Result) {
	if len(text) > 512 {
		return // junk, not worth keeping
	}
	h := maphash.String(m.seed, text)
	s, set := m.slot(h, eraIndex(post))
	s.mu.Lock()
	// a text already there (two goroutines resolved it at once) is
	// replaced where it is; else the least recently used slot goes
	i := memoWays - 1
	for k := range memoWays {
		if set.h[k] == h && set.e[k] != nil && set.e[k].text == text {
			i = k
			break
		}
	}
	// The entry that goes holds the new result: nothing else points to it
	// (get copies a result under the lock), and an entry allocated for
	// every store was a quarter of the bytes dancu link's read allocated,
	// each fresh page a fault.
	me := set.e[i]
	if me == nil {
		me = new(memoEntry)
	}
	*me = memoEntry{text: text, r: r}
	copy(set.h[1:i+1], set.h[:i])
	copy(set.e[1:i+1], set.e[:i])
	set.h[0], set.e[0] = h, me
	s.mu.Unlock()
}

// len returns the number of results remembered in era e.
func (m *memo) len(e int) int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for _, set := range s.sets[e] {
			for _, me := range set.e {
				if me != nil {
					n++
				}
			}
		}
		s.mu.Unlock()
	}
	return n
}

// reset forgets every remembered result.
func (m *memo) reset() {
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for e := range s.sets {
			clear(s.sets[e])
		}
		s.mu.Unlock()
	}
}

// MemoStats is a snapshot of the counters of Resolve's cache of recent
// results: lookups answered and not, and the searches run (an address
// whose first part is a street or hamlet is looked up twice, whole and
// without that part, and searched at most once).
type MemoStats struct {
	Hits, Misses, Searches uint64
}

// Stats returns the counters of Resolve's cache of recent results.
func Stats() MemoStats {
	st := MemoStats{Searches: cache.searches.Load()}
	for i := range cache.shards {
		s := &cache.shards[i]
		s.mu.Lock()
		st.Hits += s.hits
		st.Misses += s.misses
		s.mu.Unlock()
	}
	return st
}
