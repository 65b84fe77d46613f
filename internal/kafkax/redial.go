package kafkax

import (
	"context"
	"net"
	"sync"
	"time"
)

// redialing wraps dial (a kafka.Transport's Dial) so that a connection
// whose broker went away while it sat idle in the transport's pool dials
// its address again before its next request, instead of failing it.
//
// kafka-go's transport keeps idle connections by broker and hands a
// request whichever is on top, without looking at it. After the broker
// restarted at its address each of them is the old broker's and fails
// the next request ("unexpected EOF"), one write attempt (with its
// back-off) each: a writer that had written to 12 partitions at once kept
// 12 of them, and its next one-message write took 9 s and 7 failed
// attempts, or failed after all 10 (TestWritersAfterBrokerRestart). The
// old broker's end closed them when it stopped, so the FIN is already
// there to be seen: at the first write of a request, after the last
// answer was read, the connection peeks at its socket without blocking
// (peerClosed) and, if the other end has closed, dials again and sends
// the request on the new connection. The transport negotiated the API
// versions on the old one: the broker at the same address is taken to
// speak the same versions (as after a restart of the same broker). A
// request on a connection that fails otherwise fails as before. Only for
// transports without TLS or SASL: kafka-go starts those on the dialled
// connection, and a new one underneath would not have them.
func redialing(dial func(ctx context.Context, network, address string) (net.Conn, error)) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		c, err := dial(ctx, network, address)
		if err != nil {
			return nil, err
		}
		return &redialConn{Conn: c, network: network, address: address, dial: dial}, nil
	}
}

// redialTimeout bounds the dial of a connection found closed, as the
// transport's own dials (kafka.DefaultTransport's 3 s).
const redialTimeout = 3 * time.Second

// redialConn is a connection that dials again when found closed by its
// peer at the start of a request (see redialing). kafka-go's transport
// uses a connection for one request at a time: it writes the request,
// then reads its answer.
type redialConn struct {
	net.Conn
	network, address string
	dial             func(ctx context.Context, network, address string) (net.Conn, error)

	mu sync.Mutex
	// answered: an answer was read since the last write, so the next
	// write starts a request (false until the first answer: a new
	// connection is not looked at).
	answered                    bool
	readDeadline, writeDeadline time.Time
}

func (c *redialConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	conn := c.Conn
	c.answered = true
	c.mu.Unlock()
	return conn.Read(p)
}

func (c *redialConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if c.answered {
		c.answered = false
		if peerClosed(c.Conn) {
			if err := c.redial(); err != nil {
				c.mu.Unlock()
				return 0, err
			}
		}
	}
	conn := c.Conn
	c.mu.Unlock()
	return conn.Write(p)
}

// redial replaces the closed connection with a new one to its address,
// with the deadlines the old one was given. Called with c.mu held.
func (c *redialConn) redial() error {
	ctx, cancel := context.WithTimeout(context.Background(), redialTimeout)
	defer cancel()
	nc, err := c.dial(ctx, c.network, c.address)
	if err != nil {
		return err
	}
	c.Conn.Close()
	c.Conn = nc
	if !c.readDeadline.IsZero() {
		nc.SetReadDeadline(c.readDeadline)
	}
	if !c.writeDeadline.IsZero() {
		nc.SetWriteDeadline(c.writeDeadline)
	}
	return nil
}

func (c *redialConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDeadline, c.writeDeadline = t, t
	return c.Conn.SetDeadline(t)
}

func (c *redialConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDeadline = t
	return c.Conn.SetReadDeadline(t)
}

func (c *redialConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeDeadline = t
	return c.Conn.SetWriteDeadline(t)
}

func (c *redialConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.Close()
}
