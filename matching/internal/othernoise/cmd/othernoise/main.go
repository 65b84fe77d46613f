package main

import (
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
	"github.com/dancu-vn/dancu/matching/internal/othernoise"
)

func main() {
	if err := noisefile.Run("othernoise", os.Args[1:], os.Stdout, othernoise.Corrupt, othernoise.Breakdown); err != nil {
		fmt.Fprintln(os.Stderr, "othernoise:", err)
		os.Exit(1)
	}
}
