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
//
// The same set holds, as rule 1, a hash of every valid number the index
// of numbers ('n' keys, conflicts.go) holds (reg19): each batch sought
// each of its components' numbers in the store, for the records outside
// them that carry it too, and most numbers are carried by no record
// before this batch's — a full seek of every level that found nothing
// (the 'n' keys have no filter prefix), 0.25 s of a 100,000-person bench
// of 15 s. A number the set does not hold is not sought (numberHolders);
// one it holds may not be in the store (a hash shared with an id or
// another number, a withdrawn record's, a batch that did not commit):
// sought, as before. Rebuilt with the ids (one pass over the 'n' keys).

// Rules of the set of ids' entries.
const (
	idRule     = 0 // a record id or a tombstone's
	numberRule = 1 // a valid number of the index of numbers
)

// idHash is the hash the set of ids keeps of id.
func (r *Registry) idHash(id string) uint64 { return maphash.String(r.idSeed, id) }

// mayHold says whether the store may hold id: false only when the set of
// ids is built and does not hold it.
func (r *Registry) mayHold(id string) bool {
	return r.ids == nil || r.ids.has(idRule, r.idHash(id))
}

// mayCarry says whether a record in the store may carry valid number
// num: false only when the set of ids is built and does not hold it.
func (r *Registry) mayCarry(num string) bool {
	return r.ids == nil || r.ids.has(numberRule, r.idHash(num))
}

// noteNumber records that a batch indexes num.
func (r *Registry) noteNumber(num string) { r.noteInIDSet(numberRule, num) }

// noteID records that a batch writes id.
func (r *Registry) noteID(id string) { r.noteInIDSet(idRule, id) }

// noteInIDSet adds key (an id or a number: rule) to the set of ids, or
// to what is kept aside while it is built.
func (r *Registry) noteInIDSet(rule int, key string) {
	switch {
	case r.ids != nil:
		r.ids.add(rule, r.idHash(key))
	case r.idsSince != nil:
		r.idsSince.add(rule, r.idHash(key))
	}
}

// readIDSet reads the ids of the store's 'i' keys, then those of its
// tombstones ('z', tombstones.go: a withdrawn id is looked up, to be
// refused), then the numbers of its index of numbers ('n'), through its
// iterators (idSetKinds), in one pass each, and closes them; it stops
// early when stop is set.
// idSetKinds are the key kinds readIDSet reads, in order.
var idSetKinds = []byte{kID, kTombstone, kNumber}

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
			k := it.Key()
			if k[0] != kNumber {
				s.add(idRule, maphash.Bytes(seed, k[1:]))
				continue
			}
			// 'n' number 0 seq: the entries numberHolders reads (a key
			// of another shape is never a holder).
			if n := len(k) - 9; n >= 1 && k[n] == 0 {
				s.add(numberRule, maphash.Bytes(seed, k[1:n]))
			}
		}
		if err := it.Error(); err != nil {
			return nil, fmt.Errorf("read record ids: %w", err)
		}
	}
	return s, nil
}
