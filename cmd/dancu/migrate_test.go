package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/schemas"
)

// dancu migrate against the embedded engine: the first run applies every
// migration, the second nothing.
func TestMigrateCommand(t *testing.T) {
	addr := chdbtest.Start(t)
	db := chdbtest.Database(t)
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--home", t.TempDir(), "--clickhouse", "http://" + addr + "/" + db, "migrate"}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("first migrate: %v\n%s", err, errOut.String())
	}
	if got := strings.Count(out.String(), "applied "); got != len(migs) {
		t.Fatalf("first migrate printed %q: %d applied, want %d", out.String(), got, len(migs))
	}
	out.Reset()
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if strings.Contains(out.String(), "applied ") || !strings.Contains(out.String(), "up to date") {
		t.Fatalf("second migrate printed %q, want nothing applied", out.String())
	}
}

func TestMigrateCommandNothingListening(t *testing.T) {
	args := []string{"--home", t.TempDir(), "--clickhouse", "http://127.0.0.1:1", "migrate"}
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "dancu clickhouse") {
		t.Fatalf("error %v, want one saying to start `dancu clickhouse`", err)
	}
}
