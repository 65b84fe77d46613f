package matching

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// TestFullDateGuardTakesEveryLunarDate: a birthday kept by the lunar
// calendar and written for the solar one (its lunar day, month and year
// as digits) is one birthday with the solar date, whatever the day from
// 1920 to 2030. The guard took lags of 20 to 51 days, reasoning from Tết's
// earliest and latest dates; but a lunar month is a day shorter than a
// solar one on average, so the lag shrinks by about a day a month after
// Tết (to 19), and after a leap month (2006's seventh, 1995's eighth) it
// is a month longer (to 55): 1,648 of the 40,543 days of 1920–2030 (4.1%)
// were not one birthday with their own lunar date. The lunar calendar is
// Vietnam's (UTC+7, lunarDate below), checked against known Tết days.
func TestFullDateGuardTakesEveryLunarDate(t *testing.T) {
	for _, c := range []struct {
		solar, lunar string
		leap         bool
	}{
		{"1968-01-29", "1968-01-01", false}, // Tết Mậu Thân (China's was a day later)
		{"1985-01-21", "1985-01-01", false}, // Tết Ất Sửu (China's on 20 February)
		{"2006-01-29", "2006-01-01", false},
		{"2006-10-06", "2006-08-15", false}, // Trung thu
		{"2006-09-21", "2006-07-29", true},  // the leap seventh month's last day
		{"2024-02-10", "2024-01-01", false},
		{"1985-01-20", "1984-12-30", false},
	} {
		var y, m, d int
		fmt.Sscanf(c.solar, "%d-%d-%d", &y, &m, &d)
		ld, lm, ly, leap := lunarDate(d, m, y)
		if got := fmt.Sprintf("%04d-%02d-%02d", ly, lm, ld); got != c.lunar || leap != c.leap {
			t.Fatalf("the test's lunar calendar: %s is %s (leap %v), want %s (leap %v)", c.solar, got, leap, c.lunar, c.leap)
		}
	}
	missed, days := 0, 0
	for at := time.Date(1920, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() <= 2030; at = at.AddDate(0, 0, 1) {
		days++
		ld, lm, ly, _ := lunarDate(at.Day(), int(at.Month()), at.Year())
		solar, lunar := at.Format("2006-01-02"), fmt.Sprintf("%04d-%02d-%02d", ly, lm, ld)
		if !oneBirthday(solar, lunar) || !oneBirthday(lunar, solar) {
			if missed < 5 {
				t.Errorf("%s and its lunar date %s are not one birthday", solar, lunar)
			}
			missed++
		}
	}
	if missed > 0 {
		t.Errorf("%d of %d days are not one birthday with their own lunar date", missed, days)
	}
}

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
