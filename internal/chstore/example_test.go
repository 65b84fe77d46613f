package chstore_test

import (
	"context"
	"fmt"
	"log"

	"github.com/dancu-vn/dancu/internal/chstore"
)

// Connect to whatever --clickhouse names and bring the schema up to date,
// as `dancu migrate` does. (Needs a running ClickHouse, so it is compiled
// but not run by go test.)
func ExampleMigrate() {
	ctx := context.Background()
	cfg, err := chstore.ParseAddr("") // "" = the embedded engine of `dancu clickhouse`
	if err != nil {
		log.Fatal(err)
	}
	cfg.CreateDatabase = true
	conn, err := chstore.Open(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	applied, err := chstore.Migrate(ctx, conn)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("applied", applied)
}

func ExampleParseAddr() {
	for _, s := range []string{"", "ch1.internal:9000", "clickhouse://loader:secret@ch1.internal:9000/dancu"} {
		cfg, err := chstore.ParseAddr(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q → addr %s native %v database %q user %q\n", s, cfg.Addr, cfg.Native, cfg.Database, cfg.Username)
	}
	// Output:
	// "" → addr 127.0.0.1:8123 native false database "" user ""
	// "ch1.internal:9000" → addr ch1.internal:9000 native true database "" user ""
	// "clickhouse://loader:secret@ch1.internal:9000/dancu" → addr ch1.internal:9000 native true database "dancu" user "loader"
}
