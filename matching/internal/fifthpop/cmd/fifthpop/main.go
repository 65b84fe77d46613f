package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/dancu-vn/dancu/matching/internal/fifthpop"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "breakdown" {
		fs := flag.NewFlagSet("breakdown", flag.ExitOnError)
		dir := fs.String("dir", "", "directory fifthpop wrote")
		pred := fs.String("pred", "", "clusters.csv of dancu link")
		ex := fs.Int("examples", 40, "pairs to list by id")
		_ = fs.Parse(os.Args[2:])
		if err := fifthpop.Breakdown(os.Stdout, *dir, *pred, *ex); err != nil {
			fmt.Fprintln(os.Stderr, "fifthpop:", err)
			os.Exit(1)
		}
		return
	}
	persons := flag.Int("persons", 16000, "persons to generate (at most 50000)")
	seed := flag.Uint64("seed", 5101, "seed")
	out := flag.String("out", "", "output directory")
	flag.Parse()
	if *out == "" || *persons > 50000 {
		fmt.Fprintln(os.Stderr, "fifthpop: --out is required and --persons at most 50000")
		os.Exit(2)
	}
	st, err := fifthpop.Generate(*out, *persons, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fifthpop:", err)
		os.Exit(1)
	}
	fmt.Printf("persons %d records %d twins %d namesakes %d\n", st.Persons, st.Records, st.Twins, st.Namesakes)
	for _, s := range fifthpop.Sources {
		fmt.Printf("  %-7s %6d  %s\n", s, st.BySource[s], fifthpop.Files[s])
	}
	var ks []string
	for k := range st.Kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Printf("  kind %-18s %6d\n", k, st.Kinds[k])
	}
}
