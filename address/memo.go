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
// in it a set of memoWays slots (the hashes and entries of its slots, one
// cache line); a lookup reads that set and, on a slot whose hash agrees,
// the slot's entry, which holds the text's check word (a second hash,
// with another seed) and length: when both agree too, the entry's result
// is the text's. 96 bits of two seeded hashes and the length tell two
// texts apart (the odds that two texts of a list agree on all of them are
// about 2⁻⁹⁶ a pair), where comparing the text itself read the
// remembered text's bytes, one cache miss more on every hit; the check
// word sits in the entry, not the set, because the entry is read on a hit
// anyway and a set of four hashes, check words and pointers (80 bytes)
// straddled two cache lines, a miss more on every lookup. Each set keeps
// its slots in order of use: a hit moves its slot to the front, a new
// result takes the front and the least recently used one falls out, so
// what is used keeps its place and an endless stream of distinct
// addresses cannot grow the cache past memoShards × memoSets × memoWays
// results per era (each a few hundred bytes). Shards, each with its own
// lock, let goroutines resolving different addresses rarely wait for each
// other.
type memo struct {
	seed, checkSeed maphash.Seed
	shards          [memoShards]memoShard
	searches        atomic.Uint64 // addresses (or their parts after a street or hamlet) searched afresh
}

type memoShard struct {
	mu   sync.Mutex
	sets [2][]memoSet // by era (before, since ReformDate)
	// hits and misses are counted per shard, under its lock: one counter
	// for all would bounce between the cores resolving.
	hits, misses uint64
}

// memoSet is one set of the table: the hashes and entries of its slots,
// most recently used first (a nil entry is an empty slot); 64 bytes, and
// the table's sets start on a cache line (a large allocation starts on a
// page).
type memoSet struct {
	h [memoWays]uint64
	e [memoWays]*memoEntry
}

// memoEntry is a remembered result with the check word and the length of
// the text it is the result of (r.Input is not always that text: see
// finishRests).
type memoEntry struct {
	chk uint32
	n   int
	r   Result
}

const (
	memoShards = 16
	memoWays   = 4
	memoSets   = 1 << 12 // sets per shard and era: 16 × 4,096 × 4 = 262,144 results per era
)

var cache = newMemo()

func newMemo() *memo {
	m := &memo{seed: maphash.MakeSeed(), checkSeed: maphash.MakeSeed()}
	for i := range m.shards {
		for e := range m.shards[i].sets {
			m.shards[i].sets[e] = make([]memoSet, memoSets)
		}
	}
	return m
}

// memoKey is what the table knows a text by: its hash, its check word
// and its length.
type memoKey struct {
	h   uint64
	chk uint32
	n   int
}

// key returns the key of text; a caller that looks a text up and then
// stores its result computes it once.
func (m *memo) key(text string) memoKey {
	return memoKey{h: maphash.String(m.seed, text), chk: uint32(maphash.String(m.checkSeed, text)), n: len(text)}
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

// find returns the slot of set holding k, or -1.
func (set *memoSet) find(k memoKey) int {
	for i := range memoWays {
		if e := set.e[i]; set.h[i] == k.h && e != nil && e.chk == k.chk && e.n == k.n {
			return i
		}
	}
	return -1
}

// toFront moves slot i of set to the front, with hash and entry h, e:
// the slots stay in order of use.
func (set *memoSet) toFront(i int, h uint64, e *memoEntry) {
	copy(set.h[1:i+1], set.h[:i])
	copy(set.e[1:i+1], set.e[:i])
	set.h[0], set.e[0] = h, e
}

// get returns the remembered result of text in the era. Its Candidates
// and OldNames are shared with every caller that gets it (Result says
// they are read-only): copying them on each hit would cost more than the
// lookup.
func (m *memo) get(text string, post bool) (Result, bool) {
	return m.getKey(m.key(text), post)
}

// getKey is get of the text whose key is k.
func (m *memo) getKey(k memoKey, post bool) (Result, bool) {
	s, set := m.slot(k.h, eraIndex(post))
	s.mu.Lock()
	var r Result
	i := set.find(k)
	if i >= 0 {
		me := set.e[i]
		r = me.r // under the lock: put may reuse an entry that falls out
		set.toFront(i, k.h, me)
		s.hits++
	} else {
		s.misses++
	}
	s.mu.Unlock()
	return r, i >= 0
}

func (m *memo) put(text string, post bool, r Result) {
	if len(text) > 512 {
		return // junk, not worth keeping
	}
	m.putKey(m.key(text), post, r)
}

// putKey is put of the text whose key is k.
func (m *memo) putKey(k memoKey, post bool, r Result) {
	if k.n > 512 {
		return // junk, not worth keeping
	}
	s, set := m.slot(k.h, eraIndex(post))
	s.mu.Lock()
	// a text already there (two goroutines resolved it at once) is
	// replaced where it is; else the least recently used slot goes
	i := set.find(k)
	if i < 0 {
		i = memoWays - 1
	}
	// The entry that goes holds the new result: nothing else points to it
	// (get copies a result under the lock), and an entry allocated for
	// every store was a quarter of the bytes dancu link's read allocated,
	// each fresh page a fault.
	me := set.e[i]
	if me == nil {
		me = new(memoEntry)
	}
	*me = memoEntry{chk: k.chk, n: k.n, r: r}
	set.toFront(i, k.h, me)
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
