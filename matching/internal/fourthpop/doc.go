// Package fourthpop builds a Vietnamese population that does not come from
// dancu gen at all: its own people, households, villages, documents and
// sources, and then its own noise. It exists to measure issue 12's first
// target (held-out Vietnamese F1 ≥ 0.99 at the blind threshold) on people
// whose name distribution, namesakes, families, ages, documents and record
// counts are not gen's.
//
// This comment was written before its author read cmd/dancu/gen*, gen's
// package, the three corruption models or the Vietnamese settings, from
// ../shared/data (SOURCES.md) and from what the author knows of Vietnam;
// where a choice is the author's own rather than the data's, it says so.
// It is the plan; the code follows it.
//
// # Where people live
//
// A population of N persons is spread over communes of the last pre-reform
// list (admin_units_2025_pre_reform.csv). Provinces are drawn by their 2019
// census population (coverage/census_2019_province.csv); within a province,
// communes uniformly among those the list has; about N/600 communes in all,
// so a commune holds several hundred of our persons — dense enough for
// namesakes. Each commune has 3–6 villages (thôn / ấp / bản / buôn / sóc by
// region — own choice: bản in the north-west, ấp and sóc in the Mekong
// delta, buôn in the Central Highlands, thôn or tổ dân phố elsewhere), and
// a household lives in one village.
//
// # Who the people are: ethnic mix by province (own choice, from knowledge)
//
// Every household has one ethnic group, drawn from its province's mix:
//   - north-west and far north (Hà Giang 02, Cao Bằng 04, Lào Cai 10,
//     Điện Biên 11, Lai Châu 12, Sơn La 14, Yên Bái 15): Kinh 30%, Hmong
//     25%, Thái 20%, Dao 10%, Tày/Nùng 15%; Hòa Bình 17 is half Mường;
//     Lạng Sơn 20, Bắc Kạn 06, Tuyên Quang 08, Thái Nguyên 19: Tày/Nùng 50%;
//   - Mekong delta (Sóc Trăng 94, Trà Vinh 84: Khmer 30%; Kiên Giang 91,
//     An Giang 89, Bạc Liêu 95, Cà Mau 96: 8%);
//   - Central Highlands (Gia Lai 64, Kon Tum 62, Đắk Lắk 66, Đắk Nông 67):
//     Jrai/Ê Đê 25%;
//   - everywhere else: Kinh.
//
// Names by group (the frequency files only cover Kinh names; the others'
// short lists are the author's, said so):
//   - Kinh: surname by published_pct_2005 (its 14 groups hold 86%; the rest
//     shared by uit_forum_pct), the paired spellings split by region
//     (Hoàng, Vũ in the north; Huỳnh, Võ from Quảng Nam south);
//     number of syllables by name_token_counts.csv (ngxson column, by sex);
//     middle names by first_middle_* counts and second_middle_* counts of
//     the person's sex; given names by daklak_dkl01_*_pct where known,
//     else by ngxson counts, of the person's sex.
//   - Hmong: surname Giàng, Vàng, Thào, Sùng, Lý, Mùa, Hầu, Vừ, Lầu, Hạng;
//     men's middle "A" (sometimes "Seo", "Chứ"), women's "Thị" or "Mí";
//     given names Páo, Dính, Chứ, Sử, Pó, Nhà, Dế, Mỷ, Sua, Chía, Lử, Tủa,
//     Và, Pằng, Dợ, Súa ("Giàng A Páo", "Sùng Thị Mỷ").
//   - Thái: surname Lò, Cầm, Quàng, Lường, Tòng, Vi, Điêu, Hà, Lò Thị …;
//     middle Văn / Thị; given Pọm, Ẻn, Xiêng, Panh, Ún, Phanh, Thoong, Pâng,
//     Inh, Hặc, Ọn, Bun ("Lò Văn Pọm").
//   - Dao: surname Triệu, Bàn, Đặng, Lý, Phùng, Chảo; middle Láo, Tả, Văn,
//     Kim (women Thị, Mẩy); given Seo, Chòi, Dủn, Phin, Quẩy, Sành, Vần, Tòn.
//   - Tày/Nùng: surname Hoàng, Nông, Lục, Ma, Hà, Đàm, Triệu, Lăng, Lương,
//     Vi; Kinh middle and given names.
//   - Mường: surname Bùi, Đinh, Quách, Hà, Xa; Kinh middle and given names.
//   - Khmer: surname Thạch, Danh, Sơn, Kim, Lâm, Chau, Lý, Trà; women often
//     "Thị" and sometimes the prefix Néang; given names of two syllables
//     (Sa Rết, Sà Phol, Sóc Kha, Sa Ri, Phia, Sô Phal, Ra Sy, Mách Ca, Sóc
//     Thi, Sà Rươne, Pha Ly, Chanh Đa) — "Thạch Sa Rết", "Danh Thị Sa Ri".
//   - Jrai / Ê Đê: Jrai surname first (Ksor, Rơ Mah, Siu, Rah Lan, Nay,
//     Kpă); Ê Đê written given-first with Y (men) / H' (women) and the clan
//     last (Niê, Êban, Mlô, Byă, Adrơng): "Ksor H'Bia", "Y Điêng Niê";
//     given Blứ, Hen, Bia, Thuê, Krông, Đơk, Nhi, Zin, Hơn, Bôn.
//
// # Villages where names repeat
//
// Each village draws a small surname pool (3–5 surnames of its group
// taking 70% of its households) and a favourite given-name pool of 12 per
// sex taking 40% of its births; so namesakes born the same year in the same
// village happen by themselves. On top, 1% of persons get a deliberate
// namesake: a cousin in the same village born the same year under the same
// full name and sex (different parents, different number) — the precision
// test.
//
// # Families
//
// A household is a head with, in 85% of cases, a spouse (ages within −3..+8
// years of the head's, the husband usually older), 0–4 children (fewer in
// cities and for Kinh; more in minority groups), and in 15% a widowed
// parent of the head. Children take the father's surname; within one family
// the sons share a middle name (Văn, Đức, Minh, Quốc, Hữu … or the Hmong
// A), daughters share theirs (Thị, Ngọc, Thu, Thanh, the mother's surname
// in 10% of families) — so siblings differ only in the given name. Twins
// are 1.5% of births: same date, same middle name, given names paired by
// rhyme or meaning (Long / Phụng, Minh / Mẫn, An / Khang, Hồng / Hà).
// Children's records carry the father's and mother's full names as written
// in the family; adults' records the parents' names where the source asks.
//
// # Ages
//
// Age pyramid of the 2019 census by 5-year band (from knowledge, rounded:
// 0–4 8.3%, 5–9 8.6, 10–14 7.6, 15–19 6.9, 20–24 7.2, 25–29 8.4, 30–34 8.6,
// 35–39 8.1, 40–44 7.4, 45–49 6.8, 50–54 6.1, 55–59 5.3, 60–64 4.2, 65–69
// 2.9, 70–74 1.8, 75–79 1.2, 80+ 1.6). Heads are drawn in bands 25+ with
// these weights, spouses and children follow from them; the reference date
// is 1 October 2025. Days of birth are uniform; 4% of persons born before
// 1960 have only a birth year on any record (no one knew the day), 3%
// only a month and year.
//
// # Documents
//
// The 12-digit number (CCCD / số định danh) is built as the rule says:
// the id_province_codes code of the province of birth registration (the
// home province for 90%, another for 10%), digit 4 by century and sex
// (id_century_gender_codes.csv), the last two digits of the year, six
// random digits; unique in the population. Who holds what (own choice):
// aged 14+: 80% a CCCD (the number), 12% only a 9-digit CMND (more so
// aged 60+ and in minority groups), 8% none known; CCCD holders aged 35+
// also kept their old CMND in 40% of cases (some sources write it);
// children under 14: 60% have the number from birth registration, else
// none.
//
// # Sources: 1–4 records per person
//
// Each person appears in each source independently — commune list 80%,
// police post list 55%, scanned DC01 form 35%, health register 40% (children
// and the old more often) — and a person in none is put in the commune
// list. So records per person range 1–4 with mean ≈ 2.1. Each source has its
// own columns and formats, in the layout dancu import reads without a
// mapping:
//   - commune list (CSV, a title row above the header): STT, Mã bản ghi,
//     Họ và tên, Ngày tháng năm sinh (dd/mm/yyyy), Giới tính (Nam/Nữ), Dân
//     tộc, Số định danh cá nhân, Số CMND, Quan hệ với chủ hộ, Họ tên cha,
//     Họ tên mẹ, Nơi thường trú (thôn, xã, huyện, tỉnh, old era);
//   - police post list (CSV, after the reform, named _20251015 so its
//     addresses read in the new units): Mã hồ sơ, Họ tên (capitals in half
//     of the posts), Năm sinh only, Giới tính, Số CMND/CCCD (either number
//     in one column), Nơi ở hiện tại (thôn, new commune, new province);
//   - scanned DC01 forms (JSON lines, schemas/SCANNED_FORMS.md): full name
//     in capitals, birth date d/m/yyyy, sex, id_number or cmnd, perm
//     address, father and mother names, each with a confidence; unit_code
//     the commune's code of the era of collected_on (2019–2024, old era);
//   - health register (CSV): Mã bản ghi, Họ và chữ đệm, Tên (name split),
//     Ngày sinh (d/m/yy with two-digit year for the over-25s in half the
//     clinics, else dd/mm/yyyy), Giới tính, Số CCCD, Họ tên mẹ (children),
//     Địa chỉ (abbreviated: "Th. X, X. Y, H. Z, T. W").
//
// Every record's source id is unique across the four files, so the truth
// (source_record_id → person) reads with dancu eval.
//
// # Noise (from the same description, not from what the engine fails on)
//
// Per record, independently, by source:
//   - typing: a name or address typed without diacritics (police 6%, health
//     4%); one syllable's tone changed or dropped (3%); old vs new tone
//     placement (hòa / hoà) by clerk; double spaces and stray case;
//   - middle names: the middle dropped (police 6%, health 3%: "Nguyễn Lan"),
//     a second middle added or dropped on 4-syllable names (3%), Khmer and
//     minority women's "Thị" added or dropped (20% of their records);
//     Hmong "A" dropped (15%);
//   - surname spelling across the north/south pair (Vũ↔Võ, Hoàng↔Huỳnh,
//     1%), and for Khmer and Ê Đê the clan name moved to the other end (5%);
//   - dates: day and month exchanged (2% where day ≤ 12), one digit mistyped
//     (2%), year ±1 (lunar age declared, 2%), the day unknown written as
//     year only (3% in the health register), 01/01 of the year for elders
//     whose day was not known (some clerks);
//   - numbers: one digit wrong (1.5%), two adjacent digits swapped (1%), the
//     old CMND written where the CCCD was asked (3% of holders of both),
//     the number left out (10%);
//   - scanned forms: OCR letter confusions in capitals (Đ→D, Ư→U, Ơ→O,
//     tone marks lost or changed, I↔L↔1, O↔0, B↔8, S↔5 in numbers,
//     rn↔m, a letter dropped), each field's confidence lower where changed;
//   - addresses: the village left out (10%), the district left out (5%),
//     the unit named in the other era, 4% of adults moved (a different
//     village or commune in one source).
//
// # Seeds
//
// Fixed before any result was seen: dev seed 1901 (dancu link with the
// embedded model and the blind threshold, read missed and false pairs),
// held-out seed 1907, evaluated once at the end. Both at 16,000 persons
// (≈ 34k records).
package fourthpop
