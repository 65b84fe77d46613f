package vn

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/sweep"
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
		{"Ksor H'Bia", "Ksor", "H'", "Bia"},
		{"Nguyễn Thị Hồng", "Nguyễn", "Thị", "Hồng"},
		{"Hồ Y Bôn", "Hồ", "Y", "Bôn"},
		{"Nguyễn H. An", "Nguyễn", "H", "An"},
		{"Hđơk H'Nhi", "Hđơk", "H'", "Nhi"},
		{"Hoàng Văn Hải", "Hoàng", "Văn", "Hải"},
		{"HVỲNH VĂN MẠNH", "Hvỳnh", "Văn", "Mạnh"}, // Huỳnh misread: no prefix
		{"HV̀I ANH NGỌC", "Hvi", "Anh", "Ngọc"},
		{"HVỲMH VĂN HUY", "Hvỳmh", "Văn", "Huy"},
		{"HNhi", "", "", "Hnhi"},
		{"H Thị Uyên", "H", "Thị", "Uyên"}, // Hà that lost its letters
		{"H Nhi", "H", "", "Nhi"},          // no clan: H joined to a word is read as a prefix only before a known clan
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

// TestHighlandWritings: one person's name as the registers of the Central
// Highlands write it — H' as an apostrophe, a curly one, a hyphen, a
// space or nothing, Y with a space or nothing, the clan of two words
// with or without its space, the clan first or last, the tone marks lost,
// capitals — parses to one family name, one given name and one key; two
// persons of one clan stay apart by their given names.
func TestHighlandWritings(t *testing.T) {
	for _, set := range [][]string{
		{"H'Blơi Rơ Mah", "H-Blơi Rơ Mah", "H Blơi Rơ Mah", "H’Blơi Rơ Mah", "HBlơi Rơ Mah", "H'Blơi Rơmah",
			"Rơ Mah H'Blơi", "Rơmah H Blơi", "H'BLƠI RƠ MAH", "H'Bloi Ro Mah", "h'blơi rơ mah"},
		{"Y Bhim Adrơng", "Ybhim Adrơng", "Y BHIM ADRƠNG", "YBHIM ADRONG", "Adrơng Y Bhim"},
		{"Y Moan Êban", "Y Moan Ê Ban", "Y Moan Eban", "Êban Y Moan", "Y-Moan Êban"},
		{"H'Hen Niê", "H Hen Niê", "H-Hen Niê", "H’Hen Nie", "HHen Niê", "Niê H'Hen"},
		{"Y Đoan Rơ Châm", "Y Đoan Rơchâm", "Rơ Châm Y Đoan"},
		{"H'Bia Ksor", "Ksor H'Bia", "H Bia Ksor", "Ksor H-Bia"},
		// The clan written onto the given name.
		{"H'Thơ Nay", "H'Thơnay", "H THƠNAY"},
		{"Y Blơi Rah Lan", "Y Blơirah Lan", "Y Blơi Rahlan", "Yblơirahlan"},
		// A one-word name with its prefix and no clan (Bahnar, Sedang).
		{"H'Nhi", "H’NHI", "H' Nhi"},
	} {
		want := ParseName(set[0])
		if want.Given == "" || Fold(want.Family) == Fold(want.Given) || want.Middle != "H'" && want.Middle != "Y" {
			t.Fatalf("ParseName(%q) = %+v", set[0], want)
		}
		for _, s := range set[1:] {
			n := ParseName(s)
			if Fold(n.Family) != Fold(want.Family) || Fold(n.Given) != Fold(want.Given) || n.Key != want.Key {
				t.Errorf("ParseName(%q) = %q / %q / %q (key %q), want %q / %q / %q (key %q) as %q",
					s, n.Family, n.Middle, n.Given, n.Key, want.Family, want.Middle, want.Given, want.Key, set[0])
			}
		}
	}
	for _, pair := range [][2]string{
		{"H'Blơi Rơ Mah", "H'Hen Rơ Mah"}, {"Y Bhim Adrơng", "Y Moan Adrơng"}, {"H'Hen Niê", "H Nhi Niê"},
	} {
		a, b := ParseName(pair[0]), ParseName(pair[1])
		if a.Family != b.Family || a.Given == b.Given || a.Key == b.Key {
			t.Errorf("%q and %q: %q / %q and %q / %q, want one clan and two given names", pair[0], pair[1], a.Family, a.Given, b.Family, b.Given)
		}
	}
}

