package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// Coverage deltas (issue 11, point 6): the registry knows what each batch
// changed of every person it rewrites, so it says so, and the load stage
// adds the ±1 deltas to the coverage aggregates without looking up each
// person's previous state in ClickHouse on insert (migration 0013).
//
// For each person it writes, the registry keeps the coverage state it
// last emitted (schemas.PersonCoverage; since round 11 in the person's
// value, kGuards + person id, appendPersonValue; in the batch's Pebble
// batch, so a batch's state and its output commit together). A person row whose state equals the stored one emits no
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
//
// Since migration 0016 a batch's deltas are summed by unit, birth year
// and month (SumPersonDeltas, schemas.PersonDeltaSum) before they leave
// the registry, as the records' are (below): the rows are kept by batch
// (kPersonDeltas) and each person's state names the batch that emitted
// it, so that the rows can be emitted again when its records come again
// (redeliveredDeltas). Only deltas with OldKnown = 0 still go one by one
// (Output.Deltas, person_deltas).

// kCoverage keyed the coverage state last emitted for a person before
// round 11 (a store written before is migrated when it opens:
// upgradePersonValues).
const kCoverage = 's'

func coverageKey(pid string) []byte { return append([]byte{kCoverage}, pid...) }

// A person's value (kGuards + person id, conflicts.go): since round 11
// it carries the person's coverage state beside its guard summary, so
// that no key of its own is written, sorted in the commit and compacted
// for each person (issue 11 point 6: kCoverage took 120,000 keys per
// 200,000 records). The registry writes the value of every person a
// batch reclusters anyway, for its guards. It is personValueMark, the state's length
// (uvarint), the state (encodeCoverage, then the raw key of the batch
// that emitted it, if any; empty when none is kept; since store format 5
// derivedPerson, one byte, when its records say it:
// coverage_person_derived.go), then the guard
// summary (matching.EncodePersonGuards: binary since reg25, JSON "{…}"
// before, see binaryGuards; empty for a retired person, whose value keeps
// its state only). The value before round 11 was the guard summary alone.
const personValueMark = 1

// appendPersonValue appends a person's value of state and guards to b.
func appendPersonValue(b, state, guards []byte) []byte {
	b = binary.AppendUvarint(append(b, personValueMark), uint64(len(state)))
	return append(append(b, state...), guards...)
}

// splitPersonValue splits a person's value (appendPersonValue) into its
// state and guards, which point into v.
func splitPersonValue(v []byte) (state, guards []byte, err error) {
	if len(v) == 0 || v[0] != personValueMark {
		return nil, nil, errors.New("person value not in the format of round 11")
	}
	n, k := binary.Uvarint(v[1:])
	if k <= 0 || uint64(len(v)-1-k) < n {
		return nil, nil, errors.New("person value cut short")
	}
	v = v[1+k:]
	return v[:n:n], v[n:], nil
}

// personDeltas appends to out.Deltas the coverage deltas of the person
// rows in out.Persons (the persons the batch reclustered and those it
// retired) and writes in wb the value of every person of the recluster
// (guards: its guard summary by person id) and of those it retired, with
// their states. u is the batch's unit: a person with no stored state is
// new unless one of u's records belonged to it. fresh are the persons
// named after a record new in this batch: no person had their id before,
// so they have no state to read (most persons of a batch of new
// records). A person whose state the batch does not change keeps the
// state its value held.
func (r *Registry) personDeltas(wb *pebble.Batch, u *unit, out *Output, fresh map[string]bool, guards map[string][]byte) error {
	// Retired: stored before, not a person of the recluster now.
	var retired []string
	existed := map[string]bool{}
	for i := range u.comp {
		o := u.stored[i]
		if o == "" || existed[o] {
			continue
		}
		existed[o] = true
		if _, ok := guards[o]; !ok {
			retired = append(retired, o)
		}
	}
	if wd := r.withdrawing; wd != nil {
		for _, o := range wd.gone { // no record left (withdraw.go)
			if !existed[o] {
				existed[o] = true
				retired = append(retired, o)
			}
		}
	}
	var key []byte // guardsKey, its buffer reused (the batch copies it)
	if r.noCov {
		for pid, g := range guards {
			key = append(append(key[:0], kGuards), pid...)
			if err := wb.Set(key, appendPersonValue(nil, nil, g), nil); err != nil {
				return err
			}
		}
		for _, o := range retired {
			if err := wb.Delete(guardsKey(o), nil); err != nil {
				return err
			}
		}
		return nil
	}
	// Which persons of the output are fresh, looked up once each (a
	// batch of new records is mostly fresh persons: issue 11 point 6,
	// cov24: the work for coverage was ten look-ups by person id a
	// person, now three).
	isFresh := make([]bool, len(out.Persons))
	// The stored states, read in key order through one iterator (a read
	// per person opened every level of the store for each: issue 9): of
	// the persons the batch writes, those that may have one.
	pids := make([]string, 0, len(out.Persons)+len(guards))
	for i, p := range out.Persons {
		if isFresh[i] = fresh[p.PersonID]; !isFresh[i] {
			pids = append(pids, p.PersonID)
		}
	}
	if len(existed) > 0 {
		for pid := range guards {
			if existed[pid] && !fresh[pid] {
				pids = append(pids, pid)
			}
		}
	}
	raw, err := r.personStates(wb, pids)
	if err != nil {
		return err
	}
	if err := r.expandDerivedPersons(wb, u, raw); err != nil {
		return err
	}
	// The new states, in order, once each (written below, once), and
	// whether a delta counted the person; one map of indexes (issue 11
	// point 6: a map of states and one of the persons counted cost a
	// tenth of the registry's work for coverage).
	type newState struct {
		c              schemas.PersonCoverage
		counted, fresh bool
	}
	changed := make([]newState, 0, len(out.Persons))
	at := make(map[string]int32, len(out.Persons))
	// The deltas, as deltasOf, keyed and summed as SumPersonDeltas
	// would (the same rows, keys and order) without a PersonDelta per
	// person: its batch key hashes each delta's person and version in
	// order; the legacy ones (OldKnown = 0) stay one row each.
	var (
		h       = sha256.New()
		hbuf    []byte
		ndeltas int
		legacy  []schemas.PersonDelta
		sums    = personSums{at: map[personSumKey]int{}}
		lastAt  time.Time
		month   time.Time
	)
	delta := func(p *schemas.Person) {
		hbuf = append(append(hbuf, p.PersonID...), 0)
		hbuf = append(strconv.AppendUint(hbuf, p.Version, 10), 0)
		if len(hbuf) > 4096 {
			h.Write(hbuf)
			hbuf = hbuf[:0]
		}
		ndeltas++
		if p.UpdatedAt != lastAt || month.IsZero() {
			lastAt, month = p.UpdatedAt, schemas.MonthOf(p.UpdatedAt.UTC())
		}
	}
	for i := range out.Persons {
		p := &out.Persons[i]
		c := schemas.CoverageOf(*p)
		if !c.Living {
			c = schemas.PersonCoverage{} // a retired person counts nowhere
		}
		var old schemas.PersonCoverage
		ok := false
		if !isFresh[i] { // a fresh person has no stored state (not read)
			if v, found := raw[p.PersonID]; found {
				if old, err = decodeCoverage(v); err != nil {
					return fmt.Errorf("coverage state of %s: %w", p.PersonID, err)
				}
				ok = true
			}
		}
		counted := true
		switch {
		case ok && old == c:
			continue
		case ok:
			delta(p)
			if old.Living {
				sums.add(old, month, -1)
			}
			if c.Living {
				sums.add(c, month, 1)
			}
		case existed[p.PersonID]:
			delta(p)
			d := c.Delta(nil, *p)
			d.OldKnown, d.Seq = 0, uint32(ndeltas-1) // counted before the state was kept
			legacy = append(legacy, d)
		case c.Living:
			delta(p)
			sums.add(c, month, 1)
		default:
			counted = false
		}
		j, seen := at[p.PersonID]
		if !seen {
			j = int32(len(changed))
			at[p.PersonID] = j
			changed = append(changed, newState{fresh: isFresh[i]})
		}
		changed[j].c = c
		changed[j].counted = changed[j].counted || counted
	}
	// Summed by unit (migration 0016); the persons counted before the
	// registry kept their state stay one row each. The batch's rows are
	// kept, and each changed person's state names them, so that they can
	// be emitted again (redeliveredDeltas).
	batch := ""
	if ndeltas > 0 {
		h.Write(hbuf)
		batch = hex.EncodeToString(h.Sum(nil)[:12])
	}
	for i := range legacy {
		legacy[i].Batch = batch
	}
	rows := sums.counted(batch)
	out.Deltas = append(out.Deltas, legacy...)
	out.PersonDeltaSums = append(out.PersonDeltaSums, rows...)
	rawKey, _ := hex.DecodeString(batch)
	var st, v []byte
	derived := false // a state written derivedPerson
	written := 0     // of changed
	write := func(pid string, g []byte) error {
		st = st[:0]
		if i, ok := at[pid]; ok {
			written++
			n := &changed[i]
			switch {
			case n.counted && n.fresh && n.c.Living && r.newFirst != nil:
				st = append(st, derivedPerson) // all its records new: they give its state
				derived = true
			case n.counted:
				st = append(appendCoverage(st, n.c), rawKey...)
			default:
				st = appendCoverage(st, n.c) // nothing counted (a new person retired at once)
			}
		} else {
			st = append(st, raw[pid]...) // unchanged
		}
		key = append(append(key[:0], kGuards), pid...)
		if len(st) == 0 && g == nil {
			return wb.Delete(key, nil) // retired, no state kept
		}
		v = appendPersonValue(v[:0], st, g)
		return wb.Set(key, v, nil)
	}
	for pid, g := range guards {
		if err := write(pid, g); err != nil {
			return err
		}
	}
	for _, pid := range retired { // none of them in guards
		if err := write(pid, nil); err != nil {
			return err
		}
	}
	if written != len(changed) {
		// out.Persons are its persons and those it retired.
		for pid := range at {
			if _, ok := guards[pid]; !ok && !slices.Contains(retired, pid) {
				return fmt.Errorf("person %s changed outside the recluster", pid)
			}
		}
	}
	if derived {
		if err := wb.Set(personBatchOfKey(*r.newFirst), rawKey, nil); err != nil {
			return err
		}
	}
	if ndeltas == 0 {
		return nil
	}
	v, err = encodePersonBatch(rows, legacy)
	if err != nil {
		return err
	}
	return wb.Set(personDeltasKey(batch), v, nil)
}

