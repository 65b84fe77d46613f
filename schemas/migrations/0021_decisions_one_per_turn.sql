-- Two `dancu serve` processes against one ClickHouse: two decisions
-- taken at once on one conflict, each process finding it open, were both
-- stored (each process serialises only its own). The desk now inserts a
-- decision with the deduplication token "decision/<conflict>/<n>", n the
-- number of decisions the conflict had when it was read, so that of two
-- inserts for one turn ClickHouse keeps one; the other process finds its
-- decision absent and answers 409. Inserts without a token (none write
-- decisions now) would be deduplicated only when byte-identical.
ALTER TABLE decisions MODIFY SETTING non_replicated_deduplication_window = 10000;
