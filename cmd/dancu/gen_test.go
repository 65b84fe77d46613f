package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"
)

// TestGenMessyCountsAreImports checks that the counts dancu gen --messy
// prints for each file are those dancu import prints for it, without and
// with --strict (user30: gen printed --strict's "37 accepted, 3 rejected"
// alone, and the import's 39 and 1 looked wrong).
func TestGenMessyCountsAreImports(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"gen", "--messy", dir}, nil, &out, &errb); err != nil {
		t.Fatalf("gen --messy: %v (stderr %s)", err, errb.String())
	}
	line := regexp.MustCompile(`(?m)^  (\S+)\s+\d+ sheet\(s\), \d+ data rows: import accepts (\d+), rejects (\d+) \(with --strict (\d+) and (\d+)\)$`)
	files := line.FindAllStringSubmatch(out.String(), -1)
	if len(files) < 5 {
		t.Fatalf("gen --messy printed %d file lines, want 5 or more:\n%s", len(files), out.String())
	}
	total := regexp.MustCompile(`total: rows \d+ = accepted (\d+) \+ rejected (\d+) \+`)
	for _, f := range files {
		for _, strict := range []bool{false, true} {
			args := []string{"--kafka", "127.0.0.1:1", "import", "--dry-run", filepath.Join(dir, f[1])}
			want := f[2] + "/" + f[3]
			if strict {
				args = append(args, "--strict")
				want = f[4] + "/" + f[5]
			}
			var iout, ierr bytes.Buffer
			if err := run(context.Background(), args, nil, &iout, &ierr); err != nil {
				t.Fatalf("import %v: %v (stderr %s)", args, err, ierr.String())
			}
			m := total.FindStringSubmatch(iout.String() + ierr.String())
			if m == nil {
				t.Fatalf("import %v printed no total:\n%s%s", args, iout.String(), ierr.String())
			}
			if got := m[1] + "/" + m[2]; got != want {
				t.Errorf("%s (strict %v): import accepted/rejected %s, gen --messy printed %s", f[1], strict, got, want)
			}
		}
	}
}
