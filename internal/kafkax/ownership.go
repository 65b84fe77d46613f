package kafkax

import (
	"reflect"
	"sync"

	"github.com/segmentio/kafka-go"
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
// A member that stalls longer than the group's rebalance timeout is left
// out of the group without learning it at once; that case is not fenced.
type Ownership struct {
	mu    sync.Mutex
	gen   int64 // generations subscribed so far
	ended bool  // the last one has ended
	parts map[int]bool
	next  kafka.Logger // the reader's own logger, if any
}

// The messages of kafka-go v0.4's Reader and ConsumerGroup that Ownership
// follows (their format strings, which it compares, not their text).
const (
	logSubscribed       = "subscribed to topics and partitions: %+v"
	logStoppedHeartbeat = "stopped heartbeat for group %s\n"
	logStoppedCommit    = "stopped commit for group %s\n"
)

// Printf implements kafka.Logger: it follows the generations and passes
// every message on to the logger it wraps, if any.
func (o *Ownership) Printf(format string, args ...any) {
	switch format {
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
