package kafkax

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// ErrUnreachable is returned (wrapped) when no broker address accepts a
// connection.
var ErrUnreachable = errors.New("no Kafka broker reachable")

// Reachable dials each broker address until one accepts a TCP connection
// (each attempt bounded by timeout; Default: 3s when timeout <= 0), and
// asks the first that does for its API versions: an answer no Kafka
// broker gives (an HTTP server's) is an error that says so. When
// none does, the error is one line naming the addresses and how to start
// the embedded broker, and wraps ErrUnreachable: a command checks it
// before it prints anything else, so that the operator's first line says
// what is down.
func Reachable(ctx context.Context, brokers []string, timeout time.Duration) error {
	if len(brokers) == 0 {
		return ErrNoBrokers
	}
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	var last error
	for _, b := range brokers {
		d := net.Dialer{Timeout: timeout}
		c, err := d.DialContext(ctx, "tcp", b)
		if err == nil {
			err = probe(c, b, timeout)
			c.Close()
			return err
		}
		last = err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return unreachable(brokers, last)
}

func unreachable(brokers []string, cause error) error {
	return &UnreachableError{Brokers: append([]string(nil), brokers...), Err: cause}
}

// UnreachableError says that no broker accepted a connection, and how to
// start one. errors.Is(err, ErrUnreachable) holds for it.
type UnreachableError struct {
	Brokers []string
	Err     error // the last dial error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("kafka %s: nothing accepts connections there (%s); start the embedded broker with `dancu broker` "+
		"(it listens on 127.0.0.1:9092) or name your brokers with --kafka or DANCU_KAFKA_BROKERS",
		strings.Join(e.Brokers, ","), shortCause(e.Err))
}

func (e *UnreachableError) Is(target error) bool { return target == ErrUnreachable }

func (e *UnreachableError) Unwrap() error { return e.Err }

// shortCause reduces a dial error to its last part ("connection refused").
func shortCause(err error) string {
	if err == nil {
		return "no answer"
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// apiVersionsV0 is an ApiVersions request, version 0, client id "dancu":
// the first request of every Kafka client. Its correlation id is 10, a
// newline byte, so that a server of text lines (HTTP) has a line to
// answer at once.
var apiVersionsV0 = []byte{0, 0, 0, 15, 0, 18, 0, 0, 0, 0, 0, 10, 0, 5, 'd', 'a', 'n', 'c', 'u'}

// probe sends an ApiVersions request on c (to address) and reads the
// answer's size: an answer larger than any broker gives (answerHead) is
// an error naming what answered. A broker that does not answer within
// timeout, or closes, passes: the commands' own requests say what is
// wrong then, as before.
func probe(c net.Conn, address string, timeout time.Duration) error {
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(apiVersionsV0); err != nil {
		return nil
	}
	var h answerHead
	var buf [4]byte
	for h.n < len(h.b) {
		n, err := c.Read(buf[:len(h.b)-h.n])
		if herr := h.see(address, buf[:n]); herr != nil {
			return herr
		}
		if err != nil {
			return nil
		}
	}
	return nil
}
