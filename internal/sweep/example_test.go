package sweep_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/dancu-vn/dancu/internal/sweep"
)

// hasComma stands for strings.ContainsAny(s, ",;") in a hot loop.
func hasComma(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' || s[i] == ';' {
			return true
		}
	}
	return false
}

func Example() {
	var checked, differ int
	same := func(s string) {
		checked++
		if hasComma(s) != strings.ContainsAny(s, ",;") {
			differ++
		}
	}
	sweep.Bytes([]byte{'a', ',', ';', 0xE2}, 3, same) // 1 + 4 + 16 + 64 strings
	sweep.Random(rand.New(rand.NewPCG(1, 2)), []rune("aă,;’"), 100, 10, same)
	fmt.Println(checked, differ)
	// Output:
	// 185 0
}
