package ingest

import (
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// Item is the outcome of reading one input row: exactly one of Record and
// Reject is set. Rows that hold no person (titles, headers, blank rows,
// footers) are not items: each sheet's Layout counts and lists them.
type Item struct {
	Record *schemas.Record
	Reject *schemas.Reject

	// Notes lists the optional fields of an accepted record that were left
	// empty because their value was unusable (an impossible date, a
	// malformed number). They are for reports; the row itself is accepted.
	Notes []Note
}

// Note is a field of an accepted row whose value was dropped, with why —
// or, for the reasons NoteKept tells, kept but read another way.
type Note struct {
	Column string `json:"column"` // header as written in the source
	Field  string `json:"field"`  // target field (a schemas.Record ch column name)
	Value  string `json:"value"`  // the value, masked when it is an identification number
	Reason string `json:"reason"`
}

// Reasons of the notes whose value was kept, read another way, rather
// than dropped: a date of birth valid only with day and month exchanged
// (03/25/1990), read so, an Excel serial date of a column typed
// day/month that Excel took for month/day, a lunar year's name, a name
// with a remark in brackets after it, an Excel date in a year column, and
// an impossible date read as far as its one-digit corrections agree.
// NoteKept tells them.
const (
	NoteDayMonthExchanged = "day and month exchanged to make a date"
	NoteSerialExchanged   = "serial date read with day and month exchanged (typed day/month, taken for month/day)"
	// NoteLunarYear: a year's lunar name ("Canh Tý", one year in 60)
	// kept as the year (precision year) the row's 12-digit identification
	// number encodes, when that year has this name.
	NoteLunarYear = "lunar year's name read as the year the identification number encodes"
	// NoteNameRemark: a remark in brackets after a name ("Lê Văn Cường
	// (Tư)", a nickname, "(tạm vắng)"), left out of the name; one that says
	// the person died or moved away rejects the row instead.
	NoteNameRemark = "remark in brackets after the name, left out of it"
	// NoteNamePrefix: a title ("Bà", "Cụ", "Cháu", "Chị") or the list's
	// number ("1.") typed before a name, left out of it.
	NoteNamePrefix = "title or number before the name, left out of it"
	// NoteNameRelation: a relation to the household head or a rank in the
	// name's cell ("CH Nguyễn Văn Thành", "Vợ: …", "… - CH", "Hạ sĩ …"),
	// left out of the name; a relation is kept as the row's relation to
	// the head when it gives none.
	NoteNameRelation = "relation to the head or rank in the name's cell, left out of it"
	// NoteTwoDigitYear: a year written with two digits ("5-3-19") read in
	// the 1900s rather than the 2000s (vn.TwoDigitYearPivot), because the
	// row says so: the 2000s' year would be after the list, the row's
	// 12-digit number encodes the 1900s' year, or the row carries a 9-digit
	// CMND, which no one born after 2007 was issued.
	NoteTwoDigitYear = "two-digit year read in the century the row says (1900s)"
	// NoteChildOf: a newborn written by its parent ("Con bà Nguyễn Thị
	// Lan", vn.ChildOf): kept as written, read as no name of the child's
	// own; the parent's name fills the mother's (or the father's) when
	// the row gives none.
	NoteChildOf = "a child named by its parent (Con bà …): no name of its own yet"
	// NoteNameYear: a year typed after the name ("Nguyễn Văn An 1985"),
	// left out of it and kept as the year of birth when the row gives
	// none.
	NoteNameYear = "year after the name, left out of it"
	// NoteNumberAndCMND: a 12-digit identification number and a 9-digit
	// CMND in one cell ("042160001234 (cũ: 183456789)"), each kept.
	NoteNumberAndCMND = "identification number and CMND in one cell, read apart"
	// NoteYearOfDate: an Excel date in a workbook's year column (a cell
	// formatted "yyyy" shows 1985), read as its year; a five-digit number
	// typed there (19850 for 1985) reads the same, so it is said.
	NoteYearOfDate = "Excel date in a year column read as the year it shows"
	// NoteOneDigitDate: a date of birth impossible as written (day 38,
	// month 18, year 2814 or a year after the list) read as far as every
	// reading with one digit changed agrees: the one date when there is
	// one (2814 → 2014), else the month or the year they share (38/05/1985
	// → May 1985); an OCR's or a typist's one wrong digit.
	NoteOneDigitDate = "impossible date read as far as its one-digit corrections agree"
	// NoteRemarkKept: a "Ghi chú" that says neither a death nor a move
	// away ("Tạm vắng", "Chuyển đến năm 2021"), kept with the record
	// (Record.Remark) for a reader, not read further.
	NoteRemarkKept = "remark kept with the record (neither a death nor a move away)"
)

// NoteKept reports whether a note's reason says its value was kept (read
// with day and month exchanged, or as a year), not dropped.
func NoteKept(reason string) bool {
	return reason == NoteDayMonthExchanged || reason == NoteSerialExchanged || reason == NoteLunarYear || reason == NoteNameRemark ||
		reason == NoteNamePrefix || reason == NoteYearOfDate || reason == NoteOneDigitDate || reason == NoteNameYear ||
		reason == NoteNumberAndCMND || reason == NoteChildOf || reason == NoteTwoDigitYear ||
		reason == NoteNameRelation || reason == NoteRemarkKept
}

// Source yields the rows of one input file in order. Next returns io.EOF
// after the last row; any other error is fatal for the file (a corrupt
// archive, an unreadable sheet), while a bad row comes back as a Reject.
type Source interface {
	Next() (Item, error)
	Close() error
}

// Describer is implemented by the Sources Open returns: what was detected
// in the file so far (format, encoding, the header mapping of each sheet
// reached). Sheets appear as reading reaches them.
type Describer interface {
	Describe() Description
}

// Description is what a Source detected about its file.
type Description struct {
	File     string   `json:"file"`               // path as given to Open
	Format   string   `json:"format"`             // "xlsx", "xls", "csv", "jsonl"
	Encoding string   `json:"encoding,omitempty"` // text encoding of a CSV file ("utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1258")
	FileHash string   `json:"file_hash"`          // hex SHA-256 of the file's bytes
	Batch    string   `json:"batch"`              // import batch id stamped on every record
	Sheets   []Layout `json:"sheets"`             // one per sheet reached, in order
	Note     string   `json:"note,omitempty"`     // how the file was read, when it is not obvious (an .xls converted)
}

// Layout is the detected (or mapped) layout of one sheet, and the account
// of its rows: every physical row read is counted in exactly one of
// Accepted, Rejected and SkippedRows, so Rows = Accepted + Rejected +
// SkippedRows, always.
type Layout struct {
	Sheet      string      `json:"sheet"`             // "" for CSV and JSON lines
	Hidden     bool        `json:"hidden,omitempty"`  // the sheet is hidden in the workbook (Excel does not show it); it is read all the same
	HeaderRows []int       `json:"header_rows"`       // 1-based rows that make the header (two for a merged two-row header)
	Columns    []ColumnMap `json:"columns"`           // the columns, in order, with what each was mapped to
	Skipped    string      `json:"skipped,omitempty"` // why the sheet gave no data ("empty sheet", not asked for, "not a list: cover"), "" when it was read
	// Problem says why a sheet with content could not be read (no header
	// row found); a sheet with a Problem makes the import fail.
	Problem string `json:"problem,omitempty"`
	// PersonRows lists, for a workbook's sheet whose header was not found,
	// the first rows that read as a person's record (masked), which make
	// it a list that fails the import rather than a sheet that is not a
	// list (Skipped NotAList…); PersonRowCount counts them all.
	PersonRows     []SkipRun `json:"person_rows,omitempty"`
	PersonRowCount int       `json:"person_row_count,omitempty"`
	// Note says how the sheet was read when it is worth knowing (a header
	// naming only a name column).
	Note string `json:"note,omitempty"`

	Rows        int              `json:"rows"` // physical rows read (CSV: records and blank lines)
	Accepted    int              `json:"accepted"`
	Rejected    int              `json:"rejected"`
	SkippedRows int              `json:"skipped_rows"`
	ByKind      map[SkipKind]int `json:"skipped_by_kind,omitempty"`
	// Skips lists the skipped rows in order (consecutive blank rows, or
	// rows of a sheet without header, as one run), and Rejects the
	// rejected rows, each with a masked preview; at most MaxListed of
	// each, Unlisted counts the runs and rejects left out.
	Skips    []SkipRun     `json:"skips,omitempty"`
	Rejects  []RejectedRow `json:"rejects,omitempty"`
	Unlisted int           `json:"unlisted,omitempty"`
	// Warnings lists what was accepted but deserves a look (a source
	// record id used twice, dates whose day/month order is in doubt), at
	// most MaxListed; WarningCounts counts them all by kind.
	Warnings      []Warning      `json:"warnings,omitempty"`
	WarningCounts map[string]int `json:"warning_counts,omitempty"`
}

// MaxListed bounds the skipped runs and rejected rows a Layout lists (the
// counts are always complete; every reject also goes to the rejects topic).
const MaxListed = 10000

// SkipKind says why a physical row holds no person.
type SkipKind string

// Kinds of skipped rows.
const (
	SkipTitle          SkipKind = "title"           // above the header
	SkipHeader         SkipKind = "header"          // the header row(s), and rows between the header and a mapping's data_start
	SkipColumnNumbers  SkipKind = "column numbers"  // "(1) (2) (3) …" under a printed header
	SkipBlank          SkipKind = "blank"           // nothing but, perhaps, an STT number
	SkipFooter         SkipKind = "footer"          // totals, place and date, signatures
	SkipSection        SkipKind = "section heading" // "Thôn Đông" alone in its row
	SkipRepeatedHeader SkipKind = "repeated header" // the header again, on each printed page
	SkipNoHeader       SkipKind = "no header"       // a row of a sheet whose header was not found
	SkipHidden         SkipKind = "hidden row"      // a row hidden in the workbook, below the header, with Options.SkipHiddenRows
	// SkipNotList (notalist.go): a row of a workbook's sheet without
	// header where no row reads as a person's (a cover, a summary).
)

// SkipRun is one skipped row, or a run of consecutive skipped rows of one
// kind.
type SkipRun struct {
	Row     int      `json:"row"`
	To      int      `json:"to,omitempty"` // last row of a run of several
	Kind    SkipKind `json:"kind"`
	Preview string   `json:"preview,omitempty"` // the first row's text, names and numbers masked
	Note    string   `json:"note,omitempty"`
}

// RejectedRow is a rejected row as a report lists it.
type RejectedRow struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Reason  string `json:"reason"`
	Preview string `json:"preview,omitempty"` // the row's text, names and numbers masked
}

