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
// (each attempt bounded by timeout; Default: 3s when timeout <= 0). When
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
			c.Close()
			return nil
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
