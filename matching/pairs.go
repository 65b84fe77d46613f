package matching

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dancu-vn/dancu/matching/settings"
)

// blockAll builds one blocker per rule of s, the rules shared between
// workers goroutines: each rule's blocker reads the frame only and is
// built alone, as in a loop over the rules. The values of s's
// generic_values that too many records of f carry are read as missing
// first (MaskGenericValues; a frame Link masked already is unchanged).
func blockAll(f *Frame, s *settings.Settings) ([]*blocker, error) {
	if _, err := f.MaskGenericValues(s); err != nil {
		return nil, err
	}
	bs := make([]*blocker, len(s.Blocking))
	errs := make([]error, len(s.Blocking))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, len(s.Blocking)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r := int(next.Add(1) - 1)
				if r >= len(s.Blocking) {
					return
				}
				bs[r], errs[r] = newBlocker(f, s.Blocking[r])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if len(bs) == 0 {
		return nil, nil
	}
	rowsOf(bs, f.Len())
	return bs, nil
}

// proposedPairs is the number of pairs the rules of bs make, each rule's
// counted apart (a pair two rules make counts twice): what a pass over
// the candidate pairs costs at most, known before it.
func proposedPairs(bs []*blocker) int64 {
	n := int64(0)
	for _, b := range bs {
		for k := range b.blocks {
			n += b.blockPairs(k)
		}
	}
	return n
}

// workers is the number of goroutines that compare pairs.
var workers = runtime.GOMAXPROCS(0)

// forPairs calls fn(worker, i, j) for every pair that rule r makes and
// the link type allows; with union set, pairs an earlier rule also makes
// are skipped, so that over all rules every candidate pair comes once.
// Blocks are shared between workers; fn runs concurrently with distinct
// worker numbers.
func forPairs(f *Frame, bs []*blocker, r int, union bool, linkType string, fn func(w int, i, j int32)) {
	forPairChunks(f, bs, r, union, linkType, nil, fn)
}

// earlier reports whether a rule before r makes the pair (i, j). Only
// rules 0..r-1 are read, and the first that makes it ends the search:
// every proposed pair of every rule but the first asks, in each pass
// over the candidate pairs (training, fitting the guards, scoring).
func earlier(bs []*blocker, r int, i, j int32) bool {
	if rs := bs[0].rows; rs != nil && rs.nr == len(bs) {
		ri := rs.v[int(i)*rs.nr : int(i)*rs.nr+r]
		rj := rs.v[int(j)*rs.nr : int(j)*rs.nr+r]
		for q, ei := range ri {
			if sameBlock(ei, rj[q], bs[q].rule.Window) {
				return true
			}
		}
		return false
	}
	for q := 0; q < r; q++ {
		if bs[q].covers(i, j) {
			return true
		}
	}
	return false
}

// chunkBlocks is the number of consecutive blocks a worker takes at a
// time in forPairChunks.
const chunkBlocks = 64

// chunks returns the number of chunks of rule r's blocks.
func (b *blocker) chunks() int { return (len(b.blocks) + chunkBlocks - 1) / chunkBlocks }

// forPairChunks is forPairs, with workers taking chunkBlocks consecutive
// blocks at a time and, when start is not nil, calling start(w, chunk)
// before the pairs of each chunk. Within a chunk the pairs come in the
// same order on every call, whichever worker takes it: what a pass
// noted per pair can be read back by a later pass chunk by chunk.
func forPairChunks(f *Frame, bs []*blocker, r int, union bool, linkType string, start func(w, chunk int), fn func(w int, i, j int32)) {
	forMarkedPairChunks(f, bs, r, union, linkType, nil, start, fn)
}

// pairMarks keeps, for one pass over the candidate pairs (forPairChunks
// with union set), a bit for each pair a rule after the first proposes:
// whether the pass took it (the link type allows it and no earlier rule
// makes it). A later pass over the same blockers meets a chunk's pairs in
// the same order and reads the bits back instead of asking earlier,
// which reads both records' block entries of every earlier rule: a cache
// miss or two a proposed pair, in each of training's, guard fitting's
// and scoring's passes.
type pairMarks struct {
	loc  [][]uint64 // per rule, per chunk: worker<<40 | first bit in bits[worker]
	bits [][]uint64 // per worker
	n    []int      // per worker: bits written
	ok   bool       // a pass over every rule wrote them
}

// begin prepares m for a pass over bs that writes the bits.
func (m *pairMarks) begin(bs []*blocker) {
	m.loc = make([][]uint64, len(bs))
	for r, b := range bs {
		m.loc[r] = make([]uint64, b.chunks())
	}
	m.bits, m.n, m.ok = make([][]uint64, workers), make([]int, workers), false
}

// forMarkedPairChunks is forPairChunks. With union set and m not nil, the
// pairs rule r > 0 proposes are taken or skipped by m's bits when m is
// ok (written by an earlier pass over the same blockers and link type),
// else as forPairChunks does, writing the bits.
func forMarkedPairChunks(f *Frame, bs []*blocker, r int, union bool, linkType string, m *pairMarks, start func(w, chunk int), fn func(w int, i, j int32)) {
	b := bs[r]
	if !union || r == 0 {
		m = nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			// Marks: the worker's own bits when writing; the bits of the
			// worker that wrote the chunk when reading.
			var bits []uint64
			var n int
			write := m != nil && !m.ok
			if write {
				bits, n = m.bits[w], m.n[w]
				defer func() { m.bits[w], m.n[w] = bits, n }()
			}
			for {
				ch := int(next.Add(1) - 1)
				k0 := ch * chunkBlocks
				if k0 >= len(b.blocks) {
					return
				}
				if start != nil {
					start(w, ch)
				}
				var visit func(i, j int32)
				switch {
				case m == nil:
					visit = func(i, j int32) {
						if !f.pairAllowed(linkType, i, j) {
							return
						}
						if union && r > 0 && earlier(bs, r, i, j) {
							return
						}
						fn(w, i, j)
					}
				case write:
					m.loc[r][ch] = uint64(w)<<40 | uint64(n)
					visit = func(i, j int32) {
						take := f.pairAllowed(linkType, i, j) && !earlier(bs, r, i, j)
						if n&63 == 0 {
							bits = append(bits, 0)
						}
						if take {
							bits[n>>6] |= 1 << (n & 63)
						}
						n++
						if take {
							fn(w, i, j)
						}
					}
				default:
					l := m.loc[r][ch]
					src, x := m.bits[l>>40], int(l&(1<<40-1))
					visit = func(i, j int32) {
						take := src[x>>6]&(1<<(x&63)) != 0
						x++
						if take {
							fn(w, i, j)
						}
					}
				}
				for k := k0; k < min(k0+chunkBlocks, len(b.blocks)); k++ {
					b.pairsInBlock(k, visit)
				}
			}
		}(w)
	}
	wg.Wait()
}
