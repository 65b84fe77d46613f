package web

import (
	"errors"
	"net/http"

	"github.com/dancu-vn/dancu/web/store"
)

// conflictShow renders one conflict, unmasked; opening it is audited.
// Outside the caller's provinces it is not found.
func (s *Server) conflictShow(w http.ResponseWriter, r *http.Request) {
	s.showConflict(w, r, http.StatusOK, "", "")
}

// showConflict renders the conflict page with status and, when not empty,
// errMsg as its alert: the server's own words (a refused decision's), never
// text from the request. via is the audit entry's detail.
func (s *Server) showConflict(w http.ResponseWriter, r *http.Request, status int, errMsg, via string) {
	c, d, ok := s.openConflict(w, r, via)
	if !ok {
		return
	}
	cf := d.Conflict
	var assignees []store.User
	if can(c.user.Role).Assign {
		us, err := s.store.Users(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, u := range us {
			if !u.Disabled && can(u.Role).Desk && store.ScopeOf(u).Contains(cf.Provinces) {
				assignees = append(assignees, u)
			}
		}
	}
	s.html(w, r, status, "conflict", map[string]any{"D": d, "Assignees": assignees, "Error": errMsg})
}

// openConflict loads the conflict named in the path for the caller, as the
// page and the API both show it: outside the caller's provinces it is not
// found; opening it (unmasked) is audited, with via naming the channel.
// When it returns false it has answered the request already.
func (s *Server) openConflict(w http.ResponseWriter, r *http.Request, via string) (caller, conflictDetail, bool) {
	c := mustCaller(r)
	cf, err := s.store.Conflict(r.Context(), store.ScopeOf(c.user), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return c, conflictDetail{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return c, conflictDetail{}, false
	}
	d, err := s.loadDetail(r.Context(), cf)
	if err != nil {
		s.serverError(w, r, err)
		return c, conflictDetail{}, false
	}
	s.auditIn(r, c.user, cf.Provinces, store.ActionOpenConflict, cf.ConflictID, via)
	return c, d, true
}
