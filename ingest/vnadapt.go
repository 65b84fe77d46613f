package ingest

// Thin adapters over matching/vn. Until that package lands these hold
// minimal stand-ins so ingest compiles; every normalisation rule lives in vn.

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold lower-cases s, strips diacritics (đ→d) and collapses spaces.
func fold(s string) string {
	s = norm.NFD.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		default:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nameParts splits a full name into family, middle and given names.
func nameParts(full string) (family, middle, given string) {
	f := strings.Fields(full)
	switch len(f) {
	case 0:
		return "", "", ""
	case 1:
		return "", "", f[0]
	case 2:
		return f[0], "", f[1]
	}
	return f[0], strings.Join(f[1:len(f)-1], " "), f[len(f)-1]
}

// date is a parsed date of birth.
type date struct {
	iso  string
	year uint16
}

// parseDate reads a date cell; numeric says the cell holds a number (an
// Excel serial date or a bare year).
func parseDate(s string, numeric bool) (date, bool) {
	s = strings.TrimSpace(s)
	if numeric {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return date{}, false
		}
		if f >= 1000 && f <= 2200 && f == float64(int(f)) {
			return date{iso: strconv.Itoa(int(f)), year: uint16(f)}, true
		}
		t := excelEpoch.AddDate(0, 0, int(f))
		return date{iso: t.Format("2006-01-02"), year: uint16(t.Year())}, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	nums := make([]int, 0, 3)
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return date{}, false
		}
		nums = append(nums, n)
	}
	var y, m, d int
	switch len(nums) {
	case 1:
		y = nums[0]
	case 2:
		m, y = nums[0], nums[1]
	case 3:
		if nums[0] > 31 {
			y, m, d = nums[0], nums[1], nums[2]
		} else {
			d, m, y = nums[0], nums[1], nums[2]
		}
	default:
		return date{}, false
	}
	if y < 1000 || y > 2200 || m < 0 || m > 12 || d < 0 || d > 31 {
		return date{}, false
	}
	if d > 0 && m > 0 && time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return date{}, false
	}
	iso := strconv.Itoa(y)
	if m > 0 {
		iso += "-" + pad2(m)
		if d > 0 {
			iso += "-" + pad2(d)
		}
	}
	return date{iso: iso, year: uint16(y)}, true
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// parseSex maps a sex cell to "M", "F" or "".
func parseSex(s string) string {
	switch fold(s) {
	case "nam", "m", "male", "trai":
		return "M"
	case "nu", "f", "female", "gai":
		return "F"
	}
	return ""
}

// idValid reports whether a 12-digit number is a well-formed identification
// number, and why not.
func idValid(n string) (bool, string) {
	if len(n) != 12 {
		return false, "want 12 digits"
	}
	return true, ""
}

// maskID masks all but the first 4 and last 2 digits.
func maskID(s string) string {
	if len(s) <= 6 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-6) + s[len(s)-2:]
}

// Legacy encodings of Vietnamese text.
const (
	EncUTF8    = "utf-8"
	EncTCVN3   = "tcvn3"
	EncVNI     = "vni"
	EncVIQR    = "viqr"
	EncCP1258  = "windows-1258"
	EncUnknown = ""
)

// decodeText converts s from enc to NFC Unicode.
func decodeText(s, enc string) string {
	return norm.NFC.String(s)
}

// detectEncoding guesses the legacy encoding of a column from samples and
// the cell font name ("" when unknown).
func detectEncoding(samples []string, font string) string {
	return EncUTF8
}
