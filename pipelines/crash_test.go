package pipelines_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/pipelines"
)

// childBrokerEnv makes the test binary run a broker on the named data
// directory instead of the tests, so that a test can SIGKILL it.
const childBrokerEnv = "DANCU_PIPELINES_TEST_BROKER_DIR"

func runChildBroker(dir string) int {
	b, err := broker.Start(context.Background(), broker.Config{Addr: "127.0.0.1:0", DataDir: dir, SyncWrites: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("ADDR %s\n", b.Addr())
	select {}
}

func startChildBroker(t *testing.T, dir string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childBrokerEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("child broker: %v", err)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if !ok {
		t.Fatalf("child broker said %q", line)
	}
	return addr, cmd
}

// The broker is killed (SIGKILL) in the middle of an import and restarted
// on its data directory; the import is run again. Every accepted row ends
// in ClickHouse exactly once.
func TestBrokerKilledMidImport(t *testing.T) {
	e := newEnv(t)
	dir, m := generate(t, 3000, "csv")
	path := sourceFiles(t, dir, m)[0]
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	kdir := filepath.Join(t.TempDir(), "kafka")

	addr, child := startChildBroker(t, kdir)
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
	addr, _ = startChildBroker(t, kdir)
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
