// Package kafkax is dancu's thin layer over github.com/segmentio/kafka-go:
// the topic names of the flow, topic creation, and a writer and a reader
// configured the one way the pipeline uses them.
//
// In the flow, ingest writes canonical record batches to TopicRecords and
// rejects to TopicRejects; the match stage reads TopicRecords in a consumer
// group and writes persons, links and conflicts to TopicMatched; the load
// stage reads them and writes ClickHouse. Around them: TopicDecisions
// brings police decisions to the match stage, TopicRegistryChangelog keeps
// every batch the registry accepted (to rebuild it), TopicBlocking and
// TopicEdges carry the scoring to score instances and back when the match
// stage is scaled out, and TopicDead holds what a stage could not process.
// Lag reads a consumer group's position without joining it (dancu run
// logs each stage's lag with it). A reader of NewReader follows its
// group's generations (OwnershipOf: the partitions the live one gave it),
// which kafka-go's Reader only logs; the load stage fences its inserts of
// coverage deltas with it. Every producer writes keyed,
// zstd-compressed messages acknowledged by all in-sync replicas; every
// consumer commits offsets explicitly, after its sink has accepted the
// rows (FetchMessage, then CommitMessages — never auto-commit).
//
// The same code runs against the embedded broker (internal/broker) and a
// real Kafka or Redpanda cluster; only the broker addresses differ.
package kafkax
