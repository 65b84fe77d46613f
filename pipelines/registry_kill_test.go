package pipelines

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
)

// killedRegistryDir, set, makes TestRegistrySIGKILLedAfterItsFirstBatches
// the child: it links the batches in that directory, then kills itself.
const killedRegistryDir = "DANCU_TEST_KILLED_REGISTRY"

// A match stage SIGKILLed after a batch of 400 records and three of one:
// the registry's writes are not synced, and Pebble writes its log out
// when a block of it fills, so the store keeps the large batch and, most
// often, none of the small ones nor any position stored after the first
// batch. Started again, it holds every record the changelog has. Before
// the store was marked at its start (registry.StartChangelog) it held
// records and no position, was taken as written by an older dancu, and
// kept 400 records (5 runs of 5; with the mark, 12 of 13 kills left 400
// records and the mark, 1 an empty store).
func TestRegistrySIGKILLedAfterItsFirstBatches(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	recs := rebuildRecords(403)
	if dir := os.Getenv(killedRegistryDir); dir != "" {
		l, err := openStageRegistry(ctx, RegistryConfig{Dir: dir, Brokers: strings.Split(os.Getenv(killedRegistryDir+"_BROKERS"), ",")}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range [][2]int{{0, 400}, {400, 401}, {401, 402}, {402, 403}} {
			if _, err := l.Link(ctx, recs[b[0]:b[1]]); err != nil {
				t.Fatal(err)
			}
		}
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	brokers := []string{brokertest.Start(t)}
	dir := t.TempDir() + "/registry"
	cmd := exec.Command(os.Args[0], "-test.run=^TestRegistrySIGKILLedAfterItsFirstBatches$")
	cmd.Env = append(os.Environ(), killedRegistryDir+"="+dir, killedRegistryDir+"_BROKERS="+strings.Join(brokers, ","))
	out, err := cmd.CombinedOutput()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed: %v\n%s", err, out)
	}
	// What the kill left, as it was.
	bare, _, err := OpenRegistry(ctx, RegistryConfig{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	pos, ok, err := bare.Registry.ChangelogPosition()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the kill left %d records, position %+v (%v)", bare.Registry.Len(), pos, ok)
	// A store that kept records and no position names a message of its
	// changelog (the first it wrote, synced before its position), which a
	// topic deleted and made again lacks (TestRecreatedChangelogMeetsStore).
	if ok && pos.Start() && bare.Registry.Len() > 0 && pos.FirstKey == "" {
		t.Errorf("the kill left %d records and a start mark naming no message of the changelog: %+v", bare.Registry.Len(), pos)
	}
	bare.Close()
	var logs bytes.Buffer
	l, err := openStageRegistry(ctx, RegistryConfig{Dir: dir, Brokers: brokers}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got := l.Registry.Len(); got != uint64(len(recs)) {
		t.Errorf("after the kill and a start the registry holds %d records, want the changelog's %d:\n%s", got, len(recs), logs.String())
	}
}
