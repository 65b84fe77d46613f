package matching

import "sync/atomic"

// maxKeptPairs bounds the pairs a vectorStore keeps (4 bytes each, and 8
// for their rows until the guards are fitted; training's sample keeps
// about maxTrainPairs at most, 24 MB): a pass over more candidate pairs
// keeps none, and scoring compares them again. A variable so that a test
// can lower it.
var maxKeptPairs = 1 << 28

// vectorStore keeps the comparison vector of every candidate pair of one
// pass over them (forPairChunks over every rule, union set), so that
// scoring after training (Link) reads the vectors instead of comparing
// each pair a second time. Each worker appends the local id of each
// pair's vector to its own list; loc says, per rule and chunk of blocks,
// which worker's list holds the chunk's pairs and from where. A later
// pass over the same blockers meets the pairs of a chunk in the same
// order and reads them back with a vectorReader.
type vectorStore struct {
	loc  [][]uint64  // per rule, per chunk: worker<<40 | offset in ids[worker]
	ids  [][]uint32  // per worker: the vector id of each pair met
	vecs [][][]uint8 // per worker: the vector of each id
	full atomic.Bool // more than maxKeptPairs: nothing kept
	ok   bool        // the pass ended with every pair it compared kept
	// rows: per worker, the rows of each pair met (i<<32 | j), in the
	// order of ids, for the guards' fits (fitGuards) to go over the pairs
	// without the blockers; dropped once they are fitted (dropRows).
	rows [][]uint64
	// sample: the pass compared, and kept, only the pairs whose fitHash
	// is a multiple of sample (training's sample, trainSample); 1: every
	// pair. Scoring reads the vectors back only when it is 1.
	sample uint64
	// marks are the pass's choices of pairs (which earlier rule made
	// one), kept even when the vectors are not.
	marks pairMarks
}

// pairMarks returns the marks a pass over the candidate pairs writes
// (s not yet ended) or reads (ended), nil when s is nil.
func (s *vectorStore) pairMarks() *pairMarks {
	if s == nil {
		return nil
	}
	return &s.marks
}

// begin prepares s (nil: keep nothing) for a pass over bs.
func (s *vectorStore) begin(bs []*blocker) {
	if s == nil {
		return
	}
	s.loc = make([][]uint64, len(bs))
	for r, b := range bs {
		s.loc[r] = make([]uint64, b.chunks())
	}
	s.ids = make([][]uint32, workers)
	s.rows = make([][]uint64, workers)
	s.ok = false
	s.marks.begin(bs)
}

// mark notes that worker w starts chunk ch of rule r.
func (s *vectorStore) mark(r, ch, w int) {
	s.loc[r][ch] = uint64(w)<<40 | uint64(len(s.ids[w]))
}

// add keeps the vector id of worker w's next pair, rows i and j.
func (s *vectorStore) add(w int, id int32, i, j int32) {
	if len(s.ids[w]) >= maxKeptPairs/workers {
		s.full.Store(true)
		return
	}
	s.ids[w] = append(s.ids[w], uint32(id))
	s.rows[w] = append(s.rows[w], uint64(uint32(i))<<32|uint64(uint32(j)))
}

// dropRows lets the pairs' rows go (scoring reads the vectors by chunk).
func (s *vectorStore) dropRows() {
	if s != nil {
		s.rows = nil
	}
}

// end takes each worker's vectors (by id) once the pass is over.
func (s *vectorStore) end(vecs [][]string, nc int) {
	s.marks.ok = true
	if s.full.Load() {
		s.loc, s.ids, s.rows = nil, nil, nil
		return
	}
	s.vecs = make([][][]uint8, len(vecs))
	for w, vs := range vecs {
		// One backing array per worker: a vector is read as a slice.
		buf := make([]uint8, 0, len(vs)*nc)
		s.vecs[w] = make([][]uint8, len(vs))
		for id, v := range vs {
			buf = append(buf, v...)
			s.vecs[w][id] = buf[len(buf)-nc : len(buf) : len(buf)]
		}
	}
	s.ok = true
}

// kept returns the pairs kept.
func (s *vectorStore) kept() int64 {
	n := int64(0)
	for _, ids := range s.ids {
		n += int64(len(ids))
	}
	return n
}

// vectorReader reads a vectorStore back, one position per worker.
type vectorReader struct {
	s        *vectorStore
	src, pos []int
	read     []int64 // per worker: pairs read
}

func (s *vectorStore) reader() *vectorReader {
	return &vectorReader{s: s, src: make([]int, workers), pos: make([]int, workers), read: make([]int64, workers)}
}

// start positions worker w at chunk ch of rule r.
func (v *vectorReader) start(r, ch, w int) {
	l := v.s.loc[r][ch]
	v.src[w], v.pos[w] = int(l>>40), int(l&(1<<40-1))
}

// next returns the vector of worker w's next pair.
func (v *vectorReader) next(w int) []uint8 {
	src := v.src[w]
	id := v.s.ids[src][v.pos[w]]
	v.pos[w]++
	v.read[w]++
	return v.s.vecs[src][id]
}

// total returns the pairs read.
func (v *vectorReader) total() int64 {
	n := int64(0)
	for _, x := range v.read {
		n += x
	}
	return n
}

// u64Table maps words (below 1<<63) to counts or ids: open addressing
// with linear probing, at most half full, for the per-pair lookups of a
// pass over the candidate pairs, where a Go map cost a third of the
// pass's time beside the comparisons.
type u64Table struct {
	keys []uint64 // key | u64Used; 0 = empty
	vals []int64
	n    int
}

const u64Used = 1 << 63

// find returns the value of key, added as 0 when absent (ok false).
func (t *u64Table) find(key uint64) (v *int64, ok bool) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	k := key | u64Used
	mask := uint64(len(t.keys) - 1)
	h := key * 0x9E3779B97F4A7C15
	for x := (h ^ h>>32) & mask; ; x = (x + 1) & mask {
		switch t.keys[x] {
		case k:
			return &t.vals[x], true
		case 0:
			t.keys[x] = k
			t.n++
			return &t.vals[x], false
		}
	}
}

func (t *u64Table) grow() {
	keys, vals := t.keys, t.vals
	size := max(2*len(keys), 1024)
	t.keys, t.vals, t.n = make([]uint64, size), make([]int64, size), 0
	for x, k := range keys {
		if k != 0 {
			v, _ := t.find(k &^ u64Used)
			*v = vals[x]
		}
	}
}
