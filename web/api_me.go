package web

import "net/http"

// apiMe: GET /api/me → who the session belongs to.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	c := mustCaller(r)
	s.json(w, http.StatusOK, map[string]any{"username": c.user.Username, "role": c.user.Role,
		"provinces": c.user.Provinces, "national": c.user.National(), "csrf_token": c.session.CSRFToken})
}
