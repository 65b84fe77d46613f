package registry

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// Keys of the open conflicts the registry raised (see store.go):
//
//	'c' conflict id            → the conflict as last raised (JSON)
//	'q' person id 0 conflict id → (empty): the open conflicts naming a person
//	'n' number 0 seq            → (empty): the records carrying a valid number
//	'g' person id               → the person's coverage state and guard summary over all its records (appendPersonValue)
//	'f' conflict id             → the police ruling in force on it (JSON ruling)
//	'h' record id 0 conflict id → (empty): the rulings naming a record
const (
	kConflict   = 'c'
	kConflictOf = 'q'
	kNumber     = 'n'
	kGuards     = 'g'
	kRuling     = 'f' // 'd' and 'e' are taken (decide.go, a float's format)
	kRulingOf   = 'h'
)

func init() {
	spaceNames[kRuling] = "rulings in force (decisions)"
	spaceNames[kRulingOf] = "rulings by record"
}

func guardsKey(person string) []byte { return append([]byte{kGuards}, person...) }

// personGuards returns the guard summary (matching.EncodePersonGuards:
// numbers, sexes, span of birth years) of each person of the recluster,
// by person id, for personDeltas to store in the persons' values with
// their coverage states (coverage_deltas.go), and to forget those of the
// persons it retired. A later recluster that meets one of them only as a
// neighbour, through a few of its records, reads it (neighbourGuards), so
// that a grey-zone pair is raised only when the guards would let the two
// whole persons be one, as dancu link, which holds every record, decides.
func (r *Registry) personGuards(u *unit, sums []matching.PersonSummary, name func(int32) string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(sums))
	pg, err := matching.NewPersonGuards(u.f, r.s)
	if err != nil {
		return nil, fmt.Errorf("person guards: %w", err)
	}
	for _, sm := range sums {
		enc, err := pg.Encode(sm.Rows)
		if err != nil {
			return nil, fmt.Errorf("person guards: %w", err)
		}
		out[name(sm.Root)] = enc
	}
	return out, nil
}

// neighbourGuards reads the stored guard summaries of the neighbours'
// persons into u.guards, by the row naming each in cl. A person stored
// before summaries were kept has none: its records in the frame stand
// for it.
func (r *Registry) neighbourGuards(rd pebble.Reader, u *unit, cl *matching.Clusters) error {
	u.guards = nil
	rowOf := map[string]int32{} // person → the row naming it in cl
	var pids []string
	for i := len(u.comp); i < u.f.Len(); i++ {
		pid := u.stored[i]
		if _, ok := rowOf[pid]; pid == "" || ok {
			continue
		}
		rowOf[pid] = cl.Of[i]
		pids = append(pids, pid)
	}
	// In key order through one iterator (a read per person opened every
	// level of the store for each: issue 9).
	slices.Sort(pids)
	if err := r.scan(rd, kGuards, len(pids), func(i int) []byte { return guardsKey(pids[i]) }, func(i int, v []byte) error {
		_, g, err := splitPersonValue(v)
		if err != nil {
			return fmt.Errorf("person %s: %w", pids[i], err)
		}
		if len(g) == 0 {
			return nil // a state without a summary (coverage_deltas.go)
		}
		if u.guards == nil {
			u.guards = map[int32][]byte{}
		}
		u.guards[rowOf[pids[i]]] = append([]byte(nil), g...)
		return nil
	}); err != nil {
		return fmt.Errorf("person guards: %w", err)
	}
	return nil
}

func conflictKey(id string) []byte { return append([]byte{kConflict}, id...) }

func conflictOfPrefix(person string) []byte {
	return append(append([]byte{kConflictOf}, person...), 0)
}

