// Package chdbtest starts the embedded ClickHouse engine for integration
// tests: one engine and one HTTP front end per test binary, on a random
// 127.0.0.1 port, with its data in a temporary directory, and a database of
// its own for every test so that tests never see each other's tables.
//
// It fetches libchdb into the cache (internal/chdb.Fetch) when it is
// missing; if that fails the test fails with the reason. Tests never skip
// for want of the engine.
//
// Typical use:
//
//	func TestMain(m *testing.M) { chdbtest.Main(m) }
//
//	func TestLoad(t *testing.T) {
//		conn, db := chdbtest.Open(t) // clickhouse-go v2 conn, in database db
//		...
//	}
//
// It sits beside the flow, not in it: the integration tests of the load
// stage, the pipelines and the commands use it to reach a real ClickHouse
// engine (internal/chdb) through the same clickhouse-go code as production.
package chdbtest
