package web

import (
	"net/http"

	"github.com/dancu-vn/dancu/web/store"
)

// StartSession is startSession for the tests of package web_test: a login
// whose password was checked against an account version since replaced.
func StartSession(s *Server, w http.ResponseWriter, r *http.Request, u store.User) (store.Session, error) {
	return s.startSession(w, r, u)
}
