package kafkax_test

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

// A reader of NewReader alone in its group is given both partitions; when
// a second member joins, the first one's generation is no longer live
// (what it read in it is no longer its own to commit) and the next one
// gives each member one partition, none to both.
func TestOwnershipFollowsTheGroup(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	const topic, group = "dancu.test.ownership", "load"
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{topic: 2}); err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	join := func() *kafkax.Ownership {
		r, err := kafkax.NewReader(brokers, group, topic)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		go r.FetchMessage(rctx) // joins the group; nothing to read
		own := kafkax.OwnershipOf(r)
		if own == nil {
			t.Fatal("a reader of NewReader has no Ownership")
		}
		return own
	}
	owned := func(own *kafkax.Ownership, gen int64) (parts []int) {
		for p := range 2 {
			if own.Owns(gen, p) {
				parts = append(parts, p)
			}
		}
		return parts
	}
	waitLive := func(own *kafkax.Ownership, after int64, n int) int64 {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); ; {
			if gen, live := own.Generation(); live && gen > after && len(owned(own, gen)) == n {
				return gen
			}
			if time.Now().After(deadline) {
				gen, live := own.Generation()
				t.Fatalf("no live generation after %d giving %d partitions in a minute (generation %d, live %v, partitions %v)",
					after, n, gen, live, owned(own, gen))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	first := join()
	if gen, live := first.Generation(); live {
		t.Errorf("generation %d live before the reader joined", gen)
	}
	g1 := waitLive(first, 0, 2)
	second := join()
	g2 := waitLive(first, g1, 1)
	if first.Live(g1) || first.Owns(g1, 0) || first.Owns(g1, 1) {
		t.Errorf("the first member's generation %d is still live after the second joined", g1)
	}
	h := waitLive(second, 0, 1)
	a, b := owned(first, g2), owned(second, h)
	if a[0] == b[0] {
		t.Errorf("both members hold partition %d", a[0])
	}

	plain := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic})
	defer plain.Close()
	if kafkax.OwnershipOf(plain) != nil {
		t.Error("a reader not of NewReader has an Ownership")
	}
}
