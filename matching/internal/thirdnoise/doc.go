// Package thirdnoise is a third corruption model for dancu's matching: it
// takes the clean lists `dancu gen --noise 0` writes and damages them the way
// Vietnamese commune lists and scanned DC01 forms go wrong, with its own seed.
//
// It was written (this comment first, rates included) before its author read
// gen's noise code, the second model (matching/internal/othernoise) or the
// Vietnamese settings, from issue 12's list and what is known of how these
// records are kept. Its proportions come from that description, never from
// what the engine fails on; they were not changed after the first result was
// seen. It is for measuring only: nothing in the engine may be tuned on it.
//
// # What goes wrong, and how often
//
// Two kinds of source reach the register, and they fail differently.
//
// Commune lists (danh sách, typed into Excel by a commune clerk, often copied
// from an older list or from a family's household book):
//
//   - Names without marks. A clerk whose machine had no Vietnamese keyboard
//     typed "Nguyen Van An"; 4% of list rows. In capitals with marks
//     ("NGUYỄN VĂN AN"), the way many lists are kept: 6%; capitals without
//     marks: 2%.
//   - Telex/VNI leftovers. The input method was off or set to the other
//     scheme for one word: "Nguyeenx", "Nguye6n~": 1% of rows, one word each.
//   - Old and new tone placement and decomposed Unicode ("Thuỷ"/"Thủy",
//     "Hoà"/"Hòa", NFD from a Mac): 4% of rows (it costs a clerk nothing).
//   - Order swapped: the given name written first ("An Nguyễn Văn") or the
//     surname last ("Văn An Nguyễn") when copied from a foreign-order form:
//     0.6%.
//   - Middle name dropped (Nguyễn Văn An → Nguyễn An; of two middle names one
//     dropped: Lê Anh Trọng Trường → Lê Trọng Trường): 3%. Added (Thị for a
//     woman, Văn for a man, where the person has none or one): 1.5%. Changed
//     between the two common ones, or written "Thi"/"Van" (Thị ↔ Văn,
//     including the wrong sex's): 0.5%.
//   - A name in common use: southern families call a child by birth order
//     (Hai, Ba, Tư, Năm, Sáu, Bảy, Tám, Út) and some lists carry it as the
//     given name: 0.3%.
//   - A typing slip in the surname or given name (one letter dropped, doubled,
//     swapped with its neighbour or replaced by a neighbour key): 1.5%.
//   - Dates. A year only ("1985") 3%, more for the old (the family never had
//     the day): doubled for people born before 1960. "00/00/1985" 1%;
//     "01/01/1985" put for an unknown day 1%; month and year ("05/1985") 1%;
//     day and month swapped by a spreadsheet in the other locale (only when
//     the day is 12 or less) 2%; a two-digit year ("05/08/81") 1%; the
//     spreadsheet's date serial ("29803") 0.5%; a lunar-calendar date (3 to 7
//     weeks earlier, so the year is one less for January and February births)
//     1%; the year typed one off 0.5%.
//   - The 12-digit identification number typed as a number, so its leading
//     zero is lost ("006047826516" → "6047826516"): 5% of rows that have it;
//     as a number in scientific notation ("6.04783E+09", digits lost): 0.3%;
//     the 9-digit CMND written in the CCCD column (and not in its own): 2%;
//     the number left blank: 3%; one digit mistyped: 0.5%; two neighbours
//     swapped: 0.3%.
//   - The mother's name missing: 10%; the father's: 15% (lists leave them out
//     more than anything); a parent's name without marks: as the person's.
//   - Sex blank: 1%; the other sex: 0.3%.
//   - Addresses. A level left out (the hamlet, the district, or the province):
//     5%; the other era's names (an old list copied into a new one, or the new
//     names typed into an old one): 5%; abbreviated ("X. Như Cố, H. Chợ Mới,
//     T. Bắc Kạn", "TT.", "TP."): 10%; a house number written before the
//     hamlet ("Số 12, Thôn 5, ..."): 3%; the current address blank (same as
//     permanent): 5%. The native place reduced to its province: 10%.
//
// Scanned DC01 forms (filled by hand by the family in 2019-2020, read by OCR
// in capitals; each field carries the reader's confidence):
//
//   - Look-alike letters in a name field: N↔M, H↔B, U↔V, I↔T, O↔Q, D↔Đ, E↔F,
//     one or two per name: 4% of names. The marks misread (Ư→U, Ơ→O, Ê→E, a
//     tone dropped or changed): 5% of names. The form read with no marks at
//     all (a reader without the Vietnamese model): 3% of forms, every field.
//   - Look-alike digits in dates and numbers (1↔7, 0↔8, 3↔8, 5↔6, 4↔9, 2↔7):
//     3% of birth dates (so "1985" may be read "1983" or "2814"), 3% of ID
//     numbers and CMNDs.
//   - A field left blank or unreadable ("?" or empty): 2% of each field.
//   - The family wrote the date as a year only: 2%; a lunar date: 1%; day and
//     month swapped: 1%.
//   - A damaged field's confidence is drawn lower (0.45-0.80) than a clean
//     one's (0.85-0.99), as a reader reports; 10% of damaged fields keep a
//     high confidence (readers are sometimes sure and wrong), and 3% of clean
//     fields come out low.
//
// Different persons who look the same (these add records, with their own
// person ids in truth.csv, so a model that merges them loses precision):
//
//   - Namesakes: another person of the same full name, sex and birth year in
//     the same commune, other day and parents, their own ID: 0.5% of persons
//     get one, who appears in one or two records.
//   - Twins: a sibling in the same household with the same birth date, the
//     same parents and surname, another given name (often one that rhymes or
//     pairs: Long/Phụng, Sơn/Thủy): 0.3% of persons get one, in one or two
//     records.
//
// A damaged record usually carries one or two of these at once: each kind is
// drawn on its own, so a row can have its name in capitals, its date a year
// only and its number without the zero.
//
// Deterministic: the same input and seed give the same output, byte for byte.
package thirdnoise
