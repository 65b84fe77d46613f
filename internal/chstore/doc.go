// Package chstore opens dancu's ClickHouse connections and applies its
// migrations.
//
// It is the one place that turns a plain Config into a clickhouse-go v2
// connection, used by the load stage, `dancu migrate`, `dancu coverage`
// and the tests. The same code reaches two kinds of ClickHouse:
//
//   - the embedded engine (internal/chdb, `dancu clickhouse`) over
//     ClickHouse's HTTP interface: Protocol HTTP, no compression;
//   - a real ClickHouse server or cluster over the native protocol
//     (Config.Native), as in production.
//
// Migrate applies schemas.Migrations() in order and records each applied
// version in a schema_migrations table, so running it again applies nothing.
package chstore
