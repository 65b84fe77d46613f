package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dateCSV writes a CSV of a name and a birth date per row (row 1 the
// header, the dates from row 2).
func dateCSV(t *testing.T, name string, dates ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("STT,Họ và tên,Ngày sinh\n")
	for i, d := range dates {
		fmt.Fprintf(&b, "%d,Nguyễn Văn An %c,%s\n", i+1, 'A'+rune(i%26), d)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// birthDates returns the items' birth dates and how many notes they hold.
func birthDates(items []Item) (dates []string, notes int) {
	for _, it := range items {
		dates = append(dates, it.Record.BirthDate)
		notes += len(it.Notes)
	}
	return dates, notes
}

// TestDateOrder: a CSV saved from a workbook in United States formats
// writes its dates month/day/year. Read day first without a word, 05/03/1978
// (3 May) became 5 March. Now a date column whose first rows can only be
// month first (a second number over 12) and never day first is read month
// first, with a warning naming the row, column and value; --date-order
// (Options.DateOrder, a mapping's date_order) says the order outright; and
// a column whose order stays in doubt at the end — month-first dates found
// only late, dates of both orders, every date reading either way — is a
// warning of its sheet. Vietnamese dates give none.
func TestDateOrder(t *testing.T) {
	us := []string{"03/25/1990", "05/03/1978", "12/31/2001", "07/04/1965", "11/14/1999", "1/2/1980"}
	usWant := []string{"1990-03-25", "1978-05-03", "2001-12-31", "1965-07-04", "1999-11-14", "1980-01-02"}
	path := dateCSV(t, "us.csv", us...)
	for _, workers := range []int{0, 4} {
		items, d := openAll(t, path, Options{Workers: workers})
		checkAccount(t, items, d)
		got, notes := birthDates(items)
		if !slices.Equal(got, usWant) || notes != 0 {
			t.Errorf("workers %d: US dates read %q with %d notes, want %q and none", workers, got, notes, usWant)
		}
		w := d.Sheets[0].Warnings
		if len(w) != 1 || w[0].Kind != WarnDateOrder || w[0].Row != 2 || w[0].Column != "Ngày sinh" || w[0].Value != "03/25/1990" ||
			!strings.Contains(w[0].Message, "read month/day/year") || !strings.Contains(w[0].Message, "--date-order dmy") {
			t.Errorf("workers %d: warnings %+v, want one saying the column is read month first", workers, w)
		}
	}

	// Told day first: read so, the month-first dates exchanged with a
	// note, and a warning.
	items, d := openAll(t, path, Options{DateOrder: DateOrderDMY})
	got, notes := birthDates(items)
	if want := []string{"1990-03-25", "1978-03-05", "2001-12-31", "1965-04-07", "1999-11-14", "1980-02-01"}; !slices.Equal(got, want) || notes != 3 {
		t.Errorf("--date-order dmy: %q with %d notes, want %q and 3", got, notes, want)
	}
	if w := d.Sheets[0].Warnings; len(w) != 1 || !strings.Contains(w[0].Message, "read day first, but 3 dates can only be month/day/year") {
		t.Errorf("--date-order dmy: warnings %+v", w)
	}

	// A mapping's date_order, and a bad one.
	m, err := ParseMapping(strings.NewReader("date_order: mdy\n"))
	if err != nil {
		t.Fatal(err)
	}
	vn := dateCSV(t, "vn.csv", "05/03/1978", "25/12/1990", "31/01/2001", "07/01/1965")
	items, d = openAll(t, vn, Options{Mapping: m})
	got, _ = birthDates(items)
	if want := []string{"1978-05-03", "1990-12-25", "2001-01-31", "1965-07-01"}; !slices.Equal(got, want) ||
		len(d.Sheets[0].Warnings) != 1 || !strings.Contains(d.Sheets[0].Warnings[0].Message, "read month first, but 2 dates can only be day/month/year") {
		t.Errorf("date_order: mdy on day-first dates: %q, warnings %+v", got, d.Sheets[0].Warnings)
	}
	if _, err := ParseMapping(strings.NewReader("date_order: ymd\n")); err == nil || !strings.Contains(err.Error(), "date_order") {
		t.Errorf("date_order: ymd: %v", err)
	}
	if _, err := Open(vn, Options{DateOrder: "us"}); err == nil || !strings.Contains(err.Error(), "mdy") {
		t.Errorf("DateOrder us: %v", err)
	}

	// Vietnamese dates: day first, no warning.
	items, d = openAll(t, vn, Options{})
	got, notes = birthDates(items)
	if want := []string{"1978-03-05", "1990-12-25", "2001-01-31", "1965-01-07"}; !slices.Equal(got, want) || notes != 0 || len(d.Sheets[0].Warnings) != 0 {
		t.Errorf("VN dates: %q, %d notes, warnings %+v", got, notes, d.Sheets[0].Warnings)
	}

	// Month-first dates only below the rows read for the header: read day
	// first, and the sheet warns, naming the first of them and the first
	// date read either way.
	late := make([]string, 45)
	for i := range late {
		late[i] = fmt.Sprintf("%d/%d/1980", i%12+1, i%9+1)
	}
	late[41], late[43] = "02/28/1985", "12/13/1970"
	items, d = openAll(t, dateCSV(t, "late.csv", late...), Options{})
	checkAccount(t, items, d)
	if w := d.Sheets[0].Warnings; len(w) != 1 || w[0].Row != 43 || w[0].Value != "02/28/1985" ||
		!strings.Contains(w[0].Message, "2 dates can only be month/day/year and none day/month/year") ||
		!strings.Contains(w[0].Message, `first: row 2 "1/1/1980"`) || !strings.Contains(w[0].Message, "--date-order mdy") {
		t.Errorf("late month-first dates: warnings %+v", w)
	}

	// Every date reads either way: day first, with a warning.
	_, d = openAll(t, dateCSV(t, "either.csv", "05/03/1978", "01/02/1990", "12/11/2001"), Options{})
	if w := d.Sheets[0].Warnings; len(w) != 1 || w[0].Row != 2 || !strings.Contains(w[0].Message, "all 3 dates read either way") {
		t.Errorf("ambiguous dates: warnings %+v", w)
	}
	// ... but not when the order was given.
	if _, d = openAll(t, dateCSV(t, "either.csv", "05/03/1978", "01/02/1990"), Options{DateOrder: DateOrderDMY}); len(d.Sheets[0].Warnings) != 0 {
		t.Errorf("ambiguous dates, --date-order dmy: warnings %+v", d.Sheets[0].Warnings)
	}
}

// TestTextDateOf reads the text dates the order applies to, and no
// other text.
func TestTextDateOf(t *testing.T) {
	for _, c := range []struct {
		in   string
		want textDate
	}{
		{"03/25/1990", textDate{3, 25, 1990, true}}, {" 1.2.80 ", textDate{1, 2, 1980, true}}, {"15-3-1990", textDate{15, 3, 1990, true}},
		{"1/2/26", textDate{1, 2, 2026, true}}, {"1/2/27", textDate{1, 2, 1927, true}},
		{"1990-03-25", textDate{}}, {"03/1990", textDate{}}, {"1/2/199", textDate{}}, {"1/2/19901", textDate{}},
		{"ngày 5 tháng 3 năm 1978", textDate{}}, {"32874", textDate{}}, {"", textDate{}}, {"1/2/", textDate{}},
	} {
		if got := textDateOf(c.in); got != c.want {
			t.Errorf("textDateOf(%q) = %+v; want %+v", c.in, got, c.want)
		}
	}
}

// A text date read once (textDateOf, textDate.date) is the date
// parseDate reads from its text, day first, and from its text with the
// first two numbers exchanged, month first: every day and month of 0–99
// written with one digit or two, each separator, years of two and four
// digits.
func TestTextDateAsParsed(t *testing.T) {
	n := 0
	for a := 0; a < 100; a++ {
		for b := 0; b < 100; b++ {
			for _, form := range []string{"%d%s%d%s%s", "%02d%s%02d%s%s", " %d%s%02d%s%s "} {
				for _, sep := range []string{"/", ".", "-"} {
					for _, y := range []string{"1990", "26", "27", "00", "1799", "2101"} {
						v := fmt.Sprintf(form, a, sep, b, sep, y)
						td := textDateOf(v)
						if !td.ok {
							t.Fatalf("textDateOf(%q) read no date", v)
						}
						for _, monthFirst := range []bool{false, true} {
							as := v
							if monthFirst {
								as = fmt.Sprintf(form, b, sep, a, sep, y)
							}
							want, wantOK := parseDate(as, false)
							got, ok := td.date(v, monthFirst)
							if got != want || ok != wantOK {
								t.Fatalf("%q month first %v: %+v %v; parseDate(%q) = %+v %v", v, monthFirst, got, ok, as, want, wantOK)
							}
							n++
						}
					}
				}
			}
		}
	}
	if n < 100000 {
		t.Fatalf("%d dates compared", n)
	}
}
