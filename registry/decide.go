package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// mustLinkWeight is the weight of an edge a police decision sets between
// records it says are the same person: above any score the model gives,
// so the clustering takes it first.
const mustLinkWeight = 1000

// Keys of the police decisions (beside those of store.go and
// conflicts.go):
//
//	'u' seq seq     → decision ids, 0-separated: a cannot-link, both directions: the two records are kept apart, by these rulings
//	'j' seq seq     → decision ids, 0-separated: a must-link (the 'a' edge of weight mustLinkWeight), both directions: the rulings that set it
//	'o' seq seq     → float32 weight: the model's edge a ruling replaced (a cannot-link removed it, a must-link overwrote it), both directions
//	'd' decision id → (empty): the decision was applied (a redelivery changes nothing)
const (
	kApart    = 'u'
	kJoined   = 'j'
	kWithheld = 'o'
	kDecided  = 'd'
)

func init() {
	spaceNames[kApart] = "cannot-links (decisions)"
	spaceNames[kJoined] = "must-links' rulings (decisions)"
	spaceNames[kWithheld] = "edges rulings replaced (decisions)"
	spaceNames[kDecided] = "decisions applied"
}

func pairKey(space byte, a, b uint64) []byte {
	return appendSeq(appendSeq(append(make([]byte, 0, 1+2*seqLen), space), a), b)
}

func apartKey(a, b uint64) []byte    { return pairKey(kApart, a, b) }
func joinedKey(a, b uint64) []byte   { return pairKey(kJoined, a, b) }
func withheldKey(a, b uint64) []byte { return pairKey(kWithheld, a, b) }

func decidedKey(id string) []byte { return append([]byte{kDecided}, id...) }

// loadApart returns the records the store holds a cannot-link of (the
// first record of each 'u' key): a recluster reads the cannot-links of
// those only, and none while there is none (a batch without decisions
// does the same work as before them).
func loadApart(rd pebble.Reader) (map[uint64]bool, error) {
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kApart}, UpperBound: []byte{kApart + 1}})
	if err != nil {
		return nil, err
	}
	out := map[uint64]bool{}
	for ok := it.First(); ok; ok = it.Next() {
		out[getSeq(it.Key()[1:])] = true
	}
	return out, errors.Join(it.Error(), it.Close())
}

// apartPairs returns the cannot-links between the records of u's
// components (rows), read in key order through one iterator.
func (r *Registry) apartPairs(rd pebble.Reader, u *unit) ([]matching.Pair, error) {
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kApart}, UpperBound: []byte{kApart + 1}})
	if err != nil {
		return nil, err
	}
	var out []matching.Pair
	prefix := make([]byte, 0, 1+seqLen)
	for _, x := range u.comp { // ascending
		if !r.apartOf[x] {
			continue
		}
		prefix = appendSeq(append(prefix[:0], kApart), x)
		for ok := it.SeekGE(prefix); ok && bytes.HasPrefix(it.Key(), prefix); ok = it.Next() {
			y := getSeq(it.Key()[1+seqLen:])
			if ry, in := u.row[y]; x < y && in && int(ry) < len(u.comp) {
				rx := u.row[x]
				out = append(out, matching.Pair{A: min(rx, ry), B: max(rx, ry)})
			}
		}
	}
	return out, errors.Join(it.Error(), it.Close())
}