// kPersonDeltas keys the persons' rows a batch emitted
// (encodePersonBatch).
const kPersonDeltas = 'x'

func init() { spaceNames[kPersonDeltas] = "persons' coverage deltas by batch" }

func personDeltasKey(batch string) []byte { return append([]byte{kPersonDeltas}, batch...) }

// encodePersonBatch encodes a batch's summed rows (their batch key is the
// store key, their Seq their position): their number, then per row the
// four codes, length-prefixed, the birth year, the month's Unix day and
// the six counts; then the per-person rows with OldKnown = 0, as JSON
// (few: persons counted before the registry kept their state).
func encodePersonBatch(sums []schemas.PersonDeltaSum, legacy []schemas.PersonDelta) ([]byte, error) {
	b := binary.AppendUvarint(nil, uint64(len(sums)))
	for _, d := range sums {
		for _, s := range []string{d.ProvinceCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.AppendUvarint(b, uint64(d.BirthYear))
		b = binary.AppendVarint(b, d.ChangeMonth.Unix()/86400)
		for _, n := range []uint32{d.Added, d.Removed, d.AddedWithID, d.RemovedWithID, d.AddedCMNDOnly, d.RemovedCMNDOnly} {
			b = binary.AppendUvarint(b, uint64(n))
		}
	}
	if len(legacy) == 0 {
		return b, nil
	}
	js, err := json.Marshal(legacy)
	return append(b, js...), err
}

func decodePersonBatch(batch string, b []byte) ([]schemas.PersonDeltaSum, []schemas.PersonDelta, error) {
	r := &valueReader{b: b}
	n := r.count()
	sums := make([]schemas.PersonDeltaSum, n)
	for i := 0; i < n && r.ok(); i++ {
		d := &sums[i]
		d.Batch, d.Seq = batch, uint32(i)
		for _, s := range []*string{&d.ProvinceCode, &d.CommuneCode, &d.NewProvinceCode, &d.NewCommuneCode} {
			*s = r.str()
		}
		d.BirthYear = uint16(r.uvarint())
		d.ChangeMonth = r.day()
		for _, p := range []*uint32{&d.Added, &d.Removed, &d.AddedWithID, &d.RemovedWithID, &d.AddedCMNDOnly, &d.RemovedCMNDOnly} {
			*p = uint32(r.uvarint())
		}
	}
	if !r.ok() {
		return nil, nil, errors.New("persons' deltas cut short")
	}
	var legacy []schemas.PersonDelta
	if len(r.b) > 0 {
		if err := json.Unmarshal(r.b, &legacy); err != nil {
			return nil, nil, err
		}
	}
	return sums, legacy, nil
}

// encodeCoverageKeyed is encodeCoverage followed by the raw key of the
// batch that emitted the state.
func encodeCoverageKeyed(c schemas.PersonCoverage, batch string) []byte {
	raw, _ := hex.DecodeString(batch)
	return append(encodeCoverage(c), raw...)
}

// coverageBatch returns the key of the batch that last emitted the state
// v (encodeCoverageKeyed), "" if none is recorded (a state stored before
// migration 0016's summed rows).
func coverageBatch(v []byte) string {
	n, ok := coverageLen(v)
	if !ok {
		return ""
	}
	return hex.EncodeToString(v[n:])
}

// SumPersonDeltas sums per-person deltas of one batch (as deltasOf and
// CoverageTracker.Deltas return them, keyed) by unit, birth year and
// month: +1 for each state counted in, −1 for each counted out. The rows
// come in the order their units first appear in deltas (a person's old
// unit before its new one), so that the same deltas give the same rows.
// Deltas with OldKnown = 0, whose old state the load stage reads from
// person_state, are returned apart, as they are.
func SumPersonDeltas(deltas []schemas.PersonDelta) (legacy []schemas.PersonDelta, sums []schemas.PersonDeltaSum) {
	acc := personSums{at: map[personSumKey]int{}}
	batch := ""
	for _, d := range deltas {
		if d.OldKnown == 0 {
			legacy = append(legacy, d)
			continue
		}
		batch = d.Batch
		month := schemas.MonthOf(d.ChangedAt.UTC())
		if d.OldLiving == 1 {
			acc.add(schemas.PersonCoverage{ProvinceCode: d.OldProvinceCode, CommuneCode: d.OldCommuneCode, NewProvinceCode: d.OldNewProvinceCode,
				NewCommuneCode: d.OldNewCommuneCode, HasID: d.OldHasID == 1, CMNDOnly: d.OldCMNDOnly == 1, BirthYear: d.OldBirthYear}, month, -1)
		}
		if d.Living == 1 {
			acc.add(schemas.PersonCoverage{ProvinceCode: d.ProvinceCode, CommuneCode: d.CommuneCode, NewProvinceCode: d.NewProvinceCode,
				NewCommuneCode: d.NewCommuneCode, HasID: d.HasID == 1, CMNDOnly: d.CMNDOnly == 1, BirthYear: d.BirthYear}, month, 1)
		}
	}
	return legacy, acc.counted(batch)
}

// personSums sums persons counted in (+1) or out (−1) by unit, birth
// year and month, in the order their units first appear
// (SumPersonDeltas; personDeltas adds to one directly, without a
// PersonDelta a person).
type personSums struct {
	at   map[personSumKey]int
	rows []schemas.PersonDeltaSum
}

type personSumKey struct {
	p, c, np, nc string
	year         uint16
	month        int64 // Unix seconds
}

// add counts a person of state c (its units, birth year and numbers)
// in (sign 1) or out (−1) in month.
func (s *personSums) add(c schemas.PersonCoverage, month time.Time, sign int) {
	k := personSumKey{c.ProvinceCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode, c.BirthYear, month.Unix()}
	i, ok := s.at[k]
	if !ok {
		i = len(s.rows)
		s.at[k] = i
		s.rows = append(s.rows, schemas.PersonDeltaSum{ProvinceCode: c.ProvinceCode, CommuneCode: c.CommuneCode,
			NewProvinceCode: c.NewProvinceCode, NewCommuneCode: c.NewCommuneCode, BirthYear: c.BirthYear, ChangeMonth: month})
	}
	r := &s.rows[i]
	one := func(plus, minus *uint32, yes bool) {
		switch {
		case !yes:
		case sign > 0:
			*plus++
		default:
			*minus++
		}
	}
	one(&r.Added, &r.Removed, true)
	one(&r.AddedWithID, &r.RemovedWithID, c.HasID)
	one(&r.AddedCMNDOnly, &r.RemovedCMNDOnly, c.CMNDOnly)
}

// counted returns the rows that count (not all in and out again),
// keyed batch and numbered in order.
func (s *personSums) counted(batch string) []schemas.PersonDeltaSum {
	var sums []schemas.PersonDeltaSum
	for _, r := range s.rows {
		if r.Added != r.Removed || r.AddedWithID != r.RemovedWithID || r.AddedCMNDOnly != r.RemovedCMNDOnly {
			r.Batch, r.Seq = batch, uint32(len(sums))
			sums = append(sums, r)
		}
	}
	return sums
}

// lastOutput is the output a registry keeps for an identical re-flush
// (kLast) without its coverage rows, which the store keeps already by
// batch (kRecordDeltas, kPersonDeltas): only their batch keys, in order,
// so that the rows are read again on a re-flush. (About half of a
// batch's output JSON were its coverage rows when each record lies in a
// commune of its own.) An output stored before (with its rows) still
// reads.
type lastOutput struct {
	Output
	RecordDeltas    []schemas.RecordDelta    `json:",omitempty"` // hides Output's; set only in outputs stored before
	PersonDeltaSums []schemas.PersonDeltaSum `json:",omitempty"`
	RecordBatches   []string                 `json:",omitempty"`
	PersonBatches   []string                 `json:",omitempty"`
}

// lastOutputOf is out as kept for a re-flush.
func lastOutputOf(out *Output) *lastOutput {
	l := &lastOutput{Output: *out}
	for i, d := range out.RecordDeltas {
		if i == 0 || d.Batch != out.RecordDeltas[i-1].Batch {
			l.RecordBatches = append(l.RecordBatches, d.Batch)
		}
	}
	for i, d := range out.PersonDeltaSums {
		if i == 0 || d.Batch != out.PersonDeltaSums[i-1].Batch {
			l.PersonBatches = append(l.PersonBatches, d.Batch)
		}
	}
	return l
}

// decodeLastOutput reads a kept output (lastOutputOf, encodeLast) and
// its coverage rows.
func (r *Registry) decodeLastOutput(v []byte) (Output, error) {
	var l lastOutput
	if err := decodeLast(v, &l); err != nil {
		return Output{}, err
	}
	out := l.Output
	out.RecordDeltas, out.PersonDeltaSums = l.RecordDeltas, l.PersonDeltaSums
	get := func(k []byte) ([]byte, error) {
		v, closer, err := r.db.Get(k)
		if err != nil {
			return nil, err
		}
		defer closer.Close()
		return slices.Clone(v), nil
	}
	for _, b := range l.RecordBatches {
		v, err := get(recordDeltasKey(b))
		if err != nil {
			return Output{}, fmt.Errorf("records' coverage deltas of batch %s: %w", b, err)
		}
		rows, err := decodeRecordDeltas(b, v)
		if err != nil {
			return Output{}, fmt.Errorf("records' coverage deltas of batch %s: %w", b, err)
		}
		out.RecordDeltas = append(out.RecordDeltas, rows...)
	}
	for _, b := range l.PersonBatches {
		v, err := get(personDeltasKey(b))
		if err != nil {
			return Output{}, fmt.Errorf("persons' coverage deltas of batch %s: %w", b, err)
		}
		sums, _, err := decodePersonBatch(b, v)
		if err != nil {
			return Output{}, fmt.Errorf("persons' coverage deltas of batch %s: %w", b, err)
		}
		out.PersonDeltaSums = append(out.PersonDeltaSums, sums...)
	}
	return out, nil
}

// redeliveredDeltas completes the output of a batch that brought
// records the registry knew (current() appended their persons to out
// from position n, their links from position nl). Their persons' states
// have not changed since the registry last emitted them, but that output
// may never have reached ClickHouse (the match stage stopped after the
// registry committed the batch and before its output was written, then
// formed its batches differently): the summed rows of the batches that
// last changed those persons are emitted again, whole, under their keys,
// and the load stage inserts those it does not have. A person row
// written again that counts otherwise than its state (its summary taken
// from other records) is a change of this batch. A person whose state
// names no batch (emitted before migration 0016) comes with a delta with
// OldKnown = 0: the load stage compares it with the state last counted
// (person_state) and inserts only a difference.
//
// A lost output may also have retired a person (a merge). Its id is that
// of its founding record (PersonID), which now belongs to another person:
// for each redelivered record whose founding person id is not its person
// and whose stored coverage state says retired, the retired person's row
// is written again (merged into the record's person) with the rows of
// the batch that retired it (or, before 0016, a not-living delta with
// OldKnown = 0, which the load stage counts out if person_state still
// counts it living). A person retired before the registry kept coverage
// states has none and is not re-emitted.
func (r *Registry) redeliveredDeltas(wb *pebble.Batch, out *Output, n, nl int) error {
	if r.noCov {
		return nil
	}
	var deltas []schemas.PersonDelta
	emitted := map[string]bool{}
	for _, p := range out.Persons[:n] {
		emitted[p.PersonID] = true
	}
	// The batches that last changed the persons of this output before it
	// (the committed store: this batch may have changed them again) are
	// emitted again, whole, in case their output was lost; the load stage
	// inserts each of their rows once.
	again := map[string]bool{}
	if r.curUnit != nil {
		if err := r.expandStored(wb, r.curUnit, false); err != nil {
			return err
		}
	}
	lastBatch := func(pid string) (string, error) {
		st, _, ok, err := r.personState(r.db, pid)
		if err != nil || !ok {
			return "", err
		}
		return coverageBatch(st), nil
	}
	for _, p := range out.Persons[:n] {
		b, err := lastBatch(p.PersonID)
		if err != nil {
			return err
		}
		if b != "" {
			again[b] = true
		}
	}
	var moved []schemas.PersonDelta // persons whose row now counts otherwise than their state
	movedState := map[string]schemas.PersonCoverage{}
	for _, p := range out.Persons[n:] {
		emitted[p.PersonID] = true
		b, err := lastBatch(p.PersonID)
		if err != nil {
			return err
		}
		if b != "" {
			again[b] = true
			// The row written again may count otherwise than the state
			// last emitted (its summary taken from other records): that
			// is a change like any other.
			st, _, _, err := r.personState(wb, p.PersonID)
			if err != nil {
				return err
			}
			old, err := decodeCoverage(st)
			if err != nil {
				return fmt.Errorf("coverage state of %s: %w", p.PersonID, err)
			}
			c := schemas.CoverageOf(p)
			if !c.Living {
				c = schemas.PersonCoverage{}
			}
			if _, dup := movedState[p.PersonID]; c != old && !dup {
				moved = append(moved, c.Delta(&old, p))
				movedState[p.PersonID] = c
			}
			continue
		}
		// Emitted before the states named their batch (or never): the
		// load stage compares it with person_state.
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
		st, _, ok, err := getPersonValue(wb, founder)
		if err != nil {
			return err
		} else if !ok || len(st) == 0 || isDerivedPerson(st) {
			continue // never a person, retired before coverage states were kept, or living
		}
		c, err := decodeCoverage(st)
		retiredBy := coverageBatch(st)
		if err != nil {
			return fmt.Errorf("coverage state of %s: %w", founder, err)
		}
		if c.Living {
			continue
		}
		p := schemas.Person{PersonID: founder, MergedInto: l.PersonID, Version: l.Version, UpdatedAt: l.LinkedAt}
		out.Persons = append(out.Persons, p)
		if retiredBy != "" {
			again[retiredBy] = true // the batch that retired it counted it out
			continue
		}
		d := schemas.PersonCoverage{}.Delta(nil, p)
		d.OldKnown = 0
		deltas = append(deltas, d)
	}
	out.Deltas = append(out.Deltas, keyed(deltas)...)
	if len(moved) > 0 {
		moved = keyed(moved)
		_, sums := SumPersonDeltas(moved)
		key := moved[0].Batch
		for pid, c := range movedState {
			_, g, _, err := getPersonValue(wb, pid)
			if err != nil {
				return err
			}
			if err := wb.Set(guardsKey(pid), appendPersonValue(nil, encodeCoverageKeyed(c, key), g), nil); err != nil {
				return err
			}
		}
		v, err := encodePersonBatch(sums, nil)
		if err != nil {
			return err
		}
		if err := wb.Set(personDeltasKey(key), v, nil); err != nil {
			return err
		}
		out.PersonDeltaSums = append(out.PersonDeltaSums, sums...)
		again[key] = false
	}
	current := ""
	if len(out.PersonDeltaSums) > 0 {
		current = out.PersonDeltaSums[0].Batch
	}
	keys := make([]string, 0, len(again))
	for b, emit := range again {
		if b != current && emit {
			keys = append(keys, b)
		}
	}
	slices.Sort(keys)
	for _, b := range keys {
		v, closer, err := wb.Get(personDeltasKey(b))
		if errors.Is(err, pebble.ErrNotFound) {
			continue
		} else if err != nil {
			return fmt.Errorf("persons' coverage deltas of batch %s: %w", b, err)
		}
		sums, legacy, err := decodePersonBatch(b, v)
		closer.Close()
		if err != nil {
			return fmt.Errorf("persons' coverage deltas of batch %s: %w", b, err)
		}
		out.PersonDeltaSums = append(out.PersonDeltaSums, sums...)
		out.Deltas = append(out.Deltas, legacy...)
	}
	return nil
}

// getPersonValue reads the value of person pid from rd and returns its
// state and guards (copied); false when it has none.
func getPersonValue(rd pebble.Reader, pid string) (state, guards []byte, ok bool, err error) {
	v, found, err := getClone(rd, guardsKey(pid))
	if err != nil || !found {
		return nil, nil, false, err
	}
	if state, guards, err = splitPersonValue(v); err != nil {
		return nil, nil, false, fmt.Errorf("person %s: %w", pid, err)
	}
	return state, guards, true, nil
}

// deltasOf returns the deltas of persons against the states get returns,
// and stores the new states with set (counted: a delta of the person was
// returned). A person get does not know is new (nothing counted before)
// unless existed says it was counted before the states were kept (its
// delta then has OldKnown = 0).
func deltasOf(persons []schemas.Person, existed func(string) bool,
	get func(string) (schemas.PersonCoverage, bool, error), set func(string, schemas.PersonCoverage, bool) error) ([]schemas.PersonDelta, error) {
	deltas := make([]schemas.PersonDelta, 0, len(persons))
	for _, p := range persons {
		c := schemas.CoverageOf(p)
		if !c.Living {
			c = schemas.PersonCoverage{} // a retired person counts nowhere
		}
		old, ok, err := get(p.PersonID)
		if err != nil {
			return nil, err
		}
		n := len(deltas)
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
		if err := set(p.PersonID, c, len(deltas) > n); err != nil {
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
	var buf []byte
	for _, d := range deltas {
		buf = append(append(buf[:0], d.PersonID...), 0)
		buf = append(strconv.AppendUint(buf, d.Version, 10), 0)
		h.Write(buf)
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
	set := func(pid string, c schemas.PersonCoverage, _ bool) error {
		s := t.state[pid]
		s.c, s.known = c, true
		return nil
	}
	d, _ := deltasOf(fresh, func(string) bool { return t.Legacy }, get, set)
	return d
}

// encodeCoverage encodes c: packed (appendPackedCoverage) when its codes
// are digits, as the units' codes are, else whole (encodeCoverageWhole).
func encodeCoverage(c schemas.PersonCoverage) []byte {
	return appendCoverage(make([]byte, 0, 16+12), c)
}

// appendCoverage appends c encoded (encodeCoverage) to b.
func appendCoverage(b []byte, c schemas.PersonCoverage) []byte {
	if p, ok := appendPackedCoverage(b, c); ok {
		return p
	}
	return append(b, encodeCoverageWhole(c)...)
}

// coverageFlags are a state's first byte: living, has id, CMND only.
func coverageFlags(c schemas.PersonCoverage) byte {
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
	return flags
}

// encodeCoverageWhole encodes c whole, as before round 14: flags, the
// birth year (2 bytes), then the four codes, each length-prefixed.
func encodeCoverageWhole(c schemas.PersonCoverage) []byte {
	b := make([]byte, 3, 3+4+len(c.ProvinceCode)+len(c.CommuneCode)+len(c.NewProvinceCode)+len(c.NewCommuneCode)+12)
	b[0] = coverageFlags(c)
	binary.BigEndian.PutUint16(b[1:], c.BirthYear)
	for _, s := range [...]string{c.ProvinceCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode} {
		b = append(b, byte(len(s)))
		b = append(b, s...)
	}
	return b
}

// A person's state packed (since round 14, store format "4"): the flags
// with packedCodes, the birth year as a uvarint (0, or its years after
// 2009: CoverageOf keeps none before 2010), then each code as a uvarint
// of its value times 8 plus its length (the units' codes are 2 and 5
// digits, leading zeros kept by the length): about 9 bytes where the
// whole state's codes and year took 20, in every value of a person the
// registry writes (issue 11 point 6: what coverage adds to the store's
// writes). A state whose codes are not all digits (7 at most) stays
// whole.
const (
	packedCodes   = 8
	maxPackedCode = 7
	packedYear0   = 2009
)

// packedCode returns the value of s for appendPackedCoverage, false when
// s is not digits alone or is longer than maxPackedCode.
func packedCode(s string) (uint64, bool) {
	if len(s) > maxPackedCode {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + uint64(d)
	}
	return v<<3 | uint64(len(s)), true
}

// appendPackedCoverage appends c packed to b; false (b unchanged) when c
// cannot be packed.
func appendPackedCoverage(b []byte, c schemas.PersonCoverage) ([]byte, bool) {
	var year uint64
	switch {
	case c.BirthYear == 0:
	case c.BirthYear > packedYear0:
		year = uint64(c.BirthYear - packedYear0)
	default:
		return b, false
	}
	var codes [4]uint64
	for i, s := range [...]string{c.ProvinceCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode} {
		v, ok := packedCode(s)
		if !ok {
			return b, false
		}
		codes[i] = v
	}
	b = binary.AppendUvarint(append(b, coverageFlags(c)|packedCodes), year)
	for _, v := range codes {
		b = binary.AppendUvarint(b, v)
	}
	return b, true
}

// unpackCode is the code packedCode packed into v.
func unpackCode(v uint64) (string, error) {
	n := int(v & 7)
	v >>= 3
	var d [maxPackedCode]byte
	for i := n - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	if v != 0 {
		return "", errors.New("packed code longer than its length")
	}
	return string(d[:n]), nil
}

// coverageLen returns the length of the state at the start of b (packed
// or whole), without the emitting batch's key after it; false when b is
// cut short.
func coverageLen(b []byte) (int, bool) {
	if len(b) < 1 {
		return 0, false
	}
	if b[0]&packedCodes != 0 {
		r := valueReader{b: b[1:]}
		for range 5 { // the year and the four codes
			r.uvarint()
		}
		return len(b) - len(r.b), r.ok()
	}
	at := 3
	for range 4 {
		if len(b) < at+1 || len(b) < at+1+int(b[at]) {
			return 0, false
		}
		at += 1 + int(b[at])
	}
	return at, true
}

func decodeCoverage(b []byte) (schemas.PersonCoverage, error) {
	var c schemas.PersonCoverage
	if len(b) < 3 {
		return c, fmt.Errorf("%d bytes, want 3 or more", len(b))
	}
	c.Living, c.HasID, c.CMNDOnly = b[0]&1 != 0, b[0]&2 != 0, b[0]&4 != 0
	codes := [...]*string{&c.ProvinceCode, &c.CommuneCode, &c.NewProvinceCode, &c.NewCommuneCode}
	if b[0]&packedCodes != 0 {
		r := &valueReader{b: b[1:]}
		if y := r.uvarint(); y > 0 {
			c.BirthYear = uint16(y + packedYear0)
		}
		for _, s := range codes {
			var err error // a code cut short reads 0, "": r says so below
			if *s, err = unpackCode(r.uvarint()); err != nil {
				return c, err
			}
		}
		if !r.ok() {
			return c, errors.New("packed codes cut short")
		}
		return c, nil
	}
	c.BirthYear = binary.BigEndian.Uint16(b[1:])
	b = b[3:]
	for _, s := range codes {
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return c, errors.New("codes cut short")
		}
		*s = string(b[1 : 1+b[0]])
		b = b[1+b[0]:]
	}
	return c, nil
}

// Records' coverage deltas (issue 11, point 6, round 6): the registry
// sees every record the match stage links, so it also keeps the coverage
// state it last emitted per record (schemas.RecordCoverage and the key of
// the batch that emitted it) and emits, per batch, the records' ±1
// deltas summed by unit, source kind, source month and load month
// (schemas.RecordDelta): a few hundred rows for a batch of collecting
// units' lists, which the load stage inserts into record_deltas
// (migration 0015) instead of feeding every record through views that
// look up its previous state.
//
// Since round 7 a record's state is kept in the value of its id key
// (kID: the sequence, then the state), which the registry writes for
// every new record and reads for every record it knows anyway: no key of
// its own, no look-up of its own. A store written before keeps the
// states under kRecordCoverage + record id: they are read there when the
// id's value holds none, and move into it when they change.
//
// A record whose state equals the stored one emits nothing (a re-load);
// a corrected address is −1 in the old unit and +1 in the new. A record
// the registry knew before it kept these states (counted by the views of
// migrations 0005–0014) emits a legacy row, compared by the load stage
// with record_state.
//
// Lost outputs: the registry commits a batch before the match stage
// writes its output, so a crash between the two loses the output while
// the states say "emitted". Each batch's rows are therefore kept
// (kRecordDeltas + batch key), and whenever a record the store knows is
// delivered again, the rows of the batch that last changed it are
// emitted again, whole, under their keys: the load stage inserts each
// (Batch, Seq) once (record_delta_keys), so the rows count once whether
// or not the first output arrived.
const (
	kRecordCoverage = 'v' // before round 7 (read only)
	kRecordDeltas   = 'w'
)

func init() {
	spaceNames[kRecordCoverage] = "records' coverage (before round 7)"
	spaceNames[kRecordDeltas] = "records' coverage deltas by batch"
}

func recordCoverageKey(id string) []byte { return append([]byte{kRecordCoverage}, id...) }

func recordDeltasKey(batch string) []byte { return append([]byte{kRecordDeltas}, batch...) }

// idValue is the value of a record's id key: its sequence, then its
// coverage state (encodeRecordCoverage), if any.
func idValue(seq uint64, state []byte) []byte {
	return append(binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+len(state)), seq), state...)
}

// parseIDValue splits a record id's value (idValue); state is empty when
// the value holds none (written without coverage, or before round 7).
func parseIDValue(v []byte) (seq uint64, state []byte, err error) {
	seq, n := binary.Uvarint(v)
	if n <= 0 {
		return 0, nil, fmt.Errorf("sequence of %d bytes not a varint", len(v))
	}
	return seq, v[n:], nil
}

// recordDeltas appends to out.RecordDeltas the records' coverage deltas of
// the inputs that carry a coverage state (the last copy of each id), and
// the rows of earlier batches to emit again, stores this batch's rows in
// wb and returns the new states of the known records by record id, for
// Add to write in the ids' values, and the raw key of this batch. The
// state of a new record is its coverage's encoding then that key, which
// writeNewIDs writes from the coverage itself: they are not kept here
// (issue 11 point 6: a map of 20,000 states a batch, set and read once).
// distinct says no id comes twice in in. known holds the ids the
// registry knew before this batch, kept the states their values held
// (none for a record stored before round 7 or without coverage).
func (r *Registry) recordDeltas(wb *pebble.Batch, in []Input, distinct bool, known map[string]uint64, kept map[string][]byte, out *Output) (map[string][]byte, []byte, error) {
	if r.noCov {
		return nil, nil, nil
	}
	states := make(map[string][]byte, len(kept))
	var batchKey []byte
	st := recordStore{
		state: func(id string) ([]byte, bool, error) {
			if _, ok := known[id]; !ok {
				return nil, false, nil // new in this batch (most records): no state
			}
			if v := kept[id]; len(v) > 0 {
				return v, true, nil
			}
			// Kept under a key of its own before round 7.
			return getClone(wb, recordCoverageKey(id))
		},
		setState: func(id string, enc, raw []byte) error {
			if _, ok := known[id]; ok {
				states[id] = append(slices.Clip(enc), raw...)
			} else {
				batchKey = raw // new: written by writeNewIDs
			}
			return nil
		},
		rows:     func(batch string) ([]byte, bool, error) { return getClone(wb, recordDeltasKey(batch)) },
		setRows:  func(batch string, v []byte) error { return wb.Set(recordDeltasKey(batch), v, nil) },
		known:    func(id string) bool { _, ok := known[id]; return ok },
		distinct: distinct,
	}
	recs := make([]recordInput, 0, len(in))
	for i := range in {
		if in[i].Coverage != nil {
			recs = append(recs, recordInput{in[i].ID, in[i].Coverage})
		}
	}
	rows, err := st.deltas(recs, r.batch, r.stamped())
	if out.RecordDeltas == nil {
		out.RecordDeltas = rows
	} else {
		out.RecordDeltas = append(out.RecordDeltas, rows...)
	}
	return states, batchKey, err
}

// getClone reads key from rd, its value copied; false when absent.
func getClone(rd pebble.Reader, key []byte) ([]byte, bool, error) {
	v, closer, err := rd.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	defer closer.Close()
	return slices.Clone(v), true, nil
}

type recordInput struct {
	id string
	c  *schemas.RecordCoverage
}

// recordStore is where the records' states and batches' rows are kept:
// the registry's Pebble batch and ids' values, or a
// RecordCoverageTracker's maps.
type recordStore struct {
	// state returns the state last emitted for a record
	// (encodeRecordCoverage with its batch), false when it has none;
	// setState keeps a record's new state: its encoding enc, then raw,
	// the emitting batch's raw key (both shared: copied if kept).
	state    func(id string) ([]byte, bool, error)
	setState func(id string, enc, raw []byte) error
	// rows and setRows read and keep a batch's rows (encodeRecordDeltas).
	rows    func(batch string) ([]byte, bool, error)
	setRows func(batch string, v []byte) error
	known   func(id string) bool // known before states were kept (legacy)
	// distinct: the caller knows no id comes twice (not looked for).
	distinct bool
}

// deltas computes the rows of one batch (number n, at now) of records
// (the last copy of each id counts), stores the states and the rows, and
// returns them followed by the rows of the earlier batches that last
// changed the records the store knew. The summed rows come in the order
// their units first appear in the batch (the old unit of a record before
// its new one), then the legacy rows: an order that depends on the batch
// alone, without sorting.
func (st recordStore) deltas(recs []recordInput, n uint64, now time.Time) ([]schemas.RecordDelta, error) {
	var last map[string]int // the last copy of each id, when some come twice
	look := recs            // the ids to look for twice: none when the caller knows
	if st.distinct {
		look = nil
	}
	seen := make(map[string]struct{}, len(look))
	for i, x := range look {
		if _, dup := seen[x.id]; dup {
			if last == nil {
				last = map[string]int{}
				for j, y := range recs[:i] {
					last[y.id] = j
				}
			}
		}
		seen[x.id] = struct{}{}
		if last != nil {
			last[x.id] = i
		}
	}
	type change struct {
		id     string
		old    *schemas.RecordCoverage // nil when it had no state
		c      *schemas.RecordCoverage
		enc    []byte // c encoded (appendRecordCoverage), in encs
		legacy bool
	}
	changes := make([]change, 0, len(recs))
	encs := make([]byte, 0, 40*len(recs)) // the encodings, one allocation (most are ~30 bytes)
	var again map[string]bool
	for i, x := range recs {
		if last != nil && last[x.id] != i {
			continue
		}
		v, ok, err := st.state(x.id)
		if err != nil {
			return nil, fmt.Errorf("coverage state of record %s: %w", x.id, err)
		}
		at := len(encs)
		encs = appendRecordCoverage(encs, *x.c)
		enc := encs[at:len(encs):len(encs)] // an earlier one stays where it was if encs grows
		switch {
		case ok:
			if again == nil {
				again = map[string]bool{}
			}
			if len(v) >= len(enc) && bytes.Equal(v[:len(enc)], enc) {
				again[hex.EncodeToString(v[len(enc):])] = true // unchanged (a re-load): not decoded
				continue
			}
			old, batch, err := decodeRecordCoverage(v)
			if err != nil {
				return nil, fmt.Errorf("coverage state of record %s: %w", x.id, err)
			}
			again[batch] = true
			if sameRecordCoverage(old, *x.c) {
				continue
			}
			changes = append(changes, change{id: x.id, old: &old, c: x.c, enc: enc})
		case st.known(x.id):
			changes = append(changes, change{id: x.id, c: x.c, enc: enc, legacy: true})
		default:
			changes = append(changes, change{id: x.id, c: x.c, enc: enc})
		}
	}
	var rows []schemas.RecordDelta
	var key string
	if len(changes) > 0 {
		// The batch key: the batch's number and what it changed, so that
		// no other batch has it (a record changed back and forth changes
		// the same way in two batches of different numbers).
		h := sha256.New()
		buf := binary.BigEndian.AppendUint64(make([]byte, 0, 128), n)
		for _, c := range changes {
			buf = append(append(buf, c.id...), c.enc...)
			if len(buf) > 4096 {
				h.Write(buf)
				buf = buf[:0]
			}
		}
		h.Write(buf)
		key = hex.EncodeToString(h.Sum(nil)[:12])
		month := schemas.MonthOf(now.UTC())
		rs := recordSums{month: month, at: map[string]int{}} // a few rows a unit of the batch, not a row a record
		add := rs.add
		var legacy []schemas.RecordDelta
		for i := range changes {
			c := &changes[i]
			if c.legacy {
				d := schemas.RecordDelta{RecordID: c.id, ProvinceCode: c.c.ProvinceCode, DistrictCode: c.c.DistrictCode, CommuneCode: c.c.CommuneCode,
					NewProvinceCode: c.c.NewProvinceCode, NewCommuneCode: c.c.NewCommuneCode, SourceKind: c.c.SourceKind,
					SourceMonth: c.c.SourceMonth, LoadMonth: month}
				count(&d, c.c, 1)
				legacy = append(legacy, d)
				continue
			}
			if c.old != nil {
				add(c.old, appendRecordCoverage(nil, *c.old), -1)
			}
			add(c.c, c.enc, 1)
		}
		sums := rs.rows
		rows = sums[:0] // those that count
		for _, d := range sums {
			if d.Added != d.Removed || d.AddedWithID != d.RemovedWithID || d.AddedCMNDOnly != d.RemovedCMNDOnly {
				rows = append(rows, d)
			}
		}
		rows = append(rows, legacy...)
		for i := range rows {
			rows[i].Batch, rows[i].Seq = key, uint32(i)
		}
		raw, _ := hex.DecodeString(key)
		for _, c := range changes {
			if err := st.setState(c.id, c.enc, raw); err != nil {
				return nil, err
			}
		}
		if len(rows) > 0 {
			if err := st.setRows(key, encodeRecordDeltas(rows)); err != nil {
				return nil, err
			}
		}
	}
	// The rows of the batches that last changed the known records, in
	// case their output was lost.
	batches := make([]string, 0, len(again))
	for b := range again {
		if b != "" && b != key {
			batches = append(batches, b)
		}
	}
	slices.Sort(batches)
	for _, b := range batches {
		v, ok, err := st.rows(b)
		if err != nil {
			return nil, fmt.Errorf("records' coverage deltas of batch %s: %w", b, err)
		}
		if !ok {
			continue // it changed nothing that counts (all moves cancelled)
		}
		old, err := decodeRecordDeltas(b, v)
		if err != nil {
			return nil, fmt.Errorf("records' coverage deltas of batch %s: %w", b, err)
		}
		rows = append(rows, old...)
	}
	return rows, nil
}

// recordSums sums records counted in (sign 1) or out (−1) by unit,
// source kind and source month — a state's encoding without its flags
// (the load month is the batch's) — in the order their units first
// appear.
type recordSums struct {
	month time.Time
	at    map[string]int
	rows  []schemas.RecordDelta
}

// add counts one record of state c (encoded enc) in or out.
func (s *recordSums) add(c *schemas.RecordCoverage, enc []byte, sign int) {
	i, ok := s.at[string(enc[1:])]
	if !ok {
		i = len(s.rows)
		s.at[string(enc[1:])] = i
		s.rows = append(s.rows, schemas.RecordDelta{ProvinceCode: c.ProvinceCode, DistrictCode: c.DistrictCode, CommuneCode: c.CommuneCode,
			NewProvinceCode: c.NewProvinceCode, NewCommuneCode: c.NewCommuneCode, SourceKind: c.SourceKind,
			SourceMonth: c.SourceMonth, LoadMonth: s.month, OldKnown: 1})
	}
	count(&s.rows[i], c, sign)
}

// RecordCoverageTracker computes records' coverage deltas for records
// written by something else than a Registry (tests, benchmarks), with the
// registry's rule, keeping the states and each batch's rows in memory.
type RecordCoverageTracker struct {
	// Legacy: records the tracker has not seen may have been counted by
	// the views before migration 0015: their first delta is a legacy row
	// (the load stage compares it with record_state). Otherwise they are
	// new.
	Legacy bool

	kv map[string][]byte
	n  uint64
}

// Deltas returns the rows of recs as one batch emitted at now, with the
// rows of the earlier batches that last changed the records it knew, as
// the registry emits them.
func (t *RecordCoverageTracker) Deltas(recs []schemas.Record, now time.Time) []schemas.RecordDelta {
	if t.kv == nil {
		t.kv = map[string][]byte{}
	}
	t.n++
	get := func(k []byte) ([]byte, bool, error) {
		v, ok := t.kv[string(k)]
		return v, ok, nil
	}
	st := recordStore{
		state: func(id string) ([]byte, bool, error) { return get(recordCoverageKey(id)) },
		setState: func(id string, enc, raw []byte) error {
			t.kv[string(recordCoverageKey(id))] = append(slices.Clip(enc), raw...)
			return nil
		},
		rows:    func(batch string) ([]byte, bool, error) { return get(recordDeltasKey(batch)) },
		setRows: func(batch string, v []byte) error { t.kv[string(recordDeltasKey(batch))] = v; return nil },
		known:   func(string) bool { return t.Legacy },
	}
	in := make([]recordInput, len(recs))
	for i := range recs {
		c := schemas.RecordCoverageOf(&recs[i])
		in[i] = recordInput{recs[i].RecordID, &c}
	}
	rows, err := st.deltas(in, t.n, now)
	if err != nil {
		panic(err) // the maps cannot fail
	}
	return rows
}

// appendRecordCoverage appends the encoding of c to b: flags (has id,
// CMND only), the source month's Unix day, the five codes and the source
// kind, each length-prefixed. A stored state is followed by the emitting
// batch's key (12 bytes) if any; the encoding is self-delimiting, so a
// stored state that starts with c's encoding is c.
func appendRecordCoverage(b []byte, c schemas.RecordCoverage) []byte {
	var flags byte
	if c.HasID {
		flags |= 1
	}
	if c.CMNDOnly {
		flags |= 2
	}
	b = binary.AppendVarint(append(b, flags), c.SourceMonth.Unix()/86400)
	for _, s := range [...]string{c.ProvinceCode, c.DistrictCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode, c.SourceKind} {
		b = append(b, byte(len(s)))
		b = append(b, s...)
	}
	return b
}

func decodeRecordCoverage(b []byte) (schemas.RecordCoverage, string, error) {
	var c schemas.RecordCoverage
	if len(b) < 2 {
		return c, "", fmt.Errorf("%d bytes, want 2 or more", len(b))
	}
	c.HasID, c.CMNDOnly = b[0]&1 != 0, b[0]&2 != 0
	day, n := binary.Varint(b[1:])
	if n <= 0 {
		return c, "", errors.New("bad source month")
	}
	c.SourceMonth = time.Unix(day*86400, 0).UTC()
	b = b[1+n:]
	for _, s := range []*string{&c.ProvinceCode, &c.DistrictCode, &c.CommuneCode, &c.NewProvinceCode, &c.NewCommuneCode, &c.SourceKind} {
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return c, "", errors.New("codes cut short")
		}
		*s = string(b[1 : 1+b[0]])
		b = b[1+b[0]:]
	}
	return c, hex.EncodeToString(b), nil
}

