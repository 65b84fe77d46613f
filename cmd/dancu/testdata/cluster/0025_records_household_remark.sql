-- 0025_records_household_remark.sql
ALTER TABLE records_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS household_no String;

ALTER TABLE records ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS household_no String;

ALTER TABLE records_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS remark String;

ALTER TABLE records ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS remark String;


