package web

import (
	"net/http"
	"strconv"

	"github.com/dancu-vn/dancu/web/store"
)

// apiAudit: GET /api/audit?limit=N → {entries: [...]}, newest first.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	es, err := s.store.AuditLog(r.Context(), store.ScopeOf(mustCaller(r).user), n)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.audit(r, mustCaller(r).user, store.ActionReadAudit, "", "api")
	s.json(w, http.StatusOK, map[string]any{"entries": es})
}
