-- Schema version 2 (user28): a list's household number ("Số hộ", "Hộ số",
-- "Mã hộ", "Sổ hộ khẩu số"), which ties a household's members together
-- on the list, and its "Ghi chú" remark when the remark is kept with the
-- record (one that says neither a death nor a move away: "Tạm vắng",
-- "Chuyển đến năm 2021"). Both as written; a local code and free text,
-- read by no view and by the shipped model neither. Rows loaded before
-- have them empty.
ALTER TABLE records ADD COLUMN IF NOT EXISTS household_no String;
ALTER TABLE records ADD COLUMN IF NOT EXISTS remark String;
