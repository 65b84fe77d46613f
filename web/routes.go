package web

import (
	"net/http"
	"strings"

	"github.com/dancu-vn/dancu/web/store"
)

// Role sets of the routes.
var (
	deskRoles     = []string{store.RoleReviewer, store.RoleSupervisor, store.RoleAdmin}
	assignRoles   = []string{store.RoleSupervisor, store.RoleAdmin}
	auditRoles    = []string{store.RoleAuditor, store.RoleAdmin}
	coverageRoles = []string{store.RoleAnalyst, store.RoleSupervisor, store.RoleAdmin}
	anyRole       = store.Roles
)

// route is one entry of the route table.
type route struct {
	pattern string       // net/http pattern with method
	public  bool         // served without a session (the few listed below)
	roles   []string     // roles admitted (ignored for public routes)
	handler http.Handler // the handler
}

// routeTable is every route of the application, in one place. Default
// deny: a route is public only if marked so here; every other route
// passes the session middleware (with the CSRF check inside it) and the
// role check. Conflict handlers also pass the caller's province scope to
// the storage query, which answers "not found" outside it.
func (s *Server) routeTable(static http.Handler) []route {
	cov := s.errorPages(s.cfg.Coverage)
	if s.cfg.Coverage == nil {
		cov = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.notFound(w, r)
		})
	}
	h := func(f http.HandlerFunc) http.Handler { return f }
	return []route{
		// Public.
		{pattern: "GET /healthz", public: true, handler: h(s.healthz)},
		{pattern: "GET /login", public: true, handler: h(s.loginShow)},
		{pattern: "POST /login", public: true, handler: h(s.loginCheck)},
		{pattern: "POST /api/login", public: true, handler: h(s.apiLogin)},
		{pattern: "GET /static/", public: true, handler: http.StripPrefix("/static/", static)},
		{pattern: "GET /favicon.ico", public: true, handler: h(s.favicon)},

		// Any signed-in user.
		{pattern: "GET /{$}", roles: anyRole, handler: h(s.home)},
		{pattern: "POST /logout", roles: anyRole, handler: h(s.logout)},
		{pattern: "POST /api/logout", roles: anyRole, handler: h(s.apiLogout)},
		{pattern: "GET /api/me", roles: anyRole, handler: h(s.apiMe)},

		// The conflict desk.
		{pattern: "GET /conflicts", roles: deskRoles, handler: h(s.conflictList)},
		{pattern: "GET /conflicts/{id}", roles: deskRoles, handler: h(s.conflictShow)},
		{pattern: "POST /conflicts/{id}/decision", roles: deskRoles, handler: h(s.conflictDecide)},
		{pattern: "POST /conflicts/{id}/assign", roles: assignRoles, handler: h(s.conflictAssign)},
		{pattern: "POST /conflicts/{id}/correction", roles: assignRoles, handler: h(s.conflictCorrect)},
		{pattern: "GET /api/conflicts", roles: deskRoles, handler: h(s.apiConflictList)},
		{pattern: "GET /api/conflicts/{id}", roles: deskRoles, handler: h(s.apiConflictShow)},
		{pattern: "POST /api/conflicts/{id}/decision", roles: deskRoles, handler: h(s.apiConflictDecide)},
		{pattern: "POST /api/conflicts/{id}/assign", roles: assignRoles, handler: h(s.apiConflictAssign)},
		{pattern: "POST /api/conflicts/{id}/correction", roles: assignRoles, handler: h(s.apiConflictCorrect)},

		// The audit log.
		{pattern: "GET /audit", roles: auditRoles, handler: h(s.auditList)},
		{pattern: "GET /api/audit", roles: auditRoles, handler: h(s.apiAudit)},

		// Coverage pages (package of the coverage issue), mounted here:
		// each of its routes (coverage.Handler.Routes) by name, so that a
		// route it adds is not served until it has its row here.
		{pattern: "GET /coverage", roles: coverageRoles, handler: cov},
		{pattern: "GET /coverage/map.svg", roles: coverageRoles, handler: cov},
		{pattern: "GET /coverage/static/", roles: coverageRoles, handler: cov},
		{pattern: "GET /api/coverage", roles: coverageRoles, handler: cov},
	}
}

// Routes lists the route patterns with their roles ("public" for the
// public ones), for the authorisation tests and the documentation.
func (s *Server) Routes() map[string][]string {
	out := map[string][]string{}
	for _, rt := range s.routeTable(http.NotFoundHandler()) {
		if rt.public {
			out[rt.pattern] = []string{"public"}
		} else {
			out[rt.pattern] = rt.roles
		}
	}
	return out
}

func (s *Server) routes(static http.Handler) {
	for _, rt := range s.routeTable(static) {
		if rt.public {
			s.mux.Handle(rt.pattern, s.headers(rt.handler))
			continue
		}
		s.mux.Handle(rt.pattern, s.headers(s.requireSession(s.requireCSRF(s.requireRole(rt.roles, rt.handler)))))
	}
	// Everything else: not found, after the session check, so that an
	// anonymous caller learns nothing about which paths exist.
	s.mux.Handle("/", s.headers(s.requireSession(http.HandlerFunc(s.notFound))))
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
