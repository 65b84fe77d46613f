package registry

import (
	"context"
	"errors"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// PersonsChunk is one part of the registry's persons as Persons streams
// them: each person once, living, with one link for each of its records.
type PersonsChunk struct {
	Persons []schemas.Person
	Links   []schemas.Link
}

// Persons streams every person the registry holds, with the links of its
// records, to fn: the rows a batch that touched every person would emit,
// at the version of the last batch (Version: the batch counter, which
// the next batch's rows exceed). It reads the store and writes nothing:
// the persons are those stored (each record's person), summarised as the
// recluster summarises them (the same frame of the records' fields, the
// same holders of their numbers), with each link's probability from the
// clustering of its match component.
//
// Records are taken in sequence order, chunk at a time (default 4,096):
// the match components of a chunk's records are built and each person is
// given with the chunk holding its earliest record, so that memory
// depends on the chunk and the components, not on the registry. The
// registry's lock is held for one chunk at a time; a batch added between
// two calls of fn may appear in later chunks with its own version.
// It returns the version the rows carry.
func (r *Registry) Persons(ctx context.Context, chunk int, fn func(PersonsChunk) error) (uint64, error) {
	if chunk <= 0 {
		chunk = 4096
	}
	r.mu.Lock()
	ver, end := r.batch, r.next
	r.mu.Unlock()
	for lo := uint64(0); lo < end; lo += uint64(chunk) {
		if err := ctx.Err(); err != nil {
			return ver, err
		}
		c, err := r.personsFrom(lo, min(lo+uint64(chunk), end), ver)
		if err != nil {
			return ver, err
		}
		if len(c.Persons) == 0 {
			continue
		}
		if err := fn(c); err != nil {
			return ver, err
		}
	}
	return ver, nil
}

// personsFrom returns the persons whose earliest record has a sequence in
// [lo, hi), at version ver.
func (r *Registry) personsFrom(lo, hi, ver uint64) (PersonsChunk, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return PersonsChunk{}, errors.New("registry persons: registry closed")
	}
	// Read through a batch never committed: nothing the unit's
	// construction might set reaches the store.
	wb := r.db.NewIndexedBatch()
	defer wb.Close()
	var seeds []uint64
	it, err := wb.NewIter(&pebble.IterOptions{LowerBound: seqKey(kPerson, lo), UpperBound: seqKey(kPerson, hi)})
	if err != nil {
		return PersonsChunk{}, err
	}
	for ok := it.First(); ok; ok = it.Next() {
		seeds = append(seeds, getSeq(it.Key()[1:]))
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return PersonsChunk{}, err
	}
	if len(seeds) == 0 {
		return PersonsChunk{}, nil
	}
	u, cl, err := r.clusterStored(wb, nil, seeds)
	if err != nil {
		return PersonsChunk{}, err
	}
	// The persons stored, not the clusters (which equal them): each row
	// of the components joins the first row of its stored person.
	first := map[string]int32{}
	for i := range u.comp {
		pid := u.stored[i]
		if _, ok := first[pid]; !ok {
			first[pid] = int32(i)
		}
		cl.Of[i] = first[pid]
	}
	sums, err := r.persons(wb, u, cl)
	if err != nil {
		return PersonsChunk{}, err
	}
	now := r.now().UTC()
	var out PersonsChunk
	for _, sm := range sums {
		// Rows are in sequence order: the first is the earliest record.
		if s := u.comp[sm.Rows[0]]; s < lo || s >= hi || u.stored[sm.Root] == "" {
			continue
		}
		pid := u.stored[sm.Root]
		out.Persons = append(out.Persons, personRow(u.f, sm, pid, ver, now))
		for _, rw := range sm.Rows {
			out.Links = append(out.Links, linkOf(u.f, cl, rw, pid, ver, now))
		}
	}
	return out, nil
}
