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
	b := bs[r]
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(b.blocks) {
					return
				}
				b.pairsInBlock(k, func(i, j int32) {
					if !f.pairAllowed(linkType, i, j) {
						return
					}
					if union {
						for q := 0; q < r; q++ {
							if bs[q].covers(i, j) {
								return
							}
						}
					}
					fn(w, i, j)
				})
			}
		}(w)
	}
	wg.Wait()
}
