package registry

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// Records' coverage states derived from their blobs (issue 11 point 6,
// round 12). A record's state (schemas.RecordCoverage and the key of the
// batch that emitted it) was kept whole in its id's value: about 43
// bytes a record, written, flushed and compacted with every record,
// though the record's blob (kRecord, the fields the settings read) holds
// its units (vn.perm_*, vn.cur_*), its number (vn.id) and its CMND
// (vn.cmnd) already. Since round 12 a record whose state is what its
// blob says keeps only what the blob does not hold: one byte,
// derivedMark with the source kind's code, then the source month
// (months since January 1970, a varint): three bytes. The batch that
// emitted it is the batch that numbered the record, whose key is kept
// once a batch under kBatchOf + the batch's first sequence. The state is
// recomputed from the blob when the record comes again (a re-import, an
// address corrected), the only time it is read (expandRecordStates).
//
// A record that counts in no unit though its blob holds units (its
// address given as text alone and resolved by the adapter only, not
// before the registry: dancu bench registry) is derived too, marked
// noUnits. A record whose state the blob does not say otherwise (units
// given in part, a number written otherwise than 12 digits, a source
// kind other than the three, settings that do not read the units) keeps
// its state whole, as before, and so does a known record whose state
// changed (its blob is the one first stored). A whole state starts with
// its flags (0–3), a derived one with derivedMark: both read.
const (
	kBatchOf    = 'k'
	derivedMark = 0x80
	// noUnits, in a derived state's first byte: the record counts in no
	// unit (its units given as text alone to a registry whose records
	// were not resolved first, pipelines.ResolveAddresses), though its
	// blob holds them resolved.
	noUnits = 0x40
)

func init() { spaceNames[kBatchOf] = "batches' coverage keys by first record" }

// kindCodes are the source kinds a derived state names by code (its
// first byte less derivedMark).
var kindCodes = [...]string{"", schemas.KindCSV, schemas.KindSpreadsheet, schemas.KindScan}

// coverageFields are the slots in a record's blob of the fields its
// coverage state is derived from: the permanent and current address's
// five units (province, district, commune, new province, new commune),
// the number and the CMND.
type coverageFields struct {
	perm, cur [5]int
	id, cmnd  int
}

// newCoverageFields returns the slots of the fields in fIndex, nil when
// the settings do not read them all (no state is then derived).
func newCoverageFields(fIndex map[string]int) *coverageFields {
	cf := &coverageFields{}
	slot := func(name string, at *int) bool {
		i, ok := fIndex[name]
		*at = i
		return ok
	}
	for k, u := range [...]string{"province", "district", "commune", "new_province", "new_commune"} {
		if !slot("vn.perm_"+u, &cf.perm[k]) || !slot("vn.cur_"+u, &cf.cur[k]) {
			return nil
		}
	}
	if !slot("vn.id", &cf.id) || !slot("vn.cmnd", &cf.cmnd) {
		return nil
	}
	return cf
}

// derive returns the state b's fields say, with kind and month given, as
// schemas.RecordCoverageOf says of a record: the permanent address's
// units when its province is known, else the current address's (each
// era apart; none unless units), a 12-digit number, or no number and a
// 9-digit CMND.
func (cf *coverageFields) derive(b *recordBlob, kind string, month time.Time, units bool) schemas.RecordCoverage {
	f := b.Fields
	c := schemas.RecordCoverage{SourceKind: kind, SourceMonth: month}
	c.HasID, c.CMNDOnly = schemas.NumbersCoverage(f[cf.id], f[cf.cmnd])
	if !units {
		return c
	}
	u := &cf.cur
	if f[cf.perm[0]] != "" {
		u = &cf.perm
	}
	c.ProvinceCode, c.DistrictCode, c.CommuneCode = f[u[0]], f[u[1]], f[u[2]]
	u = &cf.cur
	if f[cf.perm[3]] != "" {
		u = &cf.perm
	}
	c.NewProvinceCode, c.NewCommuneCode = f[u[3]], f[u[4]]
	return c
}

