package web

import "net/http"

// apiConflictShow: GET /api/conflicts/{id} → the conflict with its
// records, ID checks, person history and decisions; audited; 404 outside
// my provinces.
func (s *Server) apiConflictShow(w http.ResponseWriter, r *http.Request) {
	_, d, ok := s.openConflict(w, r, "api")
	if !ok {
		return
	}
	s.json(w, http.StatusOK, d)
}
