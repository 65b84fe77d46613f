package matching

import (
	"context"
	"fmt"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Result is the outcome of linking a frame.
type Result struct {
	Frame    *Frame
	Settings *settings.Settings // with the model used
	Pairs    []Pair             // candidate pairs at or above the review threshold
	Clusters *Clusters
	Predict  PredictStats
	Train    *TrainReport // nil when the settings came trained
	// NumberHolders, for a matcher that sees only part of its records (the
	// registry): valid numbers of the frame's records that records outside
	// the frame also carry, with those records and their persons.
	// Summarise counts them in shared_id conflicts.
	NumberHolders map[string][]NumberHolder
	// PersonGuards, for the same matcher: EncodePersonGuards of persons
	// whose records are not all in the frame, over all their records, by
	// the row naming them (Clusters.Of). Summarise asks them whether two
	// persons of a grey-zone pair could be one (one that does not decode
	// is judged on its rows in the frame).
	PersonGuards map[int32][]byte
}

// NumberHolder is a record outside the frame carrying a number, and its
// person.
type NumberHolder struct{ RecordID, PersonID string }

// Link trains the model when s has none (without labels), scores the
// candidate pairs and clusters them. s is not changed; the settings used,
// with their model, are in the result.
func Link(ctx context.Context, f *Frame, s *settings.Settings) (*Result, error) {
	sd := *s.WithDefaults()
	res := &Result{Frame: f, Settings: &sd}
	if sd.Model == nil {
		m, rep, err := Train(ctx, f, &sd, nil)
		if err != nil {
			return nil, fmt.Errorf("link: %w", err)
		}
		sd.Model = m
		res.Train = rep
	}
	pairs, st, err := Predict(ctx, f, &sd)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	res.Pairs, res.Predict = pairs, st
	cl, err := Cluster(f, &sd, pairs)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	res.Clusters = cl
	return res, nil
}
