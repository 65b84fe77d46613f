-- 0018_records_lazier_merges.sql
ALTER TABLE records_local ON CLUSTER dancu
    MODIFY SETTING merge_selector_base = 25;


