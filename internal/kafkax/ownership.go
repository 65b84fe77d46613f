package kafkax

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
	"github.com/segmentio/kafka-go/protocol/findcoordinator"
	"github.com/segmentio/kafka-go/protocol/heartbeat"
)

// Ownership follows the generations of a consumer-group reader of
// NewReader: which partitions it was given, and whether the generation
// that gave them has ended. kafka-go's Reader does not say; it logs it,
// and Ownership is its Logger (OwnershipOf finds it).
//
// A generation ends when the member's heartbeat learns of a rebalance (or
// the reader closes): kafka-go then stops the generation's heartbeat and
// commit loops and only then joins the group again, and the coordinator
// gives no partition to another member before every member still in the
// group has joined again. So a member that sees its generation live
// (Live) after having read a message in it holds that message's partition
// and no other member has been given it since — the fence the load stage
// puts before its inserts of coverage deltas (docs/pipeline.md, chaos13).
//
// A member that stalls (descheduled, paused, a slow machine) longer than
// the group's session or rebalance timeout is left out of the group, and
// its partitions given to another member, without its heartbeat loop
// learning it until it runs again: Live still says yes meanwhile. Held is
// the fence that does not trust that: it trusts a live generation only
// for a lease after the coordinator last answered for it (chaos18).
type Ownership struct {
	mu    sync.Mutex
	gen   int64 // generations subscribed so far
	ended bool  // the last one has ended
	parts map[int]bool
	next  kafka.Logger // the reader's own logger, if any

	// The lease (Held). group is the reader's consumer group; member and
	// genID name the live generation at the coordinator (kafka-go's
	// "Joined group" message; joined* hold the last one until its
	// partitions are subscribed). confirmed is a moment at or before the
	// coordinator's last answer that the member was in genID: the join
	// message's (logged before the SyncGroup that gave the partitions is
	// sent), or the sending of a heartbeat of Held's that was answered
	// without error. lease is how long after confirmed a live generation
	// is trusted (0: no lease, Held is Live); brokers is where Held asks.
	group              string
	brokers            []string
	lease              time.Duration
	member             string
	genID              int32
	confirmed          time.Time
	joinedMember       string
	joinedGen          int32
	joinedAt           time.Time
	confirms, refusals int64 // Held's heartbeats answered yes, and no
}

// NewOwnership returns the Ownership of a reader of group on brokers
// whose session and rebalance timeouts are session and rebalance: Held
// trusts a live generation for leaseFor(session, rebalance) after the
// coordinator last answered for it.
func NewOwnership(brokers []string, group string, session, rebalance time.Duration) *Ownership {
	return &Ownership{brokers: brokers, group: group, lease: leaseFor(session, rebalance)}
}

// leaseMargin is what the lease leaves of the shorter of a group's
// session and rebalance timeouts. No member can be given this member's
// partitions sooner than that timeout after the coordinator last heard
// it (see Held); the margin is for the clocks of two machines that run
// at slightly different rates, for the answer to the JoinGroup (a
// coordinator may restart the member's session when it sends it, one
// network trip before the join's message is logged; kfake and Kafka
// restart it again at the SyncGroup's answer, after), and for the
// moments between Held's check and what it guards (an insert's arrival
// at the engine, when there is no share).
const leaseMargin = 2 * time.Second

func leaseFor(session, rebalance time.Duration) time.Duration {
	return min(session, rebalance) - leaseMargin
}

// confirmTimeout bounds Held's heartbeat (its coordinator look-up, dial
// and answer).
const confirmTimeout = 3 * time.Second

// The messages of kafka-go v0.4's Reader and ConsumerGroup that Ownership
// follows (their format strings, which it compares, not their text).
const (
	logSubscribed       = "subscribed to topics and partitions: %+v"
	logStoppedHeartbeat = "stopped heartbeat for group %s\n"
	logStoppedCommit    = "stopped commit for group %s\n"
	logJoined           = "Joined group %s as member %s in generation %d"
)

// Printf implements kafka.Logger: it follows the generations and passes
// every message on to the logger it wraps, if any.
func (o *Ownership) Printf(format string, args ...any) {
	switch format {
	case logJoined:
		if len(args) == 3 {
			member, _ := args[1].(string)
			gen, _ := args[2].(int32)
			o.mu.Lock()
			o.joinedMember, o.joinedGen, o.joinedAt = member, gen, time.Now()
			o.mu.Unlock()
		}
	case logSubscribed:
		parts := map[int]bool{}
		if len(args) == 1 {
			// map[topicPartition]int64, topicPartition{topic string; partition int32}
			if v := reflect.ValueOf(args[0]); v.Kind() == reflect.Map {
				for _, k := range v.MapKeys() {
					if k.Kind() == reflect.Struct {
						if f := k.FieldByName("partition"); f.IsValid() && f.CanInt() {
							parts[int(f.Int())] = true
						}
					}
				}
			}
		}
		o.mu.Lock()
		o.gen++
		o.ended = false
		o.parts = parts
		o.member, o.genID, o.confirmed = o.joinedMember, o.joinedGen, o.joinedAt
		o.mu.Unlock()
	case logStoppedHeartbeat, logStoppedCommit:
		o.mu.Lock()
		o.ended = true
		o.parts = nil
		o.mu.Unlock()
	}
	if o.next != nil {
		o.next.Printf(format, args...)
	}
}

// Generation returns the count of generations the reader has been given
// partitions in (0: none yet) and whether the last one is still live.
func (o *Ownership) Generation() (gen int64, live bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.gen, o.gen > 0 && !o.ended
}