// TestMayHighlandAsWords: mayHighland says false only of names that
// highlandWords leaves as they are, for names made of a set of first
// words with and without prefixes before words with and without a clan;
// and it does say false of common Kinh names.
func TestMayHighlandAsWords(t *testing.T) {
	firsts := []string{"Y", "H", "H'", "H’", "Hblơi", "Ybhim", "Yên", "Hà", "Hồ", "Nguyễn", "Ksor", "Rơ", "Hđơk", "Hmok", "Hwing", "Lê", "Ý", "Ỳ"}
	tails := []string{"", " Bôn Niê", " Nhi Byă", " H'Hen", " Y Bôn", " Thu Hằng", " Văn An", " H Blơi", " Mah H'Blơi", " Niê", " Ban"}
	checked := 0
	for _, f := range firsts {
		for _, tail := range tails {
			n := ParseName(f + tail)
			if mayHighland(n.Key) {
				continue
			}
			checked++
			if got, ok := highlandWords(n.Normalized); ok {
				t.Errorf("mayHighland(%q) = false, but highlandWords gives %q", n.Key, got)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no name was passed over")
	}
	for _, s := range []string{"Nguyễn Văn An", "Hoàng Thị Lan", "Hà Văn Bình", "Hồ Thị Mai", "Huỳnh Hoa", "Hứa Văn Tâm"} {
		if mayHighland(ParseName(s).Key) {
			t.Errorf("mayHighland(%q) = true: the name is split to learn it has no prefix", s)
		}
	}
}

// TestMayHighlandApostrophes: mayHighland looks for an apostrophe (' or
// ’) byte by byte where it called strings.ContainsAny(key, "'’"); the two
// agree on every key of up to four bytes drawn from the bytes of ’ and its
// neighbours, other runes' starts and letters (valid UTF-8 or not), on
// every rune to U+20000 inside a name, and on random keys.
func TestMayHighlandApostrophes(t *testing.T) {
	asBefore := func(key string) bool {
		if len(key) < 3 {
			return false
		}
		if strings.ContainsAny(key, "'’") || strings.Contains(key, " h ") || strings.Contains(key, " y ") {
			return true
		}
		switch key[0] {
		case 'y':
			return true
		case 'h':
		default:
			return false
		}
		switch key[1] {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			return false
		}
		return true
	}
	same := func(key string) {
		t.Helper()
		if got, want := mayHighland(key), asBefore(key); got != want {
			t.Fatalf("mayHighland(%q) = %v, with ContainsAny %v", key, got, want)
		}
	}
	bytes := []byte{'a', 'h', 'y', ' ', '\'', 0xE2, 0x80, 0x99, 0x98, 0x9A, 0xE1, 0xC3, 0xF0, 0xBB}
	sweep.Bytes(bytes, 4, func(b string) {
		same("ng" + b)
		same(b + " an")
	})
	for r := rune(0); r < 0x20000; r++ {
		same("nguyen " + string(r) + "an")
	}
	sweep.Random(rand.New(rand.NewPCG(27, 14)), []rune("abdeghiklmnoqrstuvxy '’‘`´ʼ\uFFFD"), 200000, 20, same)
}

// TestKhmerJoined: a Khmer family name written onto the given name after
// it is set apart; Kinh names and syllables starting with the same
// letters are left alone.
func TestKhmerJoined(t *testing.T) {
	for _, c := range []struct{ in, family, given string }{
		{"Thạchri", "Thạch", "Ri"}, {"Danhri", "Danh", "Ri"}, {"Sơnrây", "Sơn", "Rây"}, {"Kimkhol", "Kim", "Khol"},
		{"Chaumỹ Lan", "Chau", "Lan"}, {"KIMRI", "Kim", "Ri"},
		{"Trang Thị Lan", "Trang", "Lan"}, {"Thạch Ri", "Thạch", "Ri"}, {"Sơn Tùng", "Sơn", "Tùng"},
	} {
		if n := ParseName(c.in); n.Family != c.family || n.Given != c.given {
			t.Errorf("ParseName(%q) = %q / %q / %q, want family %q, given %q", c.in, n.Family, n.Middle, n.Given, c.family, c.given)
		}
	}
}
