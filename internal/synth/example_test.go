package synth_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strings"

	"github.com/dancu-vn/dancu/internal/synth"
)

func ExampleGenerate() {
	dir, _ := os.MkdirTemp("", "synth")
	defer os.RemoveAll(dir)
	m, err := synth.Generate(context.Background(), synth.Config{
		Persons: 100, Seed: 1, OutDir: dir, Formats: []string{"csv", "jsonl"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Persons, m.Records > m.Persons)
	// Output: 100 true
}

func ExampleAddressSample() {
	for _, a := range synth.AddressSample(42, 2) {
		fmt.Println(len(a.CommuneCode), len(a.NewCommuneCode), a.Text != "")
	}
	// Output:
	// 5 5 true
	// 5 5 true
}

func ExampleWriteMessy() {
	dir, _ := os.MkdirTemp("", "messy")
	defer os.RemoveAll(dir)
	exp, err := synth.WriteMessy(dir, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range exp.Files {
		s := f.Sheets[0]
		fmt.Println(f.File, s.Columns[1].Encoding, s.Accepted+s.Rejected == s.DataRows)
	}
	// Output:
	// tcvn3_danhsach.xlsx tcvn3-upper true
	// vni_danhsach.xlsx vni true
	// merged_header.xlsx unicode true
	// thon_workbook.xlsx unicode true
	// win1258.csv windows-1258 true
}

// ExampleHistorical generates a small historical-persons dedupe: 15% of
// the records are noisy copies of another person's.
func ExampleHistorical() {
	ps := synth.Historical(1000, 0.15, 1)
	people := map[string]bool{}
	for _, r := range ps.Rows {
		people[r[len(r)-1]] = true
	}
	fmt.Println(strings.Join(ps.Header, ","))
	fmt.Println(len(ps.Rows), "records of", len(people), "people")
	// Output:
	// id,first_name,surname,dob,birth_place,postcode,occupation,cluster
	// 1000 records of 850 people
}

// ExampleKeyboardSlip makes one slip in each of three names; a name
// shorter than the minimum is left whole.
func ExampleKeyboardSlip() {
	r := rand.New(rand.NewSource(1))
	for _, name := range []string{"Schneider", "Hoffmann", "Ida"} {
		fmt.Println(name, "→", synth.KeyboardSlip(r, name, 4, "aeinrstlhu"))
	}
	// Output:
	// Schneider → Schneidlr
	// Hoffmann → Hoffman
	// Ida → Ida
}
