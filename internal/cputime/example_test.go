package cputime_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/internal/cputime"
)

func ExampleProcess() {
	before := cputime.Process()
	n := 0
	for i := range 10_000_000 {
		n += i & 3
	}
	used := cputime.Process() - before
	fmt.Println(n > 0, used >= 0)
	// Output: true true
}
