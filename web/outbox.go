package web

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
)

// outbox holds the stored decisions the brokers have not acknowledged,
// oldest first, marked so in the store (store.MarkUnsent) so that a
// restarted server sends them still. While it holds any, a new decision
// joins it rather than overtaking them: the match stage applies the
// latest ruling on a conflict as it arrives.
type outbox struct {
	send    sync.Mutex // held while sending, keeping the order
	mu      sync.Mutex // over pending
	pending []store.UnsentDecision
	wake    chan struct{}
}

// queued reports whether decision id waits to be sent.
func (o *outbox) queued(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.ContainsFunc(o.pending, func(u store.UnsentDecision) bool { return u.Decision.DecisionID == id })
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// publish sends stored decision d (its conflict in provinces), marked
// unsent in the store first, so that a server stopped at any point after
// storing it leaves it to be sent (by RunOutbox, at its next start): at
// once, and marked sent, when nothing waits before it and the brokers
// acknowledge it; else queued for RunOutbox. It reports whether d was
// sent.
func (s *Server) publish(ctx context.Context, d schemas.Decision, provinces []string) bool {
	s.out.send.Lock()
	defer s.out.send.Unlock()
	if err := s.store.MarkUnsent(ctx, d, provinces, "not yet sent"); err != nil {
		// Sent or queued all the same: this server sends it while it
		// runs, but a restart before then forgets it.
		s.log.Error("mark decision unsent", "decision", d.DecisionID, "err", err)
	}
	s.out.mu.Lock()
	waiting := len(s.out.pending) > 0
	s.out.mu.Unlock()
	if !waiting {
		err := s.cfg.Publisher.PublishDecision(ctx, d)
		if err == nil {
			s.markSent(ctx, d, provinces)
			return true
		}
		s.log.Error("publish decision", "decision", d.DecisionID, "err", err)
	}
	s.out.mu.Lock()
	s.out.pending = append(s.out.pending, store.UnsentDecision{Decision: d, Provinces: provinces})
	s.out.mu.Unlock()
	s.out.signal()
	return false
}

// markSent marks d sent, logging a failure: d is then sent again after a
// restart, which changes nothing (the match stage applies a decision
// once, by id).
func (s *Server) markSent(ctx context.Context, d schemas.Decision, provinces []string) {
	if err := s.store.MarkSent(context.WithoutCancel(ctx), d, provinces); err != nil {
		s.log.Error("mark decision sent", "decision", d.DecisionID, "err", err)
	}
}

// RunOutbox sends the decisions stored but not acknowledged by the
// brokers — those marked unsent in the store when it starts (by this or
// an earlier server) and those queued since — in the order they were
// decided, marking each sent once acknowledged. While the brokers fail it
// retries the oldest with a backoff from minWait doubling to maxWait
// (defaults when 0: 1s, 1m). It returns when ctx ends. Without a
// Publisher it returns at once.
func (s *Server) RunOutbox(ctx context.Context, minWait, maxWait time.Duration) error {
	if s.cfg.Publisher == nil {
		return nil
	}
	if minWait <= 0 {
		minWait = time.Second
	}
	if maxWait < minWait {
		maxWait = max(minWait, time.Minute)
	}
	wait := minWait
	for loaded := false; ; {
		if !loaded {
			us, err := s.store.UnsentDecisions(ctx)
			if err == nil {
				loaded = true
				s.out.mu.Lock()
				for _, u := range us {
					if !slices.ContainsFunc(s.out.pending, func(p store.UnsentDecision) bool { return p.Decision.DecisionID == u.Decision.DecisionID }) {
						s.out.pending = append(s.out.pending, u)
					}
				}
				slices.SortStableFunc(s.out.pending, func(a, b store.UnsentDecision) int {
					return a.Decision.DecidedAt.Compare(b.Decision.DecidedAt)
				})
				s.out.mu.Unlock()
				if len(us) > 0 {
					s.log.Info("decisions to send", "n", len(us))
				}
			} else if ctx.Err() == nil {
				s.log.Error("read unsent decisions", "err", err)
			}
		}
		if loaded && s.sendQueued(ctx) {
			wait = minWait
		} else if ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(2*wait, maxWait)
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.out.wake:
		}
	}
}

// sendQueued sends the queued decisions, oldest first, until one fails;
// it reports whether none is left.
func (s *Server) sendQueued(ctx context.Context) bool {
	s.out.send.Lock()
	defer s.out.send.Unlock()
	for {
		s.out.mu.Lock()
		if len(s.out.pending) == 0 {
			s.out.mu.Unlock()
			return true
		}
		u := s.out.pending[0]
		s.out.mu.Unlock()
		if ctx.Err() != nil {
			return false
		}
		if err := s.cfg.Publisher.PublishDecision(ctx, u.Decision); err != nil {
			if ctx.Err() == nil {
				s.log.Warn("send decision again", "decision", u.Decision.DecisionID, "err", err)
			}
			return false
		}
		s.markSent(ctx, u.Decision, u.Provinces)
		s.log.Info("decision sent", "decision", u.Decision.DecisionID)
		s.out.mu.Lock()
		s.out.pending = s.out.pending[1:]
		s.out.mu.Unlock()
	}
}
