// Package eval scores a linkage against the truth: Clusters gives the
// pairwise and B-cubed precision, recall and F1 of predicted clusters,
// Conflicts the per-kind recall and precision of found conflicts against
// planted ones. It reads only record ids and labels, so it scores the
// offline engine (package matching, dancu link), the streaming registry
// and the whole pipeline alike:
//
//	ingest ─> matching / registry ─> pipelines ─> ClickHouse ─> eval (dancu eval, tests, benchmarks)
//
// The truth comes from dancu gen (truth.csv, conflicts_truth.csv) or a
// benchmark's mapping; thresholds are never tuned on it.
package eval
