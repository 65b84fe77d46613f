package chdb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is a Handler listening on a TCP address.
type Server struct {
	ln   net.Listener
	srv  *http.Server
	h    *Handler
	done chan error
}

// Listen serves e's HTTP front end on addr (host:port; port 0 picks a free
// one) until Close.
func Listen(e *Engine, addr string, cfg HandlerConfig) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	h := NewHandler(e, cfg)
	s := &Server{
		ln: ln,
		h:  h,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 30 * time.Second,
		},
		done: make(chan error, 1),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Stats returns the front end's counters.
func (s *Server) Stats() HandlerStats { return s.h.Stats() }

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops accepting requests and waits, until ctx ends, for those in
// flight to finish. It does not close the engine.
func (s *Server) Close(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		s.srv.Close()
	}
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}
