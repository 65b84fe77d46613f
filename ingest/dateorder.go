package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/vn"
)

// Date orders of text dates (Options.DateOrder, Mapping.DateOrder).
const (
	DateOrderAuto = ""    // day first, unless the sheet's first rows can only be month first
	DateOrderDMY  = "dmy" // day/month/year, as Vietnamese lists write dates
	DateOrderMDY  = "mdy" // month/day/year, as a workbook in United States formats saves them
)

// checkDateOrder says whether order is one of the date orders.
func checkDateOrder(order string) error {
	switch order {
	case DateOrderAuto, DateOrderDMY, DateOrderMDY:
		return nil
	}
	return fmt.Errorf("date order %q: want dmy (day/month/year) or mdy (month/day/year)", order)
}

// minMonthFirst is how many text dates of a date column's first rows
// (those read while looking for the header) must be month-first only
// ("03/25/1990"), with none day-first only, for the column to be read
// month first without being told: a day-first column shows a day over
// 12 in about 60% of its dates, so its first rows nearly always have one.
const minMonthFirst = 3

// textDate is a text date "a/b/y" as textDateOf reads it. The reader
// reads each data row's date cells once, to count their order
// (observeDates), and the row keeps what it read for its record
// (rawRow.dates, checkDate).
type textDate struct {
	a, b uint8  // the numbers before the year, as written
	year uint16 // the year (of two digits: vn.TwoDigitYear)
	ok   bool   // the cell is a text date
}

// textDateOf reads a date typed as text, "a/b/y" with / . or - and a
// year of two or four digits; ok is false for any other text (a serial,
// "ngày 5 tháng 3 năm 1978", an ISO date). It reads what vn.ParseDateCell
// reads as a date day first (vn.DayFirst), without a regular expression,
// for every data row.
func textDateOf(c string) textDate {
	c = strings.TrimSpace(c)
	num := func(i, min, max int) (int, int, bool) {
		j := i
		for j < len(c) && j-i < max && c[j] >= '0' && c[j] <= '9' {
			j++
		}
		if j-i < min {
			return 0, j, false
		}
		n, _ := strconv.Atoi(c[i:j])
		return n, j, true
	}
	sep := func(i int) bool { return i < len(c) && (c[i] == '/' || c[i] == '.' || c[i] == '-') }
	a, i, ok := num(0, 1, 2)
	if !ok || !sep(i) {
		return textDate{}
	}
	b, i, ok := num(i+1, 1, 2)
	if !ok || !sep(i) {
		return textDate{}
	}
	start := i + 1
	y, i, ok := num(start, 2, 4)
	if !ok || i != len(c) || i-start == 3 {
		return textDate{}
	}
	if i-start == 2 {
		y = vn.TwoDigitYear(y)
	}
	return textDate{a: uint8(a), b: uint8(b), year: uint16(y), ok: true}
}

// date is the date of birth the text date written in reads as, day
// first unless monthFirst: what parseDate makes of in (of "b/a/y" when
// month first).
func (td textDate) date(in string, monthFirst bool) (date, bool) {
	d, m := int(td.a), int(td.b)
	if monthFirst {
		d, m = m, d
	}
	return dateOf(vn.DayFirst(in, int(td.year), d, m))
}

// dateColumn is what a sheet's text dates in one date column said of
// their order: those that can only be day first (the first number over
// 12), only month first (the second over 12), or either (both 12 or
// under), each with the first row and value seen.
type dateColumn struct {
	col                     int    // column index
	header                  string // the column's header
	monthFirst              bool   // read month first
	told                    bool   // the order was given (Options.DateOrder, the mapping)
	dayOnly, monthOnly, any dateSeen
}

// dateSeen counts text dates of one kind, and keeps the first.
type dateSeen struct {
	n, row int
	value  string
}

func (d *dateSeen) add(row int, v string) {
	if d.n++; d.n == 1 {
		d.row, d.value = row, strings.TrimSpace(v)
	}
}

// observe counts the text date td of cell v in row.
func (d *dateColumn) observe(row int, td textDate, v string) {
	a, b := td.a, td.b
	switch {
	case !td.ok || a < 1 || b < 1 || a > 31 || b > 31 || a > 12 && b > 12:
	case a > 12:
		d.dayOnly.add(row, v)
	case b > 12:
		d.monthOnly.add(row, v)
	default:
		d.any.add(row, v)
	}
}

