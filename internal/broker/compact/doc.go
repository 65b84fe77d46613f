// Package compact compacts the compacted topics of the embedded broker's
// data directory (franz-go's kfake, internal/broker) while the broker is
// stopped, with Kafka's semantics: of each key only the latest message is
// kept; a tombstone (a message with a key and no value) is kept until it
// is older than the topic's delete.retention.ms (default one day), then
// dropped; offsets are never renumbered, so that readers see gaps; the
// partition's tail (its last Options.Tail offsets, and always its last
// batch) is left as it is, as Kafka leaves its active segment.
//
// In the flow it serves the registry's changelog
// (dancu.registry-changelog, from which a match stage whose disk state is
// lost rebuilds it) and the load stage's share of unfinished inserts
// (dancu.load-pending), both created with cleanup.policy=compact: on a
// Kafka cluster the broker compacts them, so that a rebuild reads about
// one message per live key; the embedded broker did not, so a rebuild
// read every message ever written and its data directory grew without
// end. `dancu broker` runs Dir at each start, before it serves, and
// `dancu broker compact` runs it on a stopped broker's directory.
//
// Why not inside the running broker: kfake has a compaction of its own
// (Cluster.Compact, and a ticker every log.cleaner.backoff.ms, one hour
// by default), but it removes a partition's segment files before it
// writes the compacted ones (a broker killed meanwhile loses the
// partition), moves the log start offset up to the first message left (a
// reader whose position falls below it is answered OffsetOutOfRange, and
// a registry whose position does is refused, "the messages between are
// gone"), keeps only the last batch as the active tail, drops messages
// without a key, and its ticker also deletes a compacted topic's
// messages older than seven days (retention.ms' default), which Kafka
// does not do to a topic whose policy is compact alone. Package broker
// therefore turns that ticker off, and compacts here instead, where no
// reader is mid-read and each segment file is replaced whole by a rename.
//
// What Dir relies on in kfake's directory format (persist.go of the
// pinned kfake; meta.json's version 1): topics.json lists the topics with
// their configs; a partition's directory partitions/<topic>-<n> holds
// segment files <base>.dat of raw Kafka RecordBatches, each with an index
// file <base>.idx of one 15-byte entry per batch (epoch, flags), and at a
// clean stop snapshot.json, which lists the segments and their sizes and
// keeps the log start offset. A segment whose base offset is below its
// first batch's offset is read as kfake reads any other; one left with no
// batch is removed. A partition holding transactional or control batches,
// index entries that differ (other epochs), or a segment whose bytes do
// not parse to its end (a torn write, which kfake cuts at its start) is
// left as it is and named in the result. The first message of a partition
// is always kept, so that the log start offset kfake derives from the
// first batch after a kill (when it has no snapshot) does not move.
package compact
