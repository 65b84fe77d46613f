-- 0021_decisions_one_per_turn.sql
ALTER TABLE decisions ON CLUSTER dancu
    MODIFY SETTING non_replicated_deduplication_window = 10000;


