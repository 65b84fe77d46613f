package web

import (
	"net/http"

	"github.com/dancu-vn/dancu/web/store"
)

// apiConflictList: GET /api/conflicts?status=&kind=&district=&province=&limit=
// → {conflicts: [...]} of my provinces, numbers masked.
func (s *Server) apiConflictList(w http.ResponseWriter, r *http.Request) {
	c := mustCaller(r)
	rows, err := s.store.Conflicts(r.Context(), store.ScopeOf(c.user), filterOf(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items := make([]listItem, len(rows))
	for i, row := range rows {
		items[i] = toListItem(row)
	}
	s.json(w, http.StatusOK, map[string]any{"conflicts": items})
}
