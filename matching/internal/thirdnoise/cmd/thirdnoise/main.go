package main

import (
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
	"github.com/dancu-vn/dancu/matching/internal/othernoise"
	"github.com/dancu-vn/dancu/matching/internal/thirdnoise"
)

func main() {
	if err := noisefile.Run("thirdnoise", os.Args[1:], os.Stdout, thirdnoise.Corrupt, othernoise.Breakdown); err != nil {
		fmt.Fprintln(os.Stderr, "thirdnoise:", err)
		os.Exit(1)
	}
}
