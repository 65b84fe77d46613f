package registry

import (
	"fmt"
	"log/slog"
	"slices"

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
// returns how many records it masked.
func (r *Registry) maskGeneric(f *matching.Frame, newSeqs []uint64, rowOf map[uint64]int32, blobs map[uint64]*recordBlob) int {
	if r.generic == nil {
		return 0
	}
	masked := 0
	for k := 0; k < r.generic.Len(); k++ {
		g, rule := r.generic.Rule(k), r.genericBlock[k]
		inBatch, said := map[uint64]int{}, map[uint64]bool{}
		for _, seq := range newSeqs {
			row := int(rowOf[seq])
			key, ok := r.km.Key(f, row, rule)
			if !ok {
				continue
			}
			committed := r.blockCount(rule, key.Hash)
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
	}
	r.stats.GenericMasked += int64(masked)
	return masked
}
