package ingest

import (
	"fmt"
	"github.com/dancu-vn/dancu/vn"
	"regexp"
	"strings"
	"unicode/utf8"
)

// rawRow is one row as a reader found it: its 1-based number in the sheet
// (line for CSV) and its cells, already decoded from the file's text
// encoding but not from legacy fonts.
type rawRow struct {
	num   int
	cells []string
	// plain marks the cells (bit i: 0-based column i < 64) drawn in a
	// named font that is no legacy font, and upper those in a TCVN3
	// capitals font (.VnTimeH), in a workbook that has legacy fonts (see
	// cellFont); 0 for other readers.
	plain, upper uint64
	// tcvn and vni mark the cells in a TCVN3 font (.VnTime) and in a VNI
	// font (VNI-Times), in a workbook that has legacy fonts (see cellFont).
	tcvn, vni uint64
	// filled marks the cells (bit i: 0-based column i < 64) given the
	// value of a range merged over them from a row above (fillMerged).
	filled uint64
	// day marks the number cells (bit i: 0-based column i < 64) whose
	// number format shows a date's day (formatShowsDay); 0 for other
	// readers.
	day uint64
	// hidden says the row is hidden in the workbook (an xlsx row's
	// hidden="1"); false for other readers.
	hidden bool
	err    *RowError // the row could not be read (a CSV quoting error); cells are empty
	// dates are the text dates of the sheet's first date columns
	// (sheetState.dates), as observeDates read them.
	dates [3]textDate
	// blk is the block cells were cut from (a CSV file's rows), to be
	// released once they are read for the last time (release).
	blk *cellBlock
}

// release hands r's cells back to the reader that cut them (see
// cellBlock): whoever holds r calls it once, after the last read of r's
// cells, and reads them no more. A row of a reader that does not recycle
// its cells has nothing to release.
func (r *rawRow) release() {
	if r.blk != nil {
		r.blk.release()
		r.blk = nil
	}
}

// RowError is a row a reader could not parse, with its position.
type RowError struct {
	Row    int // 1-based row (CSV record)
	Column int // 1-based column (CSV field), 0 when unknown
	Err    error
}

