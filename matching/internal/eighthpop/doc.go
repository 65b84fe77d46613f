// Package eighthpop is a sixth independent generator of Vietnamese
// population lists with ground truth (issue 12), after dancu gen and
// fourthpop … seventhpop. Its author read those generators' command
// flags and output layout (a title row, the header, truth.csv,
// kinds.csv, persons.csv), the readers' header names and the scanned-form
// schema, not their noise code or the matching settings, and committed it
// before any run of the model on its output.
//
// What it stresses that the others do not: a national roll-up in which
// common full names recur across provinces with one birthday, at the rate
// the national register's size implies. Every member of the generated
// households brings Poisson(λ) namesakes (at most three), λ = 10⁸ × ½ ×
// P(full name | sex, cohort) × P(birthday), the name's probability the
// product of the name tables' shares in internal/refdata (surnames: the
// published national shares, Hoàng/Huỳnh and Vũ/Võ split by region;
// given names: the Đắk Lắk DKL01 percentages; middle names: Văn for 65 /
// 40 / 15% of men born before 1975 / 1995 / after, Thị for 85 / 60 / 30% of
// women, the others by ngxson's counts) and a birthday's probability one
// day of a 75-year span — or, for the 35% of those born before 1955 and 8%
// of those born 1955–69 whose date is not known and is held as 01/01, the
// year's unknown share. Nguyễn Văn Hùng born on a given day in 1970 has λ
// ≈ 9; most names far less. Each namesake lives in a household of his own
// in a province drawn by population, with a 12-digit number naming his
// birth province: born elsewhere for 35% of the people of the receiving
// provinces (Hà Nội, Hồ Chí Minh, Bình Dương, Đồng Nai, Long An, Bắc Ninh,
// Đà Nẵng) and 5% of the others, so one namesake's number often names the
// other's province.
//
// The lists (one record a person a list; persons drawn into a list by
// household):
//
//   - sohokhau_sohoa_20220615.csv: household books keyed in 2022 (60% of
//     households): the head's name on every row, the relation in its column
//     (30% in a clerk's word: CH, Con đẻ, Mẹ đẻ, Cha …), the household's
//     number, the address on the head's row and blank below it for 45% of
//     households (a merged cell), 30% with X./H./T., 8% with a line break in
//     the cell; the year alone for an unknown date; the 12-digit number on
//     50% of rows, the CMND on 25% of those who have one; the tone's old
//     place (hòa/hoà) on 30% of names with one, 3% a slip, 8% capitals.
//   - phieu_dc01_ocr_20240401.jsonl: census forms of 2024 read by OCR (55%
//     of households, one line a person): names in capitals, 10% without
//     marks, 18% one mark misread (sắc/huyền, hỏi/ngã, a hat or a dot lost,
//     Đ as D), 4% a letter read as a digit (O/0, I/1, S/5, B/8, G/6), 3% a
//     space lost or added; dates 6% with a digit read as a letter, 4% a
//     digit misread (3/8, 1/7, 0/6 …); numbers 20% blank, CMND for 15%, of
//     the rest 8% a letter for a digit, 4% a digit misread, 2% a digit lost;
//     addresses 35% broken over the box's two lines (30% of those inside a
//     word), 5% without the province, 8% without marks; a wrong sex tick 1%;
//     low confidences where the reader erred.
//   - rasoat_trung_quocgia_20250301.csv: the national review of namesakes
//     and double registrations: every person of a namesake group, both rows
//     of a mover registered at two addresses, and a tenth of the others;
//     clean, as the national database exports it, with Quê quán (the birth
//     province) and 10% without the number.
//   - dangky_khaisinh_20251120.csv: births registered after the 2025
//     reform (16% of households with a mother of 20–42), with the parents'
//     names and the new two-level address. No source says which province
//     code their numbers carry; the guess here is the new province's (new
//     codes reuse old ones: 052 is Gia Lai now, Bình Định before).
//   - trich_cutru_20260310.csv: the residence database's extract of March
//     2026 in the new units (65% of households): 5% of households moved to
//     another province after June 2024 (to the receiving provinces ×4) and
//     12% of grown children born 1985–2005 left alone for one; a mover with
//     the card (55%) is at his new address with his number, one without it
//     under his old permanent address, the new one as where he stays, and
//     no number; three in ten households still list the child who left.
//
// persons.csv holds each person's truth (birth province, province in 2022
// and 2026, household, namesake group, hard kinds: namesake, twin, mover);
// kinds.csv each record's noise; the breakdown classes missed pairs by
// those kinds and false pairs by what the two persons are (namesakes
// whose number names the other's province, of one province, of others;
// twins; one household; one name, another birthday).
//
//	go run ./matching/internal/eighthpop/cmd/eighthpop --persons 16000 --seed S --out D
//	dancu link --in D/sohokhau_sohoa_20220615.csv --in D/phieu_dc01_ocr_20240401.jsonl \
//	    --in D/rasoat_trung_quocgia_20250301.csv --in D/dangky_khaisinh_20251120.csv \
//	    --in D/trich_cutru_20260310.csv --settings matching/vietnamese/trained.yaml --out D/c.csv
//	dancu eval --truth D/truth.csv --pred D/c.csv
//	go run ./matching/internal/eighthpop/cmd/eighthpop breakdown --dir D --pred D/c.csv
//
// The proportions are this author's guesses from what is known of the
// registers, not measured from real lists; the namesakes' rate follows
// from the name tables' shares taken as independent, which overstates the
// commonest names somewhat, and is capped at three a person.
package eighthpop
