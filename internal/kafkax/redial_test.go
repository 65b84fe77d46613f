//go:build unix

package kafkax

import (
	"net"
	"testing"
	"time"
)

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t testing.TB) (client, server net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// TestPeerClosed: an open connection is open whether or not bytes wait on
// it, and the peek takes none of them; one whose other end closed is
// closed.
func TestPeerClosed(t *testing.T) {
	client, server := tcpPair(t)
	if peerClosed(client) {
		t.Fatal("an open, idle connection taken as closed")
	}
	if _, err := server.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if peerClosed(client) {
		t.Fatal("an open connection with a byte waiting taken as closed")
	}
	var b [1]byte
	client.SetReadDeadline(time.Now().Add(time.Second))
	if n, err := client.Read(b[:]); n != 1 || b[0] != 'x' {
		t.Fatalf("after the peek read %d bytes %q, %v; want the byte still there", n, b[:n], err)
	}
	server.Close()
	deadline := time.Now().Add(2 * time.Second)
	for !peerClosed(client) {
		if time.Now().After(deadline) {
			t.Fatal("a connection whose other end closed still taken as open after 2 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkPeerClosed is what the peek costs each request on a live
// connection.
func BenchmarkPeerClosed(b *testing.B) {
	client, _ := tcpPair(b)
	for b.Loop() {
		if peerClosed(client) {
			b.Fatal("closed")
		}
	}
}
