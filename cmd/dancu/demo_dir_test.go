package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoKeepsADirItDidNotWrite: dancu demo --dir on a directory holding
// a file no demo wrote refuses, and the file is still there (user23: the
// demo emptied any --dir, "dancu demo --dir ~" the home directory). A
// directory holding only what a demo leaves is cleared as before.
func TestDemoKeepsADirItDidNotWrite(t *testing.T) {
	dir, keep := dirOfMine(t)
	// Cancelled: the demo stops at its first wait whatever happens before.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := run(ctx, []string{"demo", "--dir", dir, "--persons", "10"}, strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), `holds "notes.txt"`) {
		t.Errorf("demo --dir on a directory of mine: %v, want a refusal naming notes.txt", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("demo --dir removed a file it did not write: %v", err)
	}

	left := t.TempDir()
	for _, d := range []string{"clickhouse", "kafka", "sources", "registry", "score"} {
		if err := os.MkdirAll(filepath.Join(left, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(left, "registry.published"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := demoDirClearable(left); err != nil {
		t.Errorf("a directory an earlier demo left: %v", err)
	}
	if err := demoDirClearable(filepath.Join(left, "new")); err != nil {
		t.Errorf("a directory not there yet: %v", err)
	}
}

// TestBenchRegistryKeepsTheDirsOtherFiles: dancu bench registry --dir
// removes at the end only what it wrote there, sources/ and registry/, not
// the directory (user23: it removed the whole --dir, though its help said
// only the default temporary one was removed).
func TestBenchRegistryKeepsTheDirsOtherFiles(t *testing.T) {
	dir, keep := dirOfMine(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"bench", "registry", "--persons", "20", "--dir", dir}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatalf("bench registry: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("bench registry --dir removed a file it did not write: %v", err)
	}
	for _, d := range []string{"sources", "registry"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("bench registry left %s/ without --keep", d)
		}
	}
}

// dirOfMine returns a directory holding a file a user wrote there, and
// that file.
func dirOfMine(t *testing.T) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}
