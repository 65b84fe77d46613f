package coverage_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// Every column of the indicator table says what it counts: the page had
// three columns headed "with ID" (records, persons, children under 6) and
// two "CMND only", the text table two "with id" (user20, an analyst's
// month). The page's header rows, read as a grid (rowspan, colspan), give
// each column its group and its own name; no two columns may read alike,
// and the header has as many columns as the rows.
func TestColumnsSayWhatTheyCount(t *testing.T) {
	conn := openDB(t)
	writeMonthly(t, conn)
	srv := httptest.NewServer(coverage.NewHandler(conn, nil))
	defer srv.Close()
	code, _, body := get(t, srv, "/coverage?era=new&metric=with_id_pct&province=40&level=commune&since=2026-03")
	if code != 200 {
		t.Fatalf("Nghệ An by commune: %d", code)
	}
	head := between(body, "<thead>", "</thead>")
	cols := headerColumns(t, head)
	seen := map[string]int{}
	for i, c := range cols {
		if j, ok := seen[c]; ok {
			t.Errorf("page: columns %d and %d are both headed %q", j+1, i+1, c)
		}
		seen[c] = i
	}
	total := between(body, "<tfoot>", "</tfoot>")
	if n := strings.Count(total, "<td"); n != len(cols) {
		t.Errorf("page: %d columns headed (%q), %d in the total row", len(cols), cols, n)
	}
	for _, want := range []string{"records with ID", "persons with ID", "children under 6 with ID", "persons CMND only", "records CMND only"} {
		if _, ok := seen[want]; !ok {
			t.Errorf("page: no column headed %q (columns %q)", want, cols)
		}
	}

	rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: coverage.New, Level: coverage.Commune, Province: "40",
		Since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteTable(&buf, false); err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(buf.String(), "\n")
	names := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
	seen = map[string]int{}
	for i, c := range names {
		if j, ok := seen[c]; ok {
			t.Errorf("table: columns %d and %d are both headed %q (%q)", j+1, i+1, c, line)
		}
		seen[c] = i
	}
}

func between(s, from, to string) string {
	_, s, _ = strings.Cut(s, from)
	s, _, _ = strings.Cut(s, to)
	return s
}

// headerColumns reads a table header's rows as a grid and names each
// column by the words of its cells from top to bottom.
func headerColumns(t *testing.T, head string) []string {
	t.Helper()
	cell := regexp.MustCompile(`<th([^>]*)>(.*?)</th>`)
	span := func(attrs, name string) int {
		m := regexp.MustCompile(name + `="(\d+)"`).FindStringSubmatch(attrs)
		if m == nil {
			return 1
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	var grid [][]string
	for r, row := range strings.Split(head, "</tr>") {
		for len(grid) <= r {
			grid = append(grid, nil)
		}
		c := 0
		for _, m := range cell.FindAllStringSubmatch(row, -1) {
			for c < len(grid[r]) && grid[r][c] != "" {
				c++
			}
			text := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(strings.TrimSpace(m[2]))
			for dr := 0; dr < span(m[1], "rowspan"); dr++ {
				for len(grid) <= r+dr {
					grid = append(grid, nil)
				}
				for dc := 0; dc < span(m[1], "colspan"); dc++ {
					for len(grid[r+dr]) <= c+dc {
						grid[r+dr] = append(grid[r+dr], "")
					}
					grid[r+dr][c+dc] = text
				}
			}
			c += span(m[1], "colspan")
		}
	}
	var cols []string
	for c := range grid[0] {
		var words []string
		for r := range grid {
			if c < len(grid[r]) && grid[r][c] != "" && (len(words) == 0 || words[len(words)-1] != grid[r][c]) {
				words = append(words, grid[r][c])
			}
		}
		cols = append(cols, strings.Join(words, " "))
	}
	if len(cols) == 0 {
		t.Fatalf("no header cells in %q", head)
	}
	return cols
}

// A month not begun is refused, by the report (CLI) and the page: "since
// 2027-01" on 6 December 2026 gave the share now as the share then, and
// every change +0.00, without a word (user20).
func TestSinceAMonthNotBegun(t *testing.T) {
	conn := openDB(t)
	writeMonthly(t, conn)
	today := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for since, ok := range map[string]bool{"2027-01": false, "2026-12": true, "2026-03": true} {
		s, _ := time.Parse("2006-01", since)
		rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: coverage.New, Since: s, Today: today})
		if ok && err != nil {
			t.Errorf("since %s on %s: %v", since, today.Format("2006-01-02"), err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "after this month")) {
			t.Errorf("since %s on %s: %v, report %v; want it refused as after this month", since, today.Format("2006-01-02"), err, rep != nil)
		}
	}
	srv := httptest.NewServer(coverage.NewHandler(conn, nil))
	defer srv.Close()
	next := time.Now().AddDate(0, 1, 0).Format("2006-01")
	if code, _, body := get(t, srv, "/api/coverage?era=new&since="+next); code != 400 || !strings.Contains(body, "after this month") {
		t.Errorf("/api/coverage?since=%s (next month): %d %s, want 400 saying it is after this month", next, code, body)
	}
}

