package pipelines

import (
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/dancu-vn/dancu/internal/kafkax"
)

// IsOutage reports an error that says a server was away (a refused or
// reset connection, a connection closed mid-answer, a time-out) rather
// than something wrong with the data or the configuration.
func IsOutage(err error) bool {
	// A syscall.Errno is a net.Error too (it has Timeout and Temporary),
	// so a full disk's ENOSPC was taken for an outage: `dancu run` said
	// "the stages stopped on an outage of Kafka or ClickHouse" and tried
	// again for 30 minutes (user16). Of the errnos only a connection's
	// are an outage.
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE, syscall.ETIMEDOUT,
			syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN:
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, kafkax.ErrUnreachable)
}
