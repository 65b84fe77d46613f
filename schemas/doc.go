// Package schemas holds the single definition of dancu's canonical record
// and of the tables around it: the Go types, the Arrow schema used on the
// Kafka wire, the ClickHouse DDL (embedded migrations) and the schema
// version. A test keeps the three in step.
//
// Every stage speaks these types: ingest produces Records and Rejects,
// match reads Records and emits Persons, Links, Conflicts and PersonEvents
// (merges and splits), load writes all of them to ClickHouse, and the
// review desk writes Decisions (to ClickHouse and the topic
// dancu.decisions, from which the match stage applies them).
//
// The pieces: record.go and decision.go (the types, with their ch tags;
// RecordID, the deterministic record id), conflictid.go (ConflictKey and
// ConflictID: a conflict's id from its kind, numbers and persons, not its
// records), arrow.go (EncodeRows /
// DecodeRows: the Kafka wire format, Arrow IPC batches of any of those
// types),
// arrow_validate.go (what DecodeRows checks in a message from outside
// before arrow-go reads it, and why), migrations/ (the ClickHouse DDL, in
// order; Migrations, and ClusterMigrations for a ClickHouse cluster) and
// SCANNED_FORMS.md with scanned_form.schema.json (the JSON lines a form
// recogniser sends).
package schemas
