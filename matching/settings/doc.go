// Package settings is the schema of a linkage, as data: the columns
// derived from each record, the blocking rules, the comparisons and their
// levels, guards, vetoes, thresholds and, once trained, the model (m and u
// per level, λ). It reads, checks and writes settings documents (YAML or
// JSON, versioned), documents their language (Doc, printed by dancu
// settings doc and kept in matching/SETTINGS.md) and embeds the settings
// of the public benchmarks (febrl, fake_1000) beside this file.
//
// It sits before the engine in the flow:
//
//	ingest ─> vn, address ─> settings + matching ─> registry ─> pipelines ─> ClickHouse
//
// Package matching (NewFrame, Train, Predict, Cluster, Link) runs what a
// Settings describes; matching/vietnamese holds the Vietnamese settings
// and the adapter whose fields they read. This package needs nothing of
// the engine: a settings file can be written, checked (Validate names the
// field and its line) and described (DescribeModel) without a frame.
package settings
