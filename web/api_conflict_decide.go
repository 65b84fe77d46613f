package web

import (
	"encoding/json"
	"net/http"

	"github.com/dancu-vn/dancu/schemas"
)

// apiConflictDecide: POST /api/conflicts/{id}/decision {decision, note,
// groups, person} → the stored decision, with "sent": false when it
// waits to be sent to the match stage (the brokers did not acknowledge
// it: outbox.go), true when nothing of it waits (sent, or one that has no
// effect yet, awaiting_second); no "sent" when the desk publishes nothing
// (no Publisher: `dancu serve --publish=false`). groups (different_persons only,
// may be left out) lists the conflict's record ids by person: [["r1",
// "r3"], ["r2"]]. person (same_person on an ambiguous_tie only) is the
// person the tied record is (tieRuling); without it, same_person on an
// ambiguous_tie rules its persons one person, which takes a supervisor's
// second decision.
func (s *Server) apiConflictDecide(w http.ResponseWriter, r *http.Request) {
	s.apiConflictRule(w, r, false)
}

// apiConflictCorrect: POST /api/conflicts/{id}/correction {decision,
// reason} → the stored correction (supervisors and admins; decide.go's
// correction).
func (s *Server) apiConflictCorrect(w http.ResponseWriter, r *http.Request) {
	s.apiConflictRule(w, r, true)
}

func (s *Server) apiConflictRule(w http.ResponseWriter, r *http.Request, correct bool) {
	var in struct {
		Decision string     `json:"decision"`
		Note     string     `json:"note"`
		Reason   string     `json:"reason"`
		Groups   [][]string `json:"groups"`
		Person   string     `json:"person"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
		// Outside the caller's provinces the conflict is not found,
		// whatever the body (decide checks the scope first too).
		if _, serr := s.conflictInScope(r, mustCaller(r).user, r.PathValue("id")); serr != nil {
			s.failErr(w, r, serr)
			return
		}
		s.json(w, http.StatusBadRequest, map[string]string{"error": "body: want JSON {decision, note, groups, person} ({decision, reason, groups, person} for a correction; groups and person optional): " + err.Error()})
		return
	}
	note := in.Note
	if correct {
		note = in.Reason
	}
	d, err := s.decide(r, r.PathValue("id"), ruleIn{decision: in.Decision, note: note, correct: correct, groups: in.Groups, person: in.Person})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out := struct {
		schemas.Decision
		Sent *bool `json:"sent,omitempty"`
	}{Decision: d}
	if s.cfg.Publisher != nil {
		sent := !s.out.queued(d.DecisionID)
		out.Sent = &sent
	}
	s.json(w, http.StatusOK, out)
}