// ColumnMap is one source column and the field it feeds.
type ColumnMap struct {
	Index    int    `json:"index"`              // 0-based column index
	Letter   string `json:"letter"`             // spreadsheet column letter ("A", "AB")
	Header   string `json:"header"`             // header text as written (decoded), "parent / child" for two-row headers
	Field    string `json:"field"`              // target field, "" when the column is not used
	Encoding string `json:"encoding,omitempty"` // text encoding detected for the column (vn.Encoding names: "unicode", "tcvn3", "tcvn3-upper", "vni", "viqr", "windows-1258")
	Font     string `json:"font,omitempty"`     // cell font family, when the workbook names one
}

// Options control how a file is read. The zero value reads with detection
// everywhere and stamps a batch id derived from the file's content.
type Options struct {
	// Batch is the import batch id stamped on every record and reject.
	// Default: "b" + the first 16 hex digits of the file's SHA-256, so that
	// re-importing the same file reproduces the same batch id.
	Batch string
	// SourceDate is the date the source describes (decides whether its
	// addresses use the pre- or post-1 July 2025 units). Default: zero
	// (unknown); scanned forms use their collected_on date when this is zero.
	SourceDate time.Time
	// Mapping names the columns of a layout detection cannot read, and can
	// force encodings. Default: nil (detect).
	Mapping *Mapping
	// Strict rejects a row whose birth date is impossible or whose
	// identification number is malformed. Default: false — such a row is
	// accepted with the bad field left empty and a Note saying why.
	Strict bool
	// SkipHiddenRows skips the rows below a workbook's header that the
	// workbook hides (a clerk hides the persons who left), each counted
	// and listed as SkipHidden. Default: false — a hidden row is read as
	// the others, with a WarnHiddenRow warning (a filter hides rows too).
	SkipHiddenRows bool
	// Sheets limits a workbook to the named sheets. Default: all sheets.
	// A workbook that lacks one of them is refused, naming its sheets —
	// unless SheetsInSome is set.
	Sheets []string
	// SheetsInSome says Sheets names the sheets of several workbooks read
	// in one command (dancu import or link with several files: a commune's
	// hamlet sheets in one, the police post's list in another): a
	// workbook is read for those of them it has and refused only when it
	// has none; the caller checks, with SheetsNotFound, that each name is
	// a sheet of some workbook. Default: false.
	SheetsInSome bool
	// HeaderScan is how many rows at the top of a sheet are searched for
	// the header. Default: 40.
	HeaderScan int
	// MaxFileSize refuses files larger than this many bytes, and bounds what
	// a workbook may unpack to. Default: 4 GiB.
	MaxFileSize int64
	// TempDir holds temporary files (unpacked worksheets, converted .xls).
	// Default: os.TempDir().
	TempDir string
	// ExcelizeRows reads worksheets with excelize's row iterator instead of
	// dancu's own worksheet scanner (same rows, about ten times slower).
	// Default: false.
	ExcelizeRows bool
	// Now stamps Reject.RejectedAt. Default: time.Now.
	Now func() time.Time
	// NoNameParts leaves FamilyName, MiddleName and GivenName empty when
	// the row has a full name, for a caller that parses FullName itself
	// (dancu link's record adapter: parsing every name twice cost a tenth
	// of reading a row). Default: false — the parts are filled.
	NoNameParts bool
	// Workers, when above 1, has a CSV file's records assembled (cells
	// decoded and cleaned, dates, numbers and names checked) on that many
	// goroutines while one reads and sorts the rows: Next returns the
	// same items in the same order and Describe, once Next has returned
	// io.EOF, the same account. Rows are read ahead of the caller, so
	// Describe is only complete at the end. Close ends the goroutines.
	// Default: 0 — everything on the caller's goroutine (other formats
	// always).
	Workers int
	// NewRecord, when set, gives the zeroed records that rows of a CSV file
	// or worksheet are assembled into, so that a caller done with the
	// records it read can reuse them (dancu link does: a record allocated
	// for every row was a fifth of the bytes its read allocated, and fresh
	// bytes cost page faults). It is called from the Workers goroutines
	// too. Default: nil — each record is new.
	NewRecord func() *schemas.Record
	// DateOrder is the order of the text dates of a spreadsheet or CSV
	// file: DateOrderDMY (day/month/year) or DateOrderMDY (month/day/year,
	// a workbook saved in United States formats); it overrides the
	// mapping's date_order. Excel's serial dates hold no order and are
	// read as stored. Default: DateOrderAuto — day first, unless a date
	// column's first rows (those read while looking for the header) hold
	// at least three dates that can only be month first and none that can
	// only be day first; either way a column whose dates leave the order
	// in doubt is a warning (WarnDateOrder) in its sheet's Layout.
	DateOrder string
}

func (o Options) withDefaults() Options {
	if o.HeaderScan <= 0 {
		o.HeaderScan = 40
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = 4 << 30
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
