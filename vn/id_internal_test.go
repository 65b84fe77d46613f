package vn

import (
	"fmt"
	"testing"
)

// TestCode3 checks the array ParseID reads against the maps it stands
// for, on every 3-digit code, and that both kinds occur.
func TestCode3(t *testing.T) {
	tab, err := loadIDTables()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[uint8]int{}
	for k := range 1000 {
		code := fmt.Sprintf("%03d", k)
		var want uint8
		if _, ok := tab.province[code]; ok {
			want = 1
		} else if _, ok := tab.country[code]; ok {
			want = 2
		}
		if tab.code3[k] != want {
			t.Errorf("code %s: code3 %d, maps say %d", code, tab.code3[k], want)
		}
		kinds[want]++
	}
	if kinds[1] == 0 || kinds[2] == 0 || kinds[0] == 0 {
		t.Errorf("codes by kind %v: want provinces, countries and neither", kinds)
	}
	for _, c := range []string{"", "01", "0001", "0a1", "１２３"} {
		if _, ok := code3Index(c); ok {
			t.Errorf("code3Index(%q) ok", c)
		}
	}
}

// TestCleanIDDigits checks cleanID's shortcut for a number of digits
// only against the rune-by-rune cleaning, on every length up to past the
// 32 digits kept, and on digits with a separator, a letter read as a
// digit or a stray character among them.
func TestCleanIDDigits(t *testing.T) {
	check := func(s string) {
		t.Helper()
		n, ok := cleanID(s)
		wn, wok := cleanIDRunes(s)
		if n != wn || ok != wok {
			t.Fatalf("cleanID(%q) = %q, %v; rune by rune %q, %v", s, n, ok, wn, wok)
		}
	}
	digits := "0123456789012345678901234567890123456789"
	for l := 0; l <= len(digits); l++ {
		s := digits[:l]
		check(s)
		for i := 0; i < l; i++ {
			for _, c := range []string{" ", ".", "O", "l", "x", "０", "/", ":"} {
				check(s[:i] + c + s[i:])
			}
		}
	}
	if n, ok := cleanID("001090012345"); n != "001090012345" || !ok {
		t.Errorf("cleanID of a clean number = %q, %v", n, ok)
	}
}
