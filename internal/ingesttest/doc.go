// Package ingesttest reads generated source files into records for tests
// and benchmarks of the packages that consume them (matching, its
// Vietnamese adapter), which each restated the same loop over
// ingest.Source.
package ingesttest
