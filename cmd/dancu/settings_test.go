package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSettingsCheck: a good file is summarised; a bad one fails with the
// command's name, the file and every wrong field with its line.
func TestSettingsCheck(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"settings", "check", filepath.Join("..", "..", "matching", "settings", "febrl.yaml")}, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `settings "febrl"`) {
		t.Errorf("summary: %q", out.String())
	}
	p := filepath.Join(t.TempDir(), "bad.yaml")
	bad := "version: 1\nname: x\ncolumns:\n  - {name: a, transforms: [upper]}\nblocking: [{name: b, keys: [a]}]\n" +
		"comparisons:\n  - {name: a, null_columns: [a], levels: [{label: x, op: jaro, column: a}]}\n"
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"settings", "check", p}, nil, &out, &errOut)
	if err == nil {
		t.Fatal("a bad settings file passed the check")
	}
	for _, want := range []string{"settings check: ", p, `line 4: columns[0].transforms: unknown "upper"`, `line 7: comparisons[0].levels[0].op: unknown "jaro"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
