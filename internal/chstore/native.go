package chstore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// NativeInserter is a connection that takes an INSERT's data as a body
// already in ClickHouse's Native format (one or more blocks, without
// block info, as the HTTP interface reads it). Open returns one for
// connections over HTTP (the embedded engine); the load stage's sink then
// writes its blocks itself instead of through clickhouse-go's columns.
type NativeInserter interface {
	// InsertNative runs query ("INSERT INTO t (c1, …)") with body as its
	// data in the Native format. An error from the server is a
	// *clickhouse.Exception with the server's code and message.
	InsertNative(ctx context.Context, query string, body []byte) error
}

// httpConn is a clickhouse-go connection over HTTP that also implements
// NativeInserter, posting to the same address with the same database,
// credentials and settings.
type httpConn struct {
	driver.Conn
	base   string // scheme://host:port/
	db     string
	user   string
	pass   string
	params url.Values // the connection's settings
	client *http.Client
}

var _ NativeInserter = (*httpConn)(nil)

func newHTTPConn(conn driver.Conn, c Config) *httpConn {
	scheme := "http"
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if c.TLS != nil {
		scheme = "https"
		tr.TLSClientConfig = c.TLS.Clone()
	}
	tr.MaxIdleConnsPerHost = c.MaxOpenConns
	// Connect within the configured DialTimeout, as clickhouse-go's
	// connections do (DefaultTransport's dialer would wait 30 s: rv10).
	dial := (&net.Dialer{Timeout: c.DialTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &writeDeadlineConn{Conn: conn, timeout: c.ReadTimeout}, nil
	}
	// Wait for the answer within ReadTimeout, as clickhouse-go's
	// connections do (its ResponseHeaderTimeout): DefaultTransport waits
	// for ever, and an engine stopped with the connection open (SIGSTOP,
	// a hung server) held the load stage's insert until it came back.
	// That wait starts once the body is sent: an engine stopped while the
	// body is sent fills the sockets' buffers and holds the write, so each
	// write ends within ReadTimeout too (writeDeadlineConn).
	tr.ResponseHeaderTimeout = c.ReadTimeout
	params := url.Values{}
	for k, v := range c.Settings {
		params.Set(k, fmt.Sprint(v))
	}
	return &httpConn{
		Conn: conn, base: scheme + "://" + c.Addr + "/", db: c.Database, user: c.Username, pass: c.Password,
		params: params, client: &http.Client{Transport: tr},
	}
}

// writeDeadlineConn is a connection each of whose writes must end within
// timeout, as clickhouse-go sets a deadline on each write of its own
// connections: a server that stops reading fails the write, not holds it.
type writeDeadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *writeDeadlineConn) Write(b []byte) (int, error) {
	if c.timeout <= 0 {
		return c.Conn.Write(b) // no ReadTimeout (a Config not defaulted)
	}
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Write(b)
}

func (h *httpConn) Close() error {
	h.client.CloseIdleConnections()
	return h.Conn.Close()
}

// InsertNative posts query FORMAT Native with body.
func (h *httpConn) InsertNative(ctx context.Context, query string, body []byte) error {
	q := url.Values{}
	for k, v := range h.params {
		q[k] = v
	}
	q.Set("database", h.db)
	q.Set("query", query+" FORMAT Native")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.base+"?"+q.Encode(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.SetBasicAuth(h.user, h.pass)
	res, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("insert over http: %w", err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("insert over http: read answer: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return httpException(res.Header.Get("X-ClickHouse-Exception-Code"), out, res.Status)
	}
	// A server that has flushed its headers reports a later failure in
	// the body (clickhouse-go's insertResponseError does the same).
	if i := bytes.Index(out, []byte("Code: ")); i >= 0 && bytes.Contains(out, []byte("Exception")) {
		return httpException("", out[i:], res.Status)
	}
	return nil
}

// httpException turns an HTTP error answer into a *clickhouse.Exception:
// the code from the header, or else from the body's "Code: N.".
func httpException(header string, body []byte, status string) error {
	msg := strings.TrimSpace(string(body))
	code, err := strconv.Atoi(strings.TrimSpace(header))
	if err != nil {
		m := codeRE.FindStringSubmatch(msg)
		if m == nil {
			return fmt.Errorf("insert over http: %s: %s", status, msg)
		}
		code, _ = strconv.Atoi(m[1])
	}
	return &clickhouse.Exception{Code: int32(code), Message: msg}
}

var codeRE = regexp.MustCompile(`Code: (\d+)`)
