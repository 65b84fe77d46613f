package registry

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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
	// The stored states, read in key order through one iterator (a read
	// per person opened every level of the store for each: issue 9).
	pids := make([]string, 0, len(out.Persons))
	for _, p := range out.Persons {
		pids = append(pids, p.PersonID)
	}
	states, err := r.coverageStates(wb, pids)
	if err != nil {
		return err
	}
	get := func(pid string) (schemas.PersonCoverage, bool, error) {
		c, ok := states[pid]
		return c, ok, nil
	}
	set := func(pid string, c schemas.PersonCoverage) error {
		states[pid] = c
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

// Records' coverage deltas (issue 11, point 6, round 6): the registry
// sees every record the match stage links, so it also keeps the coverage
// state it last emitted per record (kRecordCoverage + record id →
// schemas.RecordCoverage and the key of the batch that emitted it) and
// emits, per batch, the records' ±1 deltas summed by unit, source kind,
// source month and load month (schemas.RecordDelta): a few hundred rows
// for a batch of collecting units' lists, which the load stage inserts
// into record_deltas (migration 0015) instead of feeding every record
// through views that look up its previous state.
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
	kRecordCoverage = 'v'
	kRecordDeltas   = 'w'
)

func init() {
	spaceNames[kRecordCoverage] = "records' coverage"
	spaceNames[kRecordDeltas] = "records' coverage deltas by batch"
}

func recordCoverageKey(id string) []byte { return append([]byte{kRecordCoverage}, id...) }

func recordDeltasKey(batch string) []byte { return append([]byte{kRecordDeltas}, batch...) }

// recordDeltas appends to out.RecordDeltas the records' coverage deltas of
// the inputs that carry a coverage state (the last copy of each id), and
// the rows of earlier batches to emit again, and stores the new states
// and this batch's rows in wb. known holds the ids the registry knew
// before this batch.
func (r *Registry) recordDeltas(wb *pebble.Batch, in []Input, known map[string]uint64, out *Output) error {
	st := recordStore{
		get: func(k []byte) ([]byte, bool, error) {
			v, closer, err := wb.Get(k)
			if errors.Is(err, pebble.ErrNotFound) {
				return nil, false, nil
			} else if err != nil {
				return nil, false, err
			}
			defer closer.Close()
			return slices.Clone(v), true, nil
		},
		set:   func(k, v []byte) error { return wb.Set(k, v, nil) },
		known: func(id string) bool { _, ok := known[id]; return ok },
	}
	var recs []recordInput
	for i := range in {
		if in[i].Coverage != nil {
			recs = append(recs, recordInput{in[i].ID, *in[i].Coverage})
		}
	}
	rows, err := st.deltas(recs, r.batch, r.now())
	out.RecordDeltas = append(out.RecordDeltas, rows...)
	return err
}

type recordInput struct {
	id string
	c  schemas.RecordCoverage
}

// recordStore is where the records' states and batches' rows are kept:
// the registry's Pebble batch, or a RecordCoverageTracker's maps.
type recordStore struct {
	get   func(key []byte) ([]byte, bool, error)
	set   func(key, value []byte) error
	known func(id string) bool // known before states were kept (legacy)
}

