-- 0024_coverage_deltas_deduplicated.sql
ALTER TABLE coverage_persons_local ON CLUSTER dancu
    MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE coverage_children_local ON CLUSTER dancu
    MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE coverage_records_local ON CLUSTER dancu
    MODIFY SETTING non_replicated_deduplication_window = 10000;


