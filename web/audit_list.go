package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/web/store"
)

// auditFilterOf reads the audit log's filters from the query string
// (user, object, action, limit); a value it cannot use is refused (400)
// naming the parameter.
func auditFilterOf(r *http.Request) (store.AuditFilter, error) {
	q := r.URL.Query()
	f := store.AuditFilter{Username: strings.TrimSpace(q.Get("user")), ObjectID: strings.TrimSpace(q.Get("object")), Action: q.Get("action")}
	var errs []string
	if f.Action != "" && !slices.Contains(store.Actions, f.Action) {
		errs = append(errs, fmt.Sprintf("action %q: want one of %s", f.Action, strings.Join(store.Actions, ", ")))
	}
	if len(f.Username) > 64 || len(f.ObjectID) > 200 {
		errs = append(errs, "user: at most 64 characters; object: at most 200")
	}
	if v := q.Get("limit"); v != "" {
		var err error
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 0 || f.Limit > 10000 {
			errs = append(errs, fmt.Sprintf("limit %q: want 1 to 10000 (0: 100)", v))
		}
	}
	if len(errs) > 0 {
		return f, &httpError{http.StatusBadRequest, strings.Join(errs, "; ")}
	}
	return f, nil
}

// readAudit reads the entries the request asks for within the caller's
// scope, and audits the reading (via names the channel).
func (s *Server) readAudit(r *http.Request, via string) ([]store.AuditEntry, store.AuditFilter, error) {
	f, err := auditFilterOf(r)
	if err != nil {
		return nil, f, err
	}
	c := mustCaller(r)
	es, err := s.store.AuditLog(r.Context(), store.ScopeOf(c.user), f)
	if err != nil {
		return nil, f, err
	}
	s.audit(r, c.user, store.ActionReadAudit, f.ObjectID, via)
	return es, f, nil
}

// auditList renders the latest audit entries (auditor, admin), filtered
// by who, which conflict and what.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	es, f, err := s.readAudit(r, "")
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.html(w, r, http.StatusOK, "audit", map[string]any{"Entries": es, "Filter": f, "Actions": store.Actions})
}
