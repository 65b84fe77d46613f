//go:build !unix

package kafkax

import "net"

// peerClosed cannot peek at a socket here: every connection is taken as
// open, and one the broker closed fails its next request as before.
func peerClosed(net.Conn) bool { return false }
