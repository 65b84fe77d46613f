package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Session is a logged-in browser or API client. Only the hash of its
// cookie token is stored.
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

// NewSession creates a session for username lasting ttl and returns its
// cookie token (never stored) and the session.
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

// Session returns the live session of a cookie token, or ErrNotFound when
// there is none, it ended or it expired.
func (s *Store) Session(ctx context.Context, token string) (Session, error) {
	var ss []Session
	if err := s.conn.Select(ctx, &ss, "SELECT * FROM sessions FINAL WHERE token_hash = {h:String}",
		driver.NamedValue{Name: "h", Value: HashToken(token)}); err != nil {
		return Session{}, fmt.Errorf("read session: %w", err)
	}
	if len(ss) == 0 || ss[0].Ended || !s.now().Before(ss[0].ExpiresAt) {
		return Session{}, ErrNotFound
	}
	return ss[0], nil
}

// EndSession ends the session of token (logout).
func (s *Store) EndSession(ctx context.Context, se Session) error {
	se.Ended = true
	se.Version = max(se.Version+1, uint64(s.now().UnixNano()))
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
		if !s.now().Before(se.ExpiresAt) {
			continue
		}
		if err := s.EndSession(ctx, se); err != nil {
			return fmt.Errorf("end a session of %s: %w", username, err)
		}
	}
	return nil
}
