package pipelines_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/pipelines"
)

// The broker is killed (SIGKILL) in the middle of an import and restarted
// on its data directory; the import is run again. Every accepted row ends
// in ClickHouse exactly once.
func TestBrokerKilledMidImport(t *testing.T) {
	e := newEnv(t)
	dir, m := generate(t, 3000, "csv")
	path := sourceFiles(t, dir, m)[0]
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	kdir := filepath.Join(t.TempDir(), "kafka")

	addr, child := brokertest.StartChild(t, kdir)
	src, err := ingest.Open(path, ingest.Options{SourceDate: date})
	if err != nil {
		t.Fatal(err)
	}
	killed := false
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	_, err = pipelines.Import(ctx, pipelines.ImportConfig{Brokers: []string{addr}, BatchRows: 100}, src, func(s pipelines.Stats) {
		if !killed && s.PublishedRecords > 0 {
			killed = true
			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Errorf("kill broker: %v", err)
			}
			child.Wait()
			cancel() // the import sees its broker gone; stop it rather than wait for retries
		}
	})
	cancel()
	src.Close()
	if !killed {
		t.Fatalf("the import finished before the broker could be killed (err %v)", err)
	}
	if err == nil {
		t.Fatal("import reported success although its broker was killed")
	}

	// Restart on the same data directory and import again.
	addr, _ = brokertest.StartChild(t, kdir)
	e.brokers = []string{addr}
	e.cfg.Brokers = e.brokers
	full := e.importFile(t, path, date)
	e.runStages(t)
	e.drain(t)
	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(full.Accepted) {
		t.Errorf("records %d, want %d", got, full.Accepted)
	}
	if got := e.count(t, "SELECT count() FROM links FINAL"); got != uint64(full.Accepted) {
		t.Errorf("links %d, want %d", got, full.Accepted)
	}
}