// The months a --since names are load months, which are UTC (the
// import's stamp, schemas.MonthOf): at 03:00 on 1 January in Vietnam
// (UTC+7, a server on local time) January has not begun in UTC, nothing
// is loaded in it yet, and since 2027-01 is refused as after this month;
// December is not.
func TestSinceAMonthNotBegunInUTC(t *testing.T) {
	today := time.Date(2027, 1, 1, 3, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	for since, ok := range map[string]bool{"2027-01": false, "2026-12": true} {
		s, _ := time.Parse("2006-01", since)
		err := coverage.Options{Since: s, Today: today}.Validate()
		if ok && err != nil {
			t.Errorf("since %s at %s: %v", since, today.Format(time.RFC3339), err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "after this month (2026-12")) {
			t.Errorf("since %s at %s (%s UTC): %v; want it refused as after this month (2026-12)", since, today.Format(time.RFC3339),
				today.UTC().Format(time.RFC3339), err)
		}
	}
}

// A person whose address was written in the new era's units (a list of
// 2026) has no old commune, but its records have the old district the
// resolver gives them where all the new commune's predecessors lay in
// one (Phường Vinh Phú, 16702: Thành phố Vinh, 412). By district, the
// old era counted the records in Thành phố Vinh and the persons in the
// province's unresolved row (Vinh: 75 records, 15 persons; user20). Now
// the persons and their conflicts count where their records do; a new
// commune made of several districts' communes (Phường Hồng Hà, 00097, of
// five districts of Hà Nội) stays unresolved, as its records do.
func TestDistrictOfAPersonInNewUnits(t *testing.T) {
	conn := openDB(t)
	vinhPhu := addr{"40", "412", "", "40", "16702"}
	hongHa := addr{"01", "", "", "01", "00097"}
	write(t, conn, []schemas.Record{
		record("r1", vinhPhu, schemas.KindSpreadsheet, "040190000001", "", 1),
		record("r2", vinhPhu, schemas.KindSpreadsheet, "", "", 1),
		record("r3", hongHa, schemas.KindSpreadsheet, "", "", 1),
	}, []schemas.Person{
		person("p1", 1, vinhPhu, "040190000001", 1990, "", 1),
		person("p2", 1, vinhPhu, "", 2024, "", 1),
		person("p3", 1, hongHa, "", 1990, "", 1),
	})
	cs := []schemas.Conflict{
		{ConflictID: "c1", Kind: schemas.ConflictSharedID, ProvinceCode: "40", PersonIDs: []string{"p1", "p2"}, Status: "open", Version: 1},
		{ConflictID: "c3", Kind: schemas.ConflictSharedID, ProvinceCode: "01", PersonIDs: []string{"p3"}, Status: "open", Version: 1},
	}
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(context.Background(), &pipelines.Batch{Conflicts: cs}); err != nil {
		t.Fatal(err)
	}
	for prov, want := range map[string]struct {
		code                                 string
		records, persons, withID, kids, open int64
	}{
		"40": {"412", 2, 2, 1, 1, 1},
		"01": {"", 1, 1, 0, 0, 1},
	} {
		rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: coverage.Old, Level: coverage.District, Province: prov,
			Today: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Rows {
			if r.Records == 0 && r.Persons == 0 && r.ConflictsOpen == 0 {
				continue
			}
			got := struct {
				code                                 string
				records, persons, withID, kids, open int64
			}{r.Code, r.Records, r.Persons, r.PersonsWithID, r.ChildrenUnder6, r.ConflictsOpen}
			if got != want {
				t.Errorf("province %s by district: row %s %q: records, persons, with ID, children, open conflicts %+v, want %+v", prov, r.Kind, r.Name, got, want)
			}
		}
	}
}

// A commune whose district merged into another in 2025 (Xã Tân Lộc,
// 18409: Huyện Lộc Hà, 448, in the 2024 list and the 2019 census; Huyện
// Thạch Hà, 445, in the last list before the reform, which the address
// resolver gives its records). By district, the old era counted its
// records in Thạch Hà and its persons in Lộc Hà (user26's lists of Lộc
// Hà: 0 records and 111 persons there, 116 records and 9 persons in
// Thạch Hà). Records now count in the district their persons do.
func TestRecordsInTheDistrictOfTheirPersons(t *testing.T) {
	conn := openDB(t)
	tanLoc := addr{"42", "445", "18409", "42", "18409"}
	write(t, conn, []schemas.Record{
		record("r1", tanLoc, schemas.KindSpreadsheet, "042140348032", "", 1),
		record("r2", tanLoc, schemas.KindSpreadsheet, "", "", 1),
	}, []schemas.Person{
		person("p1", 1, tanLoc, "042140348032", 1940, "", 1),
		person("p2", 1, tanLoc, "", 1991, "", 1),
	})
	rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: coverage.Old, Level: coverage.District, Province: "42",
		Today: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, r := range rep.Rows {
		if r.Records == 0 && r.Persons == 0 {
			continue
		}
		if r.Code != "448" || r.Records != 2 || r.Persons != 2 || r.RecordsWithID != 1 || r.PersonsWithID != 1 {
			t.Errorf("district %s %q: records %d (with ID %d), persons %d (with ID %d); want Huyện Lộc Hà (448) with 2 (1) and 2 (1)",
				r.Code, r.Name, r.Records, r.RecordsWithID, r.Persons, r.PersonsWithID)
		}
		seen = seen || r.Code == "448"
	}
	if !seen {
		t.Error("no row for Huyện Lộc Hà (448)")
	}
}

// An analyst names the province (user26: --province "Hà Tĩnh"): refused
// as no code, as before, and now told the code to give.
func TestProvinceNamedForItsCode(t *testing.T) {
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		era        coverage.Era
		name, want string
	}{
		{coverage.Old, "Hà Tĩnh", "Tỉnh Hà Tĩnh is --province 42"},
		{coverage.Old, "tinh ha tinh", "Tỉnh Hà Tĩnh is --province 42"},
		{coverage.New, "TP Hồ Chí Minh", "Thành phố Hồ Chí Minh is --province 79"},
		{coverage.New, "Hà Giang", ""}, // no province of the new era: no suggestion
	} {
		err := coverage.Options{Era: c.era, Level: coverage.Commune, Province: c.name, Today: today}.Validate()
		switch {
		case err == nil || !strings.Contains(err.Error(), "not a province code"):
			t.Errorf("%s era, --province %q: %v; want it refused as no code", c.era, c.name, err)
		case c.want != "" && !strings.HasSuffix(err.Error(), c.want):
			t.Errorf("%s era, --province %q: %v; want it to end %q", c.era, c.name, err, c.want)
		case c.want == "" && strings.Contains(err.Error(), " is --province"):
			t.Errorf("%s era, --province %q: %v; want no code suggested", c.era, c.name, err)
		}
	}
}
