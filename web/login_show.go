package web

import "net/http"

// loginShow renders the login form.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	s.html(w, r, http.StatusOK, "login", nil)
}
