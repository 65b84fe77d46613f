package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MissingValues are the words and signs that lists write in a cell for
// "none": the matcher's default missing values (matching/settings'
// DefaultMissing, kept equal by a test there).
var MissingValues = []string{"NA", "N/A", "n.a.", "null", "none", "-", "--", "?", ".", "không rõ", "không có", "chưa rõ", "không"}

// NoName reports a name cell that, whole and as typed, says there is no
// name: NA or KR (the clerks' short for không rõ) in ASCII capitals, or,
// case ignored, one of the other MissingValues (N/A, -, ?, không rõ, …).
// Na typed so is a given name (Nà and Ná without their marks); a list in
// capitals writes it NA only inside a full name. The matcher reads such a
// cell as no name (a blank), and ingest rejects a row whose full name is
// one: the matcher's name columns hold a name's parsed parts or its folded
// key, where the token NA and the name Na are both "na", and "Không rõ" is
// the family name Không and the given name Rõ, or "khong ro".
func NoName(cell string) bool {
	cell = strings.TrimSpace(cell)
	if cell == "NA" || cell == "KR" {
		return true
	}
	// A token equal-folds to a cell only when their first runes fold
	// alike: a cell whose first byte starts no rune that folds to a
	// token's first (most names: Nguyễn, Trần, Lê, Đặng …) is none of them,
	// answered before its runes are counted (read25).
	if cell == "" || !missingStart[cell[0]] {
		return false
	}
	// strings.EqualFold folds rune by rune, so a token matches only a cell
	// of as many runes: a name longer than the longest token (most of
	// them) is answered without the loop, which ran on every name cell of
	// the read (read23: 0.5 s of CPU at 1M).
	if len(cell) > utf8.UTFMax*missingRunes || utf8.RuneCountInString(cell) > missingRunes {
		return false
	}
	for _, m := range MissingValues {
		if !strings.EqualFold(m, "na") && strings.EqualFold(cell, m) {
			return true
		}
	}
	return false
}

// missingStart holds the first bytes of the runes that fold (as
// strings.EqualFold folds them: unicode.SimpleFold's orbit) to the first
// rune of one of MissingValues — n, N, k, K, the Kelvin sign, c, C, -, ?,
// . —: the first byte of any cell NoName's loop can find equal to one.
var missingStart = func() (start [256]bool) {
	for _, m := range MissingValues {
		r, _ := utf8.DecodeRuneInString(m)
		for f := r; ; {
			start[utf8.AppendRune(nil, f)[0]] = true
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
	}
	return start
}()

// missingRunes is the length in runes of the longest of MissingValues.
var missingRunes = func() int {
	n := 0
	for _, m := range MissingValues {
		n = max(n, utf8.RuneCountInString(m))
	}
	return n
}()
