package vn

import "testing"

// TestLettersNoSpaces checks what appendFold takes for granted when it
// looks a rune up in the letter table before the tests for spaces,
// dropped characters and combining marks: no rune of the table is one,
// so the order of the tests changes no fold.
func TestLettersNoSpaces(t *testing.T) {
	n := 0
	for r := rune(0x80); r < 0x1F00; r++ {
		if _, ok := lookup(r); !ok {
			continue
		}
		n++
		if k := spaceKind(r); k != 0 || isCombining(r) {
			t.Errorf("%U is in the letter table and spaceKind %d, combining %v", r, k, isCombining(r))
		}
	}
	if n < 200 {
		t.Fatalf("%d letters past ASCII in the table: want the Vietnamese ones", n)
	}
}
