package registry

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestPebbleFatalfSaysStoreFailure: a full disk under a background flush
// or compaction ends the store through Pebble's Fatalf ("MANIFEST sync
// failed: …"), not through the commit's panic the match stage turns into
// a StoreFailure, and said only "the disk is full … free space on it"
// for ENOSPC and nothing for any other failed write. It now says what a
// StoreFailure of the same error says, the way out by errno, and exits 1
// as a stopped stage does. Fatalf ends the process, so it runs in a child.
func TestPebbleFatalfSaysStoreFailure(t *testing.T) {
	pe := func(errno syscall.Errno) error {
		return &fs.PathError{Op: "sync", Path: "/srv/dancu/scores/MANIFEST-000001", Err: errno}
	}
	if c := os.Getenv("DANCU_TEST_PEBBLE_FATALF"); c != "" {
		switch c {
		case "ENOSPC":
			pebbleLogger{store: "scorer"}.Fatalf("MANIFEST sync failed: %v", pe(syscall.ENOSPC))
		case "EIO":
			pebbleLogger{store: "registry"}.Fatalf("MANIFEST flush failed: %v", pe(syscall.EIO))
		case "bug":
			pebbleLogger{store: "registry"}.Fatalf("empty compaction chosen")
		}
		os.Exit(3) // Fatalf returned
	}
	for _, tc := range []struct {
		name, want, not string
	}{
		{"ENOSPC", StoreFailureMessage("score store", fatalError{"MANIFEST sync failed: " + pe(syscall.ENOSPC).Error(), pe(syscall.ENOSPC)}), ""},
		{"EIO", StoreFailureMessage("registry", fatalError{"MANIFEST flush failed: " + pe(syscall.EIO).Error(), pe(syscall.EIO)}), "Free space"},
		{"bug", "ERROR empty compaction chosen store=registry", "store on disk failed"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPebbleFatalfSaysStoreFailure$")
		cmd.Env = append(os.Environ(), "DANCU_TEST_PEBBLE_FATALF="+tc.name)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%s: the child ended with %v, want exit status 1; it said %s", tc.name, err, out)
		}
		if !strings.Contains(string(out), tc.want) || (tc.not != "" && strings.Contains(string(out), tc.not)) {
			t.Errorf("%s: Pebble's fatal error said\n%s\nwant it to say\n%s\nand not %q", tc.name, out, tc.want, tc.not)
		}
	}
}
