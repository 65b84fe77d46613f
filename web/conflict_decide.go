package web

import (
	"errors"
	"net/http"
	"net/url"
)

// conflictDecide handles the decision form of the conflict page.
func (s *Server) conflictDecide(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := s.decide(r, id, r.PostFormValue("decision"), r.PostFormValue("note"))
	var he *httpError
	if errors.As(err, &he) && he.status != http.StatusNotFound {
		http.Redirect(w, r, "/conflicts/"+url.PathEscape(id)+"?error="+url.QueryEscape(he.msg), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/conflicts/"+url.PathEscape(id), http.StatusSeeOther)
}