// Live says whether generation gen is the reader's current one and has
// not ended: the partitions it gave are still the reader's alone.
func (o *Ownership) Live(gen int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.gen == gen && gen > 0 && !o.ended
}

// Owns says whether partition is among those generation gen gave, and gen
// is live.
func (o *Ownership) Owns(gen int64, partition int) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.gen == gen && gen > 0 && !o.ended && o.parts[partition]
}

// Held is Live(gen) for a fence that must not trust a member's view of
// its generation longer than the coordinator would keep the member in it
// unheard. It says yes at once while the lease runs — within
// leaseFor(session, rebalance) of the moment confirmed, at or before the
// coordinator's last answer for the generation —; past it, it sends a
// heartbeat of its own to the group's coordinator, now, and says yes only
// if the coordinator answers it without error (the lease then runs from
// the heartbeat's sending). An answer that the member is no longer in the
// generation (unknown member, illegal generation, a rebalance under way,
// fenced) ends the generation here as kafka-go's heartbeat loop would
// have; any other failure (the coordinator unreachable within
// confirmTimeout) says no without ending it, and the next call asks again.
//
// Why a yes holds: a coordinator gives a member's partitions to another
// only in a generation that completes without it, which takes either the
// member's session timeout without a heartbeat (counted from the last one
// it answered) or, once a rebalance began (after the coordinator last
// answered this member without one under way), the rebalance timeout for
// the member to join again. Neither can end sooner than min(session,
// rebalance) after confirmed; Held says yes only before confirmed plus
// that less leaseMargin. So a yes at time t means that no other member had
// been given the generation's partitions at t — and still cannot be for
// leaseMargin more. What a yes does not cover is what the caller does
// after it: a stall longer than leaseMargin between Held's yes and the
// moment what it fenced takes effect (for the load stage's inserts of
// deltas with a share, none: they are published before the last Held and
// anything after is made again under the same token; without a share, the
// insert's arrival at the engine).
func (o *Ownership) Held(gen int64) bool {
	o.mu.Lock()
	if o.gen != gen || gen <= 0 || o.ended {
		o.mu.Unlock()
		return false
	}
	if o.lease <= 0 || time.Since(o.confirmed) < o.lease {
		o.mu.Unlock()
		return true
	}
	group, member, genID, brokers := o.group, o.member, o.genID, o.brokers
	o.mu.Unlock()
	if member == "" {
		// The join's message was not seen (a kafka-go that words it
		// otherwise): nothing to ask with, Live alone.
		// TestOwnershipHeldAsksTheCoordinatorPastItsLease fails then.
		return true
	}
	sent := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), confirmTimeout)
	err := heartbeatNow(ctx, brokers, group, member, genID)
	cancel()
	o.mu.Lock()
	defer o.mu.Unlock()
	if err != nil {
		o.refusals++
		var kerr kafka.Error
		if errors.As(err, &kerr) && gone(kerr) && o.gen == gen {
			o.ended = true
			o.parts = nil
		}
		return false
	}
	o.confirms++
	if o.gen != gen || o.ended {
		return false
	}
	if sent.After(o.confirmed) {
		o.confirmed = sent
	}
	return true
}

// Confirms returns how many of Held's own heartbeats the coordinator
// answered yes and how many it answered no or did not answer.
func (o *Ownership) Confirms() (yes, no int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.confirms, o.refusals
}

// gone says whether a heartbeat's error means the member is not, or no
// longer, in the generation it named.
func gone(e kafka.Error) bool {
	switch e {
	case kafka.UnknownMemberId, kafka.IllegalGeneration, kafka.RebalanceInProgress, kafka.FencedInstanceID:
		return true
	}
	return false
}

// heartbeatNow sends one heartbeat of member in generation gen of group
// to the group's coordinator (found through brokers) and returns the
// coordinator's error, as a kafka.Error, or the failure to ask. kafka-go's
// Client.Heartbeat is not used: its request is routed to the cluster's
// controller, not the group's coordinator.
func heartbeatNow(ctx context.Context, brokers []string, group, member string, gen int32) error {
	var coord string
	var err error
	for _, b := range brokers {
		var m protocol.Message
		if m, err = roundTrip(ctx, b, &findcoordinator.Request{Key: group}); err != nil {
			continue
		}
		r := m.(*findcoordinator.Response)
		if r.ErrorCode != 0 {
			err = kafka.Error(r.ErrorCode)
			continue
		}
		coord = net.JoinHostPort(r.Host, strconv.Itoa(int(r.Port)))
		break
	}
	if coord == "" {
		return fmt.Errorf("find the coordinator of group %s: %w", group, err)
	}
	m, err := roundTrip(ctx, coord, &heartbeat.Request{GroupID: group, GenerationID: gen, MemberID: member})
	if err != nil {
		return fmt.Errorf("heartbeat of group %s: %w", group, err)
	}
	if c := m.(*heartbeat.Response).ErrorCode; c != 0 {
		return fmt.Errorf("heartbeat of group %s: %w", group, kafka.Error(c))
	}
	return nil
}

// roundTrip sends req (version 0) on a connection of its own to addr and
// reads its answer.
func roundTrip(ctx context.Context, addr string, req protocol.Message) (protocol.Message, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := c.SetDeadline(dl); err != nil {
			return nil, err
		}
	}
	return protocol.RoundTrip(c, 0, 1, "dancu-fence", req)
}

// OwnershipOf returns the Ownership of a reader made by NewReader (nil for
// any other reader).
func OwnershipOf(r any) *Ownership {
	c, ok := r.(interface{ Config() kafka.ReaderConfig })
	if !ok {
		return nil
	}
	o, _ := c.Config().Logger.(*Ownership)
	return o
}
