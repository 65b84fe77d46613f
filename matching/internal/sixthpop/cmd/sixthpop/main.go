package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/dancu-vn/dancu/matching/internal/sixthpop"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "breakdown" {
		fs := flag.NewFlagSet("breakdown", flag.ExitOnError)
		dir := fs.String("dir", "", "directory sixthpop wrote")
		pred := fs.String("pred", "", "clusters.csv of dancu link")
		ex := fs.Int("examples", 30, "pairs of each to list by record id")
		_ = fs.Parse(os.Args[2:])
		if err := sixthpop.Breakdown(os.Stdout, *dir, *pred, *ex); err != nil {
			fmt.Fprintln(os.Stderr, "sixthpop:", err)
			os.Exit(1)
		}
		return
	}
	persons := flag.Int("persons", 16000, "persons to generate (at most 50000)")
	seed := flag.Uint64("seed", 6101, "seed")
	out := flag.String("out", "", "output directory")
	flag.Parse()
	if *out == "" || *persons > 50000 || *persons < 1 {
		fmt.Fprintln(os.Stderr, "sixthpop: --out is required and --persons between 1 and 50000")
		os.Exit(2)
	}
	st, err := sixthpop.Generate(*out, *persons, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sixthpop:", err)
		os.Exit(1)
	}
	fmt.Printf("persons %d records %d\n", st.Persons, st.Records)
	for _, s := range sixthpop.Sources {
		fmt.Printf("  %-9s %6d  %s\n", s, st.BySource[s], sixthpop.Files[s])
	}
	var ks []string
	for k := range st.Kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Printf("  kind %-18s %6d\n", k, st.Kinds[k])
	}
	for _, k := range []string{"twin", "namesake", "father_son"} {
		fmt.Printf("  hard %-18s %6d persons\n", k, st.Hard[k])
	}
}
