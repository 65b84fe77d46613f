package web

import (
	"net/http"
	"net/url"
	"strings"
)

// returnPages are the pages a sign-in returns to (next): the desk's and
// the coverage's, by path.
var returnPages = []string{"/conflicts", "/audit", "/coverage"}

// safeNext returns next when it is one of this server's pages (a path of
// returnPages, with its query), to go to after signing in; else "". Never
// another site: an address with a scheme or host, "//host" and "/\host"
// (which browsers read as "//host") are refused.
func safeNext(next string) string {
	if next == "" || len(next) > 1024 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Fragment != "" {
		return ""
	}
	for _, p := range returnPages {
		if u.Path == p || strings.HasPrefix(u.Path, p+"/") {
			return u.RequestURI()
		}
	}
	return ""
}

// returnTo is the page to come back to after signing in again, for a
// request that found no live session: the page a GET asked for, the
// conflict whose form a POST sent (its decision, correction or
// assignment); "" for none.
func returnTo(r *http.Request) string {
	if r.Method == http.MethodGet {
		return safeNext(r.URL.RequestURI())
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/conflicts/")
	if !ok {
		return ""
	}
	id, action, ok := strings.Cut(rest, "/")
	if !ok || id == "" || (action != "decision" && action != "correction" && action != "assign") {
		return ""
	}
	return safeNext("/conflicts/" + url.PathEscape(id))
}
