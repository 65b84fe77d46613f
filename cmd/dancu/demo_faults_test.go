//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMinorFaults checks the demo's count of minor page faults: the tenth
// field of a stat line whose command holds spaces and parentheses, -1 for
// a file that is not one, and the process's own count rising as fresh
// memory is first touched.
func TestMinorFaults(t *testing.T) {
	dir := t.TempDir()
	stat := filepath.Join(dir, "stat")
	// pid (comm) state ppid pgrp session tty tpgid flags minflt …
	if err := os.WriteFile(stat, []byte("4242 (dancu (x) y) S 1 4242 4242 0 -1 4194560 987654 0 12 0 100 20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := minorFaults(stat); got != 987654 {
		t.Errorf("minorFaults of a stat line = %d, want 987654", got)
	}
	for _, bad := range []string{"", "no parenthesis 1 2 3", "1 (x) S 1 2"} {
		if err := os.WriteFile(stat, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := minorFaults(stat); got != -1 {
			t.Errorf("minorFaults of %q = %d, want -1", bad, got)
		}
	}
	if got := minorFaults(filepath.Join(dir, "none")); got != -1 {
		t.Errorf("minorFaults of a missing file = %d, want -1", got)
	}

	before := readAllocs()
	if before.faults < 0 {
		t.Fatal("no minor faults read from /proc/self/stat")
	}
	// 32 MiB mapped afresh (not the heap's, which may hold pages touched
	// before), without huge pages, a byte written on each 4 KiB page: a
	// fault each
	buf, err := syscall.Mmap(-1, 0, 32<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(buf)
	if err := syscall.Madvise(buf, syscall.MADV_NOHUGEPAGE); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	d := readAllocs().since(before)
	if d.faults < 1000 {
		t.Errorf("%d minor faults while 8,192 fresh pages were touched, want at least 1,000", d.faults)
	}
	if txt := d.gcText(); !strings.Contains(txt, "minor page faults") || !strings.Contains(txt, "collections") {
		t.Errorf("gcText %q: want the collections and the faults", txt)
	}
}
