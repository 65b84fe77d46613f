package sixthpop

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestDeterministic: one seed gives the same files byte for byte; another
// seed gives another population.
func TestDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []struct {
		dir  string
		seed uint64
	}{{a, 7}, {b, 7}, {c, 8}} {
		if _, err := Generate(d.dir, 600, d.seed); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"truth.csv", "kinds.csv", "persons.csv"}
	for _, src := range Sources {
		names = append(names, Files[src])
	}
	for _, n := range names {
		x, err := os.ReadFile(filepath.Join(a, n))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of seed 7", n)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, "persons.csv"))
	z, _ := os.ReadFile(filepath.Join(c, "persons.csv"))
	if bytes.Equal(x, z) {
		t.Error("seeds 7 and 8 gave the same persons")
	}
}

// TestTruthConsistent: every record of every list is in truth.csv and
// kinds.csv once, under the source it is in; every person of the truth is
// in persons.csv; a record no name or date noise touched carries its
// person's name and birth date; the planted hard pairs are pairs.
func TestTruthConsistent(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(dir, 1500, 11)
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]string{}
	for _, r := range readRows(t, filepath.Join(dir, "truth.csv"))[1:] {
		if _, dup := truth[r[0]]; dup {
			t.Fatalf("truth.csv lists %s twice", r[0])
		}
		truth[r[0]] = r[1]
	}
	kinds := map[string][]string{}
	for _, r := range readRows(t, filepath.Join(dir, "kinds.csv"))[1:] {
		kinds[r[0]] = r[1:]
	}
	type pr struct{ name, birth, hard, partner, household string }
	persons := map[string]pr{}
	for _, r := range readRows(t, filepath.Join(dir, "persons.csv"))[1:] {
		persons[r[0]] = pr{name: r[1], birth: r[2], household: r[8], hard: r[13], partner: r[14]}
	}
	if len(persons) != st.Persons || st.Persons < 1500 {
		t.Fatalf("persons.csv has %d persons, Generate said %d (asked 1500)", len(persons), st.Persons)
	}
	seen := 0
	checkedName, checkedDate := 0, 0
	for _, src := range Sources {
		rows := readRows(t, filepath.Join(dir, Files[src]))
		h := rows[1]
		col := func(name string) int {
			for i, c := range h {
				if c == name {
					return i
				}
			}
			return -1
		}
		nameCol, dateCol := col("Họ và tên"), col("Ngày sinh")
		for _, r := range rows[2:] {
			id := r[1]
			seen++
			pid, ok := truth[id]
			if !ok {
				t.Fatalf("%s of %s is not in truth.csv", id, src)
			}
			k, ok := kinds[id]
			if !ok || k[0] != src {
				t.Fatalf("%s of %s: kinds.csv says %v", id, src, k)
			}
			p, ok := persons[pid]
			if !ok {
				t.Fatalf("%s's person %s is not in persons.csv", id, pid)
			}
			has := func(any ...string) bool {
				for _, x := range any {
					if strings.Contains(";"+k[1]+";", ";"+x+";") {
						return true
					}
				}
				return false
			}
			if nameCol >= 0 && !has("upper_no_marks", "hand_letter", "mid_dropped", "con_ba", "rel_in_name", "tone_style", "iy_spelling", "rank_in_name") {
				if r[nameCol] != p.name {
					t.Errorf("%s: name %q, its person %s is %q", id, r[nameCol], pid, p.name)
				}
				checkedName++
			}
			if dateCol >= 0 && !has("date_words", "date_short", "year_only", "year_by_grade", "dm_swapped", "hand_digit") && strings.HasPrefix(r[dateCol], "0") {
				iso := r[dateCol][6:] + "-" + r[dateCol][3:5] + "-" + r[dateCol][:2]
				if iso != p.birth {
					t.Errorf("%s: born %s, its person %s %s", id, r[dateCol], pid, p.birth)
				}
				checkedDate++
			}
		}
	}
	if seen != len(truth) || seen != len(kinds) || seen != st.Records {
		t.Fatalf("the lists hold %d records, truth.csv %d, kinds.csv %d, Generate said %d", seen, len(truth), len(kinds), st.Records)
	}
	if checkedName < seen/3 || checkedDate < seen/10 {
		t.Fatalf("checked only %d names and %d dates of %d records", checkedName, checkedDate, seen)
	}
	hard := 0
	for id, p := range persons {
		if p.hard == "" {
			continue
		}
		hard++
		q, ok := persons[p.partner]
		if !ok || q.partner != id || q.hard != p.hard {
			t.Errorf("%s is a %s of %s, who is not one of it", id, p.hard, p.partner)
			continue
		}
		switch p.hard {
		case "namesake", "father_son":
			if p.name != q.name {
				t.Errorf("%s %s: %q and %q", p.hard, id, p.name, q.name)
			}
		case "twin":
			if p.household != q.household || p.birth[:7] != q.birth[:7] {
				t.Errorf("twins %s and %s: %s %s, %s %s", id, p.partner, p.household, p.birth, q.household, q.birth)
			}
		}
	}
	if hard == 0 {
		t.Error("no hard false pair planted")
	}
}

// TestBreakdown: the truth as prediction scores 1 with nothing missed;
// a twin's records put with the other twin's are counted as false pairs
// of twins, as many as the records make.
func TestBreakdown(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(dir, 800, 5); err != nil {
		t.Fatal(err)
	}
	truth := readRows(t, filepath.Join(dir, "truth.csv"))[1:]
	records := map[string]int{}
	for _, r := range truth {
		records[r[1]]++
	}
	var a, b string
	for _, r := range readRows(t, filepath.Join(dir, "persons.csv"))[1:] {
		if r[13] == "twin" && records[r[0]] > 0 && records[r[14]] > 0 {
			a, b = r[0], r[14]
			break
		}
	}
	if a == "" {
		t.Fatal("no twins with records at 800 persons, seed 5")
	}
	write := func(name string, merge bool) string {
		rows := [][]string{{"record_id", "source_record_id", "person_id"}}
		for _, r := range truth {
			p := r[1]
			if merge && p == b {
				p = a
			}
			rows = append(rows, []string{"r" + r[0], r[0], p})
		}
		path := filepath.Join(dir, name)
		if err := writeCSV(path, rows); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var out bytes.Buffer
	if err := Breakdown(&out, dir, write("perfect.csv", false), 5); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "missed 0, false 0\n") || !strings.Contains(out.String(), "F1 1.0000\n") {
		t.Fatalf("the truth as prediction:\n%s", out.String())
	}
	out.Reset()
	if err := Breakdown(&out, dir, write("twins.csv", true), 5); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("  twin               %5d\n", records[a]*records[b])
	if !strings.Contains(out.String(), fmt.Sprintf("false %d\n", records[a]*records[b])) || !strings.Contains(out.String(), want) {
		t.Fatalf("twins %s and %s joined (%d × %d records), want %q in:\n%s", a, b, records[a], records[b], want, out.String())
	}
}
