package web

import (
	"encoding/json"
	"errors"
	"net/http"
)

// apiLogin: POST /api/login {username, password} → session cookie and
// {csrf_token, expires_at (the session's latest end), idle_timeout_seconds
// (it ends sooner after that long without a request)}; wrong credentials
// → 401, too many failures → 429.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
		s.json(w, http.StatusBadRequest, map[string]string{"error": "body: want JSON {username, password}: " + err.Error()})
		return
	}
	u, err := s.authenticate(r, in.Username, in.Password)
	switch {
	case errors.Is(err, errTooManyLogins):
		s.json(w, http.StatusTooManyRequests, map[string]string{"error": err.Error()})
		return
	case errors.Is(err, errBadCredentials):
		s.json(w, http.StatusUnauthorized, map[string]string{"error": err.Error()})
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	se, err := s.startSession(w, r, u)
	if errors.Is(err, errAccountChanged) {
		s.json(w, http.StatusUnauthorized, map[string]string{"error": err.Error()})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.json(w, http.StatusOK, map[string]any{"csrf_token": se.CSRFToken, "username": u.Username, "role": u.Role,
		"provinces": u.Provinces, "expires_at": s.sessionEnd(se), "idle_timeout_seconds": int(s.cfg.SessionIdle.Seconds())})
}
