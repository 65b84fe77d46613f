// Package coverage is the analysts' end of the flow: after the load stage
// has written records, persons and conflicts to ClickHouse, it reports how
// complete the register is, by province, district and commune, in the
// administrative map before 1 July 2025 (63 provinces, districts) and
// after (34 provinces, no districts).
//
//	import → Kafka → match (registry) → Kafka → load → ClickHouse ─┬─ records, persons (ReplacingMergeTree by id)
//	                                                               ├─ person_deltas (the registry's ±1 per changed person)
//	                                                               └─ views on insert → coverage_records, coverage_persons, coverage_children
//	                                                                    (SummingMergeTree of ±1 deltas by unit and month)
//	                                                                         └─ coverage.Compute → table, CSV, JSON, SVG map, web page
//
// The aggregates are kept by materialised views defined in
// schemas/migrations/0005_coverage.sql (and 0008, 0009, 0011, 0012, 0013:
// children apart, record_state keyed by file then id, persons with only a
// CMND, cheaper views, persons' deltas from the registry). Records: each
// insert is compared with the state last counted for its id
// (record_state), so re-loads add nothing and address corrections move a
// count from one unit to another. Persons: the identity registry knows
// what each batch changed of every person it writes and emits one delta
// per changed person (schemas.PersonDelta: the state after, the state
// last counted before; registry/coverage_deltas.go), which the load stage
// inserts into person_deltas once per (batch, seq) — no look-up on insert;
// merged persons stop counting. Compute reads only those aggregates
// and the reference units (internal/refdata), never FINAL over the
// records; rows for unresolved addresses are reported, so rows always sum
// to the total.
//
// RenderMap draws the provinces of an era from the embedded GeoJSON as
// server-side SVG (Hoàng Sa and Trường Sa included); Handler serves the
// coverage page, the map and the JSON API for `dancu serve`; `dancu
// coverage` prints the report.
package coverage
