package web

import (
	"errors"
	"net/http"

	"github.com/dancu-vn/dancu/web/store"
)

// apiConflictShow: GET /api/conflicts/{id} → the conflict with its
// records, ID checks, person history and decisions; audited; 404 outside
// my provinces.
func (s *Server) apiConflictShow(w http.ResponseWriter, r *http.Request) {
	c := mustCaller(r)
	cf, err := s.store.Conflict(r.Context(), store.ScopeOf(c.user), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d, err := s.loadDetail(r.Context(), cf)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.auditIn(r, c.user, cf.Provinces, store.ActionOpenConflict, cf.ConflictID, "api")
	s.json(w, http.StatusOK, d)
}
