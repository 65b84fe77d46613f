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
	// Kill the broker once 2,000 rows are read (20 batches of 100 handed
	// to the writers), then stop the import rather than wait for retries.
	st, err := pipelines.Import(ctx, pipelines.ImportConfig{Brokers: []string{addr}, BatchRows: 100},
		&afterRows{Source: src, n: 2000, do: func() {
			killed = true
			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Errorf("kill broker: %v", err)
			}
			child.Wait()
			cancel()
		}}, nil)
	cancel()
	src.Close()
	if !killed {
		t.Fatalf("the import finished before the broker could be killed (err %v)", err)
	}
	if err == nil || st.Done {
		t.Fatal("import reported success although its broker was killed")
	}
	t.Logf("at the kill: %d rows read, %d records acknowledged", st.Read, st.PublishedRecords)

	// Restart on the same data directory and import again.
	addr, _ = brokertest.StartChild(t, kdir)
	e.brokers = []string{addr}
	e.cfg.Brokers = e.brokers
	e.runStages(t)
	// Everything the broker acknowledged before the kill is still there.
	e.drain(t)
	if got := e.count(t, "SELECT count() FROM records FINAL"); got < uint64(st.PublishedRecords) {
		t.Errorf("after the restart %d records reached ClickHouse, but %d were acknowledged before the kill", got, st.PublishedRecords)
	}
	full := e.importFile(t, path, date)
	e.drain(t)
	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(full.Accepted) {
		t.Errorf("records %d, want %d", got, full.Accepted)
	}
	if got := e.count(t, "SELECT count() FROM links FINAL"); got != uint64(full.Accepted) {
		t.Errorf("links %d, want %d", got, full.Accepted)
	}
}
