package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// mustLinkWeight is the weight of an edge a police decision sets between
// records it says are the same person: above any score the model gives,
// so the clustering takes it first.
const mustLinkWeight = 1000

// Decide applies a police decision (from the review desk, topic
// dancu.decisions) to the records it names and returns what changed;
// the person events it causes give "decision:<id>" as their reason.
//
//   - same_person: a must-link between the records: their persons are
//     joined whatever the model, the guards or the average linkage say
//     (the records keep raising the conflicts their fields imply);
//   - different_persons: a cannot-link: the stored edges between the
//     records are removed and the persons reclustered without them (they
//     can still be joined through other records' evidence);
//   - needs_verification: nothing changes.
//
// Deciding the same again changes nothing. Records the registry does not
// hold are an error naming them.
func (r *Registry) Decide(ctx context.Context, d schemas.Decision) (*Output, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return nil, errors.New("registry decide: registry closed")
	}
	switch d.Decision {
	case schemas.DecisionSamePerson, schemas.DecisionDifferentPersons:
	case schemas.DecisionNeedsVerification:
		return &Output{}, nil
	default:
		return nil, fmt.Errorf("registry decide %s: unknown decision %q (want same_person, different_persons or needs_verification)", d.DecisionID, d.Decision)
	}
	wb := r.db.NewIndexedBatch()
	defer wb.Close()
	var seqs []uint64
	var missing []string
	for _, id := range d.RecordIDs {
		seq, ok, err := getSeqValue(wb, idKey(id))
		if err != nil {
			return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
		}
		if !ok {
			missing = append(missing, id)
			continue
		}
		seqs = append(seqs, seq)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("registry decide %s: records not in the registry: %s", d.DecisionID, strings.Join(missing, ", "))
	}
	if len(seqs) < 2 {
		return nil, fmt.Errorf("registry decide %s: a decision needs two records or more, got %d", d.DecisionID, len(seqs))
	}
	for i, a := range seqs {
		for _, b := range seqs[i+1:] {
			if a == b {
				continue
			}
			if d.Decision == schemas.DecisionSamePerson {
				wb.Set(adjKey(a, b), f32(mustLinkWeight), nil)
				wb.Set(adjKey(b, a), f32(mustLinkWeight), nil)
			} else {
				wb.Delete(adjKey(a, b), nil)
				wb.Delete(adjKey(b, a), nil)
			}
		}
	}
	r.batch++
	out, err := r.recluster(ctx, wb, nil, map[uint64]*recordBlob{}, seqs, nil, "decision:"+d.DecisionID)
	if err != nil {
		return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
	}
	wb.Set(metaKey("batch"), u64(r.batch), nil)
	opt := pebble.NoSync
	if r.sync {
		opt = pebble.Sync
	}
	if err := commitSorted(r.db, wb, nil, nil, opt); err != nil {
		return nil, fmt.Errorf("registry decide %s: %w", d.DecisionID, err)
	}
	return out, nil
}