// sameRecordCoverage reports whether a and b count alike.
func sameRecordCoverage(a, b schemas.RecordCoverage) bool {
	return a.ProvinceCode == b.ProvinceCode && a.DistrictCode == b.DistrictCode && a.CommuneCode == b.CommuneCode &&
		a.NewProvinceCode == b.NewProvinceCode && a.NewCommuneCode == b.NewCommuneCode && a.SourceKind == b.SourceKind &&
		a.SourceMonth.Equal(b.SourceMonth) && a.HasID == b.HasID && a.CMNDOnly == b.CMNDOnly
}

// count adds (sign 1) or takes away (−1) one record of state c to d.
func count(d *schemas.RecordDelta, c *schemas.RecordCoverage, sign int) {
	one := func(plus, minus *uint32, yes bool) {
		if !yes {
			return
		}
		if sign > 0 {
			*plus++
		} else {
			*minus++
		}
	}
	one(&d.Added, &d.Removed, true)
	one(&d.AddedWithID, &d.RemovedWithID, c.HasID)
	one(&d.AddedCMNDOnly, &d.RemovedCMNDOnly, c.CMNDOnly)
}

// encodeRecordDeltas encodes a batch's rows (their batch key is the store
// key, their Seq their position): per row the record id, old_known, the
// five codes and the source kind, each length-prefixed, the source and
// load months' Unix days, then the six counts.
func encodeRecordDeltas(rows []schemas.RecordDelta) []byte {
	b := binary.AppendUvarint(nil, uint64(len(rows)))
	for _, d := range rows {
		for _, s := range []string{d.RecordID, d.ProvinceCode, d.DistrictCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.SourceKind} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = append(b, byte(d.OldKnown))
		b = binary.AppendVarint(b, d.SourceMonth.Unix()/86400)
		b = binary.AppendVarint(b, d.LoadMonth.Unix()/86400)
		for _, n := range []uint32{d.Added, d.Removed, d.AddedWithID, d.RemovedWithID, d.AddedCMNDOnly, d.RemovedCMNDOnly} {
			b = binary.AppendUvarint(b, uint64(n))
		}
	}
	return b
}

