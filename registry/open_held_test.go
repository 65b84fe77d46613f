package registry_test

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
)

// TestOpenHeldByAnotherProcess: a second dancu run on one --home (another
// process) found the registry's LOCK held and stopped with only "open
// registry …: resource temporarily unavailable" (user16). It now says
// another process has the registry open, and what to do.
func TestOpenHeldByAnotherProcess(t *testing.T) {
	if dir := os.Getenv("DANCU_TEST_HOLD_REGISTRY"); dir != "" {
		holdRegistry(t, dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenHeldByAnotherProcess$")
	cmd.Env = append(os.Environ(), "DANCU_TEST_HOLD_REGISTRY="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close() // the holder closes the registry and ends
	held := false
	for sc := bufio.NewScanner(stdout); sc.Scan(); {
		if sc.Text() == "held" {
			held = true
			break
		}
	}
	if !held {
		t.Fatal("the other process did not open the registry")
	}
	reg, err := openTrainedIn(t, dir)
	if err == nil {
		reg.Close()
		t.Fatal("a registry another process holds opened")
	}
	if !strings.Contains(err.Error(), "another process has it open") || !strings.Contains(err.Error(), "--home") {
		t.Errorf("the refusal %q does not say another process holds the registry and what to do", err)
	}
}

// holdRegistry opens the registry in dir, says "held" and keeps it open
// until its stdin closes (the other side of TestOpenHeldByAnotherProcess).
func holdRegistry(t *testing.T, dir string) {
	reg, err := openTrainedIn(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	os.Stdout.WriteString("held\n")
	bufio.NewReader(os.Stdin).ReadString('\n')
}

// openTrainedIn opens the registry in dir with the embedded model.
func openTrainedIn(t *testing.T, dir string) (*registry.Registry, error) {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	return registry.Open(registry.Config{Dir: dir, Settings: s})
}
