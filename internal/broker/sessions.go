package broker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// sessions removes from a classic consumer group the members that kfake
// keeps with no session timer, as Kafka's session timeout would.
//
// kfake starts a member's session timer when it answers one of its
// requests, and a new member has none while its JoinGroup waits for the
// rebalance. When the client dies meanwhile (SIGKILL), the answer finds
// the connection closed one time in two (kfake's reply picks at random
// between its buffered write and the closed connection) and no timer is
// started. If the leader then syncs, the group is Stable with the dead
// member holding its share of the partitions, and nothing reads them
// until another member joins or leaves: `dancu chaos --seed 1010 --runs
// 4`, run 4, the match group's partitions 0-2 never read, "stalled" until
// the harness restarted dancu run (chaos2; TestDeadJoinerLeavesGroup).
//
// The broker sees every request of a member that names it (join, sync,
// heartbeat, offset commit); in a Stable group a member not heard from
// for its session timeout (and a grace, so that kfake's own timer goes
// first when it has one), counted from no earlier than the moment the
// group was seen Stable at this generation, is removed with a LeaveGroup
// on its behalf, which makes the group rebalance. The session timeout is
// the one the member's JoinGroup asked for or, when the broker never saw
// a JoinGroup naming the member, the longest one its group's JoinGroups
// asked for: a kafka-go client (JoinGroup v2) names no member id in its
// first join, and learns it from the answer.
type sessions struct {
	cluster *kfake.Cluster
	log     *slog.Logger
	// client sends the LeaveGroups on a transport of its own, whose idle
	// connection is closed when the sweep ends: kafka-go's default
	// transport kept it open 30 s past Broker.Close.
	client    *kafka.Client
	transport *kafka.Transport

	mu   sync.Mutex
	seen map[memberKey]memberSeen
	// classic holds the groups a JoinGroup named: only they are swept (a
	// KIP-848 group's members heartbeat otherwise, and kfake times them
	// out itself).
	classic map[string]groupSeen
	stable  map[string]stableSince
}

type memberKey struct{ group, member string }

type memberSeen struct {
	at      time.Time
	timeout time.Duration // 0 until its JoinGroup is seen
}

// groupSeen is what the JoinGroups of a classic group said.
type groupSeen struct {
	joined time.Time // the last JoinGroup
	// timeout is the longest session timeout its JoinGroups asked for,
	// those without a member id too: it stands for the timeout of a
	// member whose own JoinGroup named no member id (kafka-go's, JoinGroup
	// v2: its first join gets its id in the answer) or was forgotten.
	timeout time.Duration
}

type stableSince struct {
	generation int32
	at         time.Time
}

const (
	// sessionGrace is added to a member's session timeout before the
	// broker removes it: kfake's own timer, when it runs, removes it first.
	sessionGrace = 2 * time.Second
	// unknownSessionTimeout stands for the session timeout of a member
	// of a group none of whose JoinGroups the broker saw (one restored
	// from disk).
	unknownSessionTimeout = 45 * time.Second
	sessionSweep          = time.Second
)

// watchSessions installs the request hooks and runs the sweep until stop
// is closed; done is closed when the sweep has returned.
func watchSessions(c *kfake.Cluster, addr string, log *slog.Logger, stop <-chan struct{}, done chan<- struct{}) {
	s := newSessions(c, addr, log)
	observe := func(key kmsg.Key, f func(kmsg.Request)) {
		c.ControlKey(key.Int16(), func(req kmsg.Request) (kmsg.Response, error, bool) {
			f(req)
			return nil, nil, false // kfake answers it
		})
	}
	observe(kmsg.JoinGroup, func(r kmsg.Request) {
		if req, ok := r.(*kmsg.JoinGroupRequest); ok {
			s.heard(req.Group, req.MemberID, time.Duration(req.SessionTimeoutMillis)*time.Millisecond)
		}
	})
	observe(kmsg.SyncGroup, func(r kmsg.Request) {
		if req, ok := r.(*kmsg.SyncGroupRequest); ok {
			s.heard(req.Group, req.MemberID, 0)
		}
	})
	observe(kmsg.Heartbeat, func(r kmsg.Request) {
		if req, ok := r.(*kmsg.HeartbeatRequest); ok {
			s.heard(req.Group, req.MemberID, 0)
		}
	})
	observe(kmsg.OffsetCommit, func(r kmsg.Request) {
		if req, ok := r.(*kmsg.OffsetCommitRequest); ok {
			s.heard(req.Group, req.MemberID, 0)
		}
	})
	go func() {
		defer close(done)
		defer s.transport.CloseIdleConnections()
		t := time.NewTicker(sessionSweep)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				s.sweep(stop)
			}
		}
	}()
}

