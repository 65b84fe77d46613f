package compare_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/matching/compare"
)

// A misspelt given name against the right one: Jaro–Winkler on runes, so
// Vietnamese letters count as one character each.
func ExampleJaroWinkler() {
	fmt.Printf("%.4f\n", compare.JaroWinkler([]rune("Phượng"), []rune("Phương")))
	fmt.Printf("%.4f\n", compare.JaroWinkler([]rune("MARTHA"), []rune("MARHTA")))
	// Output:
	// 0.9222
	// 0.9611
}

// The bounded edit distance: max+1 once the strings are further apart than
// max, so a comparison level stops early.
func ExampleOSA() {
	fmt.Println(compare.OSA("nguyen", "nguyne", 2)) // one transposition
	fmt.Println(compare.OSA("nguyen", "tran", 2))
	// Output:
	// 1
	// 3
}

// A given name written first, as forms laid out for Western names have it.
func ExampleFirstWordMoved() {
	fmt.Println(compare.FirstWordMoved("an nguyen van", "nguyen van an"))
	fmt.Println(compare.FirstWordMoved("nguyen van an", "nguyen an van"))
	// Output:
	// true
	// false
}

// A scanner's look-alike letters folded, so that a misread name shares a
// blocking key with the right one.
func ExampleLookAlikeKey() {
	fmt.Println(compare.LookAlikeKey("NGVYỄN") == compare.LookAlikeKey("Nguyễn"))
	// Output:
	// true
}
