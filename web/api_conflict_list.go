package web

import "net/http"

// apiConflictList: GET /api/conflicts?status=&kind=&district=&province=&assigned=me&limit=&offset=
// → {conflicts: [...], total, offset} of my provinces (assigned=me: those
// assigned to me), numbers masked;
// a filter value the desk does not know → 400.
func (s *Server) apiConflictList(w http.ResponseWriter, r *http.Request) {
	items, total, f, err := s.listConflicts(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"conflicts": items, "total": total, "offset": f.Offset})
}
