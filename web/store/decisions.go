package store

import (
	"context"
	"errors"
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
	if d.Groups == nil {
		d.Groups = [][]string{}
	}
	return s.insert(ctx, "decisions", &d)
}

// ErrTurnTaken is AddDecisionAfter's answer when another decision took
// the turn: it was stored, not this one.
var ErrTurnTaken = errors.New("another decision on this conflict was recorded at the same moment")

// AddDecisionAfter appends d as the decision that follows the n decisions
// its conflict had when the caller read them, or returns ErrTurnTaken
// when another took that turn first — another `dancu serve` on the same
// ClickHouse, whose own lock this process does not see. The insert
// carries the deduplication token of the turn (conflict and n), so that
// of two inserts for one turn ClickHouse keeps the first (migration
// 0021); the decision is then looked for by its id.
func (s *Store) AddDecisionAfter(ctx context.Context, d schemas.Decision, n int) error {
	tok := fmt.Sprintf("decision/%s/%d", d.ConflictID, n)
	if err := s.AddDecision(clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"insert_deduplication_token": tok})), d); err != nil {
		return err
	}
	var got uint64
	if err := s.conn.QueryRow(ctx, "SELECT count() FROM decisions WHERE conflict_id = {c:String} AND decision_id = {d:String}",
		clickhouse.Named("c", d.ConflictID), clickhouse.Named("d", d.DecisionID)).Scan(&got); err != nil {
		return fmt.Errorf("read decision %s back: %w", d.DecisionID, err)
	}
	if got == 0 {
		return ErrTurnTaken
	}
	return nil
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

