package web

import "net/http"

// apiAudit: GET /api/audit?user=&object=&action=&limit=N → {entries: [...]},
// newest first; a filter value it cannot use → 400.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	es, _, err := s.readAudit(r, "api")
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"entries": es})
}
