package web

import (
	"encoding/json"
	"net/http"
)

// apiConflictDecide: POST /api/conflicts/{id}/decision {decision, note}
// → the stored decision.
func (s *Server) apiConflictDecide(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
		s.json(w, http.StatusBadRequest, map[string]string{"error": "body: want JSON {decision, note}: " + err.Error()})
		return
	}
	d, err := s.decide(r, r.PathValue("id"), in.Decision, in.Note)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.json(w, http.StatusOK, d)
}
