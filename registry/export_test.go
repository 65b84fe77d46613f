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
