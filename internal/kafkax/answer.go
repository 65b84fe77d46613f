package kafkax

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
)

// maxAnswerBytes bounds the size an answer to dancu's writers and admin
// clients may announce: produce, metadata and admin answers are small.
// Something else at the broker's address (an HTTP server answers
// "HTTP/1.1 400 …", whose first four bytes read as 1.2 GB) would
// otherwise have kafka-go allocate what its bytes announce — 4.5 GiB at
// each attempt for an array count (pipe15) — and the command end on a
// timeout that does not say why.
const maxAnswerBytes = 64 << 20

// answerHead holds the first bytes of the answer being read on a
// connection: its size, checked against maxAnswerBytes. kafka-go's
// transport uses a connection for one request at a time, so the
// request's writes reset it and the answer's first reads fill it.
type answerHead struct {
	b [4]byte
	n int
}

func (h *answerHead) reset() { h.n = 0 }

// see takes the next bytes p read on the connection to address and
// returns an error when they begin an answer no Kafka broker gives.
func (h *answerHead) see(address string, p []byte) error {
	if h.n >= len(h.b) {
		return nil
	}
	h.n += copy(h.b[h.n:], p)
	if h.n < len(h.b) {
		return nil
	}
	size := binary.BigEndian.Uint32(h.b[:])
	if size <= maxAnswerBytes {
		return nil
	}
	if string(h.b[:]) == "HTTP" {
		return fmt.Errorf("%s answered as an HTTP server, not a Kafka broker: is the broker's address (--kafka) the right host and port?", address)
	}
	return fmt.Errorf("%s answered %q…, which reads as a message of %d bytes (more than %d): not a Kafka broker's answer; is the broker's address (--kafka) the right host and port?", address, h.b[:], size, maxAnswerBytes)
}

// bounded wraps dial (a kafka.Transport's Dial) so that an answer larger
// than maxAnswerBytes fails its request with an error that says what
// answered (answerHead), before kafka-go reads it.
func bounded(dial func(ctx context.Context, network, address string) (net.Conn, error)) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		c, err := dial(ctx, network, address)
		if err != nil {
			return nil, err
		}
		return &boundedConn{Conn: c, address: address}, nil
	}
}

// boundedConn is a connection whose answers are checked by answerHead.
type boundedConn struct {
	net.Conn
	address string
	mu      sync.Mutex
	head    answerHead
}

func (c *boundedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.head.reset()
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *boundedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		herr := c.head.see(c.address, p[:n])
		c.mu.Unlock()
		if herr != nil {
			c.Conn.Close()
			return 0, herr
		}
	}
	return n, err
}

// SyscallConn is the connection's own, so that redialing's peek at the
// socket (peerClosed) sees through the wrapper.
func (c *boundedConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.New("not a socket")
}
