package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// DecisionPublisher sends a stored decision to the match stage (the
// topic dancu.decisions).
type DecisionPublisher interface {
	PublishDecision(ctx context.Context, d schemas.Decision) error
}

// Config configures the web application. The zero value of each optional
// field takes the default written beside it.
type Config struct {
	// Store holds accounts, sessions, audit log and decisions. Required.
	Store *store.Store
	// Coverage serves /coverage, /coverage/map.svg, /coverage/static/…
	// and /api/coverage (coverage.Handler.Routes) for the analyst,
	// supervisor and admin roles. Default: nil (those routes 404).
	Coverage http.Handler
	// Publisher sends decisions to the match stage; those it fails to send
	// are marked unsent and sent again by Server.RunOutbox. Default: nil
	// (decisions are only stored, and the match stage never sees them).
	Publisher DecisionPublisher
	// SessionTTL is how long a session lasts at most, however busy.
	// Default: 8h.
	SessionTTL time.Duration
	// SessionIdle ends a session this long after its latest request (a
	// desk left signed in on a shared counter). It is kept in ClickHouse,
	// so every server behind a balancer sees it, and moved on at most
	// once a minute (SessionIdle/10 when shorter): a session may outlive
	// its idle time by that much less. Default: 30m.
	SessionIdle time.Duration
	// SecureCookies marks cookies Secure and sends Strict-Transport-Security
	// on every answer: the browser reaches the desk over HTTPS (this server
	// serves TLS, or a proxy in front of it terminates TLS). Without it, a
	// request is still answered so when it came over TLS, or from a trusted
	// proxy (TrustedProxies) saying X-Forwarded-Proto: https (Server.secure).
	// Default: false.
	SecureCookies bool
	// LoginFailures is how many failed logins of one account from one
	// client address are allowed within LoginWindow before the logins of
	// that account from that address are refused with 429: a guesser is
	// stopped, and the owner, at another address, still signs in (five
	// failures of an account from anywhere locked it for everyone, so
	// whoever knew a reviewer's name could keep them out). Default: 5.
	LoginFailures int
	// LoginAccountFailures is how many failed logins of one account from
	// any addresses are allowed within LoginWindow before its logins are
	// refused from every address: guessing spread over many addresses
	// (credential stuffing). Higher than LoginFailures, so that locking
	// an owner out takes LoginAccountFailures/LoginFailures addresses.
	// Default: 50.
	LoginAccountFailures int
	// LoginAddressFailures is how many failed logins of one client
	// address (any accounts) are allowed within LoginWindow before its
	// logins are refused with 429. Higher than LoginFailures: a police
	// station behind one NAT is one address. Default: 50.
	LoginAddressFailures int
	// LoginWindow. Default: 15m.
	LoginWindow time.Duration
	// TrustedProxies are the reverse proxies in front of the desk. Only
	// a request from one of them has its X-Forwarded-For read: the client
	// is the right-most address there that is not a trusted proxy (the
	// ones left of it are whatever the client sent). The login limit and
	// the audit log use that address. Default: none (the peer's address).
	TrustedProxies []netip.Prefix
	// Logger. Default: slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.SessionTTL == 0 {
		c.SessionTTL = 8 * time.Hour
	}
	if c.SessionIdle == 0 {
		c.SessionIdle = 30 * time.Minute
	}
	if c.LoginFailures == 0 {
		c.LoginFailures = 5
	}
	if c.LoginAccountFailures == 0 {
		c.LoginAccountFailures = 50
	}
	if c.LoginAddressFailures == 0 {
		c.LoginAddressFailures = 50
	}
	if c.LoginWindow == 0 {
		c.LoginWindow = 15 * time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate reports what is wrong with c.
func (c Config) Validate() error {
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("Store: required"))
	}
	if c.SessionTTL < 0 {
		errs = append(errs, errors.New("SessionTTL: must not be negative"))
	}
	if c.SessionIdle < 0 {
		errs = append(errs, errors.New("SessionIdle: must not be negative"))
	}
	if c.LoginFailures < 0 {
		errs = append(errs, errors.New("LoginFailures: must not be negative"))
	}
	if c.LoginAccountFailures < 0 {
		errs = append(errs, errors.New("LoginAccountFailures: must not be negative"))
	}
	if c.LoginAddressFailures < 0 {
		errs = append(errs, errors.New("LoginAddressFailures: must not be negative"))
	}
	return errors.Join(errs...)
}

// Server is the web application, an http.Handler.
type Server struct {
	cfg   Config
	store *store.Store
	log   *slog.Logger
	tmpl  map[string]*template.Template
	// pairs (account at address), accounts and addresses count failed
	// logins (ratelimit.go).
	pairs, accounts, addresses *limiter
	// conflictLocks serialise the decisions on one conflict within this
	// server (decide.go's lockConflict).
	conflictLocks [64]sync.Mutex
	// sessionLocks serialise the expiry of one session within this
	// server (middleware.go's expire).
	sessionLocks [16]sync.Mutex
	// out holds the decisions the brokers have not acknowledged
	// (outbox.go).
	out outbox
	mux *http.ServeMux
}

var _ http.Handler = (*Server)(nil)

// New builds the application from cfg (not modified).
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg.withDefaults()
	s := &Server{cfg: c, store: c.Store, log: c.Logger,
		pairs:     newLimiter(c.LoginFailures, c.LoginWindow, c.Store.Now),
		accounts:  newLimiter(c.LoginAccountFailures, c.LoginWindow, c.Store.Now),
		addresses: newLimiter(c.LoginAddressFailures, c.LoginWindow, c.Store.Now)}
	s.out.wake = make(chan struct{}, 1)
	var err error
	if s.tmpl, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.mux = http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	s.routes(s.staticHandler(static))
	return s, nil
}

// staticHandler serves the embedded files (behind StripPrefix); a folder
// (the file server would list it) or a missing file is the application's
// own 404 page.
func (s *Server) staticHandler(files fs.FS) http.Handler {
	fsrv := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st, err := fs.Stat(files, r.URL.Path); err != nil || st.IsDir() {
			s.notFound(w, r)
			return
		}
		fsrv.ServeHTTP(w, r)
	})
}

// ServeHTTP serves every request through the route table.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}
