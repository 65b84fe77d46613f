package web

import "net/http"

// home sends each role to its first page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := can(mustCaller(r).user.Role)
	switch {
	case p.Desk:
		http.Redirect(w, r, "/conflicts", http.StatusSeeOther)
	case p.Audit:
		http.Redirect(w, r, "/audit", http.StatusSeeOther)
	case p.Coverage:
		http.Redirect(w, r, "/coverage", http.StatusSeeOther)
	default:
		s.notFound(w, r)
	}
}
