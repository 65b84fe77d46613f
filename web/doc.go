// Package web is `dancu serve`: the one web application of dancu. It
// carries the police conflict desk (the queue of match conflicts of the
// reviewer's provinces, each conflict's records side by side, decisions
// with an audit trail) and mounts the analysts' coverage pages
// (Config.Coverage), with one account and session system for both.
//
// Where it sits in the flow: the load stage writes conflicts to
// ClickHouse (open, or resolved_by_registry when the registry no longer
// raises one); this package shows them (through package web/store, which
// applies the caller's province scope inside every query, with each
// conflict's provinces kept in conflict_places) and appends
// each decision to ClickHouse and to the topic dancu.decisions
// (Config.Publisher), from which the match stage applies it as a
// must-link or cannot-link constraint on the next batch (a conflict of
// one record takes needs_verification, and verified once checked: they
// change no person). A decision the
// brokers do not acknowledge is marked unsent in the audit log and sent
// again, in order, by Server.RunOutbox (outbox.go), which `dancu serve`
// runs in the background; every server's conflict page reads those
// marks to say a decision is not yet sent.
//
// Layout follows Miniflux: one file per handler (login_check.go,
// conflict_show.go, api_conflict_decide.go, …), every route and the roles
// it admits in one table (routes.go), default deny — only the routes
// marked public there skip the session middleware, and the CSRF check runs
// inside it for every state-changing request — and one response builder
// (response.go) that sets the security headers on every answer. The JSON
// API lives in this package under /api/, in files named api_*.go: it
// shares the session cookie, the CSRF token (header X-CSRF-Token) and the
// middleware with the pages, so there is one authentication path to get
// right rather than two. Its JSON keys are snake_case throughout
// (conflict_view.go's personJSON and eventJSON name the persons' and
// events' fields, which package schemas leaves unnamed).
//
// The pages are lang="en"; what is Vietnamese on them (names, addresses,
// places, notes) carries lang="vi" on its element.
package web
