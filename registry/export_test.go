package registry

// WaitBlockSet waits until r's set of blocks is built (or its build
// ended), for tests.
func WaitBlockSet(r *Registry) {
	if r.blocksDone != nil {
		<-r.blocksDone
	}
}

// WaitScorerBlockSet waits until sc's set of blocks is built (or its
// build ended), for tests.
func WaitScorerBlockSet(sc *Scorer) { WaitBlockSet(sc.reg) }

// SplitSmall makes the batch path split its work between goroutines from
// n items on (keys, block look-ups, pairs, writes, frame rows), for
// tests; the returned func restores the defaults.
func SplitSmall(n int) (restore func()) {
	k, b, p, o, f := minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker
	minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker = n, n, n, n, n
	return func() {
		minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker = k, b, p, o, f
	}
}
