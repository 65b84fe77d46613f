package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"

	"github.com/dancu-vn/dancu/matching/internal/othernoise"
	"github.com/dancu-vn/dancu/matching/internal/thirdnoise"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "thirdnoise:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 4 && args[0] == "corrupt":
		seed, err := strconv.ParseInt(args[3], 10, 64)
		if err != nil {
			return fmt.Errorf("parse seed: %w", err)
		}
		st, err := thirdnoise.Corrupt(args[1], args[2], seed)
		if err != nil {
			return err
		}
		fmt.Printf("%d records\n", st.Records)
		var ks []string
		for k := range st.Kinds {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			fmt.Printf("  %-18s %6d\n", k, st.Kinds[k])
		}
		return nil
	case len(args) == 3 && args[0] == "breakdown":
		return othernoise.Breakdown(args[1], args[2], os.Stdout)
	}
	return fmt.Errorf("usage: thirdnoise corrupt CLEAN_DIR OUT_DIR SEED | thirdnoise breakdown DIR clusters.csv")
}