// Decide applies a police decision (from the review desk, topic
// dancu.decisions) to the records it names and returns what changed;
// the person events it causes give "decision:<id>" as their reason.
//
//   - same_person: a must-link between the records: their persons are
//     joined whatever the model, the guards or the average linkage say
//     (the records keep raising the conflicts their fields imply);
//   - different_persons: a cannot-link between groups of the records,
//     never between records of one group: the reviewer's (d.Groups,
//     whatever persons the records are in; refused unless every record
//     is in exactly one of two groups or more), else apartGroups' (the
//     persons the registry holds them in, the persons the reviewer
//     saw). The stored
//     edges between the groups are removed (kept aside, 'o' keys) and
//     the ruling is kept ('u' keys): no later batch, third record's
//     evidence or recluster puts records of two groups in one person
//     (the link that would is refused as a guard refuses it,
//     matching.ClusterApart). A group says "not kept apart by this
//     ruling", not "one person": its records are together as their
//     evidence says (same_person forces them);
//   - needs_verification: nothing changes;
//   - verified (a conflict of one record checked in the field): no link
//     or person changes, but the ruling is kept in force on its conflict
//     and the person's number reads verified, not conflicting (verify).
//
// The latest ruling on the same conflict replaces the one in force on it
// (a supervisor's correction): the cannot-links and must-links the
// replaced ruling set and the new one does not say are withdrawn — a
// regrouping {a, b} {c} corrected to {a} {b, c} frees b and c, a
// same_person on a, b, c corrected to {a, b} {c} frees a and b — unless
// another ruling also set them (each link lists the rulings that set it:
// 'u', 'j'); the model's edges they removed or overwrote are put back and
// the records they held apart or together are clustered again, so the
// freed records are one person if, and only as far as, their evidence
// says so. The latest ruling on two records wins: same_person removes the
// cannot-links between its records, different_persons the must-links
// between its groups. Rulings that contradict each other only through a
// third record (a=b and b=c said, then a≠c) leave the must-links to win
// (they join clusters after the clustering). A decision applied already
// (by id) changes nothing, whatever came after it. Records the registry
// does not hold are an error naming them.
func (r *Registry) Decide(ctx context.Context, d schemas.Decision) (*Output, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.adj.reset() // it may write edges (edgecache.go)
	if r.db == nil {
		return nil, errors.New("registry decide: registry closed")
	}
	switch d.Decision {
	case schemas.DecisionSamePerson, schemas.DecisionDifferentPersons:
	case schemas.DecisionVerified:
		return r.verify(ctx, d)
	case schemas.DecisionNeedsVerification:
		return &Output{}, nil
	default:
		return nil, fmt.Errorf("registry decide %s: unknown decision %q (want same_person, different_persons, needs_verification or verified)", d.DecisionID, d.Decision)
	}
	if len(d.Groups) > 0 {
		if d.Decision != schemas.DecisionDifferentPersons {
			return nil, fmt.Errorf("registry decide %s: groups on a %s decision (only different_persons separates groups)", d.DecisionID, d.Decision)
		}
		if msg := schemas.CheckGroups(d.RecordIDs, d.Groups); msg != "" {
			return nil, fmt.Errorf("registry decide %s: %s", d.DecisionID, msg)
		}
	}
	wb := r.db.NewIndexedBatch()
	defer wb.Close()
	seqs, seqOf, err := decisionSeqs(wb, d)
	if err != nil {
		return nil, err
	}
	if seqs == nil {
		return &Output{}, nil // applied already
	}
	given := map[uint64]int{} // the reviewer's group of each record (d.Groups)
	for g, ids := range d.Groups {
		for _, id := range ids {
			if seq, ok := seqOf[id]; ok {
				given[seq] = g
			}
		}
	}
	if len(seqs) < 2 {
		return nil, fmt.Errorf("registry decide %s: a decision needs two records or more, got %d", d.DecisionID, len(seqs))
	}
	// The pairs d keeps apart or joins (a < b): the one or the other.
	var apart, joined [][2]uint64
	if d.Decision == schemas.DecisionSamePerson {
		for i, a := range seqs {
			for _, b := range seqs[i+1:] {
				joined = append(joined, [2]uint64{min(a, b), max(a, b)})
			}
		}
	} else {
		group := make([]int, len(seqs))
		for i, a := range seqs {
			group[i] = given[a]
		}
		if len(d.Groups) == 0 {
			var err error
			if group, err = r.apartGroups(wb, seqs); err != nil {
				return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
			}
		}
		for i, a := range seqs {
			for j := i + 1; j < len(seqs); j++ {
				if group[i] != group[j] {
					apart = append(apart, [2]uint64{min(a, seqs[j]), max(a, seqs[j])})
				}
			}
		}
	}
	// The ruling d replaces (the one in force on its conflict: d is a
	// correction) loses the cannot-links or must-links d does not say; the
	// records they held apart or together are clustered again with d's. A decision on no conflict
	// replaces nothing.
	seeds := slices.Clone(seqs)
	if d.ConflictID != "" {
		replaced, ok, err := storedRuling(wb, d.ConflictID)
		if err != nil {
			return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
		}
		if ok {
			freed, err := r.withdraw(wb, replaced, apart, joined)
			if err != nil {
				return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
			}
			for _, s := range freed {
				if !slices.Contains(seeds, s) {
					seeds = append(seeds, s)
				}
			}
		}
	}
	for _, p := range joined {
		a, b := p[0], p[1]
		if err := addRuling(wb, joinedKey, a, b, d.DecisionID); err != nil {
			return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
		}
		wb.Set(adjKey(a, b), f32(mustLinkWeight), nil)
		wb.Set(adjKey(b, a), f32(mustLinkWeight), nil)
		deletePair(wb, apartKey, a, b)
	}
	for _, p := range apart {
		a, b := p[0], p[1]
		if err := addRuling(wb, apartKey, a, b, d.DecisionID); err != nil {
			return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
		}
		deletePair(wb, adjKey, a, b)
		deletePair(wb, joinedKey, a, b)
		// Before the recluster reads them (a failed commit leaves a
		// record here that has none: a seek for nothing).
		r.apartOf[a], r.apartOf[b] = true, true
	}
	return r.applyRuling(ctx, wb, d, seeds, nil)
}

