// Package schemas holds the single definition of dancu's canonical record
// and of the tables around it: the Go types, the Arrow schema used on the
// Kafka wire, the ClickHouse DDL (embedded migrations) and the schema
// version. A test keeps the three in step.
//
// Every stage speaks these types: ingest produces Records and Rejects,
// match reads Records and emits Persons, Links and Conflicts, load writes
// all of them to ClickHouse.
package schemas
