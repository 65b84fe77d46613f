package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/schemas"
)

// TestRunRefusesUnmigratedDatabase: a new binary started over a database
// an older one migrated (an upgrade, dancu migrate forgotten) started its
// stages and loaded until an insert named what the database lacked
// (user16). dancu run now refuses at once, naming the migrations missing
// and dancu migrate.
func TestRunRefusesUnmigratedDatabase(t *testing.T) {
	kafkaAddr := brokertest.Start(t)
	chAddr := chdbtest.Start(t)
	conn, db := chdbtest.Open(t)
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	last := migs[len(migs)-1]
	if _, err := chstore.MigrateTo(context.Background(), conn, last.Version-1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	args := []string{"--home", t.TempDir(), "--kafka", kafkaAddr, "--clickhouse", "http://" + chAddr + "/" + db, "run", "--stages", "load"}
	var out, errOut bytes.Buffer
	err = run(ctx, args, strings.NewReader(""), &out, &errOut)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("dancu run on a database lacking %s: %v (ran until the test's deadline: %v), want a refusal", last.Name, err, ctx.Err())
	}
	if !strings.Contains(err.Error(), last.Name) || !strings.Contains(err.Error(), "dancu migrate") {
		t.Errorf("the refusal %q does not name %s and dancu migrate", err, last.Name)
	}
}
