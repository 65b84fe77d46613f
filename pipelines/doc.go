// Package pipelines wires the stages of dancu together over Kafka:
// import publishes canonical records, match consumes them and emits
// persons, links and conflicts, load writes everything to ClickHouse and
// commits Kafka offsets only after ClickHouse has the rows.
//
// Where it sits: after ingest (which reads the files) and around the
// identity registry (package registry, which decides who is who); it owns
// the Kafka topics between them and the ClickHouse sink at the end.
//
//	file ─> ingest ─> Import ─> dancu.records ─> Match (registry) ─> dancu.matched ─> Load ─> ClickHouse
//	                     └──> dancu.rejects ─────────────────────────────────────────┘
//	review desk ─> dancu.decisions ─> Decisions (registry)
//
// The entry points, in the order of the flow:
//
//   - Import publishes one ingest.Source to TopicRecords and TopicRejects
//     and counts every row (Stats: rows = accepted + rejected + skipped);
//     with ImportConfig.Enrich (dancu import, dancu demo:
//     ResolveAddresses) its records carry their addresses' unit codes.
//   - RunStages runs the long-lived stages of one process (dancu run):
//     Match over a RegistryLinker (OpenRegistry: the registry on disk,
//     rebuilt from its changelog topic when the disk state is lost, and
//     caught up from it when restored from an older copy),
//     Decisions applying police decisions to it, Load into a
//     ClickHouseSink; with StagesConfig.ScaleOut the scoring goes to score
//     instances (RunScore) over TopicBlocking and comes back on TopicEdges.
//   - Match links one micro-batch at a time (the registry's scoring on
//     every core, its reclustering and commit on one) while it prepares
//     the next: fetched, decoded, enriched and its records encoded for
//     TopicMatched — or, when the enricher changed none (codes filled at
//     import), the message's own bytes passed on —, the same bytes going
//     to the registry's changelog (ChunkLinker), written while the output
//     is (ChangelogLinker).
//     Under a backlog a micro-batch is whatever waited, up to
//     MatchConfig.MaxRecords (dancu run --match-batch).
//   - After a model upgrade (the registry rebuilt with another model) the
//     match stage first republishes the registry (republish.go,
//     RepublishTo over registry.Persons; StagesConfig.Republish asks for
//     it): every person and link through TopicMatched, and the load
//     stage retires what ClickHouse holds that the registry no longer
//     does, keeping coverage by deltas (sink_republish.go).
//   - StageLags and WaitDrained read the stages' consumer groups from the
//     brokers without joining them: how far behind each stage is (dancu run
//     logs it) and when everything published has been loaded; ScoreLag
//     does the same for a score instance from the offsets its stores keep.
//   - Dead letters: what a stage cannot decode, or a row ClickHouse
//     refuses, goes to TopicDead with its error (DeadLetter) instead of
//     stopping the stage or being dropped.
//
// Exactly-once effects come from idempotent sinks, not Kafka transactions:
// record ids are deterministic, ClickHouse tables are ReplacingMergeTree
// keyed by them, and offsets are committed only after the rows are
// written, so a replay after a crash writes the same rows again. The
// coverage deltas, which add up, count once by their keys and, for an
// insert whose views the engine died between, by the insert's
// deduplication token: the block is sent again as it was, by the process
// that sent it or, when that one ended first, by the next load stage of
// its directory (StagesConfig.LoadDir, sink_pending.go), or, for a block
// whose first attempt failed, by the load member of any machine given its
// messages' partitions next (TopicLoadPending, sink_shared.go; read from
// a low-water mark, share_mark.go).
package pipelines
