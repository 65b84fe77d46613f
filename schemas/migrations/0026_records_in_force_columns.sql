-- records_in_force (0022) was made with SELECT * before 0025 gave records
-- household_no and remark; a view's columns are fixed when it is made, so
-- it lacked them ("Unknown identifier household_no", found by user29). It
-- is made again with every column records has today. A later migration
-- that adds a column to records makes it again too
-- (TestRecordsInForceHasEveryRecordsColumn).
CREATE OR REPLACE VIEW records_in_force AS
SELECT *
FROM records FINAL
WHERE record_id NOT IN (SELECT record_id FROM withdrawn_records);
