// Package coverage is the analysts' end of the flow: after the load stage
// has written records, persons and conflicts to ClickHouse, it reports how
// complete the register is, by province, district and commune, in the
// administrative map before 1 July 2025 (63 provinces, districts) and
// after (34 provinces, no districts).
//
//	import → Kafka → match (registry) → Kafka → load → ClickHouse ─┬─ records, persons (ReplacingMergeTree by id)
//	                                                               └─ coverage_deltas (the registry's records' and persons' deltas, summed by unit per batch, one insert)
//	                                                                    └─ its view → coverage_sums (SummingMergeTree of ±1 deltas by kind, unit and month),
//	                                                                       read as the views coverage_records, coverage_persons, coverage_children
//	                                                                         └─ coverage.Compute → table, CSV, JSON, SVG map, web page
//
// The aggregates are defined in schemas/migrations/0005_coverage.sql (and
// 0008, 0009, 0011–0016: children apart, persons with only a CMND, the
// persons' and the records' deltas from the registry; 0027: the three in
// one table, coverage_sums, fed by one insert a flush, two parts where
// there were five). No view
// looks anything up on insert: the identity registry, which sees every
// record it links and writes every person, keeps the coverage state it
// last emitted for each record and each person (registry/coverage_deltas.go;
// a record's, since round 12, as what its stored fields do not say: its
// source kind and month, the rest recomputed from them when the record
// comes again, registry/coverage_derived.go) and emits what each batch
// changed. Records: per batch, ±1 deltas summed
// by unit, source kind, source month and load month (schemas.RecordDelta):
// a re-load adds nothing, an address correction moves a count from one
// unit to another. Persons: likewise summed by unit, birth year and month
// (schemas.PersonDeltaSum); merged persons stop counting; persons the
// registry knew before it kept their state come one by one
// (schemas.PersonDelta, into person_deltas) and the load stage compares
// them with person_state. The load stage inserts each row once — by
// (kind, batch, seq), remembered in coverage_delta_keys (record_delta_keys
// and person_delta_sum_keys before 0027) and person_delta_keys — so replays, re-flushed batches and the rows the
// registry emits again when records come again (their batch's output may
// have been lost) count once. Compute reads only those aggregates and the reference units
// (internal/refdata), never FINAL over the records; rows for unresolved
// addresses are reported, so rows always sum to the total. Rebuild
// recomputes the aggregates from FINAL.
//
// RenderMap draws the provinces of an era from the embedded GeoJSON as
// server-side SVG (Hoàng Sa and Trường Sa included); Handler serves the
// coverage page, the map and the JSON API for `dancu serve`; `dancu
// coverage` prints the report.
package coverage
