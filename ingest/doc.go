// Package ingest reads the sources data teams send — provincial
// spreadsheets (xlsx, xls, csv) and scanned-form batches (JSON lines from
// form recognition) — finds their header and columns, decodes legacy font
// encodings, validates every row and turns it into a schemas.Record or a
// schemas.Reject. It is the first stage of the flow:
//
//	source file ─> ingest ─> Kafka ─> match ─> load ─> ClickHouse
//
// Every physical row of every sheet is accounted for, in exactly one of:
// accepted (a Record), rejected (a Reject, with its reason) or skipped
// with its kind — title rows above the header, the header, a row
// numbering the columns "(1) (2) …", blank rows, a header repeated on each
// printed page, a section heading alone in its row ("Thôn Đông"), footer
// rows ("Người lập biểu", "Ký tên", "Xác nhận", a place-and-date line, a
// totals row). Each sheet's Layout counts them (Rows = Accepted + Rejected
// + SkippedRows) and lists the skipped and rejected rows with a masked
// preview; Description.Check turns a file that gives no data, or a sheet
// whose header was not found, into an error naming the file and sheet.
// A workbook's sheet without header where no row reads as a person's (a
// full name beside a birth date or year, an identification number, a sex
// or an address; notalist.go), and fewer than three rows hold a name, is
// not a list — a cover with its titles and signatures, a "Tổng hợp" of
// counts: its rows are skipped, kind "not a list", Layout.Skipped "not a
// list: cover" or "not a list: summary", and it is no error. A sheet
// without header whose rows do read as persons' is a list whose header
// was not recognised: it fails, the error naming those rows, masked.
//
// Footer and header words are compared with their diacritics (Tống, a
// family name, is not Tổng, "total"; Tô Trường is not tổ trưởng); a cell
// written without any diacritics is compared folded, and is a footer
// only when nothing else in its row looks like a person's data (a birth
// date, an identification number, an address). A footer is a trailing
// block: a row shaped like a person's after it returns the sheet to data,
// and the footer-looking rows before it are flagged in the report.
//
// # Formats
//
// Open tells the format by the file's first bytes. XLSX worksheets are
// streamed from the archive by a small tokenizer of the worksheet XML
// (excelize's row iterator is ten times slower and remains available with
// Options.ExcelizeRows), on goroutines of their own: one inflates the
// worksheet part a few 256 KB chunks ahead, one tokenizes it a few hundred
// rows ahead of the rows' validation (bounded, so memory stays flat on a
// million-row sheet); sizes are checked before anything is unpacked, so
// a zip bomb or an enormous shared-string table is refused. Legacy .xls
// workbooks (Excel 97–2003, BIFF8; Excel 5.0/95, BIFF5) are converted to
// xlsx by LibreOffice when it is installed (apt-get install
// libreoffice-calc-nogui), else Open says how to convert them; so are
// files named .xls that are an Excel 2.1–4.0 worksheet, an HTML table or an
// Excel 2003 XML spreadsheet. An OLE2 file with no workbook stream (a Word
// document named .xls) or one cut short is refused, saying what it is. CSV may be UTF-8, UTF-8 with BOM, UTF-16 LE/BE (with or
// without BOM) or, when it is not valid UTF-8, an 8-bit code page decoded
// per column (Windows-1258, or TCVN3/VNI bytes). With Options.Workers, a
// CSV file's rows are read and sorted (header, blank, footer …) on one
// goroutine and the records of its data rows assembled on several, in
// chunks of 256 rows handed back in file order: the same items and the
// same account as on one goroutine (dancu link reads so). Scanned-form
// batches are described in schemas/SCANNED_FORMS.md.
//
// # Headers and encodings
//
// The header is the row (or pair of rows, for a two-row merged header) among
// the first 40 that names most known columns, one of them a name. Headers
// are compared folded (no diacritics, lower case, punctuation as spaces)
// against synonyms: "Họ và tên", "HỌ TÊN", "Ho ten", "Ngày tháng năm sinh",
// "Năm sinh", "Số CMND/CCCD", "Số ĐDCN", … A Mapping (YAML) names the
// columns of layouts detection cannot read. Each text column's encoding is
// chosen from its cells' font (.VnTime → TCVN3, .VnTimeH → upper-case
// TCVN3, VNI-Times → VNI) and its text (vn.DetectEncoding); in a TCVN3 or
// VNI column, a cell holding a letter no legacy font produces (rows
// pasted from a Unicode source) is read as Unicode, and so is, in a
// column whose fonts are legacy ones, an xlsx cell drawn in another named
// font (Times New Roman: "Lê Bá Tý", all Latin-1, pasted from the web); a
// cell in .VnTimeH within a .VnTime column is read in capitals; a name's
// toned capitals that .VnTime has no code for (Ổ, Á) are restored when
// its other words are capitalised; and a column of ASCII first rows under
// no legacy font takes the encoding of the sheet's other columns. Dates are read from text in Vietnamese order (or month first:
// Options.DateOrder, or a date column whose first rows can only be so) or
// from Excel serial numbers (of the workbook's 1900 or 1904 date system). A cell
// merged down several data rows (a household's address) gives its text
// to each of them. An address whose levels stand in several columns under
// one parent ("Nơi thường trú" over "Thôn/Xóm | Xã | Huyện | Tỉnh") is
// joined from them, in column order; so are such level columns side by
// side in a single-row header, as the permanent address, when the sheet
// has no other permanent address and one such run. An Excel error value ("#N/A",
// "#REF!" …) is a missing value, with a note. A household number ("Số hộ",
// "Hộ số", "Mã hộ", "Sổ hộ khẩu số"; not "Hồ sơ") is kept as written
// (Record.HouseholdNo); typed on the head's row only, it goes to the rows
// below whose relation says a member, with the household's permanent
// address where theirs is blank (a merged range's CSV copy keeps it on
// the first row only). A "Ghi chú" that says neither a death nor a
// move away is kept with the record (Record.Remark) with a note, so that
// a dry run shows it; one that says either rejects the row.
//
// # Reports
//
// What a report shows (the Description, dancu import's summary and
// --report) reads as decoded Vietnamese even where no column encoding
// covers it: the header cells that name no field (the parent of a merged
// header, "Thông tin cá nhân" over "Họ và tên"), title rows and header
// rows (by their cells' fonts and the row's text together, since one
// short cell reads as Vietnamese either way), footers and headings (by
// their own text: a footer is often typed in another font than its
// column). A Layout's Warnings list what was accepted but deserves a
// look: a source record id used by an earlier row of the file, a date
// column whose day/month order is in doubt. Sources also report how far
// they have read (Progresser: bytes
// of the file, or of a workbook's unpacked worksheets), for a progress bar.
//
// # What rejects a row
//
// Only what makes a row unusable: no name (a blank, or a cell that says
// none: NA, KR, N/A, không rõ …, as vn.NoName reads it), or a name with no
// letters (or longer than 120 characters), or — for CSV — a line that
// cannot be parsed.
// An impossible birth date, a malformed identification number or an
// unknown sex leaves that field empty in an accepted record and adds a
// Note; Options.Strict rejects such rows instead (a date valid only with
// day and month exchanged is kept exchanged, with a note, or rejected in
// strict mode; so is a date impossible as written — day 38, month 18, year
// 2814 or after the list — kept as far as every reading of it with one
// digit changed agrees: 2814 → 2014, 38/05/1985 → May 1985, 31/02/1990 →
// 1990). Reject values that are identification numbers are masked.
//
// # Provenance
//
// Every record carries the file's SHA-256, sheet, 1-based row (for CSV
// the row a spreadsheet shows: records and blank lines; for JSON lines
// the line), the source's own record id ("Mã bản ghi", form id) — kept as
// a field, never the record's identity — the
// import batch and the source date. Record ids are schemas.RecordID(file
// hash, sheet, row): the same file gives the same ids on every import. The
// default batch id is "b" + the first 16 hex digits of the file hash, so a
// re-run stamps the same batch too.
package ingest
