package web

import "net/http"

// apiLogout: POST /api/logout ends the session.
func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.endSession(w, r); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]bool{"ok": true})
}