// appendDerivedState appends to dst the derived form of state (a whole
// state, appendRecordCoverage then the batch's raw key) of a record
// whose blob is b, if b says it: dst, the state's batch key and true;
// else false.
func (cf *coverageFields) appendDerivedState(dst []byte, b *recordBlob, state []byte, scratch *[]byte) ([]byte, []byte, bool) {
	if cf == nil || len(state) < 2 || state[0] >= derivedMark {
		return dst, nil, false
	}
	// The kind and the month, read from the state (the rest is b's).
	day, n := binary.Varint(state[1:])
	if n <= 0 {
		return dst, nil, false
	}
	month := time.Unix(day*86400, 0).UTC()
	if month.Day() != 1 || month.Hour() != 0 {
		return dst, nil, false
	}
	rest := state[1+n:]
	for i := 0; i < 5; i++ { // the five codes
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			return dst, nil, false
		}
		rest = rest[1+rest[0]:]
	}
	if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
		return dst, nil, false
	}
	kind := rest[1 : 1+rest[0]]
	code := slices.Index(kindCodes[:], string(kind))
	if code < 0 {
		return dst, nil, false
	}
	mark := derivedMark | byte(code)
	*scratch = appendRecordCoverage((*scratch)[:0], cf.derive(b, kindCodes[code], month, true))
	if !bytes.HasPrefix(state, *scratch) {
		mark |= noUnits
		*scratch = appendRecordCoverage((*scratch)[:0], cf.derive(b, kindCodes[code], month, false))
		if !bytes.HasPrefix(state, *scratch) {
			return dst, nil, false
		}
	}
	months := int64(month.Year()-1970)*12 + int64(month.Month()-1)
	return binary.AppendVarint(append(dst, mark), months), state[len(*scratch):], true
}

// parseDerivedState reads a derived state's kind, month and whether it
// counts in its blob's units.
func parseDerivedState(v []byte) (kind string, month time.Time, units bool, err error) {
	code := int(v[0] &^ (derivedMark | noUnits))
	if len(v) < 2 || v[0]&derivedMark == 0 || code >= len(kindCodes) {
		return "", time.Time{}, false, fmt.Errorf("derived coverage state %x not understood", v)
	}
	months, n := binary.Varint(v[1:])
	if n <= 0 || n != len(v)-1 {
		return "", time.Time{}, false, fmt.Errorf("derived coverage state %x not understood", v)
	}
	return kindCodes[code], time.Date(1970, time.January+time.Month(months), 1, 0, 0, 0, 0, time.UTC), v[0]&noUnits == 0, nil
}

// batchOfKey keys the raw key of the batch whose new records are
// numbered from first on (kBatchOf).
func batchOfKey(first uint64) []byte { return seqKey(kBatchOf, first) }

// expandRecordStates replaces in kept (the states of the known records
// of a batch, by id; seq their sequences) every derived state with the
// whole state it stands for: derived from the record's stored blob, and
// the key of the batch that numbered the record.
func (r *Registry) expandRecordStates(rd pebble.Reader, kept map[string][]byte, seq map[string]uint64) error {
	type derived struct {
		id  string
		seq uint64
	}
	var ds []derived
	for id, v := range kept {
		if len(v) > 0 && v[0] >= derivedMark {
			ds = append(ds, derived{id, seq[id]})
		}
	}
	if len(ds) == 0 {
		return nil
	}
	if r.covFields == nil {
		return errors.New("derived coverage states, but the settings do not read the fields they are derived from")
	}
	slices.SortFunc(ds, func(a, b derived) int { return cmp.Compare(a.seq, b.seq) })
	seqs := make([]uint64, len(ds))
	for i, d := range ds {
		seqs[i] = d.seq
	}
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kBatchOf}, UpperBound: []byte{kBatchOf + 1}})
	if err != nil {
		return err
	}
	defer it.Close()
	var scratch []byte
	err = r.readBlobs(rd, seqs, func(i int, b *recordBlob) error {
		d := ds[i]
		kind, month, units, err := parseDerivedState(kept[d.id])
		if err != nil {
			return fmt.Errorf("record %s: %w", d.id, err)
		}
		if !it.SeekLT(batchOfKey(d.seq + 1)) {
			return fmt.Errorf("record %s: no batch key for its derived coverage state: %w", d.id, it.Error())
		}
		scratch = appendRecordCoverage(scratch[:0], r.covFields.derive(b, kind, month, units))
		kept[d.id] = append(slices.Clip(scratch), it.Value()...)
		scratch = nil
		return nil
	})
	if err != nil {
		return fmt.Errorf("coverage states: %w", err)
	}
	return it.Error()
}