// involved are the persons a recluster judged in full: those the records
// of its match components belonged to before and those they belong to
// now. (Review-edge neighbours joined only for grey-zone pairs are not;
// but a conflict naming one of them and an involved person is judged
// here, see settleConflicts.)
func involved(old []string, sums []matching.PersonSummary, name func(int32) string) map[string]bool {
	out := map[string]bool{}
	for _, o := range old {
		if o != "" {
			out[o] = true
		}
	}
	for _, s := range sums {
		out[name(s.Root)] = true
	}
	return out
}

// settleConflicts remembers the conflicts a recluster raised and returns
// a row closing each conflict it raised before naming one of persons
// that it no longer raises: the persons were
// merged, split, or a record changed their numbers — by new records or a
// police decision. The closing row keeps the conflict's id, kind, persons
// and records, has status resolved_by_registry and the batch's version,
// and its explanation starts with why, citing the person events of the
// batch that touch its persons. A decided conflict stays decided on the
// desk (the desk reads decisions first); a conflict raised again later
// reopens with the same id. A raised conflict a police ruling covers
// (rulingsCover) is raised decided, in place in raised.
func (r *Registry) settleConflicts(wb *pebble.Batch, persons map[string]bool, raised []schemas.Conflict, events []schemas.PersonEvent, reason string, ver uint64, now time.Time) ([]schemas.Conflict, error) {
	now = now.UTC()
	still := map[string]bool{}
	for _, c := range raised {
		still[c.ConflictID] = true
	}
	// Earlier conflicts naming these persons.
	var ids []string
	seen := map[string]bool{}
	// Read in key order through one iterator (an iterator per person
	// opened every level of the store for each: issue 9).
	ps := make([]string, 0, len(persons))
	for p := range persons {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	it, err := wb.NewIter(&pebble.IterOptions{LowerBound: []byte{kConflictOf}, UpperBound: []byte{kConflictOf + 1}})
	if err != nil {
		return nil, fmt.Errorf("settle conflicts: %w", err)
	}
	for _, p := range ps {
		lo := conflictOfPrefix(p)
		for ok := it.SeekGE(lo); ok && bytes.HasPrefix(it.Key(), lo); ok = it.Next() {
			id := string(it.Key()[len(lo):])
			if !seen[id] && !still[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("settle conflicts: %w", err)
	}
	sort.Strings(ids)
	var out []schemas.Conflict
	for _, id := range ids {
		c, err := storedConflict(wb, id)
		if err != nil {
			return nil, err
		}
		// One involved person is enough: the recluster holds all its
		// records, their edges (the grey-zone pairs to any other person,
		// whose guards it reads) and every holder of their numbers, so it
		// raises again each conflict of that person still true; one
		// naming a person it retired or split is stale even where the
		// other person was only a neighbour (on a merge the pair comes
		// back naming the person holding the records now). Every
		// conflict listed here names an involved person (the index is
		// read by person).
		wb.Delete(conflictKey(id), nil)
		for _, p := range c.PersonIDs {
			wb.Delete(append(conflictOfPrefix(p), id...), nil)
		}
		c.Status = schemas.StatusResolvedByRegistry
		c.Version = ver
		c.Explanation = "Resolved by the registry: " + whyResolved(c, events, reason, ver) + ".\n\n" + c.Explanation
		out = append(out, c)
	}
	if err := rulingsCover(wb, raised); err != nil {
		return nil, err
	}
	// Remember what is open now.
	for _, c := range raised {
		enc, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("settle conflicts: %w", err)
		}
		wb.Set(conflictKey(c.ConflictID), enc, nil)
		for _, p := range c.PersonIDs {
			wb.Set(append(conflictOfPrefix(p), c.ConflictID...), nil, nil)
		}
	}
	return out, nil
}

func storedConflict(rd pebble.Reader, id string) (schemas.Conflict, error) {
	var c schemas.Conflict
	v, cl, err := rd.Get(conflictKey(id))
	if errors.Is(err, pebble.ErrNotFound) {
		return c, fmt.Errorf("settle conflicts: conflict %s indexed but not stored", id)
	}
	if err != nil {
		return c, fmt.Errorf("settle conflicts: %w", err)
	}
	defer cl.Close()
	if err := json.Unmarshal(v, &c); err != nil {
		return c, fmt.Errorf("settle conflicts: conflict %s: %w", id, err)
	}
	return c, nil
}

// whyResolved says what closed c: the merges and splits of its persons in
// this batch (with their event ids and reason), else that the batch no
// longer raises it.
func whyResolved(c schemas.Conflict, events []schemas.PersonEvent, reason string, ver uint64) string {
	mine := map[string]bool{}
	for _, p := range c.PersonIDs {
		mine[p] = true
	}
	var parts []string
	for _, e := range events {
		touches := mine[e.PersonID]
		for _, o := range e.Others {
			touches = touches || mine[o]
		}
		if !touches {
			continue
		}
		switch e.Kind {
		case schemas.PersonMerge:
			parts = append(parts, fmt.Sprintf("persons %s merged into %s (event %s, %s)", strings.Join(e.Others, ", "), e.PersonID, e.EventID, reasonText(e.Reason)))
		case schemas.PersonSplit:
			parts = append(parts, fmt.Sprintf("person %s split, records moved to %s (event %s, %s)", e.PersonID, strings.Join(e.Others, ", "), e.EventID, reasonText(e.Reason)))
		default:
			parts = append(parts, fmt.Sprintf("%s of %s (event %s, %s)", e.Kind, e.PersonID, e.EventID, reasonText(e.Reason)))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("batch %d (%s) no longer raises it: its persons' records no longer show this conflict", ver, reasonText(reason))
	}
	return strings.Join(parts, "; ")
}

func reasonText(reason string) string {
	if d, ok := strings.CutPrefix(reason, "decision:"); ok {
		return "police decision " + d
	}
	if b, ok := strings.CutPrefix(reason, schemas.WithdrawnPrefix); ok {
		return "records withdrawn by " + b
	}
	return "new records"
}

// numberHolders finds, for each valid number on the records of u's match
// components, the records outside the frame that carry it too and their
// persons: a number on two persons is a shared_id conflict whether or not
// the model linked their records closely enough to bring them into one
// frame. It reads and extends the registry's own index of numbers ('n'),
// kept here rather than through the blocking index so that it works
// whoever scores (a cluster role holds no blocking index).
//
// With be (Add's batch: batchEdges) the new records' entries are kept in
// be.numbers for the commit instead of wb, whose skiplist each insert
// searched, and the index is read from the store, without merging wb
// into every seek; the entries of be.numbers are holders too (a
// redelivery's records, current, may share a number with this batch's).
func (r *Registry) numberHolders(wb *pebble.Batch, be *batchEdges, u *unit) (map[string][]matching.NumberHolder, error) {
	var out map[string][]matching.NumberHolder
	done := map[string]bool{}
	var nums, fresh []string
	added := false
	for i, seq := range u.comp {
		num := u.f.Value("id_valid", i)
		if num == "" {
			continue
		}
		if u.stored[i] == "" {
			// A new record: index its number.
			k := binary.BigEndian.AppendUint64(numberPrefix(num), seq)
			if be != nil {
				be.numbers = append(be.numbers, k)
				added = true
			} else {
				wb.Set(k, nil, nil)
			}
			fresh = append(fresh, num)
		}
		if !done[num] {
			done[num] = true
			nums = append(nums, num)
		}
	}
	if len(nums) == 0 {
		return nil, nil
	}
	// The set of ids learns the new records' numbers once they are sought
	// (ids.go): it is asked whether the store held them before.
	defer func() {
		for _, num := range fresh {
			r.noteNumber(num)
		}
	}()
	// The numbers' entries, in key order through one iterator (each seek
	// starts where the last ended; an iterator per number opened every
	// level of the store for each: issue 9, 9% of a batch at 181k
	// records). The records of u's components are all in the frame, so
	// those this batch indexed are never holders. With be, a number the
	// set of ids does not hold is not sought: no record of the store
	// carries it (through wb, which may hold others, every number is).
	var sought, skipped int64
	defer func() {
		r.numberReads.Add(sought)
		r.numbersSkipped.Add(skipped)
	}()
	slices.Sort(nums)
	if added {
		slices.SortFunc(be.numbers, bytes.Compare)
	}
	var rd pebble.Reader = wb
	if be != nil {
		rd = r.db
	}
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kNumber}, UpperBound: []byte{kNumber + 1}})
	if err != nil {
		return nil, fmt.Errorf("number holders: %w", err)
	}
	type held struct {
		num string
		seq uint64
	}
	var found []held
	var lo []byte
	for _, num := range nums {
		lo = append(append(append(lo[:0], kNumber), num...), 0)
		if be != nil && !r.mayCarry(num) {
			skipped++
		} else {
			sought++
			for ok := it.SeekGE(lo); ok && bytes.HasPrefix(it.Key(), lo); ok = it.Next() {
				if k := it.Key(); len(k) == len(lo)+8 {
					if s := binary.BigEndian.Uint64(k[len(lo):]); !inFrame(u, s) {
						found = append(found, held{num, s})
					}
				}
			}
		}
		if be != nil {
			// After the store's: the batch's records come after every
			// committed one, as in key order.
			j, _ := slices.BinarySearchFunc(be.numbers, lo, bytes.Compare)
			for ; j < len(be.numbers) && bytes.HasPrefix(be.numbers[j], lo); j++ {
				if k := be.numbers[j]; len(k) == len(lo)+8 {
					if s := binary.BigEndian.Uint64(k[len(lo):]); !inFrame(u, s) {
						found = append(found, held{num, s})
					}
				}
			}
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("number holders: %w", err)
	}
	if len(found) == 0 {
		return nil, nil
	}
	// The holders' persons and record ids, each kind in key order through
	// one iterator (two point reads a holder before: issue 9).
	seqs := make([]uint64, 0, len(found))
	for _, h := range found {
		seqs = append(seqs, h.seq)
	}
	slices.Sort(seqs)
	seqs = slices.Compact(seqs)
	person := make(map[uint64]string, len(seqs))
	if err := r.scan(wb, kPerson, len(seqs), func(i int) []byte { return seqKey(kPerson, seqs[i]) }, func(i int, v []byte) error {
		person[seqs[i]] = string(v)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("number holders: %w", err)
	}
	// A record of this batch not yet given a person is no holder.
	withPerson := seqs[:0]
	for _, s := range seqs {
		if _, ok := person[s]; ok {
			withPerson = append(withPerson, s)
		}
	}
	// And the provinces of the holders' addresses, which the shared_id
	// carries with those of the frame's records (cov32: the coverage
	// counts it in each).
	type holder struct {
		id         string
		olds, news []string
	}
	rec := make(map[uint64]holder, len(withPerson))
	cf := r.covFields
	if err := r.readBlobs(wb, withPerson, func(i int, b *recordBlob) error {
		h := holder{id: b.ID}
		if cf != nil {
			f := b.Fields
			h.olds = []string{strings.Clone(f[cf.perm[0]]), strings.Clone(f[cf.cur[0]])}
			h.news = []string{strings.Clone(f[cf.perm[3]]), strings.Clone(f[cf.cur[3]])}
		}
		rec[withPerson[i]] = h
		return nil
	}); err != nil {
		return nil, fmt.Errorf("number holders: %w", err)
	}
	for _, h := range found {
		if p, ok := person[h.seq]; ok {
			if out == nil {
				out = map[string][]matching.NumberHolder{}
			}
			x := rec[h.seq]
			out[h.num] = append(out[h.num], matching.NumberHolder{RecordID: x.id, PersonID: p, Provinces: x.olds, NewProvinces: x.news})
		}
	}
	return out, nil
}

// numberPrefix is the prefix of the index entries of a number: 'n',
// the number, 0, then each carrying record's sequence.
func numberPrefix(num string) []byte {
	return append(append([]byte{kNumber}, num...), 0)
}

func inFrame(u *unit, seq uint64) bool {
	_, ok := u.row[seq]
	return ok
}

// ruling is what the registry keeps of a police decision (same_person or
// different_persons) on a conflict: its kind and records, to recognise
// the conflicts it already answers when the registry raises them again
// (rulingsCover).
type ruling struct {
	DecisionID string    `json:"decision_id"`
	ConflictID string    `json:"conflict_id"`
	Kind       string    `json:"kind"`
	Decision   string    `json:"decision"`
	Records    []string  `json:"records"` // sorted
	DecidedAt  time.Time `json:"decided_at"`
}

func rulingKey(conflict string) []byte { return append([]byte{kRuling}, conflict...) }

func rulingOfPrefix(record string) []byte {
	return append(append([]byte{kRulingOf}, record...), 0)
}

// rememberRuling keeps d as the ruling in force on its conflict, for
// Decide to call before it reclusters, so that the recluster's conflicts
// already see it. One ruling per conflict is in force: the one applied
// last replaces it (a supervisor's correction), as Decide's constraints
// do (a decision applied already never comes here; Decide withdraws the
// cannot-links of the ruling replaced). needs_verification rules nothing:
// it is not kept. verified (a conflict of one record checked in the
// field) is kept since user33: it answers its conflict raised again
// (rulingsCover) and makes the person's number verified
// (verifiedByRuling). A decision without a conflict kind (raised by
// hand) is kept, for a correction to replace, but covers no raised
// conflict (its kind is no conflict's).
func rememberRuling(wb *pebble.Batch, d schemas.Decision) error {
	if d.Decision != schemas.DecisionSamePerson && d.Decision != schemas.DecisionDifferentPersons && d.Decision != schemas.DecisionVerified {
		return nil
	}
	id := d.ConflictID
	if id == "" {
		id = "decision:" + d.DecisionID
	}
	old, ok, err := storedRuling(wb, id)
	if err != nil {
		return err
	}
	if ok {
		for _, rec := range old.Records {
			wb.Delete(append(rulingOfPrefix(rec), id...), nil)
		}
	}
	rl := ruling{DecisionID: d.DecisionID, ConflictID: d.ConflictID, Kind: d.ConflictKind, Decision: d.Decision,
		Records: slices.Compact(slices.Sorted(slices.Values(d.RecordIDs))), DecidedAt: d.DecidedAt.UTC()}
	enc, err := json.Marshal(rl)
	if err != nil {
		return fmt.Errorf("remember ruling %s: %w", d.DecisionID, err)
	}
	wb.Set(rulingKey(id), enc, nil)
	for _, rec := range rl.Records {
		wb.Set(append(rulingOfPrefix(rec), id...), nil, nil)
	}
	return nil
}

func storedRuling(rd pebble.Reader, id string) (ruling, bool, error) {
	var rl ruling
	v, cl, err := rd.Get(rulingKey(id))
	if errors.Is(err, pebble.ErrNotFound) {
		return rl, false, nil
	}
	if err != nil {
		return rl, false, fmt.Errorf("ruling %s: %w", id, err)
	}
	defer cl.Close()
	if err := json.Unmarshal(v, &rl); err != nil {
		return rl, false, fmt.Errorf("ruling %s: %w", id, err)
	}
	return rl, true, nil
}

// rulingsCover raises decided each open conflict of raised that a police
// ruling already answers: one of the same kind whose records are all
// records that ruling was about. The persons may differ — the ruling
// merged or split them, which changes the conflict's id (a two_ids of
// two persons decided same_person comes back as a two_ids of the one
// merged person) — but the question is the one the reviewer answered.
// A new record in the conflict is evidence the ruling did not see, and
// the conflict stays open. Decided rather than left out, so that the
// registry's conflicts still say what it finds on its persons, and the
// explanation cites the ruling for whoever follows the person.
func rulingsCover(rd pebble.Reader, raised []schemas.Conflict) error {
	var probe []int
	for i, c := range raised {
		if c.Status == schemas.StatusOpen && len(c.RecordIDs) > 0 {
			probe = append(probe, i)
		}
	}
	if len(probe) == 0 {
		return nil
	}
	// Through one iterator, in key order of the first records.
	slices.SortFunc(probe, func(a, b int) int { return strings.Compare(raised[a].RecordIDs[0], raised[b].RecordIDs[0]) })
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kRulingOf}, UpperBound: []byte{kRulingOf + 1}})
	if err != nil {
		return fmt.Errorf("rulings: %w", err)
	}
	var ids [][]string
	for _, i := range probe {
		lo := rulingOfPrefix(raised[i].RecordIDs[0])
		var mine []string
		for ok := it.SeekGE(lo); ok && bytes.HasPrefix(it.Key(), lo); ok = it.Next() {
			mine = append(mine, string(it.Key()[len(lo):]))
		}
		ids = append(ids, mine)
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return fmt.Errorf("rulings: %w", err)
	}
	for j, i := range probe {
		c := &raised[i]
		for _, id := range ids[j] {
			rl, ok, err := storedRuling(rd, id)
			if err != nil {
				return err
			}
			if !ok || rl.Kind != c.Kind || !covers(rl.Records, c.RecordIDs) {
				continue
			}
			c.Status = schemas.StatusDecided
			on := "conflict " + rl.ConflictID
			if rl.ConflictID == "" {
				on = "these records"
			}
			c.Explanation = fmt.Sprintf("Decided: police decision %s (%s) on %s already answers this %s about the same records; raised again when a new record joins it.\n\n",
				rl.DecisionID, rl.Decision, on, c.Kind) + c.Explanation
			break
		}
	}
	return nil
}

