package pipelines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/dancu-vn/dancu/schemas"
)

// Decider applies police decisions (RegistryLinker does).
type Decider interface {
	Decide(ctx context.Context, d schemas.Decision) (LinkResult, error)
}

// Decisions runs until ctx is cancelled: it reads police decisions
// (JSON schemas.Decision, topic dancu.decisions, written by the review
// desk), applies each to the registry, writes the persons, links,
// conflicts and person events it changed to w (topic TopicMatched) and
// only then commits. A decision that does not decode, or that the
// registry refuses (records it does not hold), goes to the dead letters
// with its error; dead may be nil, and then the stage stops on it. A
// registry whose store failed (StoreFailure) stops the stage, the
// decision uncommitted.
func Decisions(ctx context.Context, r MessageReader, w MessageWriter, dec Decider, dead MessageWriter, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("decisions: %w", err)
		}
		var d schemas.Decision
		res, err := LinkResult{}, json.Unmarshal(m.Value, &d)
		if err == nil {
			res, err = dec.Decide(ctx, d)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			err = fmt.Errorf("decision %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
			if sf := (*StoreFailure)(nil); errors.As(err, &sf) {
				// Not refused: not stored. Uncommitted, it is applied
				// after the restart (storefail.go).
				return err
			}
			if err := deadLetter(ctx, dead, log, m, err, "decision refused, sent to dead letters"); err != nil {
				return err
			}
		} else {
			out, err := appendResult(nil, res, 2000)
			if err != nil {
				return err
			}
			if err := w.WriteMessages(ctx, out...); err != nil {
				return fmt.Errorf("decisions: write %d matched messages: %w", len(out), err)
			}
			log.Info("decision applied", "decision", d.DecisionID, "kind", d.Decision, "persons", len(res.Persons), "events", len(res.Events))
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			return fmt.Errorf("decisions: commit: %w", err)
		}
	}
}
