// Package compare holds the string comparators the matching engine runs in
// its hot loop: Jaro–Winkler and bounded edit distances. They work on
// precomputed rune slices (or bytes) and allocate nothing per comparison,
// so scoring millions of candidate pairs stays cheap.
//
// It sits inside the match stage of the flow (ingest ─> Kafka ─> match ─>
// Kafka ─> load): package matching calls it for every comparison level
// that needs a similarity.
package compare
