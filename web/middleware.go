package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"

	"github.com/dancu-vn/dancu/web/store"
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "dancu_session"

type ctxKey struct{}

// caller is the signed-in user of a request and their session.
type caller struct {
	user    store.User
	session store.Session
}

func fromContext(ctx context.Context) (caller, bool) {
	c, ok := ctx.Value(ctxKey{}).(caller)
	return c, ok
}

// mustCaller is for handlers behind requireSession.
func mustCaller(r *http.Request) caller {
	c, _ := fromContext(r.Context())
	return c
}

// requireSession admits a request with a live session of an enabled user
// (read from ClickHouse on every request, so disabling a user or ending a
// session takes effect at once; a change of the account ends its sessions:
// store.PutUser). Others get 401 on the API and are sent to the login page
// elsewhere.
func (s *Server) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(sessionCookie)
		if err == nil && ck.Value != "" {
			se, err := s.store.Session(r.Context(), ck.Value)
			if err == nil {
				u, err := s.store.User(r.Context(), se.Username)
				if err == nil && !u.Disabled {
					next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, caller{user: u, session: se})))
					return
				}
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					s.serverError(w, r, err)
					return
				}
			} else if !errors.Is(err, store.ErrNotFound) {
				s.serverError(w, r, err)
				return
			}
		}
		if isAPI(r) {
			s.json(w, http.StatusUnauthorized, map[string]string{"error": "not signed in"})
			return
		}
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		s.fail(w, r, http.StatusUnauthorized, "not signed in")
	})
}

// requireCSRF runs inside requireSession: a state-changing request must
// carry the session's CSRF token in the X-CSRF-Token header or the
// csrf_token form field, compared in constant time; else 403.
func (s *Server) requireCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		c := mustCaller(r)
		tok := r.Header.Get("X-CSRF-Token")
		if tok == "" && !isAPI(r) {
			tok = r.PostFormValue("csrf_token")
		}
		if tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(c.session.CSRFToken)) != 1 {
			s.audit(r, c.user, store.ActionDenied, "", "bad or missing CSRF token on "+r.Pattern)
			s.fail(w, r, http.StatusForbidden, "missing or wrong CSRF token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole admits the roles listed; others get 403 (audited).
func (s *Server) requireRole(roles []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := mustCaller(r)
		if !slices.Contains(roles, c.user.Role) {
			s.audit(r, c.user, store.ActionDenied, "", "role "+c.user.Role+" on "+r.Pattern)
			s.fail(w, r, http.StatusForbidden, "your role may not do this")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// audit appends to the audit log, under the user's provinces; a failure
// is logged, not shown.
func (s *Server) audit(r *http.Request, u store.User, action, object, detail string) {
	s.auditIn(r, u, u.Provinces, action, object, detail)
}

// auditIn appends to the audit log under the given provinces (a
// conflict's, for actions on it); a failure is logged, not shown.
func (s *Server) auditIn(r *http.Request, u store.User, provinces []string, action, object, detail string) {
	if err := s.auditOrErr(r, u, provinces, action, object, detail); err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}

// auditOrErr is auditIn returning the failure, for what may be shown only
// once its entry is written (a look at unmasked records).
func (s *Server) auditOrErr(r *http.Request, u store.User, provinces []string, action, object, detail string) error {
	return s.store.Audit(context.WithoutCancel(r.Context()), store.AuditEntry{
		Username: u.Username, Role: u.Role, Action: action, ObjectID: object, Detail: detail, RemoteAddr: s.clientIP(r),
		Provinces: provinces,
	})
}

// permissions a template may ask about (menus only: the routes decide).
type permissions struct{ Desk, Assign, Audit, Coverage bool }

func can(role string) permissions {
	return permissions{
		Desk:     slices.Contains(deskRoles, role),
		Assign:   slices.Contains(assignRoles, role),
		Audit:    slices.Contains(auditRoles, role),
		Coverage: slices.Contains(coverageRoles, role),
	}
}
