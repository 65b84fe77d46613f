// Package vn is the part of dancu that knows Vietnamese text. It sits at the
// start of the match stage, and ingest uses it while decoding sheets:
//
//	ingest (DetectEncoding, Decode…, ParseDateCell) ─> Kafka ─>
//	match (ParseName, ParseDate, ParseSex, ParseID, Fold, Canon) ─> Kafka ─> load
//
// What it provides, and the choices it makes:
//
//   - Fold: the diacritic-free key of any text (NFC not needed: combining
//     marks are dropped as well), lower case, đ → d, whitespace of every
//     kind collapsed, zero-width characters removed.
//   - Canon: NFC, cleaned, lower case, diacritics kept, with one tone-mark
//     placement: the old style (kiểu cũ: "hòa", "khỏe", "thủy"), the one of
//     most official GSO unit names ("Thanh Hóa", "Khánh Hòa"). New-style
//     input ("hoà", "thuỷ") is rewritten to it; the two styles differ only in
//     the open rhymes oa, oe, uy (encodings/tone_placement_variants.tsv).
//     Ð/ð (eth), a common look-alike, is read as Đ/đ.
//   - ParseName: the canonical name in title case, split into family (the
//     first word, or a compound family name such as Tôn Nữ, Tôn Thất,
//     Nguyễn Phúc, Âu Dương, Công Tằng Tôn Nữ), middle names and the given
//     name (the last word); Key = Fold(Normalized); OCRKey repairs scanner
//     confusions (0→o, 1→l, 5→s, 8→b, rn→m, cl→d, q→g inside a word, stray
//     apostrophes) only in words that are not syllables, so two real names
//     never collide that did not already collide in Key. Name.SexHint reads
//     the sex-bearing middle names Thị and Văn.
//   - Names of the Central Highlands (highlandOrder). An Ê Đê, M'nông or
//     Jrai name is a gender prefix — Y for a man, H' for a woman (short
//     for Hơbia, "lady") —, the given name, then the clan: "Y Moan Êban",
//     "H'Blơi Rơ Mah"; the clan may carry a branch ("Niê Kdăm", "Mlô Duôn
//     Du"), and Jrai clans are written as one word or two ("Rơ Mah",
//     "Rơmah"). Sources: vi.wikipedia, "Tên người Ê Đê" (the order, the
//     prefixes, the clans Niê, Mlô, Buôn Yă, Êban, Ksơr, Êčăm, Kbuôr,
//     Adrơng and their Jrai forms Nay, Kpă, Rhlan, Rčom, Puih); zh.wikipedia,
//     "埃地族" (prefix, given name, clan of a trunk and a branch); Đặng Văn
//     Bình, "Tên chính danh của người Mnông" (thesis, Hà Nội University of
//     Education, 2017: Y and H for the M'nông). Registers write the prefix
//     "H'", "H’", "H-", "H " or joined ("HBlơi", "Ybhim"), the clan last or
//     first (Vietnamese order: "Ksor H'Bia"), and sometimes joined onto the
//     given name ("H'Thơnay"). ParseName writes every such name "Clan H'
//     Given": family the clan (its words as one), middle the prefix, given
//     the given name, so that one person's writings share their keys and
//     two sisters differ in the given name. A prefix with no clan (a
//     Bahnar or Sedang one-word name, "H'Nhi") is "H' Nhi", with no family
//     name. Y is also a Kinh family name ("Y Thu Hằng"): a name starting
//     with the word Y, or with H without its apostrophe ("H Blơi", "H-Blơi",
//     beside "H Thị Uyên", a Hà that lost its letters), is read so only
//     when it ends in a clan of the package's list (highlandClans); a prefix joined to the given name
//     is taken apart only from a word that is no Vietnamese syllable nor
//     one misread by a scanner, and, for H joined with nothing ("HBlơi",
//     beside an OCR'd "HVỲMH" for Huỳnh), only before a known clan. Hmong (Giàng A Páo),
//     Thái and Khmer (Thạch Thị Sa Rây) names follow the Vietnamese order,
//     clan first, and are read as Kinh names are.
//   - ParseDate / ParseDateCell: dd/mm/yyyy and its variants, yyyy-mm-dd,
//     two-digit years (00–26 → 2000s, 27–99 → 1900s: TwoDigitYearPivot),
//     Excel 1900-system serials for numeric cells, month/year, year; with
//     precision, errors for impossible dates, and Swapped for 03/25/1990.
//   - ParseSex: "M" or "F" from Nam/Nữ and their variants; 1 is male, 0 and
//     2 are female (the 1/0 boolean and the 1/2 census codings agree).
//   - ParseID: 12-digit identification numbers (province or country code,
//     century/sex digit, birth-year digits, per the refdata tables) and
//     9-digit CMND; ID.Check lists contradictions with a record.
//   - Legacy encodings: DecodeTCVN3, DecodeVNI, DecodeVIQR,
//     DecodeWindows1258 (and …Text for text read as Windows-1252),
//     DecodeBytes for raw files, and DetectEncoding, which decides per
//     column or sheet from the cell font when there is one and otherwise by
//     whether decoding turns non-syllables into valid Vietnamese syllables
//     (ValidSyllable); it never decodes real Unicode Vietnamese (tested on
//     every name and unit name of the reference tables).
//   - MaskID ("0010******45") and MaskName ("Nguyễn V. A.") for logs.
//
// All functions are safe for concurrent use. The tables are built once:
// letter tables at package initialisation, the reference tables on first
// use, from the embedded data of internal/refdata.
package vn
