package registry

import (
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// Reads of many keys of one kind, in key order through one iterator
// (Registry.scan): a point read per key opens every level of the store
// for each (issue 9).

// coverageStates reads the stored coverage states (coverage_deltas.go)
// of pids, in key order through one iterator over rd.
func (r *Registry) coverageStates(rd pebble.Reader, pids []string) (map[string]schemas.PersonCoverage, error) {
	out := make(map[string]schemas.PersonCoverage, len(pids))
	sorted := slices.Clone(pids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	if err := r.scan(rd, kCoverage, len(sorted), func(i int) []byte { return coverageKey(sorted[i]) }, func(i int, v []byte) error {
		c, err := decodeCoverage(v)
		if err != nil {
			return fmt.Errorf("coverage state of %s: %w", sorted[i], err)
		}
		out[sorted[i]] = c
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