func newSessions(c *kfake.Cluster, addr string, log *slog.Logger) *sessions {
	t := &kafka.Transport{}
	return &sessions{cluster: c, log: log, transport: t, client: &kafka.Client{Addr: kafka.TCP(addr), Timeout: 5 * time.Second, Transport: t},
		seen: map[memberKey]memberSeen{}, classic: map[string]groupSeen{}, stable: map[string]stableSince{}}
}

// heard notes a request of member; timeout is its session timeout when
// the request says it (a JoinGroup), else 0. A JoinGroup without a
// member id (a new member's first) tells only the group's timeout.
func (s *sessions) heard(group, member string, timeout time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	g, ok := s.classic[group]
	if timeout > 0 {
		g.joined = now
		g.timeout = max(g.timeout, timeout)
		s.classic[group] = g
	} else if !ok {
		return
	}
	if member == "" {
		return
	}
	k := memberKey{group, member}
	m := s.seen[k]
	m.at = now
	if timeout > 0 {
		m.timeout = timeout
	}
	s.seen[k] = m
}

// timeout is the session timeout taken for a member of group: its own,
// else the group's, else unknownSessionTimeout. s.mu is held.
func (s *sessions) timeout(group string, m memberSeen) time.Duration {
	switch {
	case m.timeout > 0:
		return m.timeout
	case s.classic[group].timeout > 0:
		return s.classic[group].timeout
	}
	return unknownSessionTimeout
}

// sweep removes the members of Stable groups not heard from for their
// session timeout.
//
// What the sweep knows of a member or a group is kept until it has not
// been heard from for its session timeout (and the grace), even when kfake
// does not list it: the request hooks run before kfake handles the
// request, and GroupInfo may be older than the last hook, so a member
// whose JoinGroup was just seen may not be listed yet. Forgetting it there
// lost its session timeout, and the sweep took 45 s for it (rv8), the
// chaos harness's stall limit.
func (s *sessions) sweep(stop <-chan struct{}) {
	s.mu.Lock()
	groups := make([]string, 0, len(s.classic))
	for g := range s.classic {
		groups = append(groups, g)
	}
	s.mu.Unlock()
	for _, g := range groups {
		info := s.cluster.GroupInfo(g)
		now := time.Now()
		s.mu.Lock()
		var expired []string
		in := map[string]bool{}
		if info != nil {
			for _, m := range info.Members {
				in[m.MemberID] = true
			}
		}
		for k, m := range s.seen {
			if k.group == g && !in[k.member] && now.Sub(m.at) > s.timeout(g, m)+sessionGrace {
				delete(s.seen, k) // left, expired or removed
			}
		}
		if gs := s.classic[g]; info == nil && now.Sub(gs.joined) > s.timeout(g, memberSeen{})+sessionGrace {
			delete(s.classic, g) // deleted (empty groups expire)
		}
		if info == nil || info.State != "Stable" {
			delete(s.stable, g)
			s.mu.Unlock()
			continue
		}
		st, ok := s.stable[g]
		if !ok || st.generation != info.Epoch {
			st = stableSince{generation: info.Epoch, at: now}
			s.stable[g] = st
		}
		for _, m := range info.Members {
			k := memberKey{g, m.MemberID}
			seen, ok := s.seen[k]
			if !ok {
				seen = memberSeen{at: now}
				s.seen[k] = seen
			}
			last := seen.at
			if st.at.After(last) {
				last = st.at
			}
			if now.Sub(last) > s.timeout(g, seen)+sessionGrace {
				expired = append(expired, m.MemberID)
			}
		}
		s.mu.Unlock()
		for _, id := range expired {
			s.remove(stop, g, id)
		}
	}
}

// remove makes member leave group, as its session timeout would have.
func (s *sessions) remove(stop <-chan struct{}, group, member string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	resp, err := s.client.LeaveGroup(ctx, &kafka.LeaveGroupRequest{GroupID: group, Members: []kafka.LeaveGroupRequestMember{{ID: member}}})
	if err == nil {
		err = resp.Error
	}
	if err == nil && len(resp.Members) == 1 {
		err = resp.Members[0].Error
	}
	if err != nil {
		s.log.Warn("broker: could not remove a consumer-group member past its session timeout", "group", group, "member", member, "err", err)
		return
	}
	s.log.Warn("broker: removed a consumer-group member not heard from for its session timeout (its client died while the group rebalanced); the group rebalances",
		"group", group, "member", member)
}
