package registry

import (
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// Persons' coverage states derived from their records (issue 11 point 6,
// cov18). A person's state (coverage_deltas.go) is what its row counts
// (schemas.CoverageOf) and the key of the batch that emitted it; the row
// is its records' summary (personRow of matching's summary), so while
// the person's records are those of the row the state was emitted for,
// the state says nothing its records do not. Most persons are written
// once, by the batch of their records, and never again: for them the
// state (about 23 bytes, 12 of them the batch's key) was written,
// flushed and compacted to be read never.
//
// Since store format 5 a person founded by a batch's new records (all
// its records new: personDeltas' fresh) and counted by it keeps the
// state derivedPerson, one byte. Its coverage is what its records give,
// grouped as stored, and its batch the one that numbered its earliest
// record, whose persons' key is kept once a batch under kPersonBatchOf +
// the batch's first sequence. Every later write of the person's value
// (a batch that reclusters it, retires it or writes its row again)
// writes its state whole, so a derived state always stands for records
// the person held when its batch wrote it. It is expanded (the whole
// state it stands for) where it is read: personDeltas from the
// recluster's unit, current (a redelivery) from its unit, and Withdraw
// before the records it withdraws leave.
const (
	kPersonBatchOf = 'e'
	derivedPerson  = 0x80 // never a whole or packed state's flags (coverageFlags, packedCodes)
)

func init() { spaceNames[kPersonBatchOf] = "batches' persons' coverage keys by first record" }

func personBatchOfKey(first uint64) []byte { return seqKey(kPersonBatchOf, first) }

// isDerivedPerson says whether a person's state is derivedPerson.
func isDerivedPerson(st []byte) bool { return len(st) == 1 && st[0] == derivedPerson }

// storedCoverage returns the coverage of each person of want as its
// records in u's component give it, grouped as stored (u.stored), and the
// sequence of its earliest record there. A person none of whose records
// is in the component is missing.
//
// The other rows of the frame are in no cluster (root -1: matching's
// Members leaves them out), not one each: a summary per row, all thrown
// away, was most of the work in a large unit (reg20: the batch's CPU at
// 1M rose from 230 to 262 ms with cov18). Whether a number of the
// wanted persons is shared with another row is the same either way (the
// row's root is another than theirs).
func (r *Registry) storedCoverage(u *unit, want map[string]bool) (map[string]schemas.PersonCoverage, map[string]uint64) {
	n := len(u.comp)
	of := make([]int32, u.f.Len())
	roots := map[string]int32{}
	for i := range of {
		of[i] = -1
		if i >= n || !want[u.stored[i]] {
			continue
		}
		root, ok := roots[u.stored[i]]
		if !ok {
			root = int32(i) // rows ascend: the earliest
			roots[u.stored[i]] = root
		}
		of[i] = root
	}
	cl := &matching.Clusters{Of: of, Prob: make([]float64, len(of))}
	cov := make(map[string]schemas.PersonCoverage, len(roots))
	earliest := make(map[string]uint64, len(roots))
	for _, sm := range matching.Persons(&matching.Result{Frame: u.f, Settings: r.s, Clusters: cl, NumberHolders: u.holders}) {
		if int(sm.Root) >= n || !want[u.stored[sm.Root]] || roots[u.stored[sm.Root]] != sm.Root {
			continue
		}
		pid := u.stored[sm.Root]
		cov[pid] = schemas.CoverageOf(personRow(u.f, sm, pid, 0, time.Time{}))
		earliest[pid] = u.comp[sm.Root]
	}
	return cov, earliest
}

// expandDerivedPersons replaces in states (persons' states by id, as
// personStates reads them) every derived state (derivedPerson) with the
// whole state it stands for, its coverage given by the person's records
// in u, and notes it in r.expanded for the reads of the same operation.
func (r *Registry) expandDerivedPersons(rd pebble.Reader, u *unit, states map[string][]byte) error {
	want := map[string]bool{}
	for pid, st := range states {
		if isDerivedPerson(st) {
			want[pid] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	cov, earliest := r.storedCoverage(u, want)
	// One iterator for all the persons' batches' keys (one a person cost
	// a quarter of the expansion at 100k: reg20).
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kPersonBatchOf}, UpperBound: []byte{kPersonBatchOf + 1}})
	if err != nil {
		return err
	}
	defer it.Close()
	for pid := range want {
		c, ok := cov[pid]
		if !ok {
			return fmt.Errorf("person %s: a derived coverage state, but none of its records in the unit", pid)
		}
		key, err := personBatchOf(it, earliest[pid])
		if err != nil {
			return fmt.Errorf("person %s: %w", pid, err)
		}
		st := append(appendCoverage(nil, c), key...)
		states[pid] = st
		if r.expanded == nil {
			r.expanded = map[string][]byte{}
		}
		r.expanded[pid] = st
	}
	return nil
}

