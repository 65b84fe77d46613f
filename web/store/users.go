package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"golang.org/x/crypto/argon2"
)

// Roles.
const (
	RoleReviewer   = "reviewer"   // sees and decides conflicts of their provinces
	RoleSupervisor = "supervisor" // also reassigns and makes second decisions
	RoleAuditor    = "auditor"    // reads the audit log
	RoleAnalyst    = "analyst"    // sees coverage only
	RoleAdmin      = "admin"      // everything
)

// Roles lists the valid roles.
var Roles = []string{RoleReviewer, RoleSupervisor, RoleAuditor, RoleAnalyst, RoleAdmin}

// ErrNotFound is returned for a user, session or conflict that does not
// exist — or that exists outside the caller's scope.
var ErrNotFound = errors.New("not found")

// User is one account of the web application.
type User struct {
	Username     string    `ch:"username"`
	PasswordHash string    `ch:"password_hash"` // argon2id, PHC string format
	Role         string    `ch:"role"`
	Provinces    []string  `ch:"provinces"` // today's codes; empty = national (not for reviewers)
	Disabled     bool      `ch:"disabled"`
	Version      uint64    `ch:"version"`
	UpdatedAt    time.Time `ch:"updated_at"`
}

// National reports whether the user's scope is the whole country.
func (u User) National() bool { return len(u.Provinces) == 0 && u.Role != RoleReviewer }

var validUsername = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// Validate reports what is wrong with u, field by field.
func (u User) Validate() error {
	var errs []error
	if !validUsername.MatchString(u.Username) {
		errs = append(errs, fmt.Errorf("username %q: want 2-64 of a-z 0-9 . _ - starting with a letter or digit", u.Username))
	}
	ok := false
	for _, r := range Roles {
		ok = ok || r == u.Role
	}
	if !ok {
		errs = append(errs, fmt.Errorf("role %q: want one of %s", u.Role, strings.Join(Roles, ", ")))
	}
	if u.Role == RoleReviewer && len(u.Provinces) == 0 {
		errs = append(errs, fmt.Errorf("provinces: a reviewer needs at least one province (--province CODE)"))
	}
	for _, p := range u.Provinces {
		if !ValidProvince(p) {
			errs = append(errs, fmt.Errorf("province %q: not one of today's 34 province codes (01, 04, 08, …, 96)", p))
		}
	}
	return errors.Join(errs...)
}

// Argon2Params are the cost parameters of an argon2id hash. They are
// stored in the hash itself, so changing them affects new hashes only.
type Argon2Params struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 is RFC 9106's second recommended option (64 MiB, 3 passes).
var DefaultArgon2 = Argon2Params{Time: 3, Memory: 64 * 1024, Threads: 2}

const argonKeyLen = 32

// HashPassword returns an argon2id hash of password with DefaultArgon2,
// in the PHC string format.
func HashPassword(password string) (string, error) {
	return HashPasswordWith(password, DefaultArgon2)
}

// HashPasswordWith is HashPassword with chosen costs (tests use cheap ones).
func HashPasswordWith(password string, p Argon2Params) (string, error) {
	if len(password) < 8 {
		return "", errors.New("password: at least 8 characters")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a user does not exist, so that a
// login for an unknown name costs as much as one with a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("dancu-no-such-user")
	return h
})

// CheckDummy spends the time of one password check.
func CheckDummy(password string) { CheckPassword(dummyHash(), password) }

// PutUser writes a new version of u (its Version, above every version
// of the account written before, and UpdatedAt are set here). It is visible to the next login at once, and the sessions the
// account had end (EndSessionsOf): a password replaced after a leak, or an
// account disabled and enabled again, leaves no session of before. When
// the account is written but its sessions could not be ended, the error
// says so: writing it again ends them.
func (s *Store) PutUser(ctx context.Context, u User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("put user: %w", err)
	}
	now := s.now()
	u.UpdatedAt = now
	// The version outranks every one written before, whatever the clock
	// of the machine that wrote it: ClickHouse keeps the highest, and an
	// account disabled where the clock is behind the last writer's stayed
	// enabled.
	var last uint64
	if err := s.conn.QueryRow(ctx, "SELECT max(version) FROM users WHERE username = {u:String}",
		driver.NamedValue{Name: "u", Value: u.Username}).Scan(&last); err != nil {
		return fmt.Errorf("put user: read its version: %w", err)
	}
	u.Version = max(uint64(now.UnixNano()), last+1)
	if u.Provinces == nil {
		u.Provinces = []string{}
	}
	if err := s.insert(ctx, "users", &u); err != nil {
		return err
	}
	if err := s.EndSessionsOf(ctx, u.Username); err != nil {
		// The account is written: an admin told only of the failure
		// would believe nothing changed.
		return fmt.Errorf("put user: the account was changed, but its sessions of before may still be live (%w): run the command again to end them", err)
	}
	return nil
}

// User returns the latest version of the named account, or ErrNotFound.
func (s *Store) User(ctx context.Context, name string) (User, error) {
	var us []User
	if err := s.conn.Select(ctx, &us, "SELECT * FROM users FINAL WHERE username = {u:String}", driver.NamedValue{Name: "u", Value: name}); err != nil {
		return User{}, fmt.Errorf("read user: %w", err)
	}
	if len(us) == 0 {
		return User{}, ErrNotFound
	}
	return us[0], nil
}

// Users returns every account, by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.conn.Select(ctx, &us, "SELECT * FROM users FINAL ORDER BY username"); err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	return us, nil
}
