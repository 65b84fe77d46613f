package fifthpop

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
)

// TestGenerate: a seed gives the same files twice and another seed other
// files; every kind of noise is drawn, every person has a record, every
// record is read by the importer under the id the truth names, and the
// population holds twins and commune namesakes.
func TestGenerate(t *testing.T) {
	a, b, other := t.TempDir(), t.TempDir(), t.TempDir()
	st, err := Generate(a, 5000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, 5000, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(other, 5000, 2); err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds {
		if st.Kinds[k] == 0 {
			t.Errorf("kind %s never drawn in %d records", k, st.Records)
		}
	}
	if st.Twins == 0 || st.Namesakes < 2 {
		t.Errorf("%d twin births, %d commune namesakes", st.Twins, st.Namesakes)
	}
	names := []string{"truth.csv", "kinds.csv", "persons.csv"}
	for _, f := range Files {
		names = append(names, f)
	}
	for _, name := range names {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		if y, _ := os.ReadFile(filepath.Join(b, name)); !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of seed 1", name)
		}
		if z, _ := os.ReadFile(filepath.Join(other, name)); bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 1 and 2", name)
		}
	}
	truth := readAll(t, filepath.Join(a, "truth.csv"))
	if len(truth)-1 != st.Records {
		t.Fatalf("truth has %d rows for %d records", len(truth)-1, st.Records)
	}
	want := map[string]bool{}
	per := map[string]int{}
	for _, r := range truth[1:] {
		want[r[0]] = true
		per[r[1]]++
	}
	if len(per) != st.Persons {
		t.Errorf("%d persons have records, %d generated", len(per), st.Persons)
	}
	got := 0
	for _, f := range Files {
		src, err := ingest.Open(filepath.Join(a, f), ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for {
			item, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if item.Reject != nil {
				t.Errorf("%s: rejected row %d: %s", f, item.Reject.Row, item.Reject.Reason)
				continue
			}
			if item.Record == nil {
				continue
			}
			if !want[item.Record.SourceRecordID] {
				t.Errorf("%s row %d: source id %q not in the truth", f, item.Record.Row, item.Record.SourceRecordID)
			}
			got++
		}
		src.Close()
	}
	if got != st.Records {
		t.Errorf("importer read %d records of %d", got, st.Records)
	}
}

// TestBreakdown: linking every record alone misses every true pair and
// joins none; the breakdown counts them so.
func TestBreakdown(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(dir, 1000, 3); err != nil {
		t.Fatal(err)
	}
	truth := readAll(t, filepath.Join(dir, "truth.csv"))
	pred := [][]string{{"source_record_id", "person_id"}}
	per := map[string]int{}
	for _, r := range truth[1:] {
		pred = append(pred, []string{r[0], "solo-" + r[0]})
		per[r[1]]++
	}
	pairs := 0
	for _, n := range per {
		pairs += n * (n - 1) / 2
	}
	path := filepath.Join(dir, "pred.csv")
	if err := writeCSV(path, pred); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Breakdown(&out, dir, path, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("missed pairs: "+strconv.Itoa(pairs)+"\n")) || !bytes.Contains(out.Bytes(), []byte("false pairs: 0\n")) {
		t.Errorf("breakdown of singletons, %d true pairs:\n%s", pairs, out.String())
	}
}

func readAll(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
