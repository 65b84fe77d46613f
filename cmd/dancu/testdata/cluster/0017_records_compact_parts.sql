-- 0017_records_compact_parts.sql
ALTER TABLE records_local ON CLUSTER dancu
    MODIFY SETTING min_bytes_for_wide_part = 268435456;


