package vn

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Date precisions.
const (
	PrecisionDay   = "day"
	PrecisionMonth = "month"
	PrecisionYear  = "year"
)

// Date is a possibly partial date as written on a form.
type Date struct {
	Year      int    `json:"year"`
	Month     int    `json:"month,omitempty"`
	Day       int    `json:"day,omitempty"`
	Precision string `json:"precision"`
	// Swapped is set when the input only made sense with day and month
	// exchanged (03/25/1990 read as 25 March 1990).
	Swapped bool `json:"swapped,omitempty"`
}

// TwoDigitYearPivot decides the century of two-digit years: 00..pivot are
// 2000..20pivot, the rest 1900s. Dates here are mostly birth dates, which
// cannot be in the future, and the data is from 2026: "26" is 2026, "27"
// is 1927.
const TwoDigitYearPivot = 26

// Year range accepted for any date.
const (
	MinYear = 1800
	MaxYear = 2100
)

// knownYear is a year the clock has reached (0 before AfterThisYear first
// reads it).
var knownYear atomic.Int64

// AfterThisYear reports y > time.Now().Year(), reading the clock only for
// a year after one it has seen it reach (every record's birth year and ID
// number come here: a read of the clock each was ~1% of dancu link's
// read).
func AfterThisYear(y int) bool {
	if int64(y) <= knownYear.Load() {
		return false
	}
	now := time.Now().Year()
	knownYear.Store(int64(now))
	return y > now
}

// ErrEmptyDate is returned for blank input.
var ErrEmptyDate = errors.New("empty date")

// ISO returns "1990-03-15", "1990-03" or "1990" according to the precision,
// or "" for the zero Date.
func (d Date) ISO() string {
	// Formatted by hand, not with fmt (every record's birth date comes
	// through here): the same text for years 0–9999, months and days
	// 0–99, fmt's otherwise.
	var b [10]byte
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return d.isoFmt()
	}
	put := func(at, v, w int) {
		for k := at + w - 1; k >= at; k-- {
			b[k] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, d.Year, 4)
	switch d.Precision {
	case PrecisionDay:
		if d.Year >= MinYear && d.Year <= MaxYear && d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && d.Day <= 31 {
			return isoDay(d.Year, d.Month, d.Day)
		}
		b[4], b[7] = '-', '-'
		put(5, d.Month, 2)
		put(8, d.Day, 2)
		return string(b[:10])
	case PrecisionMonth:
		b[4] = '-'
		put(5, d.Month, 2)
		return string(b[:7])
	case PrecisionYear:
		return string(b[:4])
	}
	return ""
}

// isoText holds the ISO text of every full date of MinYear–MaxYear (31
// days a month), ten bytes each, written a year at a time the first
// time ISO needs one of its dates (isoYears tells which are) and never
// changed after: a full date's text is a string over its ten bytes, made
// without allocating or reading memory — a list's birth dates repeat, and
// remembering each date's string where the previous code did (a table of
// pointers, each to a string of its own) cost two cache misses a record.
var (
	isoText  [(MaxYear - MinYear + 1) * 12 * 31 * 10]byte
	isoYears [MaxYear - MinYear + 1]atomic.Bool
	isoMu    sync.Mutex
)

// isoDay returns the text of a full date of MinYear–MaxYear, month 1–12
// and day 1–31, from isoText.
func isoDay(year, month, day int) string {
	y := year - MinYear
	if !isoYears[y].Load() {
		isoMu.Lock()
		if !isoYears[y].Load() {
			b := isoText[y*12*31*10 : (y+1)*12*31*10]
			for m := 1; m <= 12; m++ {
				for d := 1; d <= 31; d++ {
					t := b[((m-1)*31+d-1)*10:]
					t[0], t[1], t[2], t[3] = byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10)
					t[4], t[5], t[6] = '-', byte('0'+m/10), byte('0'+m%10)
					t[7], t[8], t[9] = '-', byte('0'+d/10), byte('0'+d%10)
				}
			}
			isoYears[y].Store(true)
		}
		isoMu.Unlock()
	}
	k := ((y*12+month-1)*31 + day - 1) * 10
	return unsafe.String(&isoText[k], 10)
}

func (d Date) isoFmt() string {
	switch d.Precision {
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	}
	return ""
}

