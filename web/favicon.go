package web

import "net/http"

// favicon answers the icon every browser asks for by itself after a page
// has loaded (GET /favicon.ico, never named by a page): 204, public. It
// used to pass the session middleware like any unknown path, so the
// browser's own request read the session, moved its idle timeout on as
// if the user had asked for something, and — sent a moment after the
// session's timeout — ended and audited it, racing the page the user
// asked for (TestFaviconLeavesTheSession; ui1).
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.WriteHeader(http.StatusNoContent)
}
