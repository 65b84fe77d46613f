package cputime_test

import (
	"fmt"
	"os"

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

func ExampleSystem() {
	before, sys := cputime.Process(), cputime.System()
	for range 1000 {
		os.Getpid() // a system call each
	}
	fmt.Println(cputime.System()-sys >= 0, cputime.System() <= cputime.Process(), cputime.Process() >= before)
	// Output: true true true
}