// ParseDate reads a date as people write it in Vietnam: dd/mm/yyyy and its
// variants (d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, spaces, "ngày 15 tháng 3 năm
// 1990"), yyyy-mm-dd (with an optional time), dd/mm/yy (see
// TwoDigitYearPivot), ddmmyyyy and yyyymmdd, mm/yyyy, yyyy-mm and a year
// alone. 00 as day (or day and month) lowers the precision. A day/month
// pair that is only valid exchanged is exchanged and flagged Swapped.
// Impossible dates (31/02/1990, month 13 with day 13) are errors.
func ParseDate(s string) (Date, error) {
	return ParseDateCell(s, false)
}

// ParseDateCell is ParseDate for a spreadsheet cell; numeric says the cell
// holds a number, which is then an Excel serial date (1900 date system,
// fractions of a day ignored) — except 1800..2100, which are years.
func ParseDateCell(s string, numeric bool) (Date, error) {
	in := s
	s = Fold(s)
	if s == "" {
		return Date{}, ErrEmptyDate
	}
	if numeric {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if f == math.Trunc(f) && f >= MinYear && f <= MaxYear {
				return Date{Year: int(f), Precision: PrecisionYear}, nil
			}
			return excelSerial(f, in)
		}
	}
	// Drop a time of day: "1990-03-15 00:00:00", "15/03/1990 0:00", ISO "T".
	if i := strings.IndexByte(s, ':'); i > 0 {
		j := strings.LastIndexAny(s[:i], " t")
		if j > 0 {
			s = s[:j]
		}
	}
	var groups [4]string
	ng, month := 0, 0 // month: an English month's name, as Excel writes "5-Mar-87"
	for i := 0; i < len(s); {
		c := s[i]
		if c >= '0' && c <= '9' {
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if ng == len(groups) {
				return Date{}, fmt.Errorf("parse date %q: too many numbers", in)
			}
			groups[ng] = s[i:j]
			ng++
			i = j
			continue
		}
		if c >= 'a' && c <= 'z' {
			j := i
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			switch w := s[i:j]; w {
			case "ngay", "thang", "nam", "sinh", "ns":
			default:
				m := englishMonth(w)
				if m == 0 || month != 0 {
					return Date{}, fmt.Errorf("parse date %q: unexpected word %q", in, w)
				}
				month = m
			}
			i = j
			continue
		}
		switch c {
		case '/', '-', '.', ' ', ',', '\\', '_':
		default:
			return Date{}, fmt.Errorf("parse date %q: unexpected character %q", in, c)
		}
		i++
	}
	atoi := digitsValue
	if month != 0 {
		return withMonthName(in, groups[:ng], month)
	}
	switch ng {
	case 1:
		g := groups[0]
		switch len(g) {
		case 4:
			return makeDate(in, atoi(g), 0, 0, false)
		case 8:
			if y := atoi(g[:4]); y >= 1900 && y <= MaxYear {
				if d, err := makeDate(in, y, atoi(g[4:6]), atoi(g[6:]), false); err == nil {
					return d, nil
				}
			}
			return DayFirst(in, atoi(g[4:]), atoi(g[:2]), atoi(g[2:4]))
		case 6:
			return DayFirst(in, yearOf(g[4:]), atoi(g[:2]), atoi(g[2:4]))
		}
		return Date{}, fmt.Errorf("parse date %q: cannot read %d digits as a date", in, len(g))
	case 2:
		a, b := groups[0], groups[1]
		if len(a) == 4 && len(b) <= 2 {
			return makeDate(in, atoi(a), atoi(b), 0, false)
		}
		if len(b) == 4 && len(a) <= 2 {
			return makeDate(in, atoi(b), atoi(a), 0, false)
		}
		return Date{}, fmt.Errorf("parse date %q: cannot tell month from year", in)
	case 3:
		a, b, c := groups[0], groups[1], groups[2]
		if len(a) == 4 && len(b) <= 2 && len(c) <= 2 {
			y, m, d := atoi(a), atoi(b), atoi(c)
			if m > 12 && d <= 12 { // yyyy-dd-mm
				return makeDate(in, y, d, m, true)
			}
			return makeDate(in, y, m, d, false)
		}
		if len(a) <= 2 && len(b) <= 2 && (len(c) == 4 || len(c) == 2) {
			return DayFirst(in, yearOf(c), atoi(a), atoi(b))
		}
		return Date{}, fmt.Errorf("parse date %q: not day, month and year", in)
	}
	return Date{}, fmt.Errorf("parse date %q: not a date", in)
}

