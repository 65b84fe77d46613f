package broker_test

import (
	"context"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
)

// clusterID asks the broker at addr for its cluster id, as a client does.
func clusterID(t *testing.T, addr string) string {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr), Transport: &kafka.Transport{}}
	defer c.Transport.(*kafka.Transport).CloseIdleConnections()
	md, err := c.Metadata(context.Background(), &kafka.MetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return md.ClusterID
}

// TestClusterIDPerDataDir: every embedded broker was cluster "dancu", so
// a registry's check that its changelog is on the cluster it was written
// against could not tell two embedded brokers apart (stop 32's "Crash
// safety" list). Each new data directory (and each broker without one)
// now gets a random id, kept in the directory across restarts, kills
// included; a directory made before keeps the id it was made with, so
// the registries written against an old "dancu" broker still start.
func TestClusterIDPerDataDir(t *testing.T) {
	t.Parallel()
	start := func(cfg broker.Config) string {
		b := brokertest.StartConfig(t, cfg)
		id := clusterID(t, b.Addr())
		if id != b.ClusterID() {
			t.Errorf("metadata says cluster %q, Broker.ClusterID %q", id, b.ClusterID())
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b := t.TempDir(), t.TempDir()
	idA, idB, mem1, mem2 := start(broker.Config{DataDir: a}), start(broker.Config{DataDir: b}), start(broker.Config{}), start(broker.Config{})
	ids := map[string]bool{idA: true, idB: true, mem1: true, mem2: true, "dancu": true}
	if len(ids) != 5 || len(idA) != 22 {
		t.Errorf("new data dirs are clusters %q and %q, brokers without one %q and %q: want four random ids of 22 characters, none \"dancu\"", idA, idB, mem1, mem2)
	}
	if again := start(broker.Config{DataDir: a}); again != idA {
		t.Errorf("restarted on its data dir, the broker is cluster %q, was %q", again, idA)
	}
	if again := start(broker.Config{DataDir: a, ClusterID: "other"}); again != idA {
		t.Errorf("restarted on its data dir with ClusterID \"other\", the broker is cluster %q, was %q", again, idA)
	}

	// A data dir of an older dancu, whose brokers were all "dancu".
	old := t.TempDir()
	if id := start(broker.Config{DataDir: old, ClusterID: "dancu"}); id != "dancu" {
		t.Fatalf("ClusterID \"dancu\" on a new dir gave %q", id)
	}
	if id := start(broker.Config{DataDir: old}); id != "dancu" {
		t.Errorf("an old data dir of cluster \"dancu\" restarted as cluster %q", id)
	}

	// Killed, never closed: the id was stored at the first start.
	killed := t.TempDir()
	addr, child := brokertest.StartChild(t, killed)
	id := clusterID(t, addr)
	_ = child.Process.Kill()
	_ = child.Wait()
	addr, _ = brokertest.StartChild(t, killed)
	if again := clusterID(t, addr); again != id {
		t.Errorf("restarted after a kill, the broker is cluster %q, was %q", again, id)
	}
}
