package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalErrorsNameCommandAndPathOnce: a missing file is named once, in
// an error that says which command failed.
func TestEvalErrorsNameCommandAndPathOnce(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"nope.csv", "nope.xlsx"} {
		p := filepath.Join(dir, name)
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"eval", "--truth", p, "--pred", p}, nil, &out, &errOut)
		if err == nil {
			t.Fatalf("eval of a missing %s passed", name)
		}
		if !strings.HasPrefix(err.Error(), "eval: ") || strings.Count(err.Error(), p) != 1 {
			t.Errorf("error %q: want it to start with the command and name %s once", err, p)
		}
	}
}
