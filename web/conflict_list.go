package web

import (
	"net/http"
	"strconv"

	"github.com/dancu-vn/dancu/web/store"
)

// filterOf reads the queue filters from the query string. The default
// status is open.
func filterOf(r *http.Request) store.Filter {
	q := r.URL.Query()
	f := store.Filter{Status: q.Get("status"), Kind: q.Get("kind"), District: q.Get("district"), Province: q.Get("province")}
	if !q.Has("status") {
		f.Status = "open"
	}
	if f.Status == "all" {
		f.Status = ""
	}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	return f
}

// conflictList renders the queue: conflicts of my provinces, masked.
func (s *Server) conflictList(w http.ResponseWriter, r *http.Request) {
	c := mustCaller(r)
	f := filterOf(r)
	rows, err := s.store.Conflicts(r.Context(), store.ScopeOf(c.user), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items := make([]listItem, len(rows))
	for i, row := range rows {
		items[i] = toListItem(row)
	}
	s.html(w, r, http.StatusOK, "conflicts", map[string]any{"Items": items, "Filter": f, "Kinds": store.KindOrder, "KindLabels": kindLabels,
		"Statuses": []string{"open", "awaiting_second", "needs_verification", "decided", "resolved_by_registry", "all"}})
}
