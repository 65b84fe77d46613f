package matching

import (
	"fmt"
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
