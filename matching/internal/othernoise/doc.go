// Package othernoise is a second corruption model for the Vietnamese
// register, written apart from internal/synth's noise (noise.go) so that
// dancu link can be measured on noise it was never developed on. It takes
// the clean source lists of `dancu gen --noise 0` (the two danhsach_*.csv
// files, truth.csv and persons.csv) and writes corrupted copies of the
// lists, the truth, and kinds.csv: which kinds each record was given. The
// kinds are for the error breakdown only; matching never reads them.
//
// Every kind below is one synth does not produce (synth has: diacritics
// dropped, tone style, NFD, upper case, one typo, middle name left out or
// added, OCR letters and digits, year only, day/month swapped, year off,
// day 00, impossible day, blank ID/CMND/sex/parents/date/address, one ID
// digit mistyped, address abbreviations, levels dropped, other era):
//
//   - name_reversed: the given name written first ("An Nguyễn Văn"), as
//     forms laid out for Western names (first name, then last) and lists
//     exported from them give it.
//   - name_joined: the space between two syllables of the given or middle
//     name lost ("Ngọc Anh" → "Ngọcanh"), or a space doubled.
//   - telex, vni: the name typed with the input method switched off, so
//     the Telex or VNI keystrokes stay in the text ("Nguyeenx Vawn An",
//     "Nguye6n4 Va8n An").
//   - mojibake: the record's text saved as UTF-8, read back as
//     Windows-1252 and saved again ("Nguyá»…n") — a CSV opened in Excel
//     without choosing UTF-8.
//   - head_id: the household head's number written on a spouse's or
//     child's record (the clerk copied the household book's first line).
//   - id_zero_lost: the number's leading zero lost (a number formatted as
//     a number in a spreadsheet: 001089012345 → 1089012345), the CMND's too.
//   - id_spaced: the number written in groups ("001 089 012345",
//     "001.089.012345").
//   - cmnd_in_id: the 9-digit CMND written in the 12-digit column, the
//     CMND column left blank.
//   - date_words: "ngày 5 tháng 3 năm 1990"; date_yy: "05/03/90";
//     date_month: "03/1990" (the day unknown); date_lunar: the year as
//     its sexagenary (lunar) name only, "năm Canh Ngọ".
//   - sex_wrong: the other sex ticked.
//   - moved: the person moved to another province between the two lists;
//     the later list has the new permanent and current address (both
//     addresses right for their date).
//   - dup_row: the same row entered twice (its own record code).
//   - father_son: the population changed rather than a record: a son
//     given his father's full name (both lists, truth unchanged) — the
//     false-merge side, beside gen's own twins and namesakes.
//
// The development set is `dancu gen --persons 20000 --seed 11 --noise 0
// --formats csv` corrupted with seed 1; the held-out set is gen's seed 12
// corrupted with seed 2, evaluated once, at the end:
//
//	go run ./matching/internal/othernoise/cmd/othernoise corrupt CLEAN DEV 1
//	dancu link --in DEV/danhsach_20240501.csv --in DEV/danhsach_20251001.csv --out c.csv
//	dancu eval --truth DEV/truth.csv --pred c.csv
//	go run ./matching/internal/othernoise/cmd/othernoise breakdown DEV c.csv
package othernoise
