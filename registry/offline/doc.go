// Package offline is the registry of dancu link --registry: a directory
// that keeps, between offline link runs, every record linked so far (the
// input fields the settings read, so it can be linked again without its
// source file), the trained settings, each record's person id and the
// history of merges and splits.
//
//	ingest ─> matching (dancu link) ─> registry/offline (files) ─> clusters.csv
//
// Each run relinks everything it holds with the saved model
// (matching.Link) and Name keeps each person's id: a relinked cluster
// keeps the id of the old person it shares most records with, so the
// clusters are those of linking everything at once. The streaming match
// stage does not use it: package registry keeps its state in Pebble and
// links only each batch's new records.
package offline
