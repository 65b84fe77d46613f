package registry

import (
	"encoding/json"

	"github.com/cockroachdb/pebble"
)

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
// n items on (keys, block look-ups, pairs, writes, frame rows, a
// unit's rows for its number holders), for tests; the returned func
// restores the defaults.
func SplitSmall(n int) (restore func()) {
	k, b, p, o, f, u := minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker, minUnitApart
	minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker, minUnitApart = n, n, n, n, n, n
	return func() {
		minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker, minUnitApart = k, b, p, o, f, u
	}
}

// LastOutputJSONs returns the last output of out as the registry stores
// it (marshalLastOutput) and as encoding/json writes it, for tests.
func LastOutputJSONs(out *Output) (mine, std []byte, err1, err2 error) {
	mine, err1 = marshalLastOutput(out)
	std, err2 = json.Marshal(lastOutputOf(out))
	return mine, std, err1, err2
}

// ForgetMustLinkRulings deletes the record of which rulings set each
// must-link ('j' keys), leaving the must-links: a store as a registry
// before that record was kept left it, for tests.
func ForgetMustLinkRulings(r *Registry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.db.DeleteRange([]byte{kJoined}, []byte{kJoined + 1}, pebble.Sync)
}
