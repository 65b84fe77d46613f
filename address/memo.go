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
// different addresses rarely wait for each other, and each shard starts
// afresh when full, so that an endless stream of distinct addresses
// cannot grow it without bound (memoShardMax × memoShards results, each
// a few hundred bytes).
type memo struct {
	seed     maphash.Seed
	shards   [memoShards]memoShard
	hits     atomic.Uint64
	misses   atomic.Uint64
	searches atomic.Uint64 // addresses (or their parts after a street or hamlet) searched afresh
}

type memoShard struct {
	mu  sync.RWMutex
	era [2]map[string]Result // before, since ReformDate
}

const (
	memoShards   = 16
	memoShardMax = 1 << 13 // 8,192 per shard: 131,072 addresses in all
)

var cache = newMemo()

func newMemo() *memo {
	m := &memo{seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].era = [2]map[string]Result{{}, {}}
	}
	return m
}

func (m *memo) shard(text string) *memoShard {
	return &m.shards[maphash.String(m.seed, text)%memoShards]
}

func eraIndex(post bool) int {
	if post {
		return 1
	}
	return 0
}

// get returns the remembered result of text in the era, with a copy of
// its candidates so that a caller changing them cannot change another's.
func (m *memo) get(text string, post bool) (Result, bool) {
	s := m.shard(text)
	s.mu.RLock()
	r, ok := s.era[eraIndex(post)][text]
	s.mu.RUnlock()
	if !ok {
		m.misses.Add(1)
		return Result{}, false
	}
	m.hits.Add(1)
	if len(r.Candidates) > 0 {
		r.Candidates = append([]Candidate(nil), r.Candidates...)
	}
	return r, true
}

func (m *memo) put(text string, post bool, r Result) {
	if len(text) > 512 {
		return // junk, not worth keeping
	}
	if len(r.Candidates) > 0 {
		r.Candidates = append([]Candidate(nil), r.Candidates...)
	}
	s := m.shard(text)
	s.mu.Lock()
	mp := s.era[eraIndex(post)]
	if len(mp) >= memoShardMax {
		clear(mp)
	}
	mp[text] = r
	s.mu.Unlock()
}

// reset forgets every remembered result.
func (m *memo) reset() {
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		clear(s.era[0])
		clear(s.era[1])
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
	return MemoStats{Hits: cache.hits.Load(), Misses: cache.misses.Load(), Searches: cache.searches.Load()}
}
