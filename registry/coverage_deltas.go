package registry

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// Coverage deltas (issue 11, point 6): the registry knows what each batch
// changed of every person it rewrites, so it says so, and the load stage
// adds the ±1 deltas to the coverage aggregates without looking up each
// person's previous state in ClickHouse on insert (migration 0013).
//
// For each person it writes, the registry keeps the coverage state it
// last emitted (kCoverage + person id → schemas.PersonCoverage, in the
// batch's Pebble batch, so a batch's state and its output commit
// together). A person row whose state equals the stored one emits no
// delta: a redelivered record, or a person that gained a record without
// changing its unit or number, counts nothing more. A registry created
// before this existed has no stored state for its older persons: their
// first delta says so (OldKnown = 0) and the load stage reads the state
// last counted from person_state.
//
// A batch's deltas carry a Batch key derived from the batch's version and
// the persons it changed, and their position (Seq): the load stage
// inserts each (Batch, Seq) once, so a message replayed after a crash, or
// a batch re-flushed with the same output (Add), counts once.

// kCoverage keys the coverage state last emitted for a person.
const kCoverage = 's'

func coverageKey(pid string) []byte { return append([]byte{kCoverage}, pid...) }

// personDeltas appends to out.Deltas the coverage deltas of the person
// rows in out.Persons (the persons the batch reclustered and those it
// retired) and stores their new state in wb. u is the batch's unit: a
// person with no stored state is new unless one of u's records belonged
// to it.
func (r *Registry) personDeltas(wb *pebble.Batch, u *unit, out *Output) error {
	existed := map[string]bool{}
	for i := range u.comp {
		if u.stored[i] != "" {
			existed[u.stored[i]] = true
		}
	}
	get := func(pid string) (schemas.PersonCoverage, bool, error) {
		v, closer, err := wb.Get(coverageKey(pid))
		if errors.Is(err, pebble.ErrNotFound) {
			return schemas.PersonCoverage{}, false, nil
		} else if err != nil {
			return schemas.PersonCoverage{}, false, fmt.Errorf("coverage state of %s: %w", pid, err)
		}
		defer closer.Close()
		c, err := decodeCoverage(v)
		if err != nil {
			return c, false, fmt.Errorf("coverage state of %s: %w", pid, err)
		}
		return c, true, nil
	}
	set := func(pid string, c schemas.PersonCoverage) error {
		return wb.Set(coverageKey(pid), encodeCoverage(c), nil)
	}
	deltas, err := deltasOf(out.Persons, func(pid string) bool { return existed[pid] }, get, set)
	out.Deltas = append(out.Deltas, deltas...)
	return err
}

// redeliveredDeltas appends a delta with OldKnown = 0 for each person row
// current() appended to out (from position n; its links from position
// nl): the persons of records delivered again. Their state has not
// changed since the registry last emitted it, but that output may never
// have reached ClickHouse (the match stage stopped after the registry
// committed the batch and before its output was written, then formed its
// batches differently): the load stage compares each with the state last
// counted (person_state) and inserts only a difference.
//
// A lost output may also have retired a person (a merge). Its id is that
// of its founding record (PersonID), which now belongs to another person:
// for each redelivered record whose founding person id is not its person
// and whose stored coverage state says retired, the retired person's row
// is written again (merged into the record's person) with a not-living
// delta, OldKnown = 0: the load stage counts it out if person_state still
// counts it living, and drops it otherwise. (A person retired before the
// registry kept coverage states has none and is not re-emitted.)
func (r *Registry) redeliveredDeltas(wb *pebble.Batch, out *Output, n, nl int) error {
	var deltas []schemas.PersonDelta
	emitted := map[string]bool{}
	for _, p := range out.Persons[:n] {
		emitted[p.PersonID] = true
	}
	for _, p := range out.Persons[n:] {
		emitted[p.PersonID] = true
		c := schemas.CoverageOf(p)
		d := c.Delta(nil, p)
		d.OldKnown = 0
		deltas = append(deltas, d)
	}
	for _, l := range out.Links[nl:] {
		founder := PersonID(l.RecordID)
		if founder == l.PersonID || emitted[founder] {
			continue
		}
		emitted[founder] = true
		v, closer, err := wb.Get(coverageKey(founder))
		if errors.Is(err, pebble.ErrNotFound) {
			continue // never a person, or retired before coverage states were kept
		} else if err != nil {
			return fmt.Errorf("coverage state of %s: %w", founder, err)
		}
		c, err := decodeCoverage(v)
		closer.Close()
		if err != nil {
			return fmt.Errorf("coverage state of %s: %w", founder, err)
		}
		if c.Living {
			continue
		}
		p := schemas.Person{PersonID: founder, MergedInto: l.PersonID, Version: l.Version, UpdatedAt: l.LinkedAt}
		out.Persons = append(out.Persons, p)
		d := schemas.PersonCoverage{}.Delta(nil, p)
		d.OldKnown = 0
		deltas = append(deltas, d)
	}
	out.Deltas = append(out.Deltas, keyed(deltas)...)
	return nil
}

