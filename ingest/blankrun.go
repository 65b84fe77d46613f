package ingest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// WarnBlankUnderValue: in a CSV, a household's column (its permanent or
// current address, its number, its head) blank on data rows right under
// a row that gives it. A workbook's merged cells saved as CSV keep their
// text on the range's first row only (CSV has no merges), and the rows
// below are read without it. With a household number and a relation to
// the head, the members' rows take the household's number and address
// (carryHousehold); without them nothing tells a merged cell from one
// left blank, so nothing is filled, and the rows are named.
const WarnBlankUnderValue = "blank under a value"

// blankWatched are the columns a merged range covers over a household's
// rows.
var blankWatched = [...]string{FieldPermAddress, FieldCurAddress, FieldHouseholdNo, FieldHouseholdHead}

// blankRun is a run of data rows leaving a column blank under the row
// above that gave it.
type blankRun struct {
	above int // the row that gave the value
	// value is its value: the cell as read until a blank row starts a
	// run, then decoded (the run may be warned of, showing it).
	value     string
	from, to  int  // the blank rows
	haveValue bool // a row above gave the column a value
}

// blankCol is what watchBlanks keeps of a column: the run it is in, the
// runs closed, and its data rows from its first value on and of them the
// blank ones. A list whose clerk left a few addresses blank is no CSV
// copy of merged cells: the runs are told only when the blank rows are
// a quarter or more of the rows (a household of two has one).
type blankCol struct {
	run          blankRun
	runs         []blankRun // up to maxBlankRuns
	rows, blanks int
}

const maxBlankRuns = 1000

// blankWatch is what watchBlanks keeps of a sheet: the column of each
// field of blankWatched (-1: the sheet has none) and what it keeps of it.
type blankWatch struct {
	col [len(blankWatched)]int
	c   [len(blankWatched)]blankCol
}

// watchBlanks follows, in a CSV sheet, the runs of data rows that leave
// a household's column blank under a value (in file order, after
// carryHousehold has filled what it could), and warns of each run when
// the next value, or the sheet's end, closes it (endBlankRuns). The
// columns are looked up once, on the sheet's first data row: two map
// lookups a field and row were 1.6% of the instructions of dancu link's
// read of generated lists, on the goroutine that reads the rows in turn
// (issue 13).
func (sh *sheetState) watchBlanks(r *rawRow) {
	w := sh.blanks
	if w == nil {
		w = new(blankWatch)
		for k, f := range blankWatched {
			w.col[k] = -1
			if i, ok := sh.cols.index[f]; ok {
				w.col[k] = i
			}
		}
		sh.blanks = w
	}
	for k, i := range w.col {
		if i < 0 {
			continue
		}
		c := &w.c[k]
		b := &c.run
		v := ""
		if i < len(r.cells) {
			v = trimCell(r.cells[i])
		}
		if v == "" && !b.haveValue {
			continue // before the column's first value
		}
		c.rows++
		if v == "" {
			c.blanks++
			if b.from == 0 {
				b.from = r.num
				// Decoded only now: most values have no blank row under
				// them, and decoding every row's (three cells a row) was
				// 4% of the instructions of dancu link's read of
				// generated lists (issue 13).
				b.value = sh.decoder()(i, b.value)
			}
			b.to = r.num
			continue
		}
		c.close()
		*b = blankRun{above: r.num, value: v, haveValue: true}
	}
}

// trimCell is strings.TrimSpace(v), without its look at the last rune
// when v ends in a byte that is neither ASCII nor able to end a Unicode
// space (most Vietnamese words end in a letter's continuation byte, and
// TrimSpace decodes it).
func trimCell(v string) string {
	if v == "" {
		return v
	}
	if a, z := v[0], v[len(v)-1]; a > ' ' && a < utf8.RuneSelf && z > ' ' && z < utf8.RuneSelf {
		return v
	}
	return strings.TrimSpace(v)
}

// close keeps the run c is in, if it has blank rows.
func (c *blankCol) close() {
	if c.run.from != 0 && len(c.runs) < maxBlankRuns {
		c.runs = append(c.runs, c.run)
	}
	c.run.from, c.run.to = 0, 0
}

// endBlankRuns warns of a column's runs at the sheet's end, when they
// are many enough to be a merge's (blankCol).
func (sh *sheetState) endBlankRuns() {
	w := sh.blanks
	if w == nil {
		return
	}
	for k, f := range blankWatched {
		if w.col[k] < 0 {
			continue
		}
		c := &w.c[k]
		c.close()
		if c.blanks > 0 && c.blanks*4 >= c.rows {
			for i := range c.runs {
				sh.warnBlankRun(f, &c.runs[i])
			}
		}
	}
	sh.blanks = nil
}

func (sh *sheetState) warnBlankRun(field string, b *blankRun) {
	rows := fmt.Sprintf("row %d", b.from)
	if b.to > b.from {
		rows = fmt.Sprintf("rows %d–%d", b.from, b.to)
	}
	// An address is shown as the first rows show it (places, not
	// persons); a head's name masked.
	v := truncate(b.value, 64)
	if field == FieldHouseholdHead {
		v = MaskValue(v)
	}
	sh.layout.warn(Warning{Kind: WarnBlankUnderValue, Row: b.from, Column: sh.layout.columnOf(field), Value: v,
		Message: fmt.Sprintf("%s left blank under row %d: if the workbook merged this cell over them (a household's), its CSV copy kept the text on row %d only (CSV has no merged cells) and they were read without it; import the workbook itself, or fill the cells down in the CSV. Nothing was filled: without a household number and a relation to the head a merged cell and a blank one look alike",
			rows, b.above, b.above)})
}
