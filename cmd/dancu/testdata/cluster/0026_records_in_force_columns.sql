-- 0026_records_in_force_columns.sql
CREATE OR REPLACE VIEW records_in_force ON CLUSTER dancu AS
SELECT *
FROM records FINAL
WHERE record_id NOT IN (SELECT record_id FROM withdrawn_records);


