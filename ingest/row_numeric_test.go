package ingest

import (
	"strconv"
	"strings"
	"testing"
)

// TestIsNumeric checks the byte pre-check of isNumeric against the plain
// definition: ParseFloat reads it and it has no x or n.
func TestIsNumeric(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"1990", true}, {" 32947 ", true}, {"-1.5", true}, {"+2", true}, {"1e5", true}, {"1.001172029276E+11", true},
		{".5", true}, {"5.", true}, {"1_000", plainNumber("1_000")},
		{"", false}, {"20/05/1972", false}, {"0x1p-2", false}, {"Inf", false}, {"NaN", false},
		{"infinity", false}, {"1,5", false}, {"e", false}, {"-", false}, {"12a", false}, {"１２", false}, {"Nguyễn", false},
	} {
		if got := isNumeric(tc.in); got != tc.want || got != plainNumber(tc.in) {
			t.Errorf("isNumeric(%q) = %v, want %v (ParseFloat definition %v)", tc.in, got, tc.want, plainNumber(tc.in))
		}
	}
}

// TestIsNumericDigits checks isNumeric's shortcut for digits alone
// against the definition, from one digit to more than it takes.
func TestIsNumericDigits(t *testing.T) {
	for n := 1; n <= 400; n++ {
		for _, s := range []string{strings.Repeat("9", n), "0" + strings.Repeat("1", n-1), " " + strings.Repeat("7", n)} {
			if got, want := isNumeric(s), plainNumber(s); got != want {
				t.Fatalf("isNumeric(%q) = %v, ParseFloat definition %v", s, got, want)
			}
		}
	}
}

// TestIsBlankCell checks isBlankCell against strings.TrimSpace for every
// rune up to U+3100 alone, before and after a letter, and between spaces.
func TestIsBlankCell(t *testing.T) {
	for r := rune(0); r < 0x3100; r++ {
		for _, s := range []string{string(r), string(r) + "a", "a" + string(r), " " + string(r) + "\t", ""} {
			if got, want := isBlankCell(s), strings.TrimSpace(s) == ""; got != want {
				t.Fatalf("isBlankCell(%q) = %v, TrimSpace says %v", s, got, want)
			}
		}
	}
}

// plainNumber is isNumeric without the byte pre-check.
func plainNumber(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && !strings.ContainsAny(s, "xXnN")
}

// BenchmarkIsNumeric measures the numeric-cell test on the cells a list's
// rows bring (dates with dashes or slashes, ids, names, numbers).
//
//	go test ./ingest -run '^$' -bench IsNumeric -benchmem
func BenchmarkIsNumeric(b *testing.B) {
	in := []string{"19-08-1989", "1989-08-19", "068089290141", "Nguyễn Văn An", "12", "1.5e3", "19/08/1989"}
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		if isNumeric(in[i%len(in)]) {
			n++
		}
	}
	if n == 0 {
		b.Fatal("nothing numeric")
	}
}
