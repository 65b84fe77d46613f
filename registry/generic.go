package registry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
)

// Generic values (settings.GenericValues): a value of a column — an
// identification number typed as a placeholder or copied down a column —
// that more than max_records records carry is read as missing. Offline
// linking counts the whole input (matching.Frame.MaskGenericValues); the
// registry counts, when a record arrives, the records it holds with the
// value: the members of the value's block of the blocking rule keyed on
// the column alone (the set of blocks knows them; earlier records of the
// same batch counted as if they had come one by one). A record arriving
// when max_records records already carry its value is added without it —
// in that column and its also columns, in the scoring frame and in the
// record stored — so it gives no blocking key, no comparison level and
// no guard value, and the value's block stops growing at max_records.
// The max_records records that came first keep it: their edges were
// scored with it and are not scored again, which is where the registry
// and offline linking (which reads it as missing on every record
// carrying it) can differ, by at most max_records records a value.
//
// Scaled out (Config.Score), the registry holds no set of blocks (the
// Scorers hold the blocking index): it keeps each value's count itself,
// under 'G' (rule and key hash → records, up to max_records), written
// with the batch, so that a rebuild from the changelog counts the same.
// A withdrawal does not lower those counts (the set of blocks, locally,
// forgets the withdrawn members): a value withdrawn from records stays
// generic there.

// kGenericCount keys a value's count of records, scaled out.
const kGenericCount = 'G'

func init() {
	spaceNames[kGenericCount] = "records carrying each generic_values value, scaled out (up to max_records)"
}

func genericCountKey(rule int, hash uint64) []byte {
	k := []byte{kGenericCount, byte(rule)}
	return binary.BigEndian.AppendUint64(k, hash)
}

// storedCount reads the count kept under 'G' for block (rule, hash).
func storedCount(rd pebble.Reader, rule int, hash uint64) (int, error) {
	v, closer, err := rd.Get(genericCountKey(rule, hash))
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer closer.Close()
	if len(v) != 4 {
		return 0, fmt.Errorf("registry: a generic value's count of %d bytes", len(v))
	}
	return int(binary.BigEndian.Uint32(v)), nil
}

// genericRules resolves the settings' generic_values for the registry:
// the masker and, for each rule, the blocking rule keyed on its column
// alone.
func (r *Registry) genericRules() error {
	m, err := matching.NewGenericMasker(matching.NewFrame(r.s), r.s)
	if err != nil || m == nil {
		return err
	}
	r.generic = m
	r.genericBlock = make([]int, m.Len())
	r.genericFields = make([][]int, m.Len())
	for k := 0; k < m.Len(); k++ {
		g := m.Rule(k)
		r.genericBlock[k] = -1
		for i, b := range r.s.Blocking {
			if len(b.Keys) == 1 && b.Keys[0] == g.Column {
				r.genericBlock[k] = i
				break
			}
		}
		if r.genericBlock[k] < 0 {
			return fmt.Errorf("registry: generic_values column %s needs a blocking rule keyed on it alone (keys: [%s]): the registry counts the records carrying a value by that rule's block", g.Column, g.Column)
		}
		for _, name := range append([]string{g.Column}, g.Also...) {
			for _, c := range r.s.Columns {
				if c.Name != name {
					continue
				}
				for _, in := range c.Fields() {
					if i, ok := r.fIndex[in]; ok && !slices.Contains(r.genericFields[k], i) {
						r.genericFields[k] = append(r.genericFields[k], i)
					}
				}
			}
		}
	}
	return nil
}

// blockCount is the number of committed members of block (rule, hash)
// the set of blocks knows; a block it knows larger than its max_block
// counts max_block+1.
func (r *Registry) blockCount(rule int, hash uint64) int {
	s := r.blocks
	switch {
	case s == nil || !s.has(rule, hash) || s.empty(rule, hash):
		return 0
	}
	if _, ok := s.single(rule, hash); ok {
		return 1
	}
	if ms, ok := s.listed(rule, hash); ok {
		return len(ms)
	}
	if s.large(rule, hash) {
		return r.maxBlock[rule] + 1
	}
	return 0
}

// maskGeneric reads as missing the generic values of the batch's new
// records (rows rowOf[seq] of f, blobs[seq]), in sequence order, and
// returns how many records it masked. Scaled out it reads and writes the
// counts under 'G' through wb.
func (r *Registry) maskGeneric(wb *pebble.Batch, f *matching.Frame, newSeqs []uint64, rowOf map[uint64]int32, blobs map[uint64]*recordBlob) (int, error) {
	if r.generic == nil {
		return 0, nil
	}
	masked := 0
	for k := 0; k < r.generic.Len(); k++ {
		g, rule := r.generic.Rule(k), r.genericBlock[k]
		// base: the records the registry held with the value before the
		// batch; inBatch: those of the batch that kept it.
		base, inBatch, said := map[uint64]int{}, map[uint64]int{}, map[uint64]bool{}
		for _, seq := range newSeqs {
			row := int(rowOf[seq])
			key, ok := r.km.Key(f, row, rule)
			if !ok {
				continue
			}
			committed, ok := base[key.Hash]
			if !ok {
				if r.blocks != nil {
					committed = r.blockCount(rule, key.Hash)
				} else {
					var err error
					if committed, err = storedCount(wb, rule, key.Hash); err != nil {
						return 0, err
					}
				}
				base[key.Hash] = committed
			}
			n := committed + inBatch[key.Hash]
			if n < g.MaxRecords {
				inBatch[key.Hash]++
				continue
			}
			if committed < g.MaxRecords && !said[key.Hash] {
				// The value turns generic in this batch: said once, masked
				// (never in full at info level).
				said[key.Hash] = true
				slog.Info("registry: a value too many records carry is read as missing from here on (generic value)",
					"column", g.Column, "value", matching.MaskValue(r.generic.Value(f, k, row)), "max_records", g.MaxRecords)
			}
			r.generic.Mask(f, k, row)
			b := blobs[seq]
			for _, i := range r.genericFields[k] {
				b.Fields[i] = ""
			}
			masked++
		}
		if r.blocks == nil {
			for h, n := range inBatch {
				wb.Set(genericCountKey(rule, h), binary.BigEndian.AppendUint32(nil, uint32(base[h]+n)), nil)
			}
		}
	}
	r.stats.GenericMasked += int64(masked)
	return masked, nil
}
