-- The 2019 census population of the seven districts that took in a whole
-- district dissolved between the census and the 2024 list (Thông Nông,
-- Trà Lĩnh, Phục Hoà, Kỳ Sơn, Hoành Bồ, Tây Trà, Quận Thủ Đức and Quận 9;
-- coverage/units.go, dissolvedDistricts). Migration 0007 gave each only
-- its own 2019 population (Thành phố Thủ Đức: Quận 2's 180,275); it now
-- writes these figures itself, and this re-inserts them for a database
-- that applied it before (ReplacingMergeTree: the last row of a key wins).
INSERT INTO admin_units (era, level, province_code, district_code, code, name, population_2019) VALUES
('old','district','04','045','045','Huyện Hà Quảng',58041),
('old','district','04','047','047','Huyện Trùng Khánh',70701),
('old','district','04','049','049','Huyện Quảng Hòa',60930),
('old','district','17','148','148','Thành phố Hòa Bình',135718),
('old','district','22','193','193','Thành phố Hạ Long',322710),
('old','district','51','525','525','Huyện Trà Bồng',52994),
('old','district','79','769','769','Thành phố Thủ Đức',1169967);
