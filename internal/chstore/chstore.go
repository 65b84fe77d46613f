package chstore

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// EmbeddedAddr is where `dancu clickhouse` serves the embedded engine.
const EmbeddedAddr = "127.0.0.1:8123"

// Config says which ClickHouse to connect to and how.
type Config struct {
	// Addr is host:port. Default: EmbeddedAddr for HTTP, 127.0.0.1:9000 for native.
	Addr string
	// Native selects ClickHouse's native protocol (a real server or cluster).
	// Default: false, the HTTP interface as served by the embedded engine,
	// without compression (the embedded engine supports none).
	Native bool
	// Database is the database to work in. Default: "default".
	Database string
	// CreateDatabase creates Database if it does not exist. Default: false.
	CreateDatabase bool
	// Username and Password authenticate. Default: "default" and "".
	Username, Password string
	// TLS enables TLS with this configuration. Default: nil (plain TCP).
	TLS *tls.Config
	// DialTimeout bounds connecting. Default: 10s.
	DialTimeout time.Duration
	// ReadTimeout bounds the wait for the server's answer once a request
	// is sent, on clickhouse-go's connections and on the Native inserts
	// over HTTP alike. Default: 300s (clickhouse-go's).
	ReadTimeout time.Duration
	// MaxOpenConns caps open connections. Default: 4.
	MaxOpenConns int
	// Settings are ClickHouse settings sent with every query. Default: none.
	Settings map[string]any
}

// withDefaults returns a copy of c with defaults filled in; c is not changed.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		if c.Native {
			c.Addr = "127.0.0.1:9000"
		} else {
			c.Addr = EmbeddedAddr
		}
	}
	if c.Database == "" {
		c.Database = "default"
	}
	if c.Username == "" {
		c.Username = "default"
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = 10 * time.Second
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 300 * time.Second
	}
	if c.MaxOpenConns == 0 {
		c.MaxOpenConns = 4
	}
	return c
}

// Validate reports what is wrong with c, field by field.
func (c Config) Validate() error {
	var errs []error
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			errs = append(errs, fmt.Errorf("Addr %q: want host:port: %w", c.Addr, err))
		}
	}
	if c.DialTimeout < 0 {
		errs = append(errs, fmt.Errorf("DialTimeout %v: must not be negative", c.DialTimeout))
	}
	if c.ReadTimeout < 0 {
		errs = append(errs, fmt.Errorf("ReadTimeout %v: must not be negative", c.ReadTimeout))
	}
	if c.MaxOpenConns < 0 {
		errs = append(errs, fmt.Errorf("MaxOpenConns %d: must not be negative", c.MaxOpenConns))
	}
	if strings.ContainsAny(c.Database, "`\x00") {
		errs = append(errs, fmt.Errorf("Database %q: must not contain a backquote or NUL", c.Database))
	}
	return errors.Join(errs...)
}

// ParseAddr turns the --clickhouse / $DANCU_CLICKHOUSE value into a Config:
//
//	""                                   the embedded engine on http://127.0.0.1:8123
//	"http://host:port[/db]"              an HTTP interface (embedded engine or server)
//	"host:port"                          a server over the native protocol
//	"clickhouse://[user[:pass]@]host:port[/db][?secure=true]"  the same, with credentials
func ParseAddr(s string) (Config, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Config{Addr: EmbeddedAddr}, nil
	}
	if !strings.Contains(s, "://") {
		if _, _, err := net.SplitHostPort(s); err != nil {
			return Config{}, fmt.Errorf("parse clickhouse address %q: want host:port or clickhouse://host:port: %w", s, err)
		}
		return Config{Addr: s, Native: true}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return Config{}, fmt.Errorf("parse clickhouse address %q: %w", s, err)
	}
	var c Config
	switch u.Scheme {
	case "http":
		c.Native = false
	case "clickhouse", "tcp":
		c.Native = true
	case "https":
		c.TLS = &tls.Config{}
	default:
		return Config{}, fmt.Errorf("parse clickhouse address %q: scheme %q: want http, clickhouse or tcp", s, u.Scheme)
	}
	c.Addr = u.Host
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return Config{}, fmt.Errorf("parse clickhouse address %q: host %q: want host:port: %w", s, u.Host, err)
	}
	c.Database = strings.Trim(u.Path, "/")
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if u.Query().Get("secure") == "true" {
		c.TLS = &tls.Config{}
	}
	return c, nil
}

