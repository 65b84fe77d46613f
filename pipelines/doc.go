// Package pipelines wires the stages of dancu together over Kafka:
// import publishes canonical records, match consumes them and emits
// persons, links and conflicts, load writes everything to ClickHouse and
// commits Kafka offsets only after ClickHouse has the rows.
package pipelines
