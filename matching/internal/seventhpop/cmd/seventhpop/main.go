// Command seventhpop writes the seventh population's lists with ground
// truth, or breaks a link's errors on them down by noise kind.
//
//	seventhpop --persons 16000 --seed S --out D
//	seventhpop breakdown --dir D --pred clusters.csv
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/dancu-vn/dancu/matching/internal/seventhpop"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "breakdown" {
		fs := flag.NewFlagSet("breakdown", flag.ExitOnError)
		dir := fs.String("dir", "", "directory seventhpop wrote")
		pred := fs.String("pred", "", "clusters.csv of dancu link")
		ex := fs.Int("examples", 20, "pairs of each to list by record id")
		_ = fs.Parse(os.Args[2:])
		if err := seventhpop.Breakdown(os.Stdout, *dir, *pred, *ex); err != nil {
			fmt.Fprintln(os.Stderr, "seventhpop:", err)
			os.Exit(1)
		}
		return
	}
	persons := flag.Int("persons", 16000, "persons to generate (at most 50000)")
	seed := flag.Uint64("seed", 1, "seed")
	out := flag.String("out", "", "output directory")
	flag.Parse()
	if *out == "" || *persons > 50000 || *persons < 100 {
		fmt.Fprintln(os.Stderr, "seventhpop: --out is required and --persons between 100 and 50000")
		os.Exit(2)
	}
	st, err := seventhpop.Generate(*out, *persons, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "seventhpop:", err)
		os.Exit(1)
	}
	fmt.Printf("persons %d records %d\n", st.Persons, st.Records)
	for _, s := range seventhpop.Sources {
		fmt.Printf("  %-10s %6d  %s\n", s, st.BySource[s], seventhpop.Files[s])
	}
	var ks []string
	for k := range st.Kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Printf("  kind %-20s %6d\n", k, st.Kinds[k])
	}
	for _, k := range []string{"twin", "namesake"} {
		fmt.Printf("  hard %-20s %6d persons\n", k, st.Hard[k])
	}
}
