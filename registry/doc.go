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
//   - each record's captured input fields (the vn.* fields the settings
//     read), under an arrival sequence number;
//   - edges: pairs scored at or above the review threshold, both ways;
//   - each record's person id.
//
// The blocking index — each block (rule, hash of the key values) and its
// members, with their sort values when the block is larger than the
// rule's max_block, which then gives half the rule's window of earlier
// neighbours on each side of the new record's sort value (sorted
// neighbourhood: window comparisons per record, as offline blocking makes
// when it splits a block) — is kept in memory only (the set of blocks),
// saved in a file beside the store when the registry closes and every
// Config.BlockSetCheckpoint records (blockset.go), and read back when it
// opens, in the background, the records after the save made into keys
// (a batch or a withdrawal waits for it); without a file the store names
// (a crash after a withdrawal, another store's file, an older format) it
// is built from the records' fields, as reg22 did at every open. Until reg22 (store
// format 5) the store also held it, twelve keys a record: the most keys
// and bytes its flushes wrote; a store of that format is opened without
// them (its 'b' keys deleted).
//
// Sequence numbers are 5 bytes in keys. The store's comparer splits a
// blocking-index key (a Scorer's) after its block (rule and hash), so
// that the tables' Bloom filters are built over blocks and a block no
// table holds costs a filter probe (SeekPrefixGE) instead of a seek; the
// lower levels are compressed with zstd. Registry.Space says what each key space costs.
// Since reg25 (store format 7) a record's fields are kept with a field
// equal to an earlier one as a reference to it and an id of RecordID's
// shape in 12 bytes (recordBlob.appendCompact), and a person's guard
// summary in matching's binary form instead of JSON; records and
// summaries written before are read as they are, and a store of format
// 6 has its summaries rewritten when it opens (binaryGuards).
//
// A batch is linked in one Pebble batch, committed at the end in key
// order (the memtable inserts each key beside the last); its edges and
// new records' number entries are kept apart in key order and merged
// into it by the commit, not inserted into the indexed batch the
// recluster reads. Each new
// record is scored only against its blocking candidates (earlier records
// of the same batch included, so the result does not depend on the batch
// size). The batch's blocks, the candidates' records, the known ids and
// the stored persons are each read in key order through one iterator, so
// that successive seeks start where the last ended. Candidates are scored
// in a frame kept between batches (Config.FrameRows): when it is full, the
// half used most recently is copied into a new one (matching.RowCopier)
// and the rest is read from the store again when a batch needs it; the
// recluster unit copies its rows from that frame too. Under a soft
// memory limit (dancu run --memory-limit) the frame and Pebble's block
// cache each take a quarter of it (DefaultFrameRows, DefaultCacheBytes):
// at a million records and 4 GiB every record stays decoded and the
// store's blocks decompressed; the memtable a sixteenth
// (DefaultMemTableBytes), so that the store is flushed, and its base
// level rewritten by compactions, less often; each flush is one level-0
// table (Open), so the compactions follow the number of flushes, not
// where Pebble would have cut a flush's bytes. Then the match
// components of the new records — records joined by stored edges at or
// above the match threshold, the only edges the clustering follows — are
// clustered again with the offline rule, so the partition equals what
// offline linking gives on the same edges whatever the arrival order.
// Records joined to them only by weaker (review) edges join the frame
// with their stored persons, for the grey-zone conflicts, and are not
// reclustered: chains of review edges grow with the population, match
// components do not (a person and the records blocked from it by a
// guard). Nothing is recomputed globally.
//
// Conflicts are those of the persons a batch reclusters (conflicts.go):
// an index of valid numbers adds to a shared_id every other holder of the
// number, linked or not; each person's guard summary (its numbers, sexes
// and span of birth years) is kept, so that a grey-zone pair with a
// neighbour is raised only when the guards would let the two whole
// persons be one, as offline linking decides; and the open conflicts the
// registry raised are remembered by id and person, so that one naming a
// person it has just reclustered that it no longer raises (the persons
// merged or split, by records or a decision) is written again as
// resolved_by_registry, its explanation citing the person events.
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
// guards or average linkage say; different_persons is a cannot-link
// between groups of the records — the persons the registry holds them in,
// never the records of one person against each other — kept in the store
// and respected by every later recluster (matching.ClusterApart refuses
// the link that would join them, as a guard does), so that no batch or
// third record joins what the police kept apart. The latest ruling on two
// records wins, and the latest on a conflict replaces the one in force on
// it: a correction's cannot-links and must-links replace the earlier
// ruling's (a regrouping frees the records it puts together, a *same
// person* corrected to *different persons* the records of each group,
// which join if their evidence says so). A decision applied already
// changes nothing. Their events cite the decision.
//
// Withdrawals (schemas.Withdrawal, Withdraw; withdraw.go) take records
// out: a data team replaced the file they came from. Every piece of
// evidence they gave goes — blocking entries (the set of blocks forgets
// what it knew of those blocks), edges both ways, number-index entries,
// the links of rulings naming them (a ruling stays in force on its other
// records), fields, persons, coverage states — and what is left of their
// match components is clustered again with the offline rule: a person a
// withdrawn record (or its ruling's link) held together splits. The part
// with the founding record keeps the id; a person whose founding record
// is withdrawn keeps its id on the part holding its earliest record left,
// which founds it from then on (kept under 'y', as a merge's survivor
// keeps its id); a person left with no record is written again retired,
// MergedInto "withdrawn:<batch>". Events give "withdrawn:<batch>" as
// their reason; RecordDeltas take the records out of coverage and
// PersonDeltaSums the persons changed. Ids withdrawn before or never held
// change nothing but their marks: every id a withdrawal names keeps a
// tombstone ('z', tombstones.go), in the store and so through the
// changelog's replay, and the same id added again is refused
// (Output.Refused), as ClickHouse keeps it out for good. (Withdrawn by a
// dancu before tombstones, it came again as a new arrival, named after
// its id and sequence if the person its first arrival founded lives on.)
// Scaled out, Config.Withdraw tells the Scorers, which drop the records
// from their blocks (Scorer.Withdraw); without it the registry drops the
// edges naming ids it no longer holds. In a block larger than its
// max_block the windows drawn when records came are not drawn again
// without the withdrawn records, as they are not for later arrivals.
//
// In the pipeline (pipelines.RegistryLinker) the match stage holds one
// registry on disk under --home and writes every batch and decision to the
// compacted topic dancu.registry-changelog; a matcher whose directory is
// lost replays it, batch by batch, and gets the same state. The registry
// keeps the changelog position it has applied (ChangelogPosition), so a
// copy restored from a backup replays the changelog from there; a copy of
// another changelog or cluster, or one ahead of it, is refused. After a
// rebuild with another model the match stage republishes the registry's
// persons, links and conflicts to ClickHouse (Persons and Conflicts
// export them).
//
// Scaling out (scorer.go): a registry opened with Config.Score does not
// score; it hands each batch's new records, one Item per blocking key
// (the record's captured fields and the key), to the ScoreFunc and stores
// the edges it returns. Partition routes a key to one of n partitions; a
// Scorer holds the blocking index of one partition's keys (with the
// records they name) in its own Pebble store and scores each item against
// the members of its block that came before it, as the registry does.
// Every pair of records sharing a block is compared by the one Scorer
// holding the block, so any number of scorers, however the partitions
// are shared among processes, give the same edges and the same persons.
// A Scorer given an item it holds already (a batch sent again) scores it
// against the members that came before it the first time: the same
// edges. In the pipeline the block and cluster roles are the match stage
// (pipelines.RemoteScorer: items to dancu.blocking, 12 partitions, edges
// back on dancu.edges) and the score role is pipelines.RunScore (dancu
// run --stages score --score-instance i/K); one process still holds the
// registry (the cluster role), which clusters edges only.
//
// Invariants and their tests: streaming equals offline linking for any
// arrival order and batch size (TestStreamingEqualsOffline); merges keep
// the older id (TestMergeEventsKeepOlderID); a re-flush and a redelivery
// emit the same rows and add nothing (TestReflushAndRedelivery);
// decisions (TestDecisions), a different_persons ruling splitting persons
// and not records, and holding against a third record and a restart
// (TestDifferentPersonsSplitsPersonsNotRecords, TestDifferentPersonsHolds), a
// regrouping correction applied, redelivered, after a restart and rebuilt
// (TestRegroupingCorrectionApplied); restart and rebuild from the changelog
// (pipelines' TestMatcherRestartKeepsPersonIDs), the saved set of blocks
// read back after a clean close and after a crash between a save and later
// batches or a withdrawal, and ignored when it is not the store's
// (TestBlockSetSavedAndRead, TestBlockSetOfAnotherStoreIgnored), a restored older copy
// caught up from it (pipelines' TestRegistryRestoredCopyCatchesUp,
// TestScoreStoreRestoredCatchesUp), the exports of persons and conflicts
// equal to what the outputs said (TestPersonsExportsWhatTheOutputsSaid);
// withdrawals: offline linking's partition of the records left, exactly,
// in any order with the
// adds and batch size, the founding-record ids kept, a restart and a
// replay giving the same persons, coverage deltas summing to a count of
// what is left (TestWithdrawEqualsOfflineOnTheRecordsLeft,
// TestWithdrawSplitsInAnyOrder, TestWithdrawnRecordAddedAgain; windows of
// max_block 3: TestWithdrawWithWindows), 1 and 3
// scorers the same persons (TestWithdrawScorersScaleOut), a rebuild from
// the changelog (pipelines' TestWithdrawalRebuiltFromChangelog); 1, 2 and 5 scorers give
// the same persons (TestScorersScaleOut) and a redelivered batch the same
// edges (TestScorerRedelivery); over the real broker, 1, 2 and 3 score
// instances — one killed and restarted on an empty disk — give the same
// persons (pipelines' TestScaleOutSamePersons, TestScaleOutPipeline).
// dancu bench registry measures it.
package registry
