package registry

import (
	"fmt"
	"hash/maphash"
	"sync/atomic"

	"github.com/cockroachdb/pebble"
)

// The ids the store holds, in memory (reg17, issue 9): every batch looks
// up each of its records' ids in the store, to tell a redelivered record
// from a new one, and nearly every id is new — a prefix seek that
// searched the 256 MB memtable and probed the filter of every level-0
// table to find nothing: 1.4 s of the registry's 30 s on the match
// goroutine over the last 400,000 of a million records. The registry
// keeps a 64-bit hash of each id (maphash, seeded per process: nothing
// of it is stored) in a blockSet of rule 0, so that an id it does not
// hold is not looked up. As the set of blocks, it may hold an id the store
// does not (a hash shared by two ids, a batch that did not commit): such
// an id is looked up, as before; it never lacks one the store holds, nor
// a withdrawn one (a tombstone, looked up to be refused). It is rebuilt with the set of blocks when the
// registry opens (loadBlocks: one pass over the 'i' keys); until then
// every id is looked up and those added meanwhile are kept aside
// (idsSince). As the set of blocks, only a registry that scores for
// itself keeps it: the cluster role's (Config.Score) looks every id up,
// as before, rather than hold ~17 bytes a record more (2 GB at 100M).

// idHash is the hash the set of ids keeps of id.
func (r *Registry) idHash(id string) uint64 { return maphash.String(r.idSeed, id) }

// mayHold says whether the store may hold id: false only when the set of
// ids is built and does not hold it.
func (r *Registry) mayHold(id string) bool {
	return r.ids == nil || r.ids.has(0, r.idHash(id))
}

// noteID records that a batch writes id.
func (r *Registry) noteID(id string) {
	switch {
	case r.ids != nil:
		r.ids.add(0, r.idHash(id))
	case r.idsSince != nil:
		r.idsSince.add(0, r.idHash(id))
	}
}

// readIDSet reads the ids of the store's 'i' keys, then those of its
// tombstones ('z', tombstones.go: a withdrawn id is looked up, to be
// refused), through its iterators, in one pass each, and closes them; it
// stops early when stop is set.
func readIDSet(its []*pebble.Iterator, seed maphash.Seed, stop *atomic.Bool) (s *blockSet, err error) {
	defer func() {
		for _, it := range its {
			if cerr := it.Close(); err == nil && cerr != nil {
				s, err = nil, fmt.Errorf("read record ids: %w", cerr)
			}
		}
	}()
	s = &blockSet{}
	n := 0
	for _, it := range its {
		for ok := it.First(); ok; ok = it.Next() {
			if n++; n%65536 == 0 && stop.Load() {
				return nil, errStopped
			}
			s.add(0, maphash.Bytes(seed, it.Key()[1:]))
		}
		if err := it.Error(); err != nil {
			return nil, fmt.Errorf("read record ids: %w", err)
		}
	}
	return s, nil
}
