package web

import (
	"encoding/json"
	"net/http"
)

// apiConflictAssign: POST /api/conflicts/{id}/assign {assignee}.
func (s *Server) apiConflictAssign(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Assignee string `json:"assignee"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
		// Outside the caller's provinces the conflict is not found,
		// whatever the body.
		if _, serr := s.conflictInScope(r, mustCaller(r).user, r.PathValue("id")); serr != nil {
			s.failErr(w, r, serr)
			return
		}
		s.json(w, http.StatusBadRequest, map[string]string{"error": "body: want JSON {assignee}: " + err.Error()})
		return
	}
	if err := s.assign(r, r.PathValue("id"), in.Assignee); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]bool{"ok": true})
}
