package registry

import (
	"encoding/binary"
	"math"
)

// StoredEdges returns every edge r stores (a pair scored at or above the
// review threshold), keyed by the two record ids in byte order, with its
// weight, for tests.
func StoredEdges(r *Registry) (map[[2]string]float32, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	it, err := r.db.NewIter(nil)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	ids := map[uint64]string{}
	for ok := it.SeekGE([]byte{kID}); ok && it.Key()[0] == kID; ok = it.Next() {
		seq, _, err := parseIDValue(it.Value())
		if err != nil {
			return nil, err
		}
		ids[seq] = string(it.Key()[1:])
	}
	out := map[[2]string]float32{}
	for ok := it.SeekGE([]byte{kAdj}); ok && it.Key()[0] == kAdj; ok = it.Next() {
		k, v := it.Key(), it.Value()
		x, y := ids[getSeq(k[1:])], ids[getSeq(k[1+seqLen:])]
		if x > y {
			x, y = y, x
		}
		if len(v) == 4 {
			out[[2]string{x, y}] = math.Float32frombits(binary.BigEndian.Uint32(v))
		}
	}
	return out, nil
}
