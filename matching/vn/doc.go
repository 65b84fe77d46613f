// Package vn is the part of dancu that knows Vietnamese text. It sits at the
// start of the match stage (and is used by ingest while decoding sheets):
//
//	ingest (DetectEncoding, Decode*) ─> Kafka ─> match (ParseName, ParseDate,
//	ParseSex, ParseID, Fold) ─> Kafka ─> load
//
// It provides:
//
//   - Fold and Canon: the diacritic-free key and the canonical (diacritics
//     kept, lower case, one tone-mark style) form of any text. Canon uses the
//     old tone-mark style (kiểu cũ: "hòa", "khỏe", "thủy"), the one of the
//     official GSO unit names ("Thanh Hóa", "Khánh Hòa"); new-style input
//     ("hoà", "thuỷ") is rewritten to it.
//   - ParseName: names split into family (knowing compound family names such
//     as Tôn Nữ, Tôn Thất, Nguyễn Phúc, Âu Dương), middle and given name, with
//     a diacritic-free Key and an OCR-tolerant OCRKey.
//   - ParseDate / ParseDateCell, ParseSex, ParseID (12-digit identification
//     numbers and 9-digit CMND) with ID.Check against a record.
//   - Legacy encodings: DecodeTCVN3, DecodeVNI, DecodeVIQR,
//     DecodeWindows1258, and DetectEncoding deciding per column or sheet.
//   - MaskID and MaskName for logs.
//
// All functions are safe for concurrent use; the tables they need are built
// once, on first use, from the embedded reference data (internal/refdata).
package vn
