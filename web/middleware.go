package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

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
// store.PutUser), and moves the session's idle timeout on (touch). Others
// get 401 on the API and are sent to the login page elsewhere; a session
// found expired is ended and audited first, and the login page says why.
func (s *Server) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		expired := false
		ck, err := r.Cookie(sessionCookie)
		if err == nil && ck.Value != "" {
			se, err := s.store.Session(r.Context(), ck.Value)
			switch {
			case err == nil:
				u, err := s.store.User(r.Context(), se.Username)
				if err == nil && !u.Disabled {
					se = s.touch(r, se)
					next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, caller{user: u, session: se})))
					return
				}
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					s.serverError(w, r, err)
					return
				}
			case errors.Is(err, store.ErrExpired):
				if err := s.expire(w, r, ck.Value, se); err != nil {
					s.serverError(w, r, err)
					return
				}
				expired = true
			case !errors.Is(err, store.ErrNotFound):
				s.serverError(w, r, err)
				return
			}
		}
		msg := "not signed in"
		if expired {
			msg = "your session has expired: sign in again"
		}
		if isAPI(r) {
			s.json(w, http.StatusUnauthorized, map[string]string{"error": msg})
			return
		}
		// Signed in again after their session expired, the user comes
		// back to the page asked for, or to the conflict whose form was
		// sent (nothing of it recorded). Not for a caller without a
		// session: no answer to one names a conflict, not even the one
		// it asked for (TestAuthorisationMatrix).
		next := ""
		if expired {
			next = returnTo(r)
		}
		if r.Method == http.MethodGet {
			q := url.Values{}
			if expired {
				q.Set("expired", "1")
			}
			if next != "" {
				q.Set("next", next)
			}
			to := "/login"
			if len(q) > 0 {
				to += "?" + q.Encode()
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		// A form sent after the session expired: the page gives back the
		// note typed in it (unsent: nothing was recorded), which desk.js
		// keeps in the tab and puts back in the conflict's form once the
		// officer has signed in again; the link to sign in again says the
		// session expired, as a page asked for does.
		data := map[string]any{"Status": http.StatusUnauthorized, "Message": msg, "Next": next, "Expired": expired}
		if note := strings.TrimSpace(r.PostFormValue("note")); expired && next != "" && note != "" {
			form := "decide"
			if strings.HasSuffix(r.URL.Path, "/correction") {
				form = "correct"
			}
			data["Note"], data["Form"] = note, form
		}
		s.html(w, r, http.StatusUnauthorized, "error", data)
	})
}

// sessionEnd is the latest a session can last: its lifetime from its
// start, however busy (Config.SessionTTL).
func (s *Server) sessionEnd(se store.Session) time.Time {
	return se.CreatedAt.Add(s.cfg.SessionTTL)
}

// touch moves the idle timeout of se on to SessionIdle after now (never
// past sessionEnd), writing only when it has moved by a tenth of it or a
// minute, whichever is less: one write a minute per busy desk, not one a
// request. A failed write is logged; the session keeps its old expiry.
func (s *Server) touch(r *http.Request, se store.Session) store.Session {
	now := s.store.Now()
	// Found live a moment ago, the session may have expired since (a
	// request read it just before its timeout): it serves this request,
	// but is not moved on from a time past its expiry, which would bring
	// back a session that the next request must find expired (ui1: the
	// browser's own favicon request, read before a test's clock jumped
	// and touched after, kept a session the test had let expire).
	if !now.Before(se.ExpiresAt) {
		return se
	}
	to := now.Add(s.cfg.SessionIdle)
	if end := s.sessionEnd(se); end.Before(to) {
		to = end
	}
	if to.Sub(se.ExpiresAt) < min(s.cfg.SessionIdle/10, time.Minute) {
		return se
	}
	moved, err := s.store.TouchSession(context.WithoutCancel(r.Context()), se, to)
	if err != nil {
		s.log.Error("move a session's idle timeout on", "user", se.Username, "err", err)
		return se
	}
	return moved
}

// expire ends a session (of cookie token) found past its expiry, audits
// it as a logout saying which limit ended it, and clears the cookie: the
// next request with it finds an ended session and is not audited again.
// Requests sent at once with the same cookie (a page's and one the
// browser sends by itself) all found it expired; within this server one
// of them ends and audits it, the others, waiting on its lock, find it
// ended and only clear the cookie (TestExpiryAuditedOnce; ui1).
func (s *Server) expire(w http.ResponseWriter, r *http.Request, token string, se store.Session) error {
	why := fmt.Sprintf("session expired: %s without a request", s.cfg.SessionIdle)
	if !se.ExpiresAt.Before(s.sessionEnd(se)) {
		why = fmt.Sprintf("session expired: its lifetime of %s is over", s.cfg.SessionTTL)
	}
	s.clearCookie(w, r)
	defer s.lockSession(se.TokenHash)()
	if _, err := s.store.Session(r.Context(), token); errors.Is(err, store.ErrNotFound) {
		return nil // ended by another request a moment ago, audited there
	} else if err != nil && !errors.Is(err, store.ErrExpired) {
		return err
	}
	u, err := s.store.User(r.Context(), se.Username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil {
		u = store.User{Username: se.Username}
	}
	s.audit(r, u, store.ActionLogout, "", why)
	s.log.Info("session expired", "user", se.Username, "why", why)
	return s.store.EndSession(context.WithoutCancel(r.Context()), se)
}

// lockSession locks the stripe of s.sessionLocks of the session whose
// token hashes to hash (held while an expired session is ended and
// audited) and returns its unlock.
func (s *Server) lockSession(hash string) func() {
	h := fnv.New32a()
	h.Write([]byte(hash))
	m := &s.sessionLocks[h.Sum32()%uint32(len(s.sessionLocks))]
	m.Lock()
	return m.Unlock
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
