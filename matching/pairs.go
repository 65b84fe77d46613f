package matching

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dancu-vn/dancu/matching/settings"
)

// blockAll builds one blocker per rule of s.
func blockAll(f *Frame, s *settings.Settings) ([]*blocker, error) {
	var bs []*blocker
	for _, r := range s.Blocking {
		b, err := newBlocker(f, r)
		if err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	rowsOf(bs, f.Len())
	return bs, nil
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

// earlier reports whether a rule before r makes the pair (i, j).
func earlier(bs []*blocker, r int, i, j int32) bool {
	if r <= 64 {
		return coverMask(bs, i, j)&(1<<r-1) != 0
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
	b := bs[r]
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				ch := int(next.Add(1) - 1)
				k0 := ch * chunkBlocks
				if k0 >= len(b.blocks) {
					return
				}
				if start != nil {
					start(w, ch)
				}
				for k := k0; k < min(k0+chunkBlocks, len(b.blocks)); k++ {
					b.pairsInBlock(k, func(i, j int32) {
						if !f.pairAllowed(linkType, i, j) {
							return
						}
						if union && r > 0 && earlier(bs, r, i, j) {
							return
						}
						fn(w, i, j)
					})
				}
			}
		}(w)
	}
	wg.Wait()
}
