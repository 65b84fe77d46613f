package web

import (
	"net/http"
	"strconv"

	"github.com/dancu-vn/dancu/web/store"
)

// auditList renders the latest audit entries (auditor, admin).
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	es, err := s.store.AuditLog(r.Context(), store.ScopeOf(mustCaller(r).user), n)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, mustCaller(r).user, store.ActionReadAudit, "", "")
	s.html(w, r, http.StatusOK, "audit", map[string]any{"Entries": es})
}