// personBatchOf returns the raw persons' key of the batch that numbered
// record seq (kPersonBatchOf), through it, an iterator bounded to
// kPersonBatchOf's space.
func personBatchOf(it *pebble.Iterator, seq uint64) ([]byte, error) {
	if !it.SeekLT(personBatchOfKey(seq + 1)) {
		return nil, errors.Join(fmt.Errorf("no persons' coverage key for the batch of record %d", seq), it.Error())
	}
	return append([]byte(nil), it.Value()...), it.Error()
}

// personState returns the state of person pid's value in rd, a derived
// one expanded (r.expanded: it was expanded in this operation).
func (r *Registry) personState(rd pebble.Reader, pid string) (state, guards []byte, ok bool, err error) {
	state, guards, ok, err = getPersonValue(rd, pid)
	if err != nil || !isDerivedPerson(state) {
		return state, guards, ok, err
	}
	st, found := r.expanded[pid]
	if !found {
		return nil, nil, false, fmt.Errorf("person %s: a derived coverage state not expanded", pid)
	}
	return st, guards, true, nil
}

// expandStored expands the derived states of the persons of u (a unit of
// stored records, clusterStored) and, when write, writes them whole in wb
// (Withdraw: before the records it withdraws leave, the person's records
// no longer give its state).
func (r *Registry) expandStored(wb *pebble.Batch, u *unit, write bool) error {
	if r.noCov {
		return nil
	}
	var pids []string
	for _, pid := range u.stored[:len(u.comp)] {
		if pid != "" {
			pids = append(pids, pid)
		}
	}
	states, err := r.personStates(wb, pids)
	if err != nil {
		return err
	}
	for pid, st := range states {
		if !isDerivedPerson(st) {
			delete(states, pid)
		}
	}
	if err := r.expandDerivedPersons(wb, u, states); err != nil || !write {
		return err
	}
	for pid, st := range states {
		_, g, _, err := getPersonValue(wb, pid)
		if err != nil {
			return err
		}
		if err := wb.Set(guardsKey(pid), appendPersonValue(nil, st, g), nil); err != nil {
			return err
		}
	}
	return nil
}

// expandLosing writes whole, in wb, the derived states of the persons
// that lose records to a withdrawal (recs, their persons read), before
// the records leave: their records then no longer give the state.
func (r *Registry) expandLosing(wb *pebble.Batch, recs []withdrawn) error {
	if r.noCov {
		return nil
	}
	var pids []string
	for _, x := range recs {
		if x.person != "" {
			pids = append(pids, x.person)
		}
	}
	states, err := r.personStates(wb, pids)
	if err != nil {
		return err
	}
	var seqs []uint64
	for _, x := range recs {
		if isDerivedPerson(states[x.person]) {
			seqs = append(seqs, x.seq)
		}
	}
	if len(seqs) == 0 {
		return nil
	}
	u, err := r.buildUnit(wb, nil, seqs, nil)
	if err != nil {
		return err
	}
	return r.expandStored(wb, u, true)
}
