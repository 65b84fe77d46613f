package chdb_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/internal/chdb"
)

// Open the engine on a data directory and query it directly. (Needs the
// 559 MB library, so this example is compiled but not run by go test.)
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "dancu-example-")
	defer os.RemoveAll(dir)
	eng, err := chdb.Open(chdb.Config{DataDir: dir})
	if errors.Is(err, chdb.ErrLibraryMissing) {
		log.Fatal(err) // says to run scripts/fetch-libchdb.sh
	}
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	res, err := eng.Query(context.Background(), "SELECT {n:UInt8} * 2", chdb.QueryOptions{
		Format: "TSV",
		Params: map[string]string{"n": "21"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(res.Data)) // 42
}

// Serve the engine on ClickHouse's HTTP interface and talk to it with
// clickhouse-go, as `dancu clickhouse` does. (Not run by go test.)
func ExampleListen() {
	ctx := context.Background()
	libPath, err := chdb.Fetch(ctx, "") // no-op when cached
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "dancu-example-")
	defer os.RemoveAll(dir)
	eng, err := chdb.Open(chdb.Config{DataDir: dir, LibPath: libPath})
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()
	srv, err := chdb.Listen(eng, "127.0.0.1:0", chdb.HandlerConfig{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close(ctx)

	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{srv.Addr()},
		Protocol:    clickhouse.HTTP,
		Compression: &clickhouse.Compression{Method: clickhouse.CompressionNone}, // required
	})
	if err != nil {
		log.Fatal(err)
	}
	var v string
	if err := conn.QueryRow(ctx, "SELECT version()").Scan(&v); err != nil {
		log.Fatal(err)
	}
	fmt.Println("ClickHouse", v)
}

// A missing library is an error that says what to run, never a panic.
func ExampleCheckLibrary() {
	err := chdb.CheckLibrary("/nonexistent/libchdb.so")
	fmt.Println(errors.Is(err, chdb.ErrLibraryMissing))
	// Output: true
}
