package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/dancu-vn/dancu/matching/internal/fourthpop"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "breakdown" {
		fs := flag.NewFlagSet("breakdown", flag.ExitOnError)
		dir := fs.String("dir", "", "directory fourthpop wrote")
		pred := fs.String("pred", "", "clusters.csv of dancu link")
		_ = fs.Parse(os.Args[2:])
		if err := fourthpop.Breakdown(os.Stdout, *dir, *pred); err != nil {
			fmt.Fprintln(os.Stderr, "fourthpop:", err)
			os.Exit(1)
		}
		return
	}
	persons := flag.Int("persons", 16000, "persons to generate (deliberate namesakes come on top)")
	seed := flag.Uint64("seed", 1901, "seed")
	out := flag.String("out", "", "output directory")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "fourthpop: --out is required")
		os.Exit(2)
	}
	st, err := fourthpop.Generate(*out, *persons, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fourthpop:", err)
		os.Exit(1)
	}
	fmt.Printf("persons %d records %d\n", st.Persons, st.Records)
	for _, s := range []string{fourthpop.SrcCommune, fourthpop.SrcPolice, fourthpop.SrcScan, fourthpop.SrcHealth} {
		fmt.Printf("  %-8s %6d  %s\n", s, st.BySource[s], fourthpop.Files[s])
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
