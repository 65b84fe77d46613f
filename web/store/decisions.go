package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/schemas"
)

// AddDecision appends d to the decisions table. Rows are never updated:
// the conflict's status is the latest decision's StatusAfter.
func (s *Store) AddDecision(ctx context.Context, d schemas.Decision) error {
	if d.PersonIDs == nil {
		d.PersonIDs = []string{}
	}
	if d.RecordIDs == nil {
		d.RecordIDs = []string{}
	}
	return s.insert(ctx, "decisions", &d)
}

// Decisions returns the decisions on one conflict, oldest first. Callers
// check the conflict's scope first (Conflict).
func (s *Store) Decisions(ctx context.Context, conflictID string) ([]schemas.Decision, error) {
	var out []schemas.Decision
	if err := s.conn.Select(ctx, &out, "SELECT * FROM decisions WHERE conflict_id = {id:String} ORDER BY decided_at, decision_id",
		clickhouse.Named("id", conflictID)); err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	return out, nil
}

// EffectiveDecisions returns every decision that applies as a constraint
// (must-link or cannot-link), oldest first: the labels `dancu train` and
// the match stage consume.
func (s *Store) EffectiveDecisions(ctx context.Context) ([]schemas.Decision, error) {
	var out []schemas.Decision
	if err := s.conn.Select(ctx, &out, "SELECT * FROM decisions WHERE decision != 'needs_verification' AND status_after != 'awaiting_second' ORDER BY decided_at, decision_id"); err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	return out, nil
}

// Assignment gives a conflict to a reviewer.
type Assignment struct {
	ConflictID string    `ch:"conflict_id"`
	Assignee   string    `ch:"assignee"`
	AssignedBy string    `ch:"assigned_by"`
	AssignedAt time.Time `ch:"assigned_at"`
}

// Assign appends an assignment of conflictID to assignee.
func (s *Store) Assign(ctx context.Context, conflictID, assignee, by string) error {
	return s.insert(ctx, "assignments", &Assignment{ConflictID: conflictID, Assignee: assignee, AssignedBy: by, AssignedAt: s.now()})
}
