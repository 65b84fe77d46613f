package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrivateDir: a data directory is made readable by its owner only,
// whether dancu makes it or finds it open to other users (the default
// umask's 0755); one already private is left as it is, without a word.
func TestPrivateDir(t *testing.T) {
	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	fresh := filepath.Join(root, "home", "kafka")
	if err := privateDir(&w, fresh); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{fresh, filepath.Dir(fresh)} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s made: %v %v, want 0700", d, fi.Mode().Perm(), err)
		}
	}
	if w.Len() != 0 {
		t.Errorf("a directory made private said %q", w.String())
	}

	open := filepath.Join(root, "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := privateDir(&w, open); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(open); fi.Mode().Perm() != 0o700 {
		t.Errorf("%s found 0755: now %v, want 0700", open, fi.Mode().Perm())
	}
	if !strings.Contains(w.String(), open) || !strings.Contains(w.String(), "-rwx------") {
		t.Errorf("tightening said %q, want the directory and its new mode", w.String())
	}
	w.Reset()
	if err := privateDir(&w, open); err != nil || w.Len() != 0 {
		t.Errorf("a private directory again: %v, said %q", err, w.String())
	}
}
