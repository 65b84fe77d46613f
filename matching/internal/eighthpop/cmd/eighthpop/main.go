// Command eighthpop writes the eighth population's lists with ground
// truth, or breaks a link's errors on them down by noise kind and by what
// the two persons of a false pair are.
//
//	eighthpop --persons 16000 --seed S --out D
//	eighthpop breakdown --dir D --pred clusters.csv
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/dancu-vn/dancu/matching/internal/eighthpop"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "breakdown" {
		fs := flag.NewFlagSet("breakdown", flag.ExitOnError)
		dir := fs.String("dir", "", "directory eighthpop wrote")
		pred := fs.String("pred", "", "clusters.csv of dancu link")
		ex := fs.Int("examples", 10, "pairs of each class to list by record id")
		_ = fs.Parse(os.Args[2:])
		if err := eighthpop.Breakdown(os.Stdout, *dir, *pred, *ex); err != nil {
			fmt.Fprintln(os.Stderr, "eighthpop:", err)
			os.Exit(1)
		}
		return
	}
	persons := flag.Int("persons", 16000, "persons to generate (at most 50000)")
	seed := flag.Uint64("seed", 1, "seed")
	out := flag.String("out", "", "output directory")
	flag.Parse()
	if *out == "" || *persons > 50000 || *persons < 100 {
		fmt.Fprintln(os.Stderr, "eighthpop: --out is required and --persons between 100 and 50000")
		os.Exit(2)
	}
	st, err := eighthpop.Generate(*out, *persons, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "eighthpop:", err)
		os.Exit(1)
	}
	fmt.Printf("persons %d records %d namesake groups %d (mean expected namesakes a person %.3f)\n", st.Persons, st.Records, st.Groups, st.MeanLamda)
	for _, s := range eighthpop.Sources {
		fmt.Printf("  %-10s %6d  %s\n", s, st.BySource[s], eighthpop.Files[s])
	}
	var ks []string
	for k := range st.Kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Printf("  kind %-20s %6d\n", k, st.Kinds[k])
	}
	for _, k := range []string{"namesake", "twin", "mover"} {
		fmt.Printf("  hard %-20s %6d persons\n", k, st.Hard[k])
	}
}
