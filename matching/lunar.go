package matching

import (
	"math"
	"sync"
)

// lunarDate converts a solar date to Vietnam's lunar calendar (UTC+7):
// Hồ Ngọc Đức's algorithm (new moons and the sun's longitude after Meeus,
// the month holding the winter solstice as the eleventh, the first month
// of a 13-month year without a major solar term as the leap one).
func lunarDate(dd, mm, yy int) (day, month, year int, leap bool) {
	dn := julianDay(dd, mm, yy)
	k := int(math.Floor((float64(dn) - 2415021.076998695) / 29.530588853))
	start := newMoonDay(k + 1)
	if start > dn {
		start = newMoonDay(k)
	}
	a11, b11 := lunarMonth11(yy), 0
	if a11 >= start {
		year, b11, a11 = yy, a11, lunarMonth11(yy-1)
	} else {
		year, b11 = yy+1, lunarMonth11(yy+1)
	}
	day = dn - start + 1
	diff := (start - a11) / 29
	month = diff + 11
	if b11-a11 > 365 {
		if lm := leapMonthOffset(a11); diff >= lm {
			month = diff + 10
			leap = diff == lm
		}
	}
	if month > 12 {
		month -= 12
	}
	if month >= 11 && diff < 4 {
		year--
	}
	return day, month, year, leap
}

// julianDay is the Julian day number of a Gregorian date.
func julianDay(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y, m := yy+4800-a, mm+12*a-3
	return dd + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
}

// newMoonDay is the day (Julian day number, UTC+7) of the k-th new moon
// after 1 January 1900.
func newMoonDay(k int) int {
	kf := float64(k)
	t := kf / 1236.85
	t2, t3 := t*t, t*t*t
	dr := math.Pi / 180
	sin := math.Sin
	jd := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd += 0.00033 * sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mp := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	c := (0.1734-0.000393*t)*sin(m*dr) + 0.0021*sin(2*dr*m) - 0.4068*sin(mp*dr) + 0.0161*sin(dr*2*mp) -
		0.0004*sin(dr*3*mp) + 0.0104*sin(dr*2*f) - 0.0051*sin(dr*(m+mp)) - 0.0074*sin(dr*(m-mp)) +
		0.0004*sin(dr*(2*f+m)) - 0.0004*sin(dr*(2*f-m)) - 0.0006*sin(dr*(2*f+mp)) + 0.0010*sin(dr*(2*f-mp)) +
		0.0005*sin(dr*(2*mp+m))
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return int(math.Floor(jd + c - deltaT + 0.5 + 7.0/24))
}

// sunSector is the sun's longitude at the start of day dn (UTC+7) in
// sectors of 30 degrees (0 from the spring equinox).
func sunSector(dn int) int {
	t := (float64(dn) - 0.5 - 7.0/24 - 2451545.0) / 36525
	t2 := t * t
	dr := math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l := 280.46645 + 36000.76983*t + 0.0003032*t2
	l += (1.914600-0.004817*t-0.000014*t2)*math.Sin(dr*m) + (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l *= dr
	l -= 2 * math.Pi * math.Floor(l/(2*math.Pi))
	return int(math.Floor(l / math.Pi * 6))
}

// lunarMonth11 is the first day of the eleventh lunar month of year yy
// (the one holding the winter solstice).
func lunarMonth11(yy int) int {
	k := int(math.Floor(float64(julianDay(31, 12, yy)-2415021) / 29.530588853))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset is the place, after the eleventh month starting on
// a11, of a 13-month year's leap month.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// lunarYears holds, by solar year, the lunar date of each of its days as
// digits (year×10000 + month×100 + day; day of the year 1 at index 0),
// made on first use: the full_date guard asks for a few years' days, and
// lunarDate takes a few microseconds.
var lunarYears sync.Map // int → *[366]int32

// lunarDigits is the lunar date of solar date y-m-d as digits, 0 outside
// 1900–2100 (where lunarDate is not checked).
func lunarDigits(y, m, d int) int {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0
	}
	doy := dayNumber(y, m, d) - dayNumber(y, 1, 1)
	if doy < 0 || doy > 365 {
		return 0
	}
	t, ok := lunarYears.Load(y)
	if !ok {
		var days [366]int32
		for k := range days {
			at := dayNumber(y, 1, 1) + k
			sy, sm, sd := civilOf(at)
			if sy != y {
				break
			}
			ld, lm, ly, _ := lunarDate(sd, sm, sy)
			days[k] = int32(ly*10000 + lm*100 + ld)
		}
		t, _ = lunarYears.LoadOrStore(y, &days)
	}
	return int(t.(*[366]int32)[doy])
}

// civilOf is the date of dayNumber n (its inverse).
func civilOf(n int) (y, m, d int) {
	y = (n - 60) * 400 / 146097
	for dayNumber(y+1, 1, 1) <= n {
		y++
	}
	for dayNumber(y, 1, 1) > n {
		y--
	}
	m = 1
	for m < 12 && dayNumber(y, m+1, 1) <= n {
		m++
	}
	return y, m, n - dayNumber(y, m, 1) + 1
}
