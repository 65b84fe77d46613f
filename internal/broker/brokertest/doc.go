// Package brokertest starts dancu's embedded Kafka-protocol broker inside a
// test, so that integration tests of ingest, match and load talk to a real
// broker over the wire instead of a mock. Only _test.go files import it.
//
//	addr := brokertest.Start(t) // "127.0.0.1:PORT", closed by t.Cleanup
package brokertest
