package main

import (
	"fmt"
	"io"
	"os"
)

// privateDir makes dir (and its missing parents) readable by its owner
// only, before a command keeps citizens' records in it: the embedded
// broker's topics, the embedded engine's tables (names, numbers, the desk's
// password hashes), the registry and the score stores. A directory that
// exists and that other users of the machine may read or enter is
// tightened to its owner's bits, saying so on w: under a umask of 022 it
// was world-readable, and an account on the machine that may read
// coverage counts (an analyst) could read every record there.
func privateDir(w io.Writer, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(dir, perm&0o700); err != nil {
			return fmt.Errorf("%s: other users of this machine may read it (%v) and it could not be made private: %w", dir, perm, err)
		}
		fmt.Fprintf(w, "note: %s was open to other users of this machine (%v); now %v, as it holds citizens' records\n", dir, perm, perm&0o700)
	}
	return nil
}
