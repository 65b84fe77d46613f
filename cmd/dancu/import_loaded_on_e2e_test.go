package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/coverage"
)

// A backfill, end to end on the real broker and engine with the
// registry's match stage: lists imported with --loaded-on in three past
// months (the first two published before the match stage is waited for,
// so that it may read them together), and one without, give `dancu
// coverage --since` the figures a count of the lists' rows gives, month
// by month — each person distinct, so the state at the end of a month is
// the rows in force by then — and the share with a number at the start
// of the --since month. A correction of the second list (--replaces,
// loaded on the third month) withdraws its records in that month, not in
// the month it is linked. The summary says the load date was set by hand.
func TestImportLoadedOnEndToEnd(t *testing.T) {
	e := startE2EStages(t)
	const addr = "\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\""
	// Each list: rows of distinct persons, with a number or without.
	type person struct {
		name, born, sex, id string
	}
	lists := [][]person{
		{{"Nguyễn Văn An", "15/03/1990", "Nam", "001090012345"}, {"Trần Thị Bình", "02/07/1985", "Nữ", ""}, {"Lê Văn Cường", "20/11/1978", "Nam", "001078054321"}},
		{{"Phạm Thị Dung", "09/09/2001", "Nữ", "001301098765"}, {"Hoàng Văn Em", "01/01/1960", "Nam", ""}},
		{{"Vũ Thị Giang", "12/12/1972", "Nữ", "001172034567"}},
		{{"Đỗ Văn Hải", "30/04/1995", "Nam", ""}},
		// the second list corrected: Em's number added
		{{"Phạm Thị Dung", "09/09/2001", "Nữ", "001301098765"}, {"Hoàng Văn Em", "01/01/1960", "Nam", "001060011111"}},
	}
	const corrected = 4 // of lists[1], loaded in months[2]
	dir := t.TempDir()
	paths := make([]string, len(lists))
	for i, l := range lists {
		var b strings.Builder
		b.WriteString("STT,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Địa chỉ thường trú\n")
		for j, p := range l {
			fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s\n", j+1, p.name, p.born, p.sex, p.id, addr)
		}
		paths[i] = filepath.Join(dir, fmt.Sprintf("dong_hoi_%d.csv", i))
		if err := os.WriteFile(paths[i], []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC()
	this := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := []time.Time{this.AddDate(0, -3, 0), this.AddDate(0, -2, 0), this.AddDate(0, -1, 0), this}
	for i := range 3 {
		day := months[i].AddDate(0, 0, 9).Format("2006-01-02")
		out := e.dancu(t, "import", "--loaded-on", day, paths[i])
		if !strings.Contains(out, "loaded on "+day+": set by --loaded-on") {
			t.Errorf("the summary of import --loaded-on %s does not say it was set by hand:\n%s", day, out)
		}
		if i > 0 {
			e.drain(t)
		}
	}
	e.dancu(t, "import", "--loaded-on", months[2].AddDate(0, 0, 20).Format("2006-01-02"), "--replaces", paths[1], paths[corrected])
	e.drain(t)
	e.dancu(t, "import", paths[3])
	e.drain(t)

	// The hand count: the rows loaded by the end of each month.
	since := months[1].Format("2006-01")
	var rep coverage.Report
	if err := json.Unmarshal([]byte(e.dancu(t, "coverage", "--since", since, "--format", "json")), &rep); err != nil {
		t.Fatal(err)
	}
	var want, got []string
	inForce := []int{}
	for i := range months {
		inForce = append(inForce, i)
		if i == 2 {
			inForce[1] = corrected
		}
		records, withID := 0, 0
		for _, l := range inForce {
			records += len(lists[l])
			for _, p := range lists[l] {
				if p.id != "" {
					withID++
				}
			}
		}
		want = append(want, fmt.Sprintf("%s: %d records, %d persons, %d with a number", months[i].Format("2006-01"), records, records, withID))
	}
	for _, m := range rep.Months {
		if m.Loaded {
			got = append(got, fmt.Sprintf("%s: %d records, %d persons, %d with a number", m.Month, m.Records, m.Persons, m.PersonsWithID))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("coverage by load month:\n%s\nwant (the lists' rows):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// At the start of the --since month: the first list's persons.
	if rep.Total.PersonsSince != 3 || rep.Total.WithIDSince != 2 || rep.Total.Persons != 7 || rep.Total.PersonsWithID != 5 {
		t.Errorf("coverage --since %s: %d persons then (%d with a number), %d now (%d); want 3 (2) then, 7 (5) now",
			since, rep.Total.PersonsSince, rep.Total.WithIDSince, rep.Total.Persons, rep.Total.PersonsWithID)
	}
}

// --loaded-on is a day, never in the future, nor before the first day
// the coverage tables' months hold (a year mistyped: 1026 for 2026).
func TestImportLoadedOnRefused(t *testing.T) {
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")
	for flag, want := range map[string]string{tomorrow: "in the future", "2026-13-01": "want YYYY-MM-DD", "1/2/2026": "want YYYY-MM-DD",
		"1026-03-01": "before 1970-01-01", "1969-12-31": "before 1970-01-01", "0001-01-01": "before 1970-01-01"} {
		o := importOptions{loadedOn: flag}
		if err := o.validate([]string{"a.csv"}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--loaded-on %s: %v, want an error saying %q", flag, err, want)
		}
	}
	for _, day := range []string{time.Now().UTC().Format("2006-01-02"), "1970-01-01"} {
		o := importOptions{loadedOn: day}
		if err := o.validate([]string{"a.csv"}); err != nil {
			t.Errorf("--loaded-on %s: %v", day, err)
		}
	}
}
