package matching

import (
	"context"
	"fmt"
	"time"

	"github.com/dancu-vn/dancu/internal/cputime"
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
	// Phases is the wall time of each phase of Link.
	Phases Phases
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
	// Generic are the values of the settings' generic_values that more
	// than their max_records records carried, read as missing on all of
	// them (MaskGenericValues).
	Generic []GenericValue
}

// Phases are the wall times of Link's phases: building the blockers,
// training (0 when the settings came trained), scoring the candidate
// pairs, clustering; CPU holds the process's CPU time (user and system,
// every goroutine's) in each, which a loaded machine changes less than
// the wall time (zero where it cannot be read).
type Phases struct {
	Blocking, Training, Scoring, Clustering time.Duration
	CPU                                     struct{ Blocking, Training, Scoring, Clustering time.Duration }
}

func (p Phases) String() string {
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return fmt.Sprintf("blocking %v, training %v, scoring %v, clustering %v", r(p.Blocking), r(p.Training), r(p.Scoring), r(p.Clustering))
}

// CPUString is String for the phases' CPU times.
func (p Phases) CPUString() string {
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	c := p.CPU
	return fmt.Sprintf("blocking %v, training %v, scoring %v, clustering %v", r(c.Blocking), r(c.Training), r(c.Scoring), r(c.Clustering))
}

// NumberHolder is a record outside the frame carrying a number, and its
// person; Provinces and NewProvinces are the provinces of its permanent
// and current addresses (old era, new era; empty when not known), which
// the shared_id it joins carries (schemas.Conflict.RecordProvinces).
type NumberHolder struct {
	RecordID, PersonID      string
	Provinces, NewProvinces []string
}

// Link trains the model when s has none (without labels), scores the
// candidate pairs and clusters them. s is not changed; the settings used,
// with their model, are in the result.
func Link(ctx context.Context, f *Frame, s *settings.Settings) (*Result, error) {
	sd := *s.WithDefaults()
	res := &Result{Frame: f, Settings: &sd}
	// One set of blockers for training and scoring; the vectors training
	// compares are scored, not compared again.
	t, cpu := time.Now(), cputime.Process()
	lap := func(c *time.Duration) time.Duration {
		d := time.Since(t)
		now := cputime.Process()
		*c, t, cpu = now-cpu, time.Now(), now
		return d
	}
	gen, err := f.MaskGenericValues(&sd)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	res.Generic = gen
	bs, err := blockAll(f, &sd)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	res.Phases.Blocking = lap(&res.Phases.CPU.Blocking)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	var vs *vectorStore
	if sd.Model == nil {
		vs = &vectorStore{}
		m, rep, err := train(ctx, f, &sd, nil, bs, vs)
		if err != nil {
			return nil, fmt.Errorf("link: %w", err)
		}
		sd.Model = m
		res.Train = rep
		res.Phases.Training = lap(&res.Phases.CPU.Training)
	}
	pairs, st, err := predict(ctx, f, &sd, bs, vs)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	res.Pairs, res.Predict = pairs, st
	res.Phases.Scoring = lap(&res.Phases.CPU.Scoring)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	cl, err := Cluster(f, &sd, pairs)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	res.Clusters = cl
	res.Phases.Clustering = lap(&res.Phases.CPU.Clustering)
	return res, nil
}