func decodeRecordDeltas(batch string, b []byte) ([]schemas.RecordDelta, error) {
	r := &valueReader{b: b}
	n := r.count()
	rows := make([]schemas.RecordDelta, n)
	for i := 0; i < n && r.ok(); i++ {
		d := &rows[i]
		d.Batch, d.Seq = batch, uint32(i)
		for _, s := range []*string{&d.RecordID, &d.ProvinceCode, &d.DistrictCode, &d.CommuneCode, &d.NewProvinceCode, &d.NewCommuneCode, &d.SourceKind} {
			*s = r.str()
		}
		d.OldKnown = uint16(r.byte())
		d.SourceMonth, d.LoadMonth = r.day(), r.day()
		for _, p := range []*uint32{&d.Added, &d.Removed, &d.AddedWithID, &d.RemovedWithID, &d.AddedCMNDOnly, &d.RemovedCMNDOnly} {
			*p = uint32(r.uvarint())
		}
	}
	if !r.ok() {
		return nil, errors.New("records' deltas cut short")
	}
	return rows, nil
}

// storeFormat names the format of a registry's store, kept under
// metaKey("format"): "2" since round 11, the persons' coverage states in
// their values (appendPersonValue); "3" since round 12, records' states
// derived from their blobs (coverage_derived.go), which a dancu of round
// 11 would misread; "4" since round 14, persons' states packed
// (appendPackedCoverage), which a dancu of round 12 would misread; "5"
// since cov18, persons' states derived from their records
// (derivedPerson, coverage_person_derived.go), which a dancu of round 14
// would misread; "6" since reg22, no blocking index ('b' keys: the set
// of blocks is built from the records), which a dancu of cov18 would
// read as a registry of no blocks; "7" since reg25, persons' guard
// summaries in matching's binary form, which a dancu of reg22 would not
// read (it would judge those persons by the records a batch holds). A
// store without it was written before round 11.
const storeFormat = "7"