// chooseDateOrders decides, for each date column of sh (its header just
// found), whether its text dates are read month first: as the options or
// the mapping say, else when the sheet's first rows hold at least
// minMonthFirst text dates that can only be month first and none that can
// only be day first (a file saved with United States dates) — then with a
// warning.
func (t *tabular) chooseDateOrders(sh *sheetState, rows []rawRow) {
	order := t.opts.DateOrder
	if order == DateOrderAuto && t.opts.Mapping != nil {
		order = t.opts.Mapping.DateOrder
	}
	for i, f := range sh.cols.field {
		switch f {
		case FieldBirthDate, FieldBirthDateMale, FieldBirthDateFem:
		case FieldBirthYear:
			// A "Năm sinh" column often holds whole dates typed as text,
			// kept whole (user26): their order is counted as a date
			// column's (user27: a list saved with United States dates had
			// 05/06/1980 read as 5 June without a word). Its years are no
			// text dates and count for nothing.
		default:
			continue
		}
		d := &dateColumn{col: i, header: sh.layout.Columns[len(sh.layout.Columns)-len(sh.cols.field)+i].Header,
			told: order != DateOrderAuto, monthFirst: order == DateOrderMDY}
		if order == DateOrderAuto && (i >= len(sh.cols.usDates) || !sh.cols.usDates[i]) {
			var first dateColumn
			for _, r := range rows {
				if i < len(r.cells) {
					first.observe(r.num, textDateOf(r.cells[i]), r.cells[i])
				}
			}
			if first.monthOnly.n >= minMonthFirst && first.dayOnly.n == 0 {
				d.monthFirst = true
				sh.layout.warn(Warning{Kind: WarnDateOrder, Row: first.monthOnly.row, Column: d.header,
					Value: first.monthOnly.value, Message: fmt.Sprintf("read month/day/year (United States dates): %d of the first rows' dates can only be so and none day/month/year; "+
						"give --date-order dmy (date_order: dmy in a mapping) to read them day first", first.monthOnly.n)})
			}
		}
		if d.monthFirst {
			if sh.cols.monthFirst == nil {
				sh.cols.monthFirst = make([]bool, len(sh.cols.field))
			}
			sh.cols.monthFirst[i] = true
		}
		sh.dates = append(sh.dates, d)
	}
}

// observeDates counts the text dates of data row r, and keeps them in r
// for its record.
func (sh *sheetState) observeDates(r *rawRow) {
	for k, d := range sh.dates {
		if d.col < len(r.cells) && r.cells[d.col] != "" {
			td := textDateOf(r.cells[d.col])
			d.observe(r.num, td, r.cells[d.col])
			if k < len(r.dates) {
				r.dates[k] = td
			}
		}
	}
}

// dateVerdicts warns, once sheet sh is read, of each date column whose
// order is in doubt: read day first while its dates can only be month
// first (or mix both), read month first while some can only be day first,
// or, with no order given, every date reading either way.
func (sh *sheetState) dateVerdicts() {
	for _, d := range sh.dates {
		warn := func(s dateSeen, msg string, args ...any) {
			sh.layout.warn(Warning{Kind: WarnDateOrder, Row: s.row, Column: d.header, Value: s.value, Message: fmt.Sprintf(msg, args...)})
		}
		either := ""
		if d.any.n > 0 {
			either = fmt.Sprintf("; the %d that read either way (first: row %d %q) were read %s first", d.any.n, d.any.row, d.any.value, map[bool]string{false: "day", true: "month"}[d.monthFirst])
		}
		switch {
		case !d.monthFirst && d.monthOnly.n > 0 && d.dayOnly.n == 0 && !d.told:
			warn(d.monthOnly, "%d dates can only be month/day/year and none day/month/year: the file looks saved with United States dates; "+
				"they were read with day and month exchanged, noted on each row%s and may be wrong: check, and read the file with --date-order mdy (date_order: mdy in a mapping) if it is month first", d.monthOnly.n, either)
		case !d.monthFirst && d.monthOnly.n > 0:
			warn(d.monthOnly, "read day first, but %d dates can only be month/day/year (read with day and month exchanged, noted on each row) and %d day/month/year%s",
				d.monthOnly.n, d.dayOnly.n, either)
		case d.monthFirst && d.dayOnly.n > 0:
			warn(d.dayOnly, "read month first, but %d dates can only be day/month/year (read so, noted on each row) and %d month/day/year%s",
				d.dayOnly.n, d.monthOnly.n, either)
		case !d.told && d.any.n > 0 && d.dayOnly.n == 0 && d.monthOnly.n == 0:
			warn(d.any, "all %d dates read either way (day/month or month/day): read day first, as Vietnamese lists write them; "+
				"if the file was saved with United States dates, read it with --date-order mdy (date_order: mdy in a mapping)", d.any.n)
		}
	}
}
