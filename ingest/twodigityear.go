package ingest

import (
	"strconv"

	"github.com/dancu-vn/dancu/vn"
)

// lastCMNDBirthYear is the last year of birth a 9-digit CMND can carry:
// it was issued from the age of 14 until 2021, when the 12-digit card
// replaced it.
const lastCMNDBirthYear = 2021 - 14

// writtenTwoDigitYear reports a date cell whose year is written with two
// digits ("5-3-19", "05/03/87", "ngày 5 tháng 3 năm 19"): its last run of
// digits has two, and no run of it has three or more.
func writtenTwoDigitYear(v string) bool {
	run, last := 0, 0
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= '0' && c <= '9' {
			run++
			if run > 2 {
				return false
			}
			continue
		}
		if run > 0 {
			last = run
		}
		run = 0
	}
	if run > 0 {
		last = run
	}
	return last == 2
}

// withYear returns d with its year y (d.iso starts with its four-digit
// year).
func (d date) withYear(y int) date {
	if y < 1000 || y > 9999 || len(d.iso) < 4 {
		return d
	}
	d.iso, d.year = strconv.Itoa(y)+d.iso[4:], uint16(y)
	return d
}

// twoDigitCentury returns the year a date written with a two-digit year
// and read in the 2000s (vn.TwoDigitYearPivot) stands for, by what its row
// says of the century: the century of the year its valid 12-digit number
// encodes when the two digits are within ownNumberYears of that year's
// (the number says the century), else the
// 1900s when the row carries a 9-digit CMND and the 2000s' year is past
// lastCMNDBirthYear (no child born then had one). ok is false when the
// row says nothing against the 2000s.
func twoDigitCentury(year int, idNumber, cmnd string) (int, bool) {
	if year < 2000 || year > 2099 {
		return 0, false
	}
	if y := vn.ParseID(idNumber).BirthYear(); y != 0 {
		// The number's century, when its year is within two of the
		// two digits (a year written one or two off, a lunar age: the
		// number is still the record's own, as the year_span guard
		// reads it); a number further off is another person's (a
		// parent's copied onto a child's row) and says nothing.
		base := y - y%100 + year%100
		for _, c := range [3]int{base - 100, base, base + 100} {
			if c-y <= ownNumberYears && y-c <= ownNumberYears {
				if c != year {
					return c, true
				}
				return 0, false
			}
		}
		return 0, false
	}
	if cmnd != "" && year > lastCMNDBirthYear {
		return year - 100, true
	}
	return 0, false
}

// ownNumberYears is how far the two digits of a year may be from those of
// the year a row's number encodes for the number to say the row's century:
// the year_span guard's width (matching/vietnamese reads a number so far
// off as the record's own too).
const ownNumberYears = 2
