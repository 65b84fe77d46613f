package address

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// memo remembers the results of recent addresses: the records of one
// commune repeat a few hundred address strings over and over, and a
// lookup costs a hash and a map probe where resolving costs tens of
// microseconds. It is split in shards so that goroutines resolving
// different addresses rarely wait for each other. Each shard keeps two
// generations: when the current one is full it becomes the previous one
// and a fresh one starts, and a result found in the previous generation
// moves to the current one — so what is used keeps its place and an
// endless stream of distinct addresses cannot grow the cache past
// 2 × memoShardMax × memoShards results (each a few hundred bytes).
type memo struct {
	seed     maphash.Seed
	shards   [memoShards]memoShard
	searches atomic.Uint64 // addresses (or their parts after a street or hamlet) searched afresh
}

type memoShard struct {
	mu        sync.Mutex
	cur, prev [2]map[uint64]*memoEntry // by era (before, since ReformDate), by the text's hash
	// hits and misses are counted per shard, under its lock: one counter
	// for all would bounce between the cores resolving.
	hits, misses uint64
}

// memoEntry is a remembered result with the text it is the result of: a
// map keyed by the text's 64-bit hash probes faster than one keyed by the
// text (the hash is computed once, for the shard and the key, and the
// slots are small), and the text tells the rare two texts of one hash
// apart.
type memoEntry struct {
	text string
	r    Result
}

const (
	memoShards   = 16
	memoShardMax = 1 << 13 // 8,192 per shard and generation: at most 262,144 addresses in all
)

var cache = newMemo()

func newMemo() *memo {
	m := &memo{seed: maphash.MakeSeed()}
	for i := range m.shards {
		s := &m.shards[i]
		for e := range s.cur {
			s.cur[e], s.prev[e] = map[uint64]*memoEntry{}, map[uint64]*memoEntry{}
		}
	}
	return m
}

func (m *memo) shard(h uint64) *memoShard {
	return &m.shards[h%memoShards]
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
	s := m.shard(h)
	e := eraIndex(post)
	s.mu.Lock()
	me := s.cur[e][h]
	if me == nil || me.text != text {
		if me = s.prev[e][h]; me != nil && me.text == text {
			s.store(e, h, me)
		} else {
			me = nil
		}
	}
	if me == nil {
		s.misses++
	} else {
		s.hits++
	}
	s.mu.Unlock()
	if me == nil {
		return Result{}, false
	}
	return me.r, true
}

func (m *memo) put(text string, post bool, r Result) {
	if len(text) > 512 {
		return // junk, not worth keeping
	}
	h := maphash.String(m.seed, text)
	me := &memoEntry{text: text, r: r}
	s := m.shard(h)
	s.mu.Lock()
	s.store(eraIndex(post), h, me)
	s.mu.Unlock()
}

// store puts me in the current generation, starting a new one when full.
// The caller holds s.mu.
func (s *memoShard) store(e int, h uint64, me *memoEntry) {
	if len(s.cur[e]) >= memoShardMax {
		s.cur[e], s.prev[e] = s.prev[e], s.cur[e]
		clear(s.cur[e])
	}
	s.cur[e][h] = me
}

// reset forgets every remembered result.
func (m *memo) reset() {
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for e := range s.cur {
			clear(s.cur[e])
			clear(s.prev[e])
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