// writeNewIDs writes the ids' values of a batch's new records (newSeqs,
// their blobs): the sequence, then the record's state (covs[i], the
// coverage of newSeqs[i]'s last copy in the batch, encoded, then raw,
// the batch's raw key: recordDeltas) in its derived form where the blob
// says it, else whole; and the batch's key under its first sequence,
// when a state was derived. No state is written when raw is nil (no
// coverage) or covs[i] is nil.
func (r *Registry) writeNewIDs(wb *pebble.Batch, newSeqs []uint64, blobs map[uint64]*recordBlob, covs []*schemas.RecordCoverage, raw []byte) error {
	var key, v, state, scratch []byte
	derived := false
	var months derivedMonths
	for i, seq := range newSeqs {
		b := blobs[seq]
		v = binary.AppendUvarint(v[:0], seq)
		if len(raw) > 0 && i < len(covs) && covs[i] != nil {
			n := len(v)
			var ok bool
			if v, ok = r.covFields.appendDerived(v, b, covs[i], &months); ok {
				derived = true
			} else {
				v = v[:n]
				state = append(appendRecordCoverage(state[:0], *covs[i]), raw...)
				// The key after a derived state's prefix is raw: every state here ends with it.
				if v, _, ok = r.covFields.appendDerivedState(v, b, state, &scratch); ok {
					derived = true
				} else {
					v = append(v[:n], state...)
				}
			}
		}
		key = append(append(key[:0], kID), b.ID...)
		if err := wb.Set(key, v, nil); err != nil {
			return err
		}
	}
	if !derived {
		return nil
	}
	return wb.Set(batchOfKey(newSeqs[0]), raw, nil)
}

// derivedMonths is the last source kind and month appendDerived met and
// what it made of them: a batch's records share a few.
type derivedMonths struct {
	month  time.Time
	kind   string
	seen   bool
	ok     bool
	code   byte
	months int64
}

// appendDerived appends to dst the derived form of c, the state of a new
// record whose blob is b, when the blob says it: what appendDerivedState
// makes of c's encoding, found without encoding c nor the blob's state
// (issue 11 point 6, cov24). false when it does not, or when it cannot
// tell so cheaply (a code of 256 bytes or more): the caller then asks
// appendDerivedState.
func (cf *coverageFields) appendDerived(dst []byte, b *recordBlob, c *schemas.RecordCoverage, m *derivedMonths) ([]byte, bool) {
	if cf == nil {
		return dst, false
	}
	for _, s := range [...]string{c.ProvinceCode, c.DistrictCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode, c.SourceKind} {
		if len(s) > 255 {
			return dst, false
		}
	}
	if !m.seen || m.month != c.SourceMonth || m.kind != c.SourceKind {
		// As appendDerivedState reads them from the encoding: the
		// month's Unix day, the first of a month; a kind of the three.
		*m = derivedMonths{month: c.SourceMonth, kind: c.SourceKind, seen: true}
		month := time.Unix(c.SourceMonth.Unix()/86400*86400, 0).UTC()
		code := slices.Index(kindCodes[:], c.SourceKind)
		if month.Day() == 1 && month.Hour() == 0 && code >= 0 {
			m.ok, m.code = true, byte(code)
			m.months = int64(month.Year()-1970)*12 + int64(month.Month()-1)
		}
	}
	if !m.ok {
		return dst, false
	}
	mark := derivedMark | m.code
	if !cf.says(b, c, true) {
		if !cf.says(b, c, false) {
			return dst, false
		}
		mark |= noUnits
	}
	return binary.AppendVarint(append(dst, mark), m.months), true
}

// says reports whether b's fields give c's numbers and (with units) its
// units, or (without) no units: what derive returns, compared with c
// field by field as appendDerivedState compares their encodings.
func (cf *coverageFields) says(b *recordBlob, c *schemas.RecordCoverage, units bool) bool {
	f := b.Fields
	hasID, cmnd := schemas.NumbersCoverage(f[cf.id], f[cf.cmnd])
	if hasID != c.HasID || cmnd != c.CMNDOnly {
		return false
	}
	if !units {
		return c.ProvinceCode == "" && c.DistrictCode == "" && c.CommuneCode == "" && c.NewProvinceCode == "" && c.NewCommuneCode == ""
	}
	u := &cf.cur
	if f[cf.perm[0]] != "" {
		u = &cf.perm
	}
	if c.ProvinceCode != f[u[0]] || c.DistrictCode != f[u[1]] || c.CommuneCode != f[u[2]] {
		return false
	}
	u = &cf.cur
	if f[cf.perm[3]] != "" {
		u = &cf.perm
	}
	return c.NewProvinceCode == f[u[3]] && c.NewCommuneCode == f[u[4]]
}
