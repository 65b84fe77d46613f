-- Coverage: an insert of the registry's deltas counted once in every
-- aggregate when the engine dies between its views (issue 11 point 1,
-- issue 9 (e); docs/pipeline.md, chaos7 and chaos8).
--
-- An insert into person_delta_sums (0016) is pushed to its three views
-- one after the other (keys, coverage_persons, coverage_children), and
-- each view's part is committed on its own; record_deltas (0015) has two
-- (keys, coverage_records). A kill of the engine between two commits left
-- keys and aggregates apart, and the load stage's retry filter (rows
-- whose keys are there are skipped) then lost or doubled those deltas.
--
-- The load stage now sends these inserts with a deduplication token made
-- of the rows' (batch, seq), and when one fails on an outage it sends the
-- same block with the same token again until the engine answers, without
-- filtering it again (pipelines.ClickHouseSink): an aggregate that
-- committed its part of the first attempt drops the second, one that did
-- not takes it, the keys (ReplacingMergeTree) hold them either way. For
-- that the aggregates remember the ids of their last blocks. Inserts
-- without a token (the other views' pushes, the ones of coverage.Rebuild,
-- an INSERT … SELECT) are deduplicated only when byte-identical blocks
-- come with insert_deduplicate on, which an INSERT … SELECT is not. On a
-- cluster the Replicated tables deduplicate by token already (their own
-- window); the setting changes nothing there.
ALTER TABLE coverage_persons MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE coverage_children MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE coverage_records MODIFY SETTING non_replicated_deduplication_window = 10000;
