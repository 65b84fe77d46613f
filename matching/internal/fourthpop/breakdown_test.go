package fourthpop

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
	"github.com/dancu-vn/dancu/vn"
)

// TestBreakdownNamesakes: a prediction that is the truth but for two
// namesakes of one commune made one person counts each of their cross
// pairs as false, as namesakes of one village or of two (persons.csv's
// villages), and, when both have a row in one list, in a person holding
// two persons' rows of one list (acc48).
func TestBreakdownNamesakes(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(dir, 3000, 5); err != nil {
		t.Fatal(err)
	}
	truth, err := noisefile.Pairs(filepath.Join(dir, "truth.csv"), "source_record_id", "person_id")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := noisefile.ReadCSV(filepath.Join(dir, "persons.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs := map[string][]string{}
	for id, p := range truth {
		recs[p] = append(recs[p], id)
	}
	// Two namesakes of one commune (the generator plants 1% of persons'),
	// each with records.
	seen := map[string][]string{}
	var a, b []string
	for _, r := range ps.Rows {
		key := vn.Fold(r[ps.Col["full_name"]]) + "|" + r[ps.Col["birth_date"]][:4] + "|" + r[ps.Col["commune_code"]]
		if o := seen[key]; o != nil && len(recs[o[0]]) > 0 && len(recs[r[0]]) > 0 {
			a, b = o, r
			break
		}
		seen[key] = r
	}
	if a == nil {
		t.Fatal("no two namesakes of one commune with records in 3,000 persons")
	}
	var rows [][]string
	for id, p := range truth {
		if p == b[0] {
			p = a[0]
		}
		rows = append(rows, []string{id, p})
	}
	pred := filepath.Join(dir, "pred.csv")
	if err := noisefile.WriteCSV(pred, []string{"source_record_id", "person_id"}, rows); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Breakdown(&out, dir, pred); err != nil {
		t.Fatal(err)
	}
	cross := len(recs[a[0]]) * len(recs[b[0]])
	oneList := false
	for _, x := range recs[a[0]] {
		for _, y := range recs[b[0]] {
			oneList = oneList || strings.SplitN(x, "-", 2)[0] == strings.SplitN(y, "-", 2)[0]
		}
	}
	village := ps.Col["village"]
	same, two := cross, 0
	if a[village] != b[village] {
		same, two = 0, cross
	}
	inList := 0
	if oneList {
		inList = cross
	}
	t.Logf("namesakes %s and %s: %d cross pairs, one village %v, one list %v", a[0], b[0], cross, same > 0, oneList)
	for _, want := range []string{
		fmt.Sprintf("false pairs: %d\n", cross),
		fmt.Sprintf("persons namesakes of one commune, one village %5d\n", same),
		fmt.Sprintf("persons namesakes of one commune, two villages %5d\n", two),
		fmt.Sprintf("persons other %5d\n", 0),
		fmt.Sprintf("in a person holding two persons' rows of one list %5d\n", inList),
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("breakdown lacks %q:\n%s", want, out.String())
		}
	}
}
