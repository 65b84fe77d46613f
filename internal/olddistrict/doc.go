// Package olddistrict says which old-era district (before the 1 July
// 2025 reform) a commune lies in, and a district's name, from the
// reference list coverage counts by (admin_units_2024.csv: the 2019
// census's districts). The address resolver gives a record the district
// of the last list before the reform (admin_units_2025_pre_reform.csv),
// where the districts merged in 2025 are gone (Xã Tân Lộc: Huyện Thạch
// Hà, 445, not Huyện Lộc Hà, 448); coverage and the conflict desk both
// ask this package instead, so a commune is in one district for both.
package olddistrict
