//go:build unix

package kafkax

import (
	"errors"
	"net"
	"syscall"
)

// peerClosed says whether the other end of c has closed it (or reset
// it), without blocking and without taking any byte from it: a peek
// (MSG_PEEK | MSG_DONTWAIT) that reads end of file or fails with another
// error than "would block". A connection with bytes waiting, or that
// cannot be looked at so, is taken as open.
func peerClosed(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	closed := false
	var b [1]byte
	if err := raw.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == nil:
			closed = n == 0
		case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, syscall.EINTR):
		default:
			closed = true
		}
		return true // done: never wait for the socket
	}); err != nil {
		return false
	}
	return closed
}
