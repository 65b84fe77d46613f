package fourthpop

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
)

func TestGenerate(t *testing.T) {
	a, b, other := t.TempDir(), t.TempDir(), t.TempDir()
	st, err := Generate(a, 6000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, 6000, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(other, 6000, 2); err != nil {
		t.Fatal(err)
	}
	// Every kind of noise and of person is drawn on a set this size.
	for _, k := range Kinds {
		if st.Kinds[k] == 0 {
			t.Errorf("kind %s never drawn in %d records", k, st.Records)
		}
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
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of seed 1", name)
		}
		if z, _ := os.ReadFile(filepath.Join(other, name)); bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 1 and 2", name)
		}
	}
	// Every person has 1–4 records, and the importer reads every record of
	// the four files with the id the truth names.
	truth := readCSV(t, filepath.Join(a, "truth.csv"))
	if len(truth)-1 != st.Records {
		t.Fatalf("truth has %d rows for %d records", len(truth)-1, st.Records)
	}
	per := map[string]int{}
	want := map[string]bool{}
	for _, r := range truth[1:] {
		per[r[1]]++
		want[r[0]] = true
	}
	if len(per) != st.Persons {
		t.Errorf("%d persons have records, %d generated", len(per), st.Persons)
	}
	counts := map[int]int{}
	for _, n := range per {
		counts[n]++
	}
	for n := 1; n <= 4; n++ {
		if counts[n] == 0 {
			t.Errorf("no person with %d records: %v", n, counts)
		}
	}
	if len(counts) != 4 {
		t.Errorf("records per person: %v, want 1–4", counts)
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

func readCSV(t *testing.T, path string) [][]string {
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
