// Package fifthpop builds a third Vietnamese population for issue 12, by
// an author who read only the output layout of dancu gen and fourthpop
// (their files' columns, ids and truth files) and the scorer (dancu eval),
// not their people or their noise: its own households, names, documents,
// four sources of its own and noise in its own proportions, modelled on
// how real Vietnamese registers go wrong. Every proportion below is the
// author's judgement, not a measurement.
//
// # People and places
//
// About N/450 communes of the pre-reform list (admin_units_2025_pre_reform),
// provinces drawn by 2019 census population, and one commune in six from
// provinces with many ethnic minorities (Hà Giang, Lào Cai, Điện Biên, Lai
// Châu, Sơn La, Yên Bái, Đắk Lắk, Gia Lai, Kon Tum, Sóc Trăng, Trà Vinh),
// plus five big-city wards (Hồ Chí Minh City ×2, Bình Dương, Hà Nội, Đồng
// Nai) people move to. A commune has 3–7 villages: Thôn / Xóm with a number
// or a name in the north and centre, Ấp in the south, Bản / Buôn / Plei in
// the uplands, Tổ dân phố or a street with house numbers in wards and
// towns. A northern or central village has two clans: 45% of its Kinh
// households take one of their surnames.
//
// Households: a head (18% women) aged 24–73; a wife for 85% of male heads,
// 5 years younger to 2 older, with her own surname (Vietnamese women keep
// theirs) and, for 80%, a parents' village elsewhere (the same province
// mostly); 0–4 children (one more when the head is over 30) one to four
// years apart with the father's surname, sons sharing a generation middle
// name in 60% of Kinh families, daughters "Thị" 60%; never two children of
// one given name; 2% of births twins (half of them named alike but for the
// given name); an elderly parent of the head in 20% of young households.
// Names: Kinh surnames by uit_forum_pct, the number of syllables, middle
// and given names by the ngxson counts of the person's sex. 7% of Kinh
// male heads carry their commune's one "popular" full name (Nguyễn Văn
// Hùng ×N). Minority names are the author's short lists: Hmong (Giàng A
// Páo, Sùng Thị Mỷ), Thái (Lò Văn Pọm), Ê Đê and Jrai in their own order
// (H'Nhi Niê, Y Bhim Mlô, Y Đoan Rơ Châm: Y or H' first, clan last),
// Khmer (Thạch Thị Sa Rây, Danh Sóc).
//
// Documents: 93% of those 14 and older hold a 12-digit number (its
// province the one of birth: a married woman's parents'), 75% of those
// born by 2005 an old 9-digit CMND too; 80% of children born from 2016 a
// number, 50% of other children. 6% of adults aged 18–45 have moved to a
// big city.
//
// # Sources (file, date, who is in it)
//
//   - sohokhau_20240315.csv, the commune's household books typed in March
//     2024: 85% of persons born by then; name, date, sex, ethnicity, number,
//     CMND, relation and the head's name, permanent address (old era). 30%
//     of the wives from another village still stand in their parents. book
//     (maiden_addr).
//   - bhxh_20250901.csv, social insurance: 55%; family name, middle and
//     given name in three columns, date (half ISO), sex, one number column
//     (a CMND there when that is all the person has, or 15% of the time),
//     mother's name for children, address: 70% the new two-level units,
//     30% the old four (addr_other_era); movers at their new place 70%.
//   - cutru_20251120.csv, police residence data: 50% of those 14 and older,
//     15% of children; 25% year of birth only (75% for those over 60), one
//     number column (the CMND when there is no number, else 20%), permanent
//     address (80% new era) and the current one for movers (half of whom
//     have their permanent address moved too).
//   - dc01_quet.jsonl, DC01 forms read by OCR in the first half of 2024:
//     30%; uppercase 60%, with confidences; parents' names for children.
//
// # Noise, per record (kinds.csv names each)
//
//   - mid_dropped: a Kinh middle name left out (book 3%, insurance 10%,
//     police 4%, forms 6%); mid_added: "Thị" or a second middle name added
//     (3%).
//   - translit: a minority name written another way (55% of their
//     records): the Hmong "A" left out, H' written H, "H ", H’ or H-,
//     another spelling of the sound (Giàng/Dàng, Páo/Pao, Châm/Chăm, Niê/
//     Nie, Êban/Ê Ban, Ksor/Xo), two syllables joined (Sa Rây → Sarây), or
//     the marks lost.
//   - no_marks: all diacritics lost (book 4%, insurance 8%, police 3%,
//     forms 20%); mark_lost: one syllable's (4%).
//   - ocr_name (forms, 22%): one letter misread — N↔M, H↔B, u↔v, i↔t,
//     n↔m, h↔b, O→Q or 0, o→c, e→c, B→8, i→l.
//   - year_only (book, insurance 2%, police 25%, forms 3%; ×3 over 60),
//     year_off (2.5%: ±1), day00 (1.5%: "00/05/1985"), dm_swapped (4% of
//     days ≤ 12: month written first), and on forms one digit misread
//     (12%: 0↔8, 1↔7, 5↔6, 3→8, 9→4) in the day or month (ocr_date) or the
//     year (ocr_year: 2014 → 2814).
//   - Address (each record draws one of): addr_no_village 12%,
//     addr_no_district 8% (old era), addr_no_province 5% (13% in the new
//     era, which has no district to leave out); then
//     addr_abbrev 25% (X., H., T., TP., P., Q., TT., TX., Th., TDP),
//     addr_bare 10% (no unit words: "Nam Hồng, Đông Anh, Hà Nội"), or
//     " - " between the parts 5%; addr_no_marks (book 4%, insurance 8%,
//     police 2%, forms 20%). Urban addresses carry a house number and a
//     street ("Số 12 đường Lê Lợi", "12 Lê Lợi").
//   - maiden_addr, moved: above. addr_other_era: a 2025 list's address in
//     the old units.
//   - id_cmnd: the record carries the 9-digit CMND and not the 12-digit
//     number; id_none: no number at all (book 8%, insurance 4%, police 2%,
//     forms 12%); id_typo: one digit changed or two exchanged (book 2%,
//     insurance 1.5%, police 0.5%, forms 6%).
//   - sex_wrong: the other sex ticked (1%); 2% leave it blank.
//
// persons.csv gives each person's household, relation, twin and namesake
// flags, so that Breakdown can say what the persons of a false pair are to
// each other (twins, one household, namesakes of one commune, one surname
// in one commune, strangers).
package fifthpop
