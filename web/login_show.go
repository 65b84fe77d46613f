package web

import (
	"fmt"
	"net/http"
	"time"
)

// loginShow renders the login form; after ?expired=1 (where an expired
// session is sent) it says the session expired, in the server's words:
// no text from the URL reaches the page but the page to return to after
// signing in (next), when it is one of this server's (safeNext).
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	data := map[string]any{"Next": safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("expired") != "" {
		data["Notice"] = "Your session has expired (after " + inWords(s.cfg.SessionIdle) +
			" without a request, or " + inWords(s.cfg.SessionTTL) + " after signing in): sign in again."
	}
	s.html(w, r, http.StatusOK, "login", data)
}

// inWords says a whole number of hours or minutes as a person would
// ("30 minutes", "8 hours"), not as Go prints it ("30m0s").
func inWords(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	}
	return d.String()
}
