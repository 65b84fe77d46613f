// Package registry is the identity registry: the incremental form of the
// match stage, whose cost per batch depends on the batch, not on the
// registry. It sits between ingest and load:
//
//	ingest ─> dancu.records ─> match (registry) ─> dancu.matched ─> load
//
// It reuses the generic engine of package matching — the frame, the
// blocking keys, the comparisons scored with the one trained model
// (matching.ScorePairs), the one clustering rule (matching.Cluster:
// strongest edges first, under guards, average linkage) and the person summaries and conflicts
// (matching.Summarise) — and keeps its state on disk in Pebble
// (github.com/cockroachdb/pebble):
//
//   - a blocking index: (rule, hash of the key values, sort value,
//     record) → nothing, so that a block's members are one prefix scan;
//     a block larger than the rule's max_block gives the window of
//     neighbours on each side of the new record's sort value, as offline
//     blocking splits it (sorted neighbourhood);
//   - each record's captured input fields (the vn.* fields the settings
//     read), under an arrival sequence number;
//   - edges: pairs scored at or above the review threshold, both ways;
//   - each record's person id.
//
// A batch is linked in one Pebble batch, committed at the end: each new
// record is scored only against its blocking candidates (earlier records
// of the same batch included, so the result does not depend on the batch
// size); the components of the new records — records joined by stored
// edges — are clustered again with the offline rule, so the partition
// equals what offline linking gives on the same edges whatever the
// arrival order. A component is small (a person and its near misses);
// nothing is recomputed globally.
//
// Scores must not depend on which records a frame holds: the model
// carries frozen term frequencies (matching.FreezeTermFrequencies), and a
// registry refuses settings without a trained model — it never trains.
//
// Person ids are derived from the founding record, the earliest record of
// the person: "P" + base32 of a hash of its record id (PersonID). They
// are deterministic (same arrival order, same ids), globally unique, and
// stable: on a merge the older person's founding record is the earliest
// of the merged records, so the older id survives; on a split the part
// holding the founding record keeps the id. Merges and splits are
// returned as schemas.PersonEvent rows (table person_events), retired ids
// as persons with MergedInto set.
//
// A re-flush of the same batch (its output was not written) returns the
// same output again; records already known (a redelivery) return their
// current person, link and conflicts.
//
// Police decisions (schemas.Decision, Decide) are constraints: same_person
// is a must-link edge that joins the records' persons whatever the model,
// guards or average linkage say; different_persons removes the edges
// between the records and reclusters. Their events cite the decision.
//
// In the pipeline (pipelines.RegistryLinker) the match stage holds one
// registry on disk under --home and writes every batch and decision to the
// compacted topic dancu.registry-changelog; a matcher whose directory is
// lost replays it, batch by batch, and gets the same state. One process
// holds the registry: the split into block, score ×N and cluster roles
// over Kafka (DESIGN.md) is not built, so the match stage does not scale
// out across processes yet.
//
// Invariants and their tests: streaming equals offline linking for any
// arrival order and batch size (TestStreamingEqualsOffline); merges keep
// the older id (TestMergeEventsKeepOlderID); a re-flush and a redelivery
// emit the same rows and add nothing (TestReflushAndRedelivery);
// decisions (TestDecisions); restart and rebuild from the changelog
// (pipelines' TestMatcherRestartKeepsPersonIDs). dancu bench registry
// measures it.
package registry
