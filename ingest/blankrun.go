package ingest

import (
	"fmt"
	"strings"
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
var blankWatched = []string{FieldPermAddress, FieldCurAddress, FieldHouseholdNo, FieldHouseholdHead}

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

// watchBlanks follows, in a CSV sheet, the runs of data rows that leave
// a household's column blank under a value (in file order, after
// carryHousehold has filled what it could), and warns of each run when
// the next value, or the sheet's end, closes it (endBlankRuns).
func (sh *sheetState) watchBlanks(r *rawRow) {
	if sh.blanks == nil {
		sh.blanks = map[string]*blankCol{}
	}
	for _, f := range blankWatched {
		i, ok := sh.cols.index[f]
		if !ok {
			continue
		}
		c := sh.blanks[f]
		if c == nil {
			c = &blankCol{}
			sh.blanks[f] = c
		}
		b := &c.run
		v := ""
		if i < len(r.cells) {
			v = strings.TrimSpace(r.cells[i])
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
	for _, f := range blankWatched {
		c := sh.blanks[f]
		if c == nil {
			continue
		}
		c.close()
		if c.blanks > 0 && c.blanks*4 >= c.rows {
			for i := range c.runs {
				sh.warnBlankRun(f, &c.runs[i])
			}
		}
		delete(sh.blanks, f)
	}
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
