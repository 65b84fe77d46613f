-- 0020_decision_groups.sql
ALTER TABLE decisions ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS groups Array(Array(String));


