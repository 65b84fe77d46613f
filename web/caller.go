package web

import (
	"net/http"
	"slices"
)

// CallerScope returns the provinces (today's codes) of the user signed in
// on r, for a handler mounted behind the session middleware
// (Config.Coverage): national is true for a user with none (any role but
// reviewer). Outside a session it returns no province and not national.
func CallerScope(r *http.Request) (provinces []string, national bool) {
	c, ok := fromContext(r.Context())
	if !ok {
		return nil, false
	}
	if c.user.National() {
		return nil, true
	}
	return slices.Clone(c.user.Provinces), false
}
