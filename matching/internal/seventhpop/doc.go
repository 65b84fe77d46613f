// Package seventhpop is a fifth independent generator of Vietnamese
// population lists with ground truth (issue 12), after dancu gen,
// fourthpop, fifthpop and sixthpop. Its author read those generators'
// output layout (a title row, the header, truth.csv, kinds.csv,
// persons.csv), the readers' header names and the scorer, not their noise
// code or the matching settings, and wrote it before any run of the model
// on its output.
//
// Its noise is what a province's data team sends when its lists went
// through Excel and older software, a profile none of the others
// stresses: numbers kept in numeric cells (the leading zero lost, or
// shown as 1.23457E+11, six significant digits kept and the rest gone),
// dates as Excel serial numbers, in m/d/yyyy from an English-locale
// machine (day and month silently exchanged when the day is 12 or less),
// as an older system's "1987-03-05 00:00:00" or Excel's "5-Mar-87"; names
// in capitals without marks, given names first on a form that asks for
// "first name", "Ng." for Nguyễn and "T." for Thị; a key beside the one
// meant; addresses with P./Q./TX./H./X. and, from one old system, written
// province first; members listed under the head's address, a son who
// split off and a daughter who married out still listed in their
// parents' household too; and the same person eight years later with a
// new address and a new number (a 9-digit CMND in 2016, the 12-digit
// number in 2024).
//
//	go run ./matching/internal/seventhpop/cmd/seventhpop --persons 16000 --seed S --out D
//	dancu link --in D/xuatdulieu_phanmemcu_20160630.csv --in D/tonghop_tinh_20240315.csv \
//	    --in D/ds_hogiadinh_20250920.csv --settings matching/vietnamese/trained.yaml --out D/c.csv
//	dancu eval --truth D/truth.csv --pred D/c.csv
//	go run ./matching/internal/seventhpop/cmd/seventhpop breakdown --dir D --pred D/c.csv
//
// # The population (the author's proportions)
//
// Five provinces drawn by the seed (never Hà Nội or Hồ Chí Minh City), a
// commune per 800 persons, one of each province's a Phường (Tổ dân phố,
// Khối, Khu phố), the others Xã (Thôn, Xóm; Ấp in the south). Households:
// 55% an older couple (head born 1938–1967), 45% a younger one (1966–1999);
// a male head in 90%, a wife in 90% of those (a quarter born in another
// province: her 12-digit number carries its code); a widowed parent in 20%
// of the households of heads born before 1975; 0–4 children, never two of
// one given name, 1.2% of births twins. Sons born by 1996 split off into a
// household of their own (60%: their marriage year, 22–29; 60% of them in
// the parents' hamlet) with a wife and children; daughters born by 1998
// marry out (70%) into a household of a head without a wife. Everyone has
// a 12-digit number (0, birth province, century and sex, two digits of the
// year, six random); 85% of those born by 2002 a 9-digit CMND (prefix by
// province). Moves between 2016 and 2024: 8% of households (half to
// another commune of the lists, half to a ward of Hà Nội or Hồ Chí Minh
// City, with a house number), and 10% of those aged 18–32 in 2016 alone to
// such a ward. Namesakes: 2% of persons take the full name of a person of
// their commune and sex born within five years, of another household.
//
// Why these sources and shares: a province's lists are compiled from the
// communes' own files, typed in Excel (numeric cells are Excel's default
// for anything that looks like a number; the General format shows 12
// digits in scientific notation), on machines some of which run an
// English locale; older commune software stored names in capitals without
// marks and dates as timestamps; household lists are kept per household,
// and nobody takes a married child off the parents' book.
//
// # The sources and their noise (shares of the source's records)
//
// old, xuatdulieu_phanmemcu_20160630.csv: an older commune system's
// export of mid 2016 (old field names HO_TEN, NGAY_SINH, SO_CMND …), from
// 70% of the communes, 90% of their members born by 2015, under the
// household's 2016 address (a son who split off later, a daughter who
// married later: in their parents' household). Names in capitals without
// marks 55% (upper_no_marks; the relation, sex and address then too),
// without marks 25% (no_marks), a key beside 2% (key_typo). Dates
// dd/mm/yyyy 50%, Excel serial 20% (date_serial), "1987-03-05 00:00:00"
// 30% (date_datetime); the year alone 35% of those born before 1950 and 5%
// of the others (year_only). The number column SO_CMND: the CMND (id_cmnd)
// of holders aged 14, 90% of them its leading zero lost when it has one
// (id_lost_zero); else the 12-digit number for 5% of those aged 14 (half
// lost zero, a tenth scientific: id_sci); else none (id_none); a digit
// mistyped 1% (id_typo). Addresses abbreviated 50% (addr_abbrev), dashes
// 30%, province first 15% (addr_reversed).
//
// province, tonghop_tinh_20240315.csv: the communes' sheets of early 2024
// merged by the province's team in Excel (80% of persons born by 2023,
// movers at their new address, moved; 3% sent twice, from the old
// commune's sheet too: dup_row, the old address). Names in capitals
// without marks 10%, given names first 5% (given_first: "Văn An Nguyễn" or
// "An Văn Nguyễn"), "Ng." for 8% of Nguyễn (abbrev_ng), "T." for 12% of
// Thị (abbrev_thi), a key beside 3%. Dates dd/mm/yyyy 55%, Excel serial
// 22%, m/d/yyyy 15% (date_mdy; date_mdy_ambiguous when the day is 12 or
// less and not the month: nothing in the cell says it is exchanged),
// "5-Mar-87" 5% (date_mmm), the year alone 3%. The 12-digit number for 92%
// of those aged 14 and half the children (new_id for a mover: the
// number the 2016 list did not have), else none: leading zero lost 40%,
// scientific notation 7%, grouped by threes 3% (id_spaced), a digit
// mistyped 2% (a numeric keypad's neighbour). Addresses abbreviated 50%,
// dashes 40%, without marks 10%; old era (the list is before the reform).
//
// households, ds_hogiadinh_20250920.csv: the communes' household lists of
// September 2025 (85% of the households still in the lists' communes),
// every member under the head's address; a member who moved alone is not
// listed; a son who split off is also listed as Con in his parents'
// household 35%, a daughter who married out 20% (stale_household). Names
// with marks ("T." for 8% of Thị, "Ng." 2%, capitals 3%, a key beside 2%);
// dates dd/mm/yyyy 85%, serial 10%, m/d/yyyy 5%, the year alone 25% of
// those born before 1960 and 5% of the others; the 12-digit number 88%
// (15% of them the leading zero lost, 2% scientific, 1% a digit
// mistyped). Addresses new era 70% (addr_new_era), abbreviated 35%.
//
// The same persons and seed give the same files, byte for byte
// (TestDeterministic).
package seventhpop
