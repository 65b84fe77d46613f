package web

import "net/http"

// loginShow renders the login form; after ?expired=1 (where an expired
// session is sent) it says the session expired, in the server's words:
// no text from the URL reaches the page.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	var data map[string]any
	if r.URL.Query().Get("expired") != "" {
		data = map[string]any{"Notice": "Your session has expired (after " + s.cfg.SessionIdle.String() +
			" without a request, or " + s.cfg.SessionTTL.String() + " after signing in): sign in again."}
	}
	s.html(w, r, http.StatusOK, "login", data)
}