// EffectiveDecisions returns every ruling in force (must-link or
// cannot-link), oldest first: the labels `dancu train` and the match
// stage consume. Of a conflict's effective decisions only the latest is
// in force (a supervisor's correction replaces the ruling, which stays
// in the history); a decision on no conflict always is.
func (s *Store) EffectiveDecisions(ctx context.Context) ([]schemas.Decision, error) {
	var out []schemas.Decision
	const effective = "decision IN ('same_person', 'different_persons') AND status_after != 'awaiting_second'"
	if err := s.conn.Select(ctx, &out, "SELECT * FROM decisions WHERE "+effective+` AND (conflict_id = '' OR decision_id IN
    (SELECT argMax(decision_id, (decided_at, decision_id)) FROM decisions WHERE `+effective+` GROUP BY conflict_id))
ORDER BY decided_at, decision_id`); err != nil {
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

// Label is one labelled record pair from the review decisions, for
// `dancu train --labels` (record_id_l, record_id_r, match).
type Label struct {
	A, B       string
	Match      bool
	DecisionID string
}

// Labels turns the effective decisions into labelled record pairs: every
// pair of a same_person decision's records is a match; for
// different_persons, every pair of records in different groups of the
// reviewer's (Groups), or without groups linked to different persons
// (links table), is a non-match. A later decision on the same pair wins.
func (s *Store) Labels(ctx context.Context) ([]Label, error) {
	ds, err := s.EffectiveDecisions(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.RecordIDs...)
	}
	type link struct {
		RecordID string `ch:"record_id"`
		PersonID string `ch:"person_id"`
	}
	var ls []link
	if len(ids) > 0 {
		// Each link's latest version by argMax, not links FINAL: the
		// decisions' records are spread over the whole table, and FINAL
		// would merge most of it (as Records).
		if err := s.conn.Select(ctx, &ls, `SELECT record_id, argMax(person_id, version) AS person_id FROM links
WHERE record_id IN {ids:Array(String)} GROUP BY record_id`,
			clickhouse.Named("ids", ids)); err != nil {
			return nil, fmt.Errorf("read links: %w", err)
		}
	}
	person := map[string]string{}
	for _, l := range ls {
		person[l.RecordID] = l.PersonID
	}
	type pair struct{ a, b string }
	idx := map[pair]int{}
	var out []Label
	for _, d := range ds {
		group := map[string]int{}
		for g, ids := range d.Groups {
			for _, id := range ids {
				group[id] = g
			}
		}
		apart := func(a, b string) bool {
			if len(d.Groups) > 0 {
				return group[a] != group[b]
			}
			pa, pb := person[a], person[b]
			return pa != "" && pa != pb
		}
		for i, a := range d.RecordIDs {
			for _, b := range d.RecordIDs[i+1:] {
				if a == b {
					continue
				}
				if a > b {
					a, b = b, a
				}
				var match bool
				switch d.Decision {
				case schemas.DecisionSamePerson:
					match = true
				case schemas.DecisionDifferentPersons:
					if !apart(a, b) {
						continue // same person or group, or unknown: the decision says nothing about this pair
					}
				default:
					continue
				}
				l := Label{A: a, B: b, Match: match, DecisionID: d.DecisionID}
				if j, ok := idx[pair{a, b}]; ok {
					out[j] = l
				} else {
					idx[pair{a, b}] = len(out)
					out = append(out, l)
				}
			}
		}
	}
	return out, nil
}

// MarkUnsent records in the audit log that decision d is stored and not
// yet acknowledged by the brokers (action unsent, written before
// the first attempt, object the
// decision id, provinces those of its conflict): the desk's outbox
// (UnsentDecisions), kept beside the decisions so that a restarted `dancu
// serve` sends it still. why says what failed.
func (s *Store) MarkUnsent(ctx context.Context, d schemas.Decision, provinces []string, why string) error {
	return s.Audit(ctx, AuditEntry{Username: OutboxUser, Action: ActionUnsent, ObjectID: d.DecisionID,
		Detail: "conflict " + d.ConflictID + ": " + why, Provinces: provinces})
}

// MarkSent records that the brokers acknowledged decision d (action
// published): it leaves UnsentDecisions.
func (s *Store) MarkSent(ctx context.Context, d schemas.Decision, provinces []string) error {
	return s.Audit(ctx, AuditEntry{Username: OutboxUser, Action: ActionPublished, ObjectID: d.DecisionID,
		Detail: "conflict " + d.ConflictID, Provinces: provinces})
}

// UnsentDecisions returns the decisions marked unsent (MarkUnsent) and not
// since marked sent (MarkSent), oldest first (the order they are to be
// sent in), each with the provinces of its mark.
func (s *Store) UnsentDecisions(ctx context.Context) ([]UnsentDecision, error) {
	var marks []struct {
		ID        string   `ch:"object_id"`
		Provinces []string `ch:"provinces"`
	}
	if err := s.conn.Select(ctx, &marks, `SELECT object_id, any(provinces) AS provinces FROM audit_log
WHERE action = 'unsent' AND object_id NOT IN (SELECT object_id FROM audit_log WHERE action = 'published')
GROUP BY object_id`); err != nil {
		return nil, fmt.Errorf("read unsent decisions: %w", err)
	}
	if len(marks) == 0 {
		return nil, nil
	}
	ids := make([]string, len(marks))
	prov := make(map[string][]string, len(marks))
	for i, m := range marks {
		ids[i], prov[m.ID] = m.ID, m.Provinces
	}
	var ds []schemas.Decision
	if err := s.conn.Select(ctx, &ds, "SELECT * FROM decisions WHERE has({ids:Array(String)}, decision_id) ORDER BY decided_at, decision_id",
		clickhouse.Named("ids", ids)); err != nil {
		return nil, fmt.Errorf("read unsent decisions: %w", err)
	}
	out := make([]UnsentDecision, len(ds))
	for i, d := range ds {
		out[i] = UnsentDecision{Decision: d, Provinces: prov[d.DecisionID]}
	}
	return out, nil
}

// UnsentAmong returns those of the decisions ids marked unsent and not
// since marked sent, as UnsentDecisions reads them, for the conflict
// page: whichever `dancu serve` took them and whenever it restarted. The
// marks are read from since on (the audit log is ordered by time): a
// decision is marked after it is stored, so its earliest decided_at,
// less some clock skew between servers, bounds them.
func (s *Store) UnsentAmong(ctx context.Context, ids []string, since time.Time) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []struct {
		ID string `ch:"object_id"`
	}
	if err := s.conn.Select(ctx, &out, `SELECT object_id FROM audit_log
WHERE at >= {since:DateTime64(3)} AND action IN ('unsent', 'published') AND has({ids:Array(String)}, object_id)
GROUP BY object_id HAVING countIf(action = 'published') = 0 ORDER BY object_id`,
		clickhouse.Named("since", since.UTC()), clickhouse.Named("ids", ids)); err != nil {
		return nil, fmt.Errorf("read unsent decisions: %w", err)
	}
	res := make([]string, len(out))
	for i, o := range out {
		res[i] = o.ID
	}
	return res, nil
}

// UnsentDecision is a stored decision the brokers have not acknowledged.
type UnsentDecision struct {
	Decision  schemas.Decision
	Provinces []string // its conflict's, for the audit log's marks
}
