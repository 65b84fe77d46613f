-- 0019_admin_units_dissolved_districts.sql
INSERT INTO admin_units (era, level, province_code, district_code, code, name, population_2019) VALUES