// applyRuling marks d applied, keeps it as the ruling in force on its
// conflict (before the recluster, whose conflicts it answers:
// conflicts.go), clusters seeds again as a batch of its own — known
// records' persons given out even when unchanged — and commits wb.
func (r *Registry) applyRuling(ctx context.Context, wb *pebble.Batch, d schemas.Decision, seeds, known []uint64) (*Output, error) {
	if d.DecisionID != "" {
		wb.Set(decidedKey(d.DecisionID), nil, nil)
	}
	if err := rememberRuling(wb, d); err != nil {
		return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
	}
	r.batch++
	out, err := r.recluster(ctx, wb, nil, map[uint64]*recordBlob{}, seeds, known, "decision:"+d.DecisionID)
	if err != nil {
		return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
	}
	wb.Set(metaKey("batch"), u64(r.batch), nil)
	if err := commitSorted(r.db, wb, nil, nil, r.writeOpts()); err != nil {
		return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
	}
	return out, nil
}

// verify applies a verified ruling (a conflict of one record whose
// number contradicts it, checked in the field and closed): it is kept as
// the ruling in force on its conflict (rememberRuling; a later verified
// replaces it, a supervisor's correction), so that the person reads
// IDVerified rather than conflicting while every record carrying its
// number is among the ruling's (verifiedByRuling), and the conflict
// raised again about those records is raised decided (rulingsCover).
// The records' persons are summarised again and given out, at a new
// version: no link moves, no person merges or splits. Applied once, by
// id; records the registry does not hold are an error naming them, as
// in Decide. Until user33 verified changed nothing, and the person
// stayed conflicting (user32). r.mu is held.
func (r *Registry) verify(ctx context.Context, d schemas.Decision) (*Output, error) {
	wb := r.db.NewIndexedBatch()
	defer wb.Close()
	seqs, _, err := decisionSeqs(wb, d)
	if err != nil {
		return nil, err
	}
	if seqs == nil {
		return &Output{}, nil // applied already
	}
	// The records as known ones too: their persons do not change, and are
	// given out all the same, with the status the ruling gives.
	return r.applyRuling(ctx, wb, d, seqs, seqs)
}

