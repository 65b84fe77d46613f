package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/dancu-vn/dancu/web/store"
)

var (
	errBadCredentials = errors.New("wrong username or password")
	errTooManyLogins  = errors.New("too many failed logins; try again later")
	// errAccountChanged: the account was changed (a new password,
	// disabled) while the login checked the old one.
	errAccountChanged = errors.New("the account changed while you signed in; sign in again")
)

// authenticate checks a username and password against the users table
// (read at each login, so accounts added while serving work at once),
// with the failures of the account and of the client address
// rate-limited apart (ratelimit.go). Every failure costs one password
// hash, known user or not.
func (s *Server) authenticate(r *http.Request, username, password string) (store.User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	addr := s.clientIP(r)
	u, err := s.store.User(r.Context(), username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.User{}, err
	}
	attempt := store.User{Username: auditedName(username, err == nil)}
	which, lerr := s.loginRefused(r.Context(), username, addr)
	if lerr != nil {
		return store.User{}, lerr
	}
	if which != "" {
		// No argon2 here: the 429 says the same whatever the password,
		// and refusals are most of a guesser's requests — each would
		// cost the server 64 MiB and a CPU's tenth of a second.
		s.audit(r, attempt, store.ActionLoginFailed, "", "refused: too many failures of this "+which)
		return store.User{}, errTooManyLogins
	}
	ok := false
	if err == nil {
		ok = store.CheckPassword(u.PasswordHash, password) && !u.Disabled
	} else {
		store.CheckDummy(password)
	}
	if !ok {
		s.pairs.fail(pairKey(username, addr))
		s.accounts.fail(username)
		s.addresses.fail(addr)
		s.audit(r, attempt, store.ActionLoginFailed, "", errBadCredentials.Error())
		// No name typed at info level: an account's name may be a
		// person's, and a name that is no account is often a password
		// typed into the wrong field — its first two characters and
		// length (auditedName) still narrowed it (user32). The info line
		// says whether the account exists; the audit log names it, and
		// so does the debug line, as the audit log does (vn.MaskName
		// made "auditor.75" a person's "Auditor 7.", naming no account).
		s.log.Info("login failed", "account_exists", err == nil, "addr", addr)
		s.log.Debug("login failed", "user", attempt.Username, "addr", addr)
		return store.User{}, errBadCredentials
	}
	// The account's failures only: an address's stay, or one good
	// account would let it try others without end.
	s.pairs.reset(pairKey(username, addr))
	s.accounts.reset(username)
	return u, nil
}

// auditedName is how a failed login's name goes into the audit log: as
// typed when it is an account, else its first two characters and its
// length only ("hu… (15 characters)"), for a name that is no account is
// often a password typed into the wrong field.
func auditedName(name string, known bool) string {
	if known {
		return name
	}
	rs := []rune(name)
	return fmt.Sprintf("%s… (%d characters, no such account)", string(rs[:min(2, len(rs))]), len(rs))
}

// startSession ends any session the request came with and starts a new
// one with a fresh token (never the one presented: no session fixation),
// setting the cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u store.User) (store.Session, error) {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if old, err := s.store.Session(r.Context(), ck.Value); err == nil {
			s.store.EndSession(context.WithoutCancel(r.Context()), old)
		}
	}
	tok, se, err := s.store.NewSession(r.Context(), u.Username, min(s.cfg.SessionIdle, s.cfg.SessionTTL))
	if err != nil {
		return store.Session{}, err
	}
	// The password was checked against u while the account may have been
	// changing (argon2 takes a while): store.PutUser ends the sessions it
	// finds, and this one may have been written after it looked. Read
	// the account again; changed, the session ends and the login is
	// refused, so a replaced password never opens a session.
	if now, err := s.store.User(r.Context(), u.Username); err != nil || now.Version != u.Version || now.Disabled {
		if endErr := s.store.EndSession(context.WithoutCancel(r.Context()), se); endErr != nil {
			return store.Session{}, endErr
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Session{}, err
		}
		return store.Session{}, errAccountChanged
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: tok, Path: "/", Expires: s.sessionEnd(se),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode,
	})
	s.audit(r, u, store.ActionLogin, "", "")
	return se, nil
}

// endSession ends the caller's session and clears the cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	c := mustCaller(r)
	s.clearCookie(w, r)
	s.audit(r, c.user, store.ActionLogout, "", "")
	return s.store.EndSession(r.Context(), c.session)
}

// clearCookie tells the browser to drop the session cookie (the answer to
// r).
func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
}