// Open connects to ClickHouse and checks the connection with a ping. For
// the embedded engine a refused connection says to start it.
func Open(ctx context.Context, cfg Config) (driver.Conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open clickhouse: %w", err)
	}
	c := cfg.withDefaults()
	if c.CreateDatabase && c.Database != "default" {
		admin := c
		admin.Database = "default"
		admin.CreateDatabase = false
		conn, err := Open(ctx, admin)
		if err != nil {
			return nil, err
		}
		err = conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+quoteIdent(c.Database))
		conn.Close()
		if err != nil {
			return nil, fmt.Errorf("create database %s: %w", c.Database, err)
		}
	}
	opts := &clickhouse.Options{
		Addr: []string{c.Addr},
		Auth: clickhouse.Auth{
			Database: c.Database,
			Username: c.Username,
			Password: c.Password,
		},
		TLS:          c.TLS,
		DialTimeout:  c.DialTimeout,
		ReadTimeout:  c.ReadTimeout,
		MaxOpenConns: c.MaxOpenConns,
		MaxIdleConns: c.MaxOpenConns,
		Settings:     clickhouse.Settings(c.Settings),
		ClientInfo: clickhouse.ClientInfo{Products: []struct{ Name, Version string }{
			{Name: "dancu", Version: "dev"},
		}},
	}
	if c.Native {
		opts.Protocol = clickhouse.Native
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionLZ4}
	} else {
		opts.Protocol = clickhouse.HTTP
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionNone}
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("open clickhouse %s: %w", c.Addr, err)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		if !c.Native && isRefused(err) {
			return nil, fmt.Errorf("open clickhouse %s: nothing listens there; start the embedded engine with `dancu clickhouse` (one just started serves once it prints \"listening\": its first start fetches libchdb, ~170 MB) or name a server with --clickhouse: %w", c.Addr, err)
		}
		// A server's address, host:port or clickhouse://…, speaks the
		// native protocol (user30: the README's 8123, the HTTP port, given
		// as host:port waited 10 s for "handshake: … i/o timeout").
		if c.Native && isRefused(err) {
			return nil, fmt.Errorf("open clickhouse %s: nothing listens there: check the server's host and native-protocol port (9000 unless the server sets tcp_port) in --clickhouse or $DANCU_CLICKHOUSE; for the HTTP interface write http://host:port: %w", c.Addr, err)
		}
		if c.Native && strings.Contains(err.Error(), "handshake") {
			return nil, fmt.Errorf("open clickhouse %s: it did not answer in ClickHouse's native protocol, which host:port and clickhouse://… addresses speak; if that is the HTTP interface's port (8123, and the embedded engine's), write http://%s; a port that wants TLS (9440) takes clickhouse://…?secure=true; else name the native-protocol port (9000 unless the server sets tcp_port): %w", c.Addr, c.Addr, err)
		}
		if isUnknownDatabase(err) {
			return nil, fmt.Errorf("open clickhouse %s: database %q does not exist: create it and its tables with `dancu migrate` (with the same --database or $DANCU_DATABASE), or mend the name: %w", c.Addr, c.Database, err)
		}
		return nil, fmt.Errorf("open clickhouse %s: %w", c.Addr, err)
	}
	if !c.Native {
		return newHTTPConn(conn, c), nil
	}
	return conn, nil
}

func isRefused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// isUnknownDatabase tells ClickHouse's UNKNOWN_DATABASE (code 81), as the
// native protocol's exception or the HTTP interface's text.
func isUnknownDatabase(err error) bool {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return ex.Code == 81
	}
	return strings.Contains(err.Error(), "(UNKNOWN_DATABASE)")
}

func quoteIdent(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`").Replace(s) + "`"
}
