package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// ErrExpired is returned, with the session, for a session whose
// expires_at has passed and that was not ended: the caller ends it
// (EndSession) and says so, once.
var ErrExpired = errors.New("session expired")

// Session is a logged-in browser or API client. Only the hash of its
// cookie token is stored. ExpiresAt is when it ends unless a request
// moves it on (TouchSession): the web application keeps it an idle
// timeout ahead of the latest request, never past CreatedAt plus the
// session's lifetime.
type Session struct {
	TokenHash string    `ch:"token_hash"`
	Username  string    `ch:"username"`
	CSRFToken string    `ch:"csrf_token"`
	CreatedAt time.Time `ch:"created_at"`
	ExpiresAt time.Time `ch:"expires_at"`
	Ended     bool      `ch:"ended"`
	Version   uint64    `ch:"version"`
}

// RandomToken returns 32 random bytes, URL-safe base64.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is the stored form of a session token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewSession creates a session for username expiring after ttl (until
// moved on: TouchSession) and returns its cookie token (never stored) and
// the session.
func (s *Store) NewSession(ctx context.Context, username string, ttl time.Duration) (string, Session, error) {
	tok := RandomToken()
	now := s.now()
	se := Session{TokenHash: HashToken(tok), Username: username, CSRFToken: RandomToken(),
		CreatedAt: now, ExpiresAt: now.Add(ttl), Version: uint64(now.UnixNano())}
	if err := s.insert(ctx, "sessions", &se); err != nil {
		return "", Session{}, err
	}
	return tok, se, nil
}

// Session returns the live session of a cookie token; ErrNotFound when
// there is none or it ended; the session and ErrExpired when it expired.
func (s *Store) Session(ctx context.Context, token string) (Session, error) {
	var ss []Session
	if err := s.conn.Select(ctx, &ss, "SELECT * FROM sessions FINAL WHERE token_hash = {h:String}",
		driver.NamedValue{Name: "h", Value: HashToken(token)}); err != nil {
		return Session{}, fmt.Errorf("read session: %w", err)
	}
	if len(ss) == 0 || ss[0].Ended {
		return Session{}, ErrNotFound
	}
	if !s.now().Before(ss[0].ExpiresAt) {
		return ss[0], ErrExpired
	}
	return ss[0], nil
}

// TouchSession moves a live session's expiry to expires (a request came:
// the idle timeout starts again). It never revives an ended session: an
// ended version outranks every other (EndSession).
func (s *Store) TouchSession(ctx context.Context, se Session, expires time.Time) (Session, error) {
	se.ExpiresAt = expires
	se.Version = min(max(se.Version+1, uint64(s.now().UnixNano())), math.MaxUint64-1)
	if err := s.insert(ctx, "sessions", &se); err != nil {
		return Session{}, err
	}
	return se, nil
}

// EndSession ends the session of token (logout, expiry). Its version is
// the highest there is, so a touch written at the same moment by another
// server (TouchSession), whatever its clock, cannot bring it back.
func (s *Store) EndSession(ctx context.Context, se Session) error {
	se.Ended = true
	se.Version = math.MaxUint64
	return s.insert(ctx, "sessions", &se)
}

// EndSessionsOf ends every live session of username: its account changed
// (a new password, disabled, enabled again), and a session of before may
// be a thief's. Each ended version outranks the session's own
// (EndSession), whatever the clocks of the machines that wrote them.
func (s *Store) EndSessionsOf(ctx context.Context, username string) error {
	var ss []Session
	if err := s.conn.Select(ctx, &ss, "SELECT * FROM sessions FINAL WHERE username = {u:String} AND NOT ended",
		driver.NamedValue{Name: "u", Value: username}); err != nil {
		return fmt.Errorf("read sessions of %s: %w", username, err)
	}
	for _, se := range ss {
		// Long expired ones are left as they are. The margin is the
		// clocks': a session's expiry is an idle timeout (minutes)
		// ahead of its latest request, and this machine's clock may be
		// an hour ahead of the server's that wrote it.
		if se.ExpiresAt.Before(s.now().Add(-24 * time.Hour)) {
			continue
		}
		if err := s.EndSession(ctx, se); err != nil {
			return fmt.Errorf("end a session of %s: %w", username, err)
		}
	}
	return nil
}
