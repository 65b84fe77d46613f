package eighthpop

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// listIDs reads the record ids of every list Generate wrote, in order.
func listIDs(t *testing.T, dir string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, src := range Sources {
		path := filepath.Join(dir, Files[src])
		if src == SrcCensus {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var form scanForm
				if err := json.Unmarshal(sc.Bytes(), &form); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if _, dup := ids[form.FormID]; dup {
					t.Errorf("record id %s twice", form.FormID)
				}
				ids[form.FormID] = src
			}
			f.Close()
			continue
		}
		rows, _, err := readRows(path)
		if err != nil {
			t.Fatal(err)
		}
		// rows[0] is the header (the title was the file's first row)
		if len(rows) == 0 {
			t.Fatalf("%s: no header", path)
		}
		for _, r := range rows[1:] {
			if _, dup := ids[r[1]]; dup {
				t.Errorf("record id %s twice", r[1])
			}
			ids[r[1]] = src
		}
	}
	return ids
}

// TestEveryRecordInTruth: every record of every list is in truth.csv and
// kinds.csv once, with its list, and nothing else is; every person of
// persons.csv has a record.
func TestEveryRecordInTruth(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(dir, 1500, 8)
	if err != nil {
		t.Fatal(err)
	}
	ids := listIDs(t, dir)
	truth, tc, err := readRows(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != len(ids) || st.Records != len(ids) {
		t.Fatalf("truth %d rows, lists %d records, stats %d", len(truth), len(ids), st.Records)
	}
	withRecord := map[string]bool{}
	for _, r := range truth {
		if _, ok := ids[r[tc["source_record_id"]]]; !ok {
			t.Errorf("truth names %s, in no list", r[tc["source_record_id"]])
		}
		withRecord[r[tc["person_id"]]] = true
	}
	kinds, kc, err := readRows(filepath.Join(dir, "kinds.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(kinds) != len(ids) {
		t.Fatalf("kinds %d rows, lists %d records", len(kinds), len(ids))
	}
	for _, r := range kinds {
		if ids[r[kc["source_record_id"]]] != r[kc["source"]] {
			t.Errorf("kinds: %s in list %q, written in %q", r[kc["source_record_id"]], r[kc["source"]], ids[r[kc["source_record_id"]]])
		}
	}
	persons, pc, err := readRows(filepath.Join(dir, "persons.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(persons) != len(withRecord) || st.Persons != len(persons) {
		t.Errorf("persons.csv %d rows, persons with a record %d, stats %d", len(persons), len(withRecord), st.Persons)
	}
	// Namesake groups: one full name and one birthday, and some span provinces.
	type nb struct{ name, birth string }
	groups := map[string]map[nb]bool{}
	provs := map[string]map[string]bool{}
	for _, r := range persons {
		g := r[pc["namesake_group"]]
		if g == "0" {
			continue
		}
		if groups[g] == nil {
			groups[g], provs[g] = map[nb]bool{}, map[string]bool{}
		}
		groups[g][nb{r[pc["full_name"]], r[pc["birth_date"]]}] = true
		provs[g][r[pc["province_2022"]]] = true
	}
	spanning := 0
	for g, s := range groups {
		if len(s) != 1 {
			t.Errorf("namesake group %s holds %d names or birthdays", g, len(s))
		}
		if len(provs[g]) > 1 {
			spanning++
		}
	}
	if spanning < 10 {
		t.Errorf("%d namesake groups span provinces, want many", spanning)
	}
}

// TestDeterministic: one seed, the same bytes; another seed, other lists.
func TestDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []struct {
		dir  string
		seed uint64
	}{{a, 3}, {b, 3}, {c, 4}} {
		if _, err := Generate(d.dir, 600, d.seed); err != nil {
			t.Fatal(err)
		}
	}
	differs := false
	for _, name := range append([]string{"truth.csv", "kinds.csv", "persons.csv"}, Files[SrcBook], Files[SrcCensus], Files[SrcReview], Files[SrcBirth], Files[SrcResidence]) {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		z, _ := os.ReadFile(filepath.Join(c, name))
		if len(x) == 0 && name != Files[SrcBirth] {
			t.Errorf("%s empty", name)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of seed 3", name)
		}
		if !bytes.Equal(x, z) {
			differs = true
		}
	}
	if !differs {
		t.Error("seeds 3 and 4 wrote the same files")
	}
}

// TestBreakdownOfTheTruth: the truth as a prediction scores 1 and has no
// false pair; every record as its own person misses every pair.
func TestBreakdownOfTheTruth(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(dir, 400, 5); err != nil {
		t.Fatal(err)
	}
	truth, tc, err := readRows(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, person func(r []string) string) string {
		p := filepath.Join(dir, name)
		f, _ := os.Create(p)
		cw := csv.NewWriter(f)
		cw.Write([]string{"record_id", "source_record_id", "person_id"})
		for _, r := range truth {
			cw.Write([]string{"x", r[tc["source_record_id"]], person(r)})
		}
		cw.Flush()
		f.Close()
		return p
	}
	var out bytes.Buffer
	if err := Breakdown(&out, dir, write("same.csv", func(r []string) string { return r[tc["person_id"]] }), 3); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "F1 1.0000; missed 0, false 0") {
		t.Errorf("the truth as prediction:\n%s", out.String())
	}
	out.Reset()
	if err := Breakdown(&out, dir, write("alone.csv", func(r []string) string { return r[tc["source_record_id"]] }), 3); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "recall 0.0000") {
		t.Errorf("every record alone:\n%s", out.String())
	}
}

// TestFalseClass: what two persons of a false pair are, from their truth.
func TestFalseClass(t *testing.T) {
	a := personRow{name: "Nguyễn Văn Hùng", birth: "1970-03-05", birthProv: "38", prov22: "38", prov26: "38", household: "H1"}
	for _, c := range []struct {
		b    personRow
		want string
	}{
		{personRow{name: a.name, birth: a.birth, birthProv: "79", prov22: "79", prov26: "79", household: "H2"}, "namesake, other provinces"},
		{personRow{name: a.name, birth: a.birth, birthProv: "38", prov22: "79", prov26: "79", household: "H2"}, "namesake, a number names the other's province"},
		{personRow{name: a.name, birth: a.birth, birthProv: "38", prov22: "38", prov26: "38", household: "H2"}, "namesake, one province"},
		{personRow{name: "Nguyễn Văn Dũng", birth: a.birth, birthProv: "38", prov22: "38", prov26: "38", household: "H1"}, "twins"},
		{personRow{name: "Nguyễn Thị Hoa", birth: "1972-01-01", birthProv: "38", prov22: "38", prov26: "38", household: "H1"}, "one household"},
		{personRow{name: a.name, birth: "1971-03-05", birthProv: "01", prov22: "01", prov26: "01", household: "H3"}, "one full name, another birthday"},
		{personRow{name: "Lê Thị Lan", birth: "1980-02-02", birthProv: "01", prov22: "01", prov26: "01", household: "H3"}, "other"},
	} {
		if got := falseClass(a, c.b); got != c.want {
			t.Errorf("%+v: %q, want %q", c.b, got, c.want)
		}
	}
}