// formatReg22 is the format of reg22: its persons' guard summaries are
// JSON, rewritten in the binary form when it opens (binaryGuards).
const formatReg22 = "6"

// formatCov18 is the format of cov18: its blocking index is dropped
// (dropBlockIndex), the rest read as it is.
const formatCov18 = "5"

// formatRound14 is the format of round 14: its persons' states are all
// whole or packed, which this format reads as they are, so it becomes
// "5" without rewriting anything.
const formatRound14 = "4"

// formatRound12 is the format of round 12: its persons' states are all
// whole, which this format reads as they are (a whole state's flags
// never have packedCodes), so it becomes "4" without rewriting anything.
const formatRound12 = "3"

// formatRound11 is the format of round 11: its records' states are all
// whole and its persons' too, which this format reads as they are, so it
// becomes the current format without rewriting anything.
const formatRound11 = "2"

// upgradePersonValues brings a store written before round 11 (persons'
// states under kCoverage, their values the guard summary alone) to the
// format of round 11 when the registry opens: each state moves into its
// person's value (a retired person's value then holds its state alone),
// every other value gains an empty state, and the store's format is
// recorded. It writes in batches of a few thousand persons, each of
// which moves its states and deletes their keys together, so that a
// migration stopped half way resumes where it stopped (a value already
// moved is recognised by its first byte: a summary alone is JSON). A
// store of round 11's format is only marked as of this one (its states
// read as they are), and a store written before round 11 is marked so
// once its persons' values are moved. A store of another format is
// refused. empty says the store holds no record (a new store).
func upgradePersonValues(db *pebble.DB, empty bool) error {
	v, ok, err := getClone(db, metaKey("format"))
	switch {
	case err != nil:
		return err
	case ok && string(v) == storeFormat:
		return nil
	case ok && string(v) == formatReg22:
		return binaryGuards(db)
	case ok && (string(v) == formatRound11 || string(v) == formatRound12 || string(v) == formatRound14 || string(v) == formatCov18):
		return dropBlockIndex(db)
	case ok:
		return fmt.Errorf("store format %q, this dancu reads %q: written by a newer dancu", v, storeFormat)
	case empty:
		return dropBlockIndex(db)
	}
	wb := db.NewBatch()
	defer func() { wb.Close() }()
	flush := func(force bool) error {
		if wb.Count() < 4096 && !force {
			return nil
		}
		if err := wb.Commit(pebble.NoSync); err != nil {
			return err
		}
		wb.Close()
		wb = db.NewBatch()
		return nil
	}
	// The states, each into its person's value.
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{kCoverage}, UpperBound: []byte{kCoverage + 1}})
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		pid := string(it.Key()[1:])
		g, found, err := getClone(db, guardsKey(pid))
		if err != nil {
			it.Close()
			return err
		}
		if found && len(g) > 0 && g[0] == personValueMark {
			_, g, _ = splitPersonValue(g) // written since (a migration stopped, resumed)
		}
		wb.Set(guardsKey(pid), appendPersonValue(nil, it.Value(), g), nil)
		wb.Delete(it.Key(), nil)
		if err := flush(false); err != nil {
			it.Close()
			return err
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return err
	}
	if err := flush(true); err != nil {
		return err
	}
	// The values left: summaries alone, of persons without a state.
	if it, err = db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}}); err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		g := it.Value()
		if len(g) > 0 && g[0] == personValueMark {
			continue
		}
		if len(g) == 0 || g[0] != '{' {
			it.Close()
			return fmt.Errorf("person %s: value %.8q neither a guard summary nor of round 11", it.Key()[1:], g)
		}
		wb.Set(it.Key(), appendPersonValue(nil, nil, g), nil)
		if err := flush(false); err != nil {
			it.Close()
			return err
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return err
	}
	if err := wb.Commit(pebble.Sync); err != nil {
		return err
	}
	return dropBlockIndex(db)
}

// dropBlockIndex deletes the blocking index a store written before reg22
// keeps ('b' keys: twelve a record; the set of blocks is now built from
// the records when the registry opens, readRecordBlockSet), compacts
// their range away, rewrites the persons' guard summaries (binaryGuards)
// and marks the store as of storeFormat, in that order: a migration
// stopped half way is done again.
func dropBlockIndex(db *pebble.DB) error {
	if err := db.DeleteRange([]byte{kBlock}, []byte{kBlock + 1}, pebble.Sync); err != nil {
		return err
	}
	if err := db.Compact([]byte{kBlock}, []byte{kBlock + 1}, false); err != nil {
		return err
	}
	return binaryGuards(db)
}
