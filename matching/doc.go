// Package matching decides which records are the same person: it
// normalises, blocks, compares, scores (Fellegi–Sunter), clusters, assigns
// person ids and identification numbers, and raises conflicts for police
// review. It is the middle stage of the flow:
//
//	ingest ─> Kafka ─> match ─> Kafka ─> load
//
// It runs offline on files (dancu link) and online on Kafka micro-batches
// in the pipeline.
package matching