// deltas computes the rows of one batch (number n, at now) of records
// (the last copy of each id counts), stores the states and the rows, and
// returns them followed by the rows of the earlier batches that last
// changed the records the store knew.
func (st recordStore) deltas(recs []recordInput, n uint64, now time.Time) ([]schemas.RecordDelta, error) {
	last := make(map[string]int, len(recs))
	for i, x := range recs {
		last[x.id] = i
	}
	type change struct {
		id       string
		old      *schemas.RecordCoverage
		c        schemas.RecordCoverage
		legacy   bool
		oldBatch string
	}
	var changes []change
	again := map[string]bool{}
	for i, x := range recs {
		if last[x.id] != i {
			continue
		}
		v, ok, err := st.get(recordCoverageKey(x.id))
		if err != nil {
			return nil, fmt.Errorf("coverage state of record %s: %w", x.id, err)
		}
		switch {
		case ok:
			old, batch, err := decodeRecordCoverage(v)
			if err != nil {
				return nil, fmt.Errorf("coverage state of record %s: %w", x.id, err)
			}
			again[batch] = true
			if sameRecordCoverage(old, x.c) {
				continue
			}
			changes = append(changes, change{id: x.id, old: &old, c: x.c})
		case st.known(x.id):
			changes = append(changes, change{id: x.id, c: x.c, legacy: true})
		default:
			changes = append(changes, change{id: x.id, c: x.c})
		}
	}
	var rows []schemas.RecordDelta
	var key string
	if len(changes) > 0 {
		// The batch key: the batch's number and what it changed, so that
		// no other batch has it (a record changed back and forth changes
		// the same way in two batches of different numbers).
		h := sha256.New()
		h.Write(binary.BigEndian.AppendUint64(nil, n))
		for _, c := range changes {
			h.Write([]byte(c.id))
			h.Write(encodeRecordCoverage(c.c, ""))
		}
		key = hex.EncodeToString(h.Sum(nil)[:12])
		month := schemas.MonthOf(now.UTC())
		sums := map[recordUnit]*schemas.RecordDelta{}
		add := func(c schemas.RecordCoverage, sign int) {
			u := recordUnit{c.ProvinceCode, c.DistrictCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode, c.SourceKind, c.SourceMonth.Unix()}
			d := sums[u]
			if d == nil {
				d = &schemas.RecordDelta{ProvinceCode: c.ProvinceCode, DistrictCode: c.DistrictCode, CommuneCode: c.CommuneCode,
					NewProvinceCode: c.NewProvinceCode, NewCommuneCode: c.NewCommuneCode, SourceKind: c.SourceKind,
					SourceMonth: c.SourceMonth, LoadMonth: month, OldKnown: 1}
				sums[u] = d
			}
			count(d, c, sign)
		}
		var legacy []schemas.RecordDelta
		for _, c := range changes {
			if c.legacy {
				d := schemas.RecordDelta{RecordID: c.id, ProvinceCode: c.c.ProvinceCode, DistrictCode: c.c.DistrictCode, CommuneCode: c.c.CommuneCode,
					NewProvinceCode: c.c.NewProvinceCode, NewCommuneCode: c.c.NewCommuneCode, SourceKind: c.c.SourceKind,
					SourceMonth: c.c.SourceMonth, LoadMonth: month}
				count(&d, c.c, 1)
				legacy = append(legacy, d)
				continue
			}
			if c.old != nil {
				add(*c.old, -1)
			}
			add(c.c, 1)
		}
		units := make([]recordUnit, 0, len(sums))
		for u, d := range sums {
			if d.Added != d.Removed || d.AddedWithID != d.RemovedWithID || d.AddedCMNDOnly != d.RemovedCMNDOnly {
				units = append(units, u)
			}
		}
		slices.SortFunc(units, recordUnit.compare)
		for _, u := range units {
			rows = append(rows, *sums[u])
		}
		rows = append(rows, legacy...)
		for i := range rows {
			rows[i].Batch, rows[i].Seq = key, uint32(i)
		}
		for _, c := range changes {
			if err := st.set(recordCoverageKey(c.id), encodeRecordCoverage(c.c, key)); err != nil {
				return nil, err
			}
		}
		if len(rows) > 0 {
			if err := st.set(recordDeltasKey(key), encodeRecordDeltas(rows)); err != nil {
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
		v, ok, err := st.get(recordDeltasKey(b))
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

// recordUnit is what the records' deltas are summed by in a batch (the
// load month is the batch's).
type recordUnit struct {
	p, d, c, np, nc, kind string
	month                 int64
}

func (a recordUnit) compare(b recordUnit) int {
	for _, x := range [][2]string{{a.p, b.p}, {a.d, b.d}, {a.c, b.c}, {a.np, b.np}, {a.nc, b.nc}, {a.kind, b.kind}} {
		if x[0] != x[1] {
			return strings.Compare(x[0], x[1])
		}
	}
	return cmp.Compare(a.month, b.month)
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
	st := recordStore{
		get: func(k []byte) ([]byte, bool, error) {
			v, ok := t.kv[string(k)]
			return v, ok, nil
		},
		set:   func(k, v []byte) error { t.kv[string(k)] = v; return nil },
		known: func(string) bool { return t.Legacy },
	}
	in := make([]recordInput, len(recs))
	for i := range recs {
		in[i] = recordInput{recs[i].RecordID, schemas.RecordCoverageOf(&recs[i])}
	}
	rows, err := st.deltas(in, t.n, now)
	if err != nil {
		panic(err) // the maps cannot fail
	}
	return rows
}

// encodeRecordCoverage encodes c: flags (has id, CMND only), the source
// month's Unix day, the five codes and the source kind, each
// length-prefixed, then the emitting batch's key (12 bytes) if any.
func encodeRecordCoverage(c schemas.RecordCoverage, batch string) []byte {
	var flags byte
	if c.HasID {
		flags |= 1
	}
	if c.CMNDOnly {
		flags |= 2
	}
	b := binary.AppendVarint([]byte{flags}, c.SourceMonth.Unix()/86400)
	for _, s := range []string{c.ProvinceCode, c.DistrictCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode, c.SourceKind} {
		b = append(b, byte(len(s)))
		b = append(b, s...)
	}
	if batch != "" {
		raw, _ := hex.DecodeString(batch)
		b = append(b, raw...)
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
func count(d *schemas.RecordDelta, c schemas.RecordCoverage, sign int) {
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
	bad := errors.New("records' deltas cut short")
	uv := func() (uint64, error) {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, bad
		}
		b = b[n:]
		return x, nil
	}
	sv := func() (int64, error) {
		x, n := binary.Varint(b)
		if n <= 0 {
			return 0, bad
		}
		b = b[n:]
		return x, nil
	}
	n, err := uv()
	if err != nil || n > uint64(len(b)) {
		return nil, bad
	}
	rows := make([]schemas.RecordDelta, n)
	for i := range rows {
		d := &rows[i]
		d.Batch, d.Seq = batch, uint32(i)
		for _, s := range []*string{&d.RecordID, &d.ProvinceCode, &d.DistrictCode, &d.CommuneCode, &d.NewProvinceCode, &d.NewCommuneCode, &d.SourceKind} {
			l, err := uv()
			if err != nil || l > uint64(len(b)) {
				return nil, bad
			}
			*s, b = string(b[:l]), b[l:]
		}
		if len(b) < 1 {
			return nil, bad
		}
		d.OldKnown, b = uint16(b[0]), b[1:]
		sm, err := sv()
		if err != nil {
			return nil, err
		}
		lm, err := sv()
		if err != nil {
			return nil, err
		}
		d.SourceMonth, d.LoadMonth = time.Unix(sm*86400, 0).UTC(), time.Unix(lm*86400, 0).UTC()
		for _, p := range []*uint32{&d.Added, &d.Removed, &d.AddedWithID, &d.RemovedWithID, &d.AddedCMNDOnly, &d.RemovedCMNDOnly} {
			x, err := uv()
			if err != nil {
				return nil, err
			}
			*p = uint32(x)
		}
	}
	return rows, nil
}
