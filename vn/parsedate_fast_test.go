package vn

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDaysInAsTime checks daysIn's table and leap years against
// time.Date's normalising, every month of years well around MinYear–MaxYear
// and the century years that are and are not leap years.
func TestDaysInAsTime(t *testing.T) {
	years := []int{1, 4, 100, 400, 1600, 1700, 1900, 2000, 2400, 9999}
	for y := MinYear - 50; y <= MaxYear+50; y++ {
		years = append(years, y)
	}
	for _, y := range years {
		for m := 1; m <= 12; m++ {
			if got, want := daysIn(y, m), time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Fatalf("daysIn(%d, %d) = %d, time.Date says %d", y, m, got, want)
			}
		}
	}
}

// TestDigitsValueAsAtoi checks digitsValue against strconv.Atoi on runs
// of digits of every length to 25, leading zeros included.
func TestDigitsValueAsAtoi(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 1))
	for n := 1; n <= 25; n++ {
		for range 2000 {
			var b strings.Builder
			for range n {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
			g := b.String()
			want, _ := strconv.Atoi(g)
			if got := digitsValue(g); got != want {
				t.Fatalf("digitsValue(%q) = %d, strconv.Atoi %d", g, got, want)
			}
		}
	}
	for _, g := range []string{"999999999999999999", "9223372036854775807", "9223372036854775808", "0000000000000000000001"} {
		want, _ := strconv.Atoi(g)
		if got := digitsValue(g); got != want {
			t.Errorf("digitsValue(%q) = %d, strconv.Atoi %d", g, got, want)
		}
	}
}

// TestFoldFoldedASCII checks that Fold returning an already folded ASCII
// text as it is gives what folding it gives, on random texts of printable
// ASCII, capitals, spaces, tabs, DEL and a Vietnamese letter, and that the
// shortcut is taken for the texts it is meant for.
func TestFoldFoldedASCII(t *testing.T) {
	pieces := []string{"a", "z", "0", "9", "/", "-", ".", "~", "!", " ", "  ", "A", "Z", "@", "[", "\t", "\x7f", "\x1f", "đ", "ờ"}
	rng := rand.New(rand.NewPCG(21, 2))
	for range 300000 {
		var b strings.Builder
		for range rng.IntN(9) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := Fold(s), string(appendFold(nil, s)); got != want {
			t.Fatalf("Fold(%q) = %q, folded %q", s, got, want)
		}
		if got, want := string(AppendFold([]byte("x "), s)), "x "+Fold(s); got != want {
			t.Fatalf("AppendFold(\"x \", %q) = %q, want %q", s, got, want)
		}
		if isFoldedASCII(s) && string(appendFold(nil, s)) != s {
			t.Fatalf("isFoldedASCII(%q) but its fold is %q", s, appendFold(nil, s))
		}
	}
	for _, s := range []string{"", "19/08/1989", "1990-03-15", "nguyen van an", "x. an nhon"} {
		if !isFoldedASCII(s) {
			t.Errorf("isFoldedASCII(%q) = false", s)
		}
	}
	for _, s := range []string{" a", "a ", "a  b", "Nam", "a\tb", "ngày"} {
		if isFoldedASCII(s) {
			t.Errorf("isFoldedASCII(%q) = true", s)
		}
	}
}