// englishMonth is the month an English month's name or its first three
// letters (folded: "mar", "march", "sept") stands for, 0 for another word.
func englishMonth(w string) int {
	if len(w) < 3 {
		return 0
	}
	if w == "sept" {
		return 9
	}
	for i, m := range [...]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"} {
		if strings.HasPrefix(m, w) {
			return i + 1
		}
	}
	return 0
}

// withMonthName reads a date whose month is written as an English name,
// as Excel's English formats write it ("5-Mar-87", "05-Mar-1987",
// "Mar 5, 1987", "1987-Mar-05", "Mar-87"): the day is the number of one or
// two digits, the year the other (of two digits read as TwoDigitYear).
func withMonthName(in string, g []string, m int) (Date, error) {
	switch len(g) {
	case 1:
		if len(g[0]) == 4 || len(g[0]) == 2 {
			return makeDate(in, yearOf(g[0]), m, 0, false)
		}
	case 2:
		a, b := g[0], g[1]
		if len(a) == 4 && len(b) <= 2 {
			a, b = b, a
		}
		if len(a) <= 2 && (len(b) == 4 || len(b) == 2) {
			return makeDate(in, yearOf(b), m, digitsValue(a), false)
		}
	}
	return Date{}, fmt.Errorf("parse date %q: not day, month and year", in)
}

// digitsValue is strconv.Atoi's value of g, a run of ASCII digits: read in
// line up to 18 digits (ParseDateCell's groups), by strconv.Atoi beyond
// (its value past the range of int).
func digitsValue(g string) int {
	if len(g) > 18 {
		n, _ := strconv.Atoi(g)
		return n
	}
	n := 0
	for i := 0; i < len(g); i++ {
		n = n*10 + int(g[i]-'0')
	}
	return n
}

func yearOf(g string) int {
	n := digitsValue(g)
	if len(g) == 2 {
		return TwoDigitYear(n)
	}
	return n
}

// TwoDigitYear is the year a year written with two digits (n, 0–99)
// stands for (TwoDigitYearPivot).
func TwoDigitYear(n int) int {
	if n <= TwoDigitYearPivot {
		return 2000 + n
	}
	return 1900 + n
}

// DayFirst builds a date written day first, exchanging day and month when
// only that reading is valid: what ParseDateCell makes of the text "d/m/y"
// (in, for the error), for a caller that has read its numbers already.
func DayFirst(in string, y, d, m int) (Date, error) {
	if m > 12 && d >= 1 && d <= 12 {
		return makeDate(in, y, d, m, true)
	}
	return makeDate(in, y, m, d, false)
}

func makeDate(in string, y, m, d int, swapped bool) (Date, error) {
	if y < MinYear || y > MaxYear {
		return Date{}, fmt.Errorf("parse date %q: year %d out of range %d-%d", in, y, MinYear, MaxYear)
	}
	switch {
	case m == 0 && d == 0:
		return Date{Year: y, Precision: PrecisionYear}, nil
	case m < 1 || m > 12:
		return Date{}, fmt.Errorf("parse date %q: month %d does not exist", in, m)
	case d == 0:
		return Date{Year: y, Month: m, Precision: PrecisionMonth, Swapped: swapped}, nil
	}
	if d < 1 || d > daysIn(y, m) {
		return Date{}, fmt.Errorf("parse date %q: day %d does not exist in %04d-%02d", in, d, y, m)
	}
	return Date{Year: y, Month: m, Day: d, Precision: PrecisionDay, Swapped: swapped}, nil
}

// daysIn returns the days of month m (1–12) of year y in the proleptic
// Gregorian calendar, as time.Date counts them (TestDaysInAsTime), without
// time.Date's normalising (every full date parsed passes here).
func daysIn(y, m int) int {
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return int(monthDays[m-1])
}

var monthDays = [12]uint8{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// excelSerial converts an Excel 1900-system serial day number.
func excelSerial(f float64, in string) (Date, error) {
	if math.IsNaN(f) || f < 1 || f >= 2958466 { // 2958465 = 9999-12-31
		return Date{}, fmt.Errorf("parse date %q: serial %v out of range", in, f)
	}
	n := int(f)
	if n == 60 {
		return Date{}, fmt.Errorf("parse date %q: serial 60 is 1900-02-29, which does not exist", in)
	}
	base := time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	if n > 60 { // Excel counts the non-existent 1900-02-29
		base = base.AddDate(0, 0, -1)
	}
	t := base.AddDate(0, 0, n)
	return makeDate(in, t.Year(), int(t.Month()), t.Day(), false)
}
