package web

import (
	"errors"
	"net/http"
)

// loginCheck handles the login form: signed in, to the page the form
// was to return to (next, one of this server's: safeNext), else home.
func (s *Server) loginCheck(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	name := r.PostFormValue("username")
	next := safeNext(r.PostFormValue("next"))
	u, err := s.authenticate(r, name, r.PostFormValue("password"))
	switch {
	case errors.Is(err, errTooManyLogins):
		s.html(w, r, http.StatusTooManyRequests, "login", map[string]any{"Error": err.Error(), "Username": name, "Next": next})
		return
	case errors.Is(err, errBadCredentials):
		s.html(w, r, http.StatusUnauthorized, "login", map[string]any{"Error": err.Error(), "Username": name, "Next": next})
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if _, err := s.startSession(w, r, u); errors.Is(err, errAccountChanged) {
		s.html(w, r, http.StatusUnauthorized, "login", map[string]any{"Error": err.Error(), "Username": name, "Next": next})
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
