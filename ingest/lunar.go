package ingest

import (
	"strings"

	"github.com/dancu-vn/dancu/vn"
)

// lunarStems and lunarBranches are the words of a year's name in the
// sexagenary cycle (can chi), folded (no diacritics, lower case), in the
// cycle's order: the year Y is stem (Y-4) mod 10 and branch (Y-4) mod 12
// (1984 Giáp Tý, 1960 Canh Tý, 1952 Nhâm Thìn). Folded, Tý (the rat)
// and Tỵ (the snake) are both "ty": their tone marks tell them apart
// (lunarBranch), and without marks a stem does, having the parity of its
// branch.
var (
	lunarStems    = []string{"giap", "at", "binh", "dinh", "mau", "ky", "canh", "tan", "nham", "quy"}
	lunarBranches = [][]string{{"ty", "ti"}, {"suu"}, {"dan"}, {"mao", "meo"}, {"thin"}, {"ty", "ti"},
		{"ngo"}, {"mui"}, {"than"}, {"dau"}, {"tuat"}, {"hoi"}}
)

// lunarYearName reads a year's name in the sexagenary cycle ("Canh Tý",
// "năm Nhâm Thìn", "CANH TI") and returns its place in the 60-year cycle
// ((Y-4) mod 60 of its years Y), or false when v is no such name.
func lunarYearName(v string) (int, bool) {
	canon := strings.Fields(vn.Canon(v))
	words := make([]string, len(canon))
	for i, w := range canon {
		words[i] = fold(w)
	}
	if len(words) == 3 && words[0] == "nam" {
		words, canon = words[1:], canon[1:]
	}
	if len(words) != 2 {
		return 0, false
	}
	stem := -1
	for i, s := range lunarStems {
		if words[0] == s {
			stem = i
		}
	}
	if stem < 0 {
		return 0, false
	}
	for b, names := range lunarBranches {
		if b%2 != stem%2 {
			continue
		}
		for _, n := range names {
			if words[1] == n && lunarBranch(canon[1], b) {
				// The year of the cycle with this stem and branch.
				for k := stem; k < 60; k += 10 {
					if k%12 == b {
						return k, true
					}
				}
			}
		}
	}
	return 0, false
}

// lunarBranch reports whether the branch word w (vn.Canon's) can be the
// branch b: "tý" and "tí" the rat (0) only, "tỵ" and "tị" the snake (5)
// only, any other word (without marks: "ty") either.
func lunarBranch(w string, b int) bool {
	switch w {
	case "tý", "tí":
		return b == 0
	case "tỵ", "tị":
		return b == 5
	}
	return true
}

// lunarYearOf reports whether the year y has the name at place k of the
// sexagenary cycle (lunarYearName). A lunar year starts at Tết, late
// January to mid February: a person born before Tết has the name of the
// year before, so a name one year off is no agreement and is not read.
func lunarYearOf(k, y int) bool {
	return ((y-4)%60+60)%60 == k
}
