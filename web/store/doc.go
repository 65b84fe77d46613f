// Package store keeps the review desk's state in ClickHouse: accounts
// (users), sessions, the append-only audit log and decisions, and reads
// the conflicts, records and persons that the load stage wrote.
//
// It sits at the end of the flow: load writes conflicts to ClickHouse,
// `dancu serve` (package web) shows them to police reviewers through this
// package, and each decision is appended here and published to the topic
// dancu.decisions for the match stage. The province scope of a caller is
// applied inside the SQL of every conflict query, so a conflict outside it
// is simply not found.
package store