// verifiedByRuling gives schemas.IDVerified to each person of sums that
// is conflicting only because its number contradicts its records
// (matching.PersonSummary.Contradicting) when a verified ruling in force
// on an id_contradicts conflict names every record carrying the number:
// the field check answered the contradiction (user32 found the person
// conflicting after it). A record carrying the number that the ruling
// did not see leaves the person conflicting, as it leaves the conflict
// open (rulingsCover). Read from the store's rulings, so a redelivery, a
// restart, a rebuild from the changelog and the persons' export
// (Persons) give the same status.
func verifiedByRuling(rd pebble.Reader, f *matching.Frame, sums []matching.PersonSummary) error {
	for i := range sums {
		s := &sums[i]
		if len(s.Contradicting) == 0 {
			continue
		}
		ids := make([]string, len(s.Contradicting))
		for j, rw := range s.Contradicting {
			ids[j] = f.ID(int(rw))
		}
		lo := rulingOfPrefix(ids[0])
		it, err := rd.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: append(slices.Clone(lo[:len(lo)-1]), 1)})
		if err != nil {
			return fmt.Errorf("rulings: %w", err)
		}
		var on []string
		for ok := it.First(); ok; ok = it.Next() {
			on = append(on, string(it.Key()[len(lo):]))
		}
		if err := errors.Join(it.Error(), it.Close()); err != nil {
			return fmt.Errorf("rulings: %w", err)
		}
		for _, id := range on {
			rl, ok, err := storedRuling(rd, id)
			if err != nil {
				return err
			}
			if ok && rl.Decision == schemas.DecisionVerified && rl.Kind == schemas.ConflictIDContradicts && covers(rl.Records, ids) {
				s.IDStatus = schemas.IDVerified
				break
			}
		}
	}
	return nil
}

// covers reports whether every one of recs is in sorted.
func covers(sorted, recs []string) bool {
	for _, r := range recs {
		if _, ok := slices.BinarySearch(sorted, r); !ok {
			return false
		}
	}
	return true
}
