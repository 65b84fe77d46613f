package brokertest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/broker"
)

// childEnv makes a test binary run a broker instead of its tests.
const childEnv = "DANCU_BROKERTEST_CHILD_DATADIR"

// RunChildIfAsked must be called first in the TestMain of a package that
// uses StartChild: in the child process it runs the broker until killed
// and never returns.
func RunChildIfAsked() {
	dir := os.Getenv(childEnv)
	if dir == "" {
		return
	}
	b, err := broker.Start(context.Background(), broker.Config{Addr: "127.0.0.1:0", DataDir: dir, SyncWrites: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("ADDR %s\n", b.Addr())
	select {} // until killed
}

// StartChild runs a broker (SyncWrites) on dir in a child process — the
// test binary itself, re-executed — so that a test can SIGKILL it, and
// returns its address and the process. The process is killed at cleanup.
func StartChild(t testing.TB, dir string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
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
		t.Fatalf("brokertest: child broker: %v", err)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if !ok {
		t.Fatalf("brokertest: child broker said %q", line)
	}
	return addr, cmd
}
