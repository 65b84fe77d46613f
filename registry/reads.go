package registry

import (
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble"
)

// Reads of many keys of one kind, in key order through one iterator
// (Registry.scan): a point read per key opens every level of the store
// for each (issue 9).

// personStates reads the coverage states (coverage_deltas.go) the
// values of pids hold, in key order through one iterator over rd: the
// state of each that has one (its bytes, copied: encodeCoverage and the
// emitting batch's key, or derivedPerson: expandDerivedPersons).
func (r *Registry) personStates(rd pebble.Reader, pids []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(pids))
	sorted := slices.Clone(pids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	if err := r.scan(rd, kGuards, len(sorted), func(i int) []byte { return guardsKey(sorted[i]) }, func(i int, v []byte) error {
		st, _, err := splitPersonValue(v)
		if err != nil {
			return fmt.Errorf("person %s: %w", sorted[i], err)
		}
		if len(st) > 0 {
			out[sorted[i]] = slices.Clone(st)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
