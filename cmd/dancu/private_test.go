package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
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

// TestLinkOutputsPrivate: `dancu link`'s clusters and conflicts, which
// carry every full identification number, are readable by their owner
// only — made new, or written over a file another run left 0644.
func TestLinkOutputsPrivate(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022)) // the usual umask, whatever this machine's
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 200, Seed: 5, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	clusters, conflicts := filepath.Join(out, "clusters.csv"), filepath.Join(out, "conflicts.csv")
	if err := os.WriteFile(conflicts, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(conflicts, 0o644); err != nil {
		t.Fatal(err)
	}
	ins, _ := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	if len(ins) == 0 {
		t.Fatal("gen wrote no list")
	}
	args := []string{"link", "--out", clusters, "--conflicts", conflicts}
	for _, in := range ins {
		args = append(args, "--in", in)
	}
	var so, se bytes.Buffer
	if err := run(context.Background(), args, nil, &so, &se); err != nil {
		t.Fatalf("link: %v\n%s", err, se.String())
	}
	for _, p := range []string{clusters, conflicts} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() < 10 {
			t.Errorf("%s: %v, %d bytes; want -rw------- and the link's rows", filepath.Base(p), fi.Mode().Perm(), fi.Size())
		}
	}
}
