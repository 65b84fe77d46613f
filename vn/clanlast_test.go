package vn

import (
	"testing"
	"unicode"
)

// TestClanLast checks that Ê Đê and M'nông names, written with the prefix
// Y or H' first and the clan last, split with the clan as the family name,
// as the same name written clan first does, and that a name whose first
// word Y is a family name stays as it is.
func TestClanLast(t *testing.T) {
	for _, c := range []struct{ in, family, middle, given string }{
		{"H' Nhi Byă", "Byă", "H'", "Nhi"},
		{"Byă H' Nhi", "Byă", "H'", "Nhi"},
		{"H'Hen Niê", "Niê", "H'", "Hen"},
		{"Y Bôn Niê", "Niê", "Y", "Bôn"},
		{"Y BÔN NIÊ", "Niê", "Y", "Bôn"},
		{"Y Thu Hằng", "Y", "Thu", "Hằng"},
		{"Ksor H'Bia", "Ksor", "", "H'bia"},
		{"Nguyễn Thị Hồng", "Nguyễn", "Thị", "Hồng"},
	} {
		n := ParseName(c.in)
		if n.Family != c.family || n.Middle != c.middle || n.Given != c.given {
			t.Errorf("ParseName(%q) = %q / %q / %q, want %q / %q / %q", c.in, n.Family, n.Middle, n.Given, c.family, c.middle, c.given)
		}
	}
	// Two sisters of one clan no longer share their "given" name.
	if a, b := ParseName("H' Nhi Byă"), ParseName("H' Krông Byă"); a.Given == b.Given {
		t.Errorf("sisters H' Nhi Byă and H' Krông Byă share the given name %q", a.Given)
	}
}

// TestMayClanLastAsWords: clanLast's test of a name's first two bytes
// (mayClanLast) says false only of names that clanLastWords, splitting
// and lowering the words, leaves as they are — for every pair of first
// runes of a set with the letters, spaces, apostrophes and case
// exceptions that could matter, before words with and without a clan —
// and it does say false of the common names it is there for.
func TestMayClanLastAsWords(t *testing.T) {
	runes := []rune{'y', 'Y', 'h', 'H', 'n', 'N', 'a', 'z', 'Z', '0', '.', '\'', '’', '‘', ' ', '\t', '\u00a0', '\u0085', '\u3000',
		'Ý', 'ý', 'Ỳ', 'Ỵ', 'Ĥ', 'İ', 'K', 'Ｈ', 'ｙ', 'đ', 'Đ', 'ồ', 'à', 'Ầ', '\uFFFD'}
	tails := []string{"", " Bôn Niê", " Nhi Byă", "Hen Niê", " Thu Hằng", "' Nhi", "’ Krông Byă", " Niê", "  Ksor"}
	checked := 0
	for _, a := range runes {
		for _, b := range runes {
			for _, tail := range tails {
				s := string(a) + string(b) + tail
				if mayClanLast(s) {
					continue
				}
				checked++
				if got, ok := clanLastWords(s); ok {
					t.Errorf("mayClanLast(%q) = false, but clanLastWords gives %q", s, got)
				}
			}
		}
	}
	for _, s := range []string{"\xff\xfe Niê", "Y", "H", "h'", "Y\xc2"} { // invalid UTF-8, one word
		if !mayClanLast(s) {
			if got, ok := clanLastWords(s); ok {
				t.Errorf("mayClanLast(%q) = false, but clanLastWords gives %q", s, got)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no name was passed over")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ { // the lowering mayClanLast counts on
		switch l := unicode.ToLower(r); {
		case (l == 'y' || l == 'h') && r != l && r != l-'a'+'A', (l == '\'' || l == '’') && r != l:
			t.Errorf("unicode.ToLower(%U) = %q", r, l)
		}
	}
	for _, s := range []string{"Nguyễn Văn An", "Hoàng Thị Lan", "Hà Văn Bình", "Hồ Thị Mai", "Yên Thị Nga", "Lê Y Bôn"} {
		if mayClanLast(s) {
			t.Errorf("mayClanLast(%q) = true: the name is split and lowered to learn it is no Ê Đê name", s)
		}
	}
	for _, s := range []string{"Y Bôn Niê", "H' Nhi Byă", "H’ Nhi Byă", "H'Hen Niê", "y bôn niê"} {
		if !mayClanLast(s) {
			t.Errorf("mayClanLast(%q) = false", s)
		}
	}
}
