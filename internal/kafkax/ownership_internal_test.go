package kafkax

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
)

// Held trusts a live generation while its lease runs and asks the
// coordinator past it: a member still in the generation is answered yes
// (and the lease runs again from then), one the coordinator no longer
// has in it is answered no, and the generation ends here. The lease is
// shortened to 300 ms (10 s less the margin in NewReader's readers).
func TestOwnershipHeldAsksTheCoordinatorPastItsLease(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	const topic, group = "dancu.test.held", "load"
	if err := EnsureTopics(ctx, brokers, map[string]int{topic: 2}); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	go r.FetchMessage(rctx) // joins the group; nothing to read
	own := OwnershipOf(r)
	if want := 8 * time.Second; own.lease != want {
		t.Errorf("lease %v, want %v (10 s less the margin)", own.lease, want)
	}
	var gen int64
	for deadline := time.Now().Add(30 * time.Second); ; {
		var live bool
		if gen, live = own.Generation(); live {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no live generation in 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	own.mu.Lock()
	own.lease = 300 * time.Millisecond
	member, genID := own.member, own.genID
	own.mu.Unlock()
	if member == "" || genID <= 0 {
		t.Fatalf("the generation's member %q and id %d were not learned from the join", member, genID)
	}
	if !own.Held(gen) {
		t.Fatal("a generation just joined is not held within its lease")
	}
	if yes, no := own.Confirms(); yes+no != 0 {
		t.Errorf("Held asked the coordinator within the lease (%d yes, %d no)", yes, no)
	}
	time.Sleep(400 * time.Millisecond)
	start := time.Now()
	if !own.Held(gen) {
		t.Fatal("a member still in its generation is not held past its lease")
	}
	t.Logf("Held's heartbeat (coordinator look-up, dial, answer) took %v", time.Since(start))
	if yes, no := own.Confirms(); yes != 1 || no != 0 {
		t.Errorf("past the lease Held was answered %d yes, %d no; want 1 yes", yes, no)
	}
	if !own.Held(gen) {
		t.Fatal("not held right after a confirmation")
	}
	if yes, _ := own.Confirms(); yes != 1 {
		t.Errorf("Held asked again within the lease the heartbeat renewed (%d yes)", yes)
	}

	// The coordinator's answers to a member it does not have in a
	// generation.
	for _, c := range []struct {
		member string
		gen    int32
		want   kafka.Error
	}{{"nobody", genID, kafka.UnknownMemberId}, {member, genID + 5, kafka.IllegalGeneration}} {
		err := heartbeatNow(ctx, brokers, group, c.member, c.gen)
		if !errors.Is(err, c.want) {
			t.Errorf("heartbeat of member %q in generation %d: %v, want %v", c.member, c.gen, err, c.want)
		}
	}
	// So a member whose generation the coordinator has moved past is not
	// held, and its generation ends here.
	own.mu.Lock()
	own.genID = genID + 5
	own.mu.Unlock()
	time.Sleep(400 * time.Millisecond)
	if own.Held(gen) {
		t.Error("held a generation the coordinator does not know")
	}
	if own.Live(gen) {
		t.Error("the generation is still live after the coordinator said the member is not in it")
	}
	if _, no := own.Confirms(); no != 1 {
		t.Errorf("%d refusals, want 1", no)
	}
}