// decisionSeqs returns the sequences of d's records, once each in the
// order named, and each record's sequence by its id; nil and no error
// when d was applied already (by id: a redelivery changes nothing).
// Records the registry does not hold are an error naming them; so is a
// decision naming none.
func decisionSeqs(wb *pebble.Batch, d schemas.Decision) ([]uint64, map[string]uint64, error) {
	if d.DecisionID != "" {
		_, closer, err := wb.Get(decidedKey(d.DecisionID))
		if err == nil {
			closer.Close()
			return nil, nil, nil
		}
		if !errors.Is(err, pebble.ErrNotFound) {
			return nil, nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
		}
	}
	var seqs []uint64
	seqOf := map[string]uint64{}
	var missing []string
	for _, id := range d.RecordIDs {
		seq, ok, err := getSeqValue(wb, idKey(id))
		if err != nil {
			return nil, nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
		}
		if !ok {
			missing = append(missing, id)
			continue
		}
		seqOf[id] = seq
		if !slices.Contains(seqs, seq) {
			seqs = append(seqs, seq)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("registry decide %s: records not in the registry: %s", d.DecisionID, strings.Join(missing, ", "))
	}
	if len(seqs) == 0 {
		return nil, nil, fmt.Errorf("registry decide %s: a decision needs a record, got none", d.DecisionID)
	}
	return seqs, seqOf, nil
}

// withdraw takes the ruling replaced (the one in force on the conflict a
// new ruling decides) off the links it set between its records — the
// cannot-links of a different_persons, the must-links of a same_person —
// but for the pairs the new ruling sets again (apart, joined). A link no
// ruling holds any more is removed and the model's edge it removed or
// overwrote is put back (withhold; none if the model had none), so that
// the records are together as far as their evidence links them; one
// another ruling also set stays. It returns the records of the links
// removed.
func (r *Registry) withdraw(wb *pebble.Batch, replaced ruling, apart, joined [][2]uint64) ([]uint64, error) {
	key, keep := apartKey, apart
	switch replaced.Decision {
	case schemas.DecisionDifferentPersons:
	case schemas.DecisionSamePerson:
		key, keep = joinedKey, joined
	default:
		return nil, nil
	}
	var seqs []uint64
	for _, id := range replaced.Records {
		seq, ok, err := getSeqValue(wb, idKey(id))
		if err != nil {
			return nil, err
		}
		if ok && !slices.Contains(seqs, seq) {
			seqs = append(seqs, seq)
		}
	}
	slices.Sort(seqs)
	var freed []uint64
	for i, a := range seqs {
		for _, b := range seqs[i+1:] {
			ids, err := rulingsOn(wb, key(a, b))
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 && replaced.Decision == schemas.DecisionSamePerson {
				// A must-link set before its rulings were kept ('j' keys)
				// is this ruling's, the one known to have set it.
				w, ok, err := getClone(wb, adjKey(a, b))
				if err != nil {
					return nil, err
				}
				if ok && mustLinked(w) {
					ids = []string{replaced.DecisionID}
				}
			}
			j := slices.Index(ids, replaced.DecisionID)
			if j < 0 {
				continue
			}
			ids = slices.Delete(ids, j, j+1)
			if len(ids) > 0 {
				setRulings(wb, key, a, b, ids)
				continue
			}
			if slices.Contains(keep, [2]uint64{a, b}) {
				// The new ruling sets it again, alone (Decide, next).
				deletePair(wb, key, a, b)
				continue
			}
			deletePair(wb, key, a, b)
			deletePair(wb, adjKey, a, b)
			w, ok, err := getClone(wb, withheldKey(a, b))
			if err != nil {
				return nil, err
			}
			if ok {
				wb.Set(adjKey(a, b), w, nil)
				wb.Set(adjKey(b, a), w, nil)
				deletePair(wb, withheldKey, a, b)
			}
			for _, s := range []uint64{a, b} {
				if !slices.Contains(freed, s) {
					freed = append(freed, s)
				}
			}
		}
	}
	return freed, nil
}

// withhold keeps the model's edge between a and b (its weight, both
// directions) before a ruling removes it or overwrites it with a
// must-link, so that a correction withdrawing the ruling can put it back.
// A must-link is no model's edge: the one withheld before it stays.
func withhold(wb *pebble.Batch, a, b uint64) error {
	w, ok, err := getClone(wb, adjKey(a, b))
	if err != nil || !ok || mustLinked(w) {
		return err
	}
	wb.Set(withheldKey(a, b), w, nil)
	wb.Set(withheldKey(b, a), w, nil)
	return nil
}

// mustLinked says whether an edge's weight (an 'a' value) is a must-link's.
func mustLinked(w []byte) bool {
	return math.Float32frombits(binary.BigEndian.Uint32(w)) >= mustLinkWeight
}

// addRuling withholds the model's edge between a and b and adds the
// ruling id to the rulings that set their link of key's space ('u' or 'j').
func addRuling(wb *pebble.Batch, key func(a, b uint64) []byte, a, b uint64, id string) error {
	if err := withhold(wb, a, b); err != nil {
		return err
	}
	ids, err := rulingsOn(wb, key(a, b))
	if err != nil {
		return err
	}
	setRulings(wb, key, a, b, append(ids, id))
	return nil
}

// rulingsOn returns the rulings a link's key ('u' or 'j') lists, none
// without the link. An empty id is none (a correction that set a link
// again wrote one before dec5).
func rulingsOn(rd pebble.Reader, key []byte) ([]string, error) {
	v, ok, err := getClone(rd, key)
	if err != nil || !ok {
		return nil, err
	}
	return slices.DeleteFunc(strings.Split(string(v), "\x00"), func(id string) bool { return id == "" }), nil
}

// setRulings sets the link of key's space ('u' or 'j') between a and b,
// both directions, to the rulings ids.
func setRulings(wb *pebble.Batch, key func(a, b uint64) []byte, a, b uint64, ids []string) {
	v := []byte(strings.Join(ids, "\x00"))
	wb.Set(key(a, b), v, nil)
	wb.Set(key(b, a), v, nil)
}

// deletePair deletes the key of a pair, both directions.
func deletePair(wb *pebble.Batch, key func(a, b uint64) []byte, a, b uint64) {
	wb.Delete(key(a, b), nil)
	wb.Delete(key(b, a), nil)
}

// apartGroups returns the group of each of seqs that a different_persons
// decision keeps apart from the others when the decision carries no
// grouping of its own (schemas.Decision.Groups: the reviewer decides on
// a conflict between persons, PersonIDs), so the groups are the persons the
// registry holds the records in: those the reviewer saw, since a batch
// that merges or splits them writes the conflict again resolved by the
// registry, and the desk then refuses decisions on it. When all the
// records are of one person (a conflict inside one person):
//
//   - two records: each is a group (the reviewer said these two are two
//     people);
//   - more: grouped by their valid identification number when each has
//     one and they are not all the same (the conflicting field);
//   - else the decision is refused, saying why: splitting the person
//     into single records is not what a reviewer says by "different
//     persons", and which records go together cannot be told.
func (r *Registry) apartGroups(rd pebble.Reader, seqs []uint64) ([]int, error) {
	sorted := slices.Clone(seqs)
	slices.Sort(sorted)
	person := make(map[uint64]string, len(seqs))
	if err := r.scan(rd, kPerson, len(sorted), func(i int) []byte { return seqKey(kPerson, sorted[i]) }, func(i int, v []byte) error {
		person[sorted[i]] = string(v)
		return nil
	}); err != nil {
		return nil, err
	}
	group, index := make([]int, len(seqs)), map[string]int{}
	for i, seq := range seqs {
		if _, ok := index[person[seq]]; !ok {
			index[person[seq]] = len(index)
		}
		group[i] = index[person[seq]]
	}
	if len(index) > 1 {
		return group, nil
	}
	if len(seqs) == 2 {
		group[1] = 1
		return group, nil
	}
	f := matching.NewFrame(r.s)
	rowOf := map[uint64]int{}
	if err := r.readBlobs(rd, sorted, func(i int, b *recordBlob) error {
		rowOf[sorted[i]] = f.Len()
		return r.addToFrame(f, b)
	}); err != nil {
		return nil, err
	}
	nums := make([]string, len(seqs))
	for i := range seqs {
		nums[i] = f.Value("id_valid", rowOf[seqs[i]])
	}
	g, why := schemas.GroupsByNumbers(nums)
	if g == nil {
		return nil, fmt.Errorf("different_persons on %d records that are all of one person (%s; %s): "+
			"which records are which person cannot be told; say which records go together (the decision's groups), or decide on two of the records, or on records of two persons", len(seqs), person[seqs[0]], why)
	}
	return g, nil
}
