package vn

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownSex is returned (wrapped) for values that do not say a sex:
// blank, "x", "?", "khác", "không rõ".
var ErrUnknownSex = errors.New("unknown sex")

// ParseSex reads the sex as people write it and returns "M" or "F".
// Accepted: Nam, Nữ (any case, with or without diacritics), nam giới /
// nữ giới, trai / gái, M / F, Male / Female, and the codes 1 = male,
// 0 or 2 = female (1/2 is the census coding; 1/0 the common boolean one,
// both agree that 1 is male). Anything else is an error wrapping
// ErrUnknownSex.
func ParseSex(s string) (string, error) {
	// what nearly every register writes (NFC), read without folding it
	// into a new string: a list's every row asks
	switch s {
	case "Nam", "nam", "NAM":
		return "M", nil
	case "Nữ", "nữ", "NỮ":
		return "F", nil
	}
	return parseSexFolded(s)
}

// parseSexFolded is ParseSex of any spelling, folded.
func parseSexFolded(s string) (string, error) {
	switch k := strings.Trim(Fold(s), ".,;:()[]\"' "); k {
	case "nam", "nam gioi", "trai", "con trai", "m", "male", "man", "1":
		return "M", nil
	case "nu", "nu gioi", "gai", "con gai", "f", "female", "woman", "0", "2":
		return "F", nil
	case "":
		return "", fmt.Errorf("parse sex: blank: %w", ErrUnknownSex)
	default:
		return "", fmt.Errorf("parse sex %q: %w", s, ErrUnknownSex)
	}
}
