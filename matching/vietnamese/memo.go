package vietnamese

import (
	"hash/maphash"
	"sync"
)

// stringMemo remembers the values of a pure function of a string, so that
// each distinct value of a column is normalised once, not once a record:
// the records of a province repeat full names (400,000 records of the two
// million-record lists hold 154,000 distinct ones: a person is on both
// lists), parents' names (95,000 fathers among 300,000) and ethnicities
// (30). It is split into shards, each a map behind its own lock, so the
// workers deriving fields at once rarely wait for each other; a shard
// that reaches its bound is emptied and fills again (its values are
// recomputed when asked: the results never depend on what is
// remembered), so memory stays bounded on any input.
type stringMemo[V any] struct {
	shards [memoShards]memoShard[V]
}

type memoShard[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

// memoPerShard bounds each shard: 262,144 values in all (a variable so
// that a test can make it small).
var memoPerShard = 4096

const (
	memoShards = 64
	// memoMaxKey is the longest string remembered, in bytes: a longer one
	// is junk or a list, and computed each time.
	memoMaxKey = 128
)

var memoSeed = maphash.MakeSeed()

// get returns f(k), from memory when k was seen.
func (c *stringMemo[V]) get(k string, f func(string) V) V {
	if len(k) > memoMaxKey {
		return f(k)
	}
	s := &c.shards[maphash.String(memoSeed, k)%memoShards]
	s.mu.Lock()
	v, ok := s.m[k]
	s.mu.Unlock()
	if ok {
		return v
	}
	v = f(k)
	s.mu.Lock()
	switch {
	case s.m == nil:
		s.m = map[string]V{} // grown as needed: an adapter may read a few records only
	case len(s.m) >= memoPerShard:
		s.m = make(map[string]V, memoPerShard) // full once: it will be again
	}
	s.m[k] = v
	s.mu.Unlock()
	return v
}