func (e *RowError) Error() string {
	return fmt.Sprintf("row %d column %d: %v", e.Row, e.Column, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// cellPos addresses a cell: 1-based row, 0-based column.
type cellPos struct{ row, col int }

// tableReader is a file of one or more sheets of rows.
type tableReader interface {
	// nextSheet moves to the next sheet; ok is false after the last.
	nextSheet() (name string, ok bool, err error)
	// nextRow returns the next row of the current sheet; ok is false at
	// its end.
	nextRow() (r rawRow, ok bool, err error)
	// fonts returns the font family of cells in rows 1..maxRow of the
	// current sheet, when the format has fonts (nil otherwise).
	fonts(maxRow int) map[cellPos]string
	// merges returns the current sheet's merged ranges that span more
	// than one row, when the format has them (nil otherwise).
	merges() []cellRange
	close() error
}

// cellRange is a merged range of cells: rows r1..r2, columns c1..c2
// (1-based rows, 0-based columns, as rawRow and cellPos count).
type cellRange struct{ r1, r2, c1, c2 int }

// Phases of a sheet.
const (
	phaseStart = iota
	phaseData
	phaseFooter
	phaseDone
)

// sheetState turns the rows of one sheet into data rows: it finds the
// header, then skips blank, repeated-header, column-number, section and
// footer rows.
type sheetState struct {
	name   string
	phase  int
	buf    []rawRow // rows read ahead while looking for the header
	layout *Layout
	cols   columns
	// headerFold and headerCanon hold the header of the name column,
	// folded and with its diacritics, to spot a header repeated on every
	// printed page.
	headerFold, headerCanon string
	first                   bool // next data row is the first after the header
	// footerFrom is the index in layout.Skips of the footer row that
	// started the footer phase.
	footerFrom int
	decode     func(i int, s string) string // see decoder
	date1904   bool                         // serial dates count from 1904 (see workbook)
	merged     mergedDown                   // see fillMerged
	household  string                       // the household number carried down to its members (carryHousehold)
	homeAddr   string                       // the permanent address of that household's rows (carryHousehold)
	blanks     *blankWatch                  // a CSV's household columns left blank under a value (watchBlanks)
	dates      []*dateColumn                // the date columns' orders and what their text dates said
	noList     noListState                  // what the rows of a sheet without header showed (notalist.go)
	// noHeaderFonts are the fonts of the cells of a sheet without header,
	// of the rows read while its header was looked for (a notes sheet, a
	// cover): they decode its rows' previews (rowPreview). Nil otherwise.
	noHeaderFonts map[cellPos]string
	noHeaderEnc   map[string]vn.Encoding // the legacy fonts of those cells the sheet's text confirms (sheetFontEncodings)
}

// mergedDown holds a sheet's ranges merged down several rows, by first
// row, and those the rows read so far are inside.
type mergedDown struct {
	ranges []cellRange
	next   int          // ranges[next:] start below the rows read
	active []mergedText // ranges holding the rows being read
}

type mergedText struct {
	cellRange
	text string // the raw text of its first cell ("" when it was not read)
}

// fillMerged gives a data row the text of a range merged down over it
// (the household's address or head over its members' rows): a workbook
// keeps that text in the range's first cell only, and the sheet shows it
// over every row. The first column of the range takes it; an empty cell
// only. Ranges that start in the header are not read (a header cell
// merged down two rows is the header's).
func (sh *sheetState) fillMerged(r rawRow) rawRow {
	m := &sh.merged
	if len(m.ranges) == 0 {
		return r
	}
	for m.next < len(m.ranges) && m.ranges[m.next].r1 <= r.num {
		mt := mergedText{cellRange: m.ranges[m.next]}
		if mt.r1 == r.num && mt.c1 < len(r.cells) {
			mt.text = r.cells[mt.c1]
		}
		m.active = append(m.active, mt)
		m.next++
	}
	keep := m.active[:0]
	for _, mt := range m.active {
		if mt.r2 < r.num {
			continue
		}
		keep = append(keep, mt)
		if mt.r1 == r.num || strings.TrimSpace(mt.text) == "" {
			continue
		}
		if mt.c1 >= len(r.cells) {
			r.cells = append(r.cells, make([]string, mt.c1+1-len(r.cells))...)
		}
		if strings.TrimSpace(r.cells[mt.c1]) == "" {
			r.cells[mt.c1] = mt.text
			if mt.c1 < 64 {
				r.filled |= 1 << mt.c1
			}
		}
	}
	m.active = keep
	return r
}

// carryHousehold gives a member's data row the household number typed
// on its head's row only ("Hộ số" on the head's row, the members' left
// blank: user27's Hộ Độ list, user28's Thạch Kim), as a merged range
// gives it (fillMerged): a row whose relation to the head says a member
// (Vợ, Con …) takes the number of the row above; a head's row, or a row
// that gives no relation, takes none and stops the carry. Only in a
// sheet with both columns; in file order (data rows are admitted one by
// one, before their records are assembled). The household's permanent
// address goes with the number (below).
func (sh *sheetState) carryHousehold(r *rawRow) {
	hi, ok := sh.cols.index[FieldHouseholdNo]
	if !ok {
		return
	}
	ri, ok := sh.cols.index[FieldRelationToHead]
	if !ok {
		return
	}
	num := ""
	if hi < len(r.cells) {
		num = strings.TrimSpace(r.cells[hi])
	}
	rel := ""
	if ri < len(r.cells) && strings.TrimSpace(r.cells[ri]) != "" {
		rel = fold(sh.decoder()(ri, r.cells[ri]))
	}
	// The household's permanent address goes with its number: a member's
	// row of the same household whose address is blank takes the one
	// above — what a merged range gives in the workbook, and what its CSV
	// copy keeps on the range's first row only (user28's first week: 3 of
	// 9 records with an address). Household members are registered at
	// one permanent address (hộ khẩu): that is what the number says.
	ai, hasAddr := sh.cols.index[FieldPermAddress]
	addr := ""
	if hasAddr && ai < len(r.cells) {
		addr = strings.TrimSpace(r.cells[ai])
	}
	fill := func(i int, v string) {
		if i >= len(r.cells) {
			r.cells = append(r.cells, make([]string, i+1-len(r.cells))...)
		}
		r.cells[i] = v
		if i < 64 {
			r.filled |= 1 << i
		}
	}
	switch {
	case num != "":
		if num != sh.household {
			sh.homeAddr = ""
		}
		sh.household = num
	case rel == "" || rel == "ch" || rel == "chu ho" || strings.HasPrefix(rel, "chu ho "):
		sh.household, sh.homeAddr = "", ""
		return
	case sh.household != "":
		fill(hi, sh.household)
	default:
		return
	}
	switch {
	case !hasAddr:
	case addr != "":
		if num != "" || sh.homeAddr == "" {
			sh.homeAddr = addr // the household's; a member's own address is its own
		}
	case sh.homeAddr != "":
		fill(ai, sh.homeAddr)
	}
}

// columns is the resolved mapping: for each column index, its field and
// text encoding.
type columns struct {
	field []string      // by column index; "" unused
	enc   []vn.Encoding // by column index
	index map[string]int
	// memo holds, by column index, the cleaned and decoded text of raw
	// cell values already seen: ethnicity, religion, nationality,
	// addresses and relations repeat down a sheet, and cleaning and NFC
	// normalising them again costs more than a map look-up. Each column
	// keeps at most memoMax values, so memory stays bounded, and a column
	// whose values rarely repeat (names, numbers) stops looking.
	memo []columnMemo
	// slot holds, by column index, the field's index in rowValues (-1
	// for none), looked up once rather than per cell (see slots).
	slot []int
	// kind holds, by column index, what recordOf does with the column's
	// cells (colSkip, colName, colPlace), made with slot: decided once a
	// sheet rather than by comparing the field's name in every cell.
	kind []uint8
	// usDates holds, by column index, whether the column's serial dates
	// were typed day/month under month/day formats (see usLocaleDates).
	usDates []bool
	// monthFirst holds, by column index, whether the column's text dates
	// are read month/day/year (see chooseDateOrders).
	monthFirst []bool
}

// slots returns, by column index, the index of the column's field in
// rowValues (fieldIndex), or -1; it makes c.kind with it.
func (c *columns) slots() []int {
	if len(c.slot) != len(c.field) {
		c.slot = make([]int, len(c.field))
		c.kind = make([]uint8, len(c.field))
		for i, f := range c.field {
			c.slot[i] = -1
			if k, ok := fieldIndex[f]; ok {
				c.slot[i] = k
			}
			c.kind[i] = columnKind(f)
		}
	}
	return c.slot
}

// What recordOf does with a column's cells (columns.kind).
const (
	colSkip  uint8 = 1 << iota // no field, or the row number (STT): not read
	colName                    // a name field: labelled with its header even when empty
	colPlace                   // an address field, whose levels may stand in several columns (placeField)
)

// columnKind returns the colSkip, colName and colPlace bits of field f.
func columnKind(f string) uint8 {
	var k uint8
	if f == FieldFullName || f == FieldGivenName || f == FieldFamilyMiddle {
		k |= colName
	}
	if f == "" || f == FieldSTT {
		k |= colSkip
	}
	if placeField(f) {
		k |= colPlace
	}
	return k
}

type columnMemo struct {
	m          map[string]string
	hits, miss int
	off        bool
}

// memoMax bounds the values remembered per column; memoTrial is the number
// of look-ups after which a column that hits less than half the time
// stops using its memo.
const (
	memoMax   = 4096
	memoTrial = 2048
)

// text returns cellText(raw, enc of column i), remembered
// in c's own memo.
func (c *columns) text(i int, raw string) string { return c.textIn(&c.memo, i, raw) }

// textIn is text remembered in memo: a goroutine assembling records while
// another reads rows has one of its own (the memo only saves work: every
// memo gives the same text).
func (c *columns) textIn(memo *[]columnMemo, i int, raw string) string {
	enc := vn.Unicode
	if i < len(c.enc) {
		enc = c.enc[i]
	}
	if enc == vn.Unicode && isCleanNFC(raw) {
		return raw // what most cells are (cellText's first test), before any memo
	}
	if i >= len(c.field) || len(raw) > 256 || enc == vn.Unicode && isASCII(raw) {
		return cellText(raw, enc) // ASCII is cheaper to clean than to look up
	}
	if *memo == nil {
		*memo = make([]columnMemo, len(c.field))
	}
	cm := &(*memo)[i]
	if cm.off {
		return c.decode(i, raw, enc)
	}
	if v, ok := cm.m[raw]; ok {
		cm.hits++
		return v
	}
	cm.miss++
	if cm.hits+cm.miss == memoTrial && cm.hits < cm.miss {
		cm.off, cm.m = true, nil
	}
	v := c.decode(i, raw, enc)
	if cm.m == nil && !cm.off {
		cm.m = make(map[string]string)
	}
	if !cm.off && len(cm.m) < memoMax {
		cm.m[raw] = v
	}
	return v
}

// decode is cellText(raw, enc) for column i, with the capitals a TCVN3
// name could not be typed with restored (tcvn3Capitals).
func (c *columns) decode(i int, raw string, enc vn.Encoding) string {
	v := cellText(raw, enc)
	if enc == vn.TCVN3 && nameField(c.field[i]) {
		v = tcvn3Capitals(v)
	}
	return v
}

func (c *columns) has(f string) bool { _, ok := c.index[f]; return ok }

var (
	colNumberRE = regexp.MustCompile(`^\(?([0-9]{1,2}|[a-zA-Z])\)?$`)
)

// isBlank reports whether a row has no content apart from an STT number.
// mergedOnly reports a row whose cells, STT's (column stt) aside, are
// blank but for those a range merged from above filled (rawRow.filled):
// a household's number and address merged over its members, in the row
// of a member whose cells were emptied.
func mergedOnly(r rawRow, stt int) bool {
	if r.filled == 0 {
		return false
	}
	for i, c := range r.cells {
		if i == stt || i < 64 && r.filled>>i&1 != 0 {
			continue
		}
		if !isBlankCell(c) {
			return false
		}
	}
	return true
}

func isBlank(cells []string, stt int) bool {
	for i, c := range cells {
		if i == stt {
			continue
		}
		if !isBlankCell(c) {
			return false
		}
	}
	return true
}

// isBlankCell reports strings.TrimSpace(c) == "", at once for a cell that
// starts with a printable ASCII byte (most do: every cell of every row is
// tested, twice).
func isBlankCell(c string) bool {
	if c != "" && c[0] > ' ' && c[0] < utf8.RuneSelf {
		return false
	}
	return strings.TrimSpace(c) == ""
}

// isColumnNumbers reports a row like "(1) (2) (3) …" or "A B 1 2 3" that
// numbers the columns under a printed header.
func isColumnNumbers(cells []string) bool {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !colNumberRE.MatchString(c) {
			return false
		}
		n++
	}
	return n >= 3
}

// isBlankRows reports whether every row is blank.
func isBlankRows(rows []rawRow) bool {
	for _, r := range rows {
		if !isBlank(r.cells, -1) {
			return false
		}
	}
	return true
}
