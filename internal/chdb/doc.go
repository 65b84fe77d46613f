// Package chdb embeds the ClickHouse engine in the dancu process and serves
// it on ClickHouse's HTTP interface.
//
// It sits at the very end of the flow (ingest → Kafka → match → Kafka →
// load → ClickHouse) in development, tests and one-machine runs: the load
// stage, `dancu migrate` and `dancu coverage` talk to ClickHouse through
// github.com/ClickHouse/clickhouse-go/v2, and with this package that
// ClickHouse is libchdb.so (ClickHouse 26.5 as a shared library, from the
// npm package @chdb/lib-linux-x64-gnu, pinned at LibVersion) loaded without
// cgo through github.com/ebitengine/purego. Production points the same
// clickhouse-go code at a real server over the native protocol instead
// (see internal/chstore).
//
// The pieces:
//
//   - LibraryPath, Fetch and ErrLibraryMissing find libchdb in a cache
//     directory outside the repository and download it with `npm pack`.
//   - Open starts the engine on a data directory. libchdb runs one engine
//     per process, so an Engine is a process-wide singleton per data
//     directory and serialises its queries.
//   - Handler answers ClickHouse's HTTP interface well enough for
//     clickhouse-go v2 with Protocol: clickhouse.HTTP and no compression:
//     queries, server-side parameters, the database parameter, settings,
//     Native batch inserts (written to a file and loaded with
//     INSERT … FROM INFILE, never inline) and exceptions with
//     X-ClickHouse-Exception-Code.
//
// Package chdbtest starts one engine per test binary for integration tests.
package chdb
