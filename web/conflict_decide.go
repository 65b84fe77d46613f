package web

import (
	"errors"
	"net/http"
	"net/url"
)

// conflictDecide handles the decision form of the conflict page: after a
// decision, the page (a redirect); after a refused one, the page with why.
func (s *Server) conflictDecide(w http.ResponseWriter, r *http.Request) { s.conflictRule(w, r, false) }

// conflictCorrect handles the supervisor's correction form (decide.go's
// correction), as conflictDecide.
func (s *Server) conflictCorrect(w http.ResponseWriter, r *http.Request) { s.conflictRule(w, r, true) }

func (s *Server) conflictRule(w http.ResponseWriter, r *http.Request, correct bool) {
	id := r.PathValue("id")
	_, err := s.decide(r, id, r.PostFormValue("decision"), r.PostFormValue("note"), correct, nil)
	var he *httpError
	if errors.As(err, &he) && he.status != http.StatusNotFound {
		// The page again, with the refusal and its status (not a redirect
		// carrying the message in the URL, where anyone could write one).
		s.showConflict(w, r, he.status, he.msg, "decision refused")
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/conflicts/"+url.PathEscape(id), http.StatusSeeOther)
}
