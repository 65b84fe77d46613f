package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// loginRefused says which limit refuses a login of username from addr:
// "account from this address" (Config.LoginFailures: a guesser at one
// address is stopped after five, while the account's owner elsewhere
// still signs in), "account" (its failures from any address:
// Config.LoginAccountFailures, higher, against guessing spread over many
// addresses), "address" (failures from the address, any accounts:
// Config.LoginAddressFailures, since a NAT puts a whole station behind
// one), or "" for none. The failures are this server's (limiter, kept in
// memory) and those the audit log holds within the window, so that every
// `dancu serve` on one ClickHouse counts the failures of all: behind a
// balancer over two servers, a guesser has no more tries than against one.
func (s *Server) loginRefused(ctx context.Context, username, addr string) (string, error) {
	pair, acc, adr, err := s.store.LoginFailures(ctx, username, addr, errBadCredentials.Error(), s.store.Now().Add(-s.cfg.LoginWindow))
	if err != nil {
		return "", err
	}
	switch {
	case s.pairs.blocked(pairKey(username, addr)) || pair >= uint64(s.cfg.LoginFailures):
		return "account from this address", nil
	case s.accounts.blocked(username) || acc >= uint64(s.cfg.LoginAccountFailures):
		return "account", nil
	case s.addresses.blocked(addr) || adr >= uint64(s.cfg.LoginAddressFailures):
		return "address", nil
	}
	return "", nil
}

// pairKey is the limiter's key of an account at a client address.
func pairKey(username, addr string) string { return username + "\x00" + addr }

// clientIP is the address of the client: the peer's, unless the peer is
// a trusted proxy (Config.TrustedProxies), when it is the right-most
// address of X-Forwarded-For that is no trusted proxy. Every proxy
// appends the address it received from, so the addresses right of that
// one were written by trusted proxies and those left of it by the client,
// who may write anything. When every address there is trusted, the
// left-most; an address that does not parse ends the walk at the last
// trusted one (so a garbled header cannot name anyone).
func (s *Server) clientIP(r *http.Request) string {
	host, peer, proxied := s.peer(r)
	if !proxied {
		return host
	}
	client := peer
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = a.Unmap()
		if !s.trusted(client) {
			break
		}
	}
	return client.String()
}

// secure reports whether the browser reached r over HTTPS, and so gets
// Secure cookies and Strict-Transport-Security: always with
// Config.SecureCookies (this server serves TLS, or `dancu serve
// --trusted-proxy` without --insecure-http: the proxy terminates TLS);
// else when r came over TLS, or from a trusted proxy whose
// X-Forwarded-Proto says https. The header is read from trusted proxies
// only, as X-Forwarded-For is, though a client writing it could only make
// its own cookie unusable over plain HTTP.
func (s *Server) secure(r *http.Request) bool {
	if s.cfg.SecureCookies || r.TLS != nil {
		return true
	}
	if _, _, proxied := s.peer(r); !proxied {
		return false
	}
	for _, v := range r.Header.Values("X-Forwarded-Proto") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "https") {
				return true
			}
		}
	}
	return false
}

// peer returns the address r came from (host as written, and parsed)
// and whether it is a trusted proxy.
func (s *Server) peer(r *http.Request) (host string, peer netip.Addr, proxied bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err = netip.ParseAddr(host)
	return host, peer, err == nil && s.trusted(peer)
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads addresses and networks ("10.0.0.5",
// "10.0.0.0/8", "::1") for Config.TrustedProxies.
func ParseTrustedProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range list {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if p, err := netip.ParsePrefix(v); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or a network (10.0.0.5, 10.0.0.0/8)", v)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// limiter counts failed logins per key (a username, an address) within a
// window; a key at its limit is refused until its oldest failure leaves
// the window. Memory is bounded by pruning expired keys as it goes.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, fails: map[string][]time.Time{}}
}

// blocked reports whether any of keys is at its limit.
func (l *limiter) blocked(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if len(l.recent(k)) >= l.max {
			return true
		}
	}
	return false
}

// fail records a failure for each key.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 100000 {
		for k := range l.fails {
			if len(l.recent(k)) == 0 {
				delete(l.fails, k)
			}
		}
	}
	for _, k := range keys {
		l.fails[k] = append(l.recent(k), l.now())
	}
}

// reset forgets the failures of key (after a successful login).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
}

func (l *limiter) recent(k string) []time.Time {
	ts := l.fails[k]
	cut := l.now().Add(-l.window)
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
		return nil
	}
	l.fails[k] = ts
	return ts
}
