package web

import (
	"net/http"
	"net/url"
)

// conflictAssign handles a supervisor's reassignment form.
func (s *Server) conflictAssign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.assign(r, id, r.PostFormValue("assignee")); err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/conflicts/"+url.PathEscape(id), http.StatusSeeOther)
}
