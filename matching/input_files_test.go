package matching

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestMappingFilesOfTwoLayouts: two files of different layouts — a full
// name, a date in one column and a sex written M/F in one, the names and
// the date's parts apart and a sex written 1/2 in the other — are read
// into the same fields through a mapping's files entries (acc17: before,
// a mapping had one id column and plain renames for every input, and such
// a link could not be read at all). The mapping is the one the guide
// shows under "Reading your CSV".
func TestMappingFilesOfTwoLayouts(t *testing.T) {
	doc := settings.Doc()
	start := strings.Index(doc, "  # hospital.csv:")
	if start < 0 {
		t.Fatal("the guide has no mapping of two layouts")
	}
	end := start + strings.Index(doc[start:], "  ```")
	var lines []string
	for _, l := range strings.Split(doc[start:end], "\n") {
		lines = append(lines, strings.TrimPrefix(l, "  "))
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mp, err := LoadMapping(write("it.yaml", strings.Join(lines, "\n")))
	if err != nil {
		t.Fatalf("the guide's mapping: %v", err)
	}
	h := write("hospital.csv", "patient_id,full_name,dob,sex,postcode,phone\nH1,Anna Weber,07/03/1961,F,10115,0301\n")
	e := write("electoral.csv", "voter_id,first_name,last_name,birth_year,birth_month,birth_day,sex,address\nE1,Anna,Weber,1961,3,7,2,\"12 Mill Lane, Selby 10115\"\nE2,Jo,Li,NA,,,9,NA\n")
	want := map[string][]string{ // id, first_name, last_name, birth_year, birth_month, birth_day, sex, postcode
		h: {"H1", "Anna", "Weber", "1961", "03", "07", "F", "10115"},
		e: {"E1", "Anna", "Weber", "1961", "3", "7", "F", "10115"},
	}
	fields := []string{"first_name", "last_name", "birth_year", "birth_month", "birth_day", "sex", "postcode"}
	for _, p := range []string{h, e} {
		tb, err := ReadTable(p)
		if err != nil {
			t.Fatal(err)
		}
		fm := mp.For(p)
		ids, err := tb.RecordIDs(fm)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		got := []string{ids[0]}
		get := tb.Getter(fm, 0)
		for _, f := range fields {
			got = append(got, get(f))
		}
		if strings.Join(got, "|") != strings.Join(want[p], "|") {
			t.Errorf("%s read as %q, want %q", filepath.Base(p), got, want[p])
		}
		if p == e {
			// No match of the regex is blank; a value not in values stays.
			get = tb.Getter(fm, 1)
			if a, s := get("postcode"), get("sex"); a != "" || s != "9" {
				t.Errorf("electoral row 2: postcode %q (want blank), sex %q (want 9 as written)", a, s)
			}
		}
	}
	if err := mp.NamesInputs([]string{h, filepath.Join(dir, "roll.csv")}); err == nil || !strings.Contains(err.Error(), "electoral.csv") {
		t.Errorf("an entry under files no input has: %v", err)
	}
	for _, bad := range []string{
		"rename: {a: {column: x, regex: \"(\"}}",
		"rename: {a: {column: x, regex: \"(a)(b)\"}}",
		"rename: {a: {regex: \"a\"}}",
		"rename: {a: {column: x, rgx: \"a\"}}",
	} {
		if _, err := LoadMapping(write("bad.yaml", bad)); err == nil {
			t.Errorf("mapping %s: no error", bad)
		}
	}
}
