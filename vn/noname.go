package vn

import (
	"strings"
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

// missingRunes is the length in runes of the longest of MissingValues.
var missingRunes = func() int {
	n := 0
	for _, m := range MissingValues {
		n = max(n, utf8.RuneCountInString(m))
	}
	return n
}()
