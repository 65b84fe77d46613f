package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// createPrivate creates (or truncates) a file that will hold citizens'
// records — `dancu link`'s clusters and conflicts carry every full
// identification number, `review labels` the desk's decisions on record
// ids — readable by its owner only (0600), whatever the umask: os.Create's
// 0666 under a umask of 022 let every user of the machine read them. A
// file that exists keeps its contents' name but loses the others' bits.
func createPrivate(path string) (*os.File, error) {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := fh.Chmod(0o600); err != nil && !isNotOwner(err) {
		fh.Close()
		return nil, err
	}
	return fh, nil
}

// isNotOwner reports a chmod refused because the file is another user's
// (written through a group's write bit): the file stays as its owner made
// it, which is theirs to decide.
func isNotOwner(err error) bool { return errors.Is(err, fs.ErrPermission) }
