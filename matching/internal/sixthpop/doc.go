// Package sixthpop is a fourth independent generator of Vietnamese
// population lists with ground truth (issue 12), after dancu gen,
// fourthpop and fifthpop. Its author read only those generators' output
// layout, the readers' header names and the scorer (matching/eval) — not
// their noise code, the matching settings or the comparisons — and modelled
// it on sources the others do not: a census keyed by a clerk from
// handwritten sheets, a hospital's register of births, a school roll, a
// military roll and household books keyed again after the reform.
//
// Generate writes five CSV lists in the register layout (a title row, then
// the header), which dancu link and dancu import read, and truth.csv
// (source_record_id, person_id) for dancu eval; kinds.csv gives each
// record's source and noise kinds, persons.csv each person (household,
// relation, parents, the hard false pair planted). Breakdown splits a
// link's missed true pairs by noise kind and by pair of sources, and its
// false pairs by what the two persons are to each other.
//
//	go run ./matching/internal/sixthpop/cmd/sixthpop --persons 16000 --seed 6101 --out D
//	dancu link --in D/dieutra_20240401.csv … --settings matching/vietnamese/trained.yaml --out D/c.csv
//	dancu eval --truth D/truth.csv --pred D/c.csv
//	go run ./matching/internal/sixthpop/cmd/sixthpop breakdown --dir D --pred D/c.csv
//
// # The population (the author's proportions)
//
//   - Six rural provinces drawn by the seed (never Hà Nội or Hồ Chí Minh
//     City), three communes (Xã) each, 4–8 villages a commune: Thôn N or Xóm
//     X in the north and centre, Ấp in the south (province code ≥ 70), Bản
//     in 40% of the villages of the northern mountains (codes 02–17). About
//     900 persons a commune at 16,000 persons.
//   - Each village has two clans: a household's surname is the first
//     clan's in 35%, the second's in 20%, else drawn from the national
//     shares (names/surnames.csv).
//   - A household: a man born 1945–1999 (uniform); in a quarter of those
//     born before 1990 his widowed parent (two thirds mothers; a father
//     shares his middle name half the time); 8% no wife; the wife born one
//     year older to six younger, her own surname, born in the same village
//     15%, another village of the commune 45%, one of the 18 communes 40%
//     (so her 12-digit number may carry another province's code); 0–4
//     children (0, 1, 2, 2, 3, 3, 4 equally likely), the first when she is
//     19–28, then 1–5 years apart, none after 2024; brothers share one
//     middle name in 60%; never two children of one given name; 1.5% of
//     births twins (20% of them a day apart); 6% of children born at the
//     mother's parents'.
//   - Hard false pairs: twins (above); namesake cousins — 2.5% of persons
//     share their full name with a person of one village, surname and sex,
//     born within four years, of another household; father and son of one
//     full name — the first son in 1.2% of households (at least 18 years
//     between them).
//   - Numbers: everyone a 12-digit number (0 + birth province's code +
//     century/sex digit + two digits of the year + six random); three in
//     four of those born by 2002 also a 9-digit CMND.
//   - Movers: 10% of those aged 18–40 in 2024 live in a ward of Hà Nội or
//     Hồ Chí Minh City (a house number, lane and Tổ dân phố).
//
// # The sources and their noise (shares of the source's records)
//
// census, dieutra_20240401.csv (72% of persons; old-era addresses): keyed
// from handwritten sheets. Name: upper case without marks 45%
// (upper_no_marks, the address too in 70% of those: addr_no_marks), one
// letter misread 5% (hand_letter: n/u, a/o, m/n, h/k, e/c, t/l …, never a
// word's first letter), the middle name left out 3% (mid_dropped). Date:
// "ngày 5 tháng 3 năm 1987" 15% (date_words), "5-3-87" 25% (date_short),
// the year alone 10% (and 30% more of those born before 1950: year_only),
// else 05/03/1987; day and month exchanged 2% (dm_swapped), one digit
// misread 4% (hand_digit: 1/7, 4/9, 3/8, 5/6, 0/6). Sex ticked wrong 1.5%
// (sex_wrong). One number column "Số CMND/CCCD": the CMND 40% of those who
// have one (id_cmnd), else the 12-digit number for those born by 2010 (85%
// in all) — for a CMND holder, a quarter of those 12-digit numbers written
// with another province's code before their own other digits, the reissue
// keyed (id_other_prov) —, else none (id_none). Residence: a mover counted at
// the city 50% (moved), and 30% of those counted at home by the family too
// (double_count, a second record); the birth place written in the
// residence cell 10% when they differ (addr_birthplace); units abbreviated
// 20% (addr_abbrev), the village left out 5%.
//
// birth, sokhaisinh_20240630.csv (80% of those born 2005–2024; old era): a
// hospital's register. The child written "Con bà <mother's full name>" 55%
// (a quarter "Con chị", 15% upper case: con_ba), else the given name; the
// date exact; the number for 60% of those born from 2016, else none
// (id_none); the mother's and father's names; the address the mother gave:
// her parents' when the child was born there (maternal_home).
//
// book, sohokhau_20250915.csv (88% of households, 97% of their members;
// new era, 35% still old: addr_other_era): household books keyed again
// after the reform. The relation word in the name's cell 12% ("CH …",
// "Chủ hộ: …", "… (chủ hộ)", "Vợ: …", "Con …", "Mẹ …"; the relation column
// then blank half the time: rel_in_name); the old tone placement (Hoà,
// Thuỷ) in 40% of the names that have one (tone_style); i for a final y
// (Quí, Mĩ) in 30% of the names that have one (iy_spelling). The year
// alone 40% of those born before 1955 and 5% of others (year_only); sex
// wrong 0.5%; the 12-digit number 85% (2% of them one digit wrong,
// id_typo; else id_none), the CMND 60% of its holders; the head's name;
// abbreviated 25%.
//
// school, hocsinh_20250905.csv (85% of those born 2008–2019; new era, 40%
// old): name in two columns (Họ đệm, Tên). The birth year taken from the
// class 18% (year_by_grade), a year off in 30% of those (a repeater or an
// early starter: year_by_grade_off); 10% of the others d/m/yyyy. The
// number 50% (else id_none); father's and mother's names; the parents'
// city address 70% when a parent moved (addr_parent); abbreviated 20%.
//
// military, nvqs_20251015.csv (85% of men born 1998–2007, 20% of those born
// 1980–1997; new era, 30% old): no sex column. A rank before the name 6%
// (rank_in_name); the number 95% (3% of them one digit wrong: id_typo;
// id_none); Quê quán the father's birth place; the city address for 40%
// of movers (moved); the native place in the residence cell 6% when they
// differ (addr_native); abbreviated 15%.
//
// Lists other than the household book are shuffled. The same persons and
// seed give the same files, byte for byte (TestDeterministic).
package sixthpop