// deltasOf returns the deltas of persons against the states get returns,
// and stores the new states with set. A person get does not know is new
// (nothing counted before) unless existed says it was counted before the
// states were kept (its delta then has OldKnown = 0).
func deltasOf(persons []schemas.Person, existed func(string) bool,
	get func(string) (schemas.PersonCoverage, bool, error), set func(string, schemas.PersonCoverage) error) ([]schemas.PersonDelta, error) {
	var deltas []schemas.PersonDelta
	for _, p := range persons {
		c := schemas.CoverageOf(p)
		if !c.Living {
			c = schemas.PersonCoverage{} // a retired person counts nowhere
		}
		old, ok, err := get(p.PersonID)
		if err != nil {
			return nil, err
		}
		switch {
		case ok && old == c:
			continue
		case ok:
			deltas = append(deltas, c.Delta(&old, p))
		case existed(p.PersonID):
			d := c.Delta(nil, p)
			d.OldKnown = 0 // counted before the state was kept
			deltas = append(deltas, d)
		case c.Living:
			deltas = append(deltas, c.Delta(nil, p))
		}
		if err := set(p.PersonID, c); err != nil {
			return nil, err
		}
	}
	return keyed(deltas), nil
}

// keyed sets the Batch and Seq of deltas: Batch is a hash of the persons
// and versions the deltas are about, so the same output emitted again has
// the same keys.
func keyed(deltas []schemas.PersonDelta) []schemas.PersonDelta {
	if len(deltas) == 0 {
		return nil
	}
	h := sha256.New()
	for _, d := range deltas {
		h.Write([]byte(d.PersonID))
		h.Write([]byte{0})
		h.Write(strconv.AppendUint(nil, d.Version, 10))
		h.Write([]byte{0})
	}
	batch := hex.EncodeToString(h.Sum(nil)[:12])
	for i := range deltas {
		deltas[i].Batch, deltas[i].Seq = batch, uint32(i)
	}
	return deltas
}

// CoverageTracker computes coverage deltas for person rows written by
// something else than a Registry (tests, benchmarks, tools that write
// persons themselves), with the registry's rule, keeping the states in
// memory. A row older than the last one seen for its person (a lower
// version) is ignored, as persons FINAL ignores it.
type CoverageTracker struct {
	// Legacy: persons the tracker has not seen may have been counted
	// before (loaded before migration 0013); their first delta has
	// OldKnown = 0 and the load stage reads their old state from
	// person_state. Otherwise they are new.
	Legacy bool

	state map[string]*trackedCoverage
}

type trackedCoverage struct {
	version uint64
	known   bool
	c       schemas.PersonCoverage
}

// Deltas returns the deltas of persons, in order, as one batch.
func (t *CoverageTracker) Deltas(persons []schemas.Person) []schemas.PersonDelta {
	if t.state == nil {
		t.state = map[string]*trackedCoverage{}
	}
	var fresh []schemas.Person
	for _, p := range persons {
		s := t.state[p.PersonID]
		if s == nil {
			s = &trackedCoverage{}
			t.state[p.PersonID] = s
		} else if p.Version < s.version {
			continue
		}
		s.version = p.Version
		fresh = append(fresh, p)
	}
	get := func(pid string) (schemas.PersonCoverage, bool, error) {
		s := t.state[pid]
		return s.c, s.known, nil
	}
	set := func(pid string, c schemas.PersonCoverage) error {
		s := t.state[pid]
		s.c, s.known = c, true
		return nil
	}
	d, _ := deltasOf(fresh, func(string) bool { return t.Legacy }, get, set)
	return d
}

// encodeCoverage encodes c: flags (living, has id, CMND only), birth year,
// then the four codes, each length-prefixed.
func encodeCoverage(c schemas.PersonCoverage) []byte {
	var flags byte
	if c.Living {
		flags |= 1
	}
	if c.HasID {
		flags |= 2
	}
	if c.CMNDOnly {
		flags |= 4
	}
	b := []byte{flags, 0, 0}
	binary.BigEndian.PutUint16(b[1:], c.BirthYear)
	for _, s := range []string{c.ProvinceCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode} {
		b = append(b, byte(len(s)))
		b = append(b, s...)
	}
	return b
}

func decodeCoverage(b []byte) (schemas.PersonCoverage, error) {
	var c schemas.PersonCoverage
	if len(b) < 3 {
		return c, fmt.Errorf("%d bytes, want 3 or more", len(b))
	}
	c.Living, c.HasID, c.CMNDOnly = b[0]&1 != 0, b[0]&2 != 0, b[0]&4 != 0
	c.BirthYear = binary.BigEndian.Uint16(b[1:])
	b = b[3:]
	codes := []*string{&c.ProvinceCode, &c.CommuneCode, &c.NewProvinceCode, &c.NewCommuneCode}
	for _, s := range codes {
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return c, errors.New("codes cut short")
		}
		*s = string(b[1 : 1+b[0]])
		b = b[1+b[0]:]
	}
	return c, nil
}
