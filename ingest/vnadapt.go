package ingest

// Thin adapters over vn, which owns every Vietnamese
// normalisation rule: ingest only decides which rule applies to which cell.

import (
	"strings"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/vn"
	"golang.org/x/text/unicode/norm"
)

// fold is vn.Fold with punctuation read as a space, for comparing headers:
// "Số CMND/CCCD" → "so cmnd cccd".
func fold(s string) string {
	f := vn.Fold(s)
	clean := true
	for i := 0; i < len(f); i++ {
		c := f[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ' || c >= 0x80) {
			clean = false
			break
		}
	}
	if clean {
		return f
	}
	return strings.Join(strings.FieldsFunc(f, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x80 && r != '\u00a0')
	}), " ")
}

// nameParts splits a full name into family, middle and given names.
func nameParts(full string) (family, middle, given string) {
	n := vn.ParseName(full)
	return n.Family, n.Middle, n.Given
}

// date is a parsed date of birth.
type date struct {
	iso     string
	year    uint16
	swapped bool // valid only with day and month exchanged
}

// parseDate reads a date cell; numeric says the cell holds a number (an
// Excel serial date or a bare year).
func parseDate(s string, numeric bool) (date, bool) {
	d, err := vn.ParseDateCell(s, numeric)
	if err != nil || d.Year <= 0 || d.Year > 65535 {
		return date{}, false
	}
	return date{iso: d.ISO(), year: uint16(d.Year), swapped: d.Swapped}, true
}

// parseSex maps a sex cell to "M", "F" or "".
func parseSex(s string) string {
	sex, err := vn.ParseSex(s)
	if err != nil {
		return ""
	}
	return sex
}

// maskID masks all but the first 4 and last 2 digits.
func maskID(s string) string { return vn.MaskID(s) }

// encodingNames are the names a mapping file may give an encoding.
var encodingNames = map[string]vn.Encoding{
	"utf-8": vn.Unicode, "utf8": vn.Unicode, "unicode": vn.Unicode,
	"tcvn3": vn.TCVN3, "abc": vn.TCVN3, "tcvn": vn.TCVN3, "tcvn3-upper": vn.TCVN3Upper,
	"vni":          vn.VNI,
	"viqr":         vn.VIQR,
	"windows-1258": vn.Windows1258, "cp1258": vn.Windows1258,
}

// legacyHeaderEncodings are tried, in order, on a header cell that names
// nothing as read.
var legacyHeaderEncodings = []vn.Encoding{vn.TCVN3, vn.VNI, vn.Windows1258, vn.VIQR, vn.TCVN3Upper}

// decodeText converts s read in enc to NFC Unicode.
func decodeText(s string, enc vn.Encoding) string {
	if enc == vn.Unicode && isASCII(s) {
		return s // ASCII is NFC already
	}
	return norm.NFC.String(vn.Decode(enc, s))
}

// detectEncoding chooses the encoding of a column from samples and the
// cell font name ("" when unknown). legacyBytes says the file's bytes were
// not UTF-8 and were read as Windows-1252: then a column that no legacy
// font reading explains is Windows-1258, the Vietnamese ANSI code page.
func detectEncoding(samples []string, font string, legacyBytes bool) vn.Encoding {
	e := vn.DetectEncoding(samples, font)
	if e == vn.Unicode && legacyBytes {
		return vn.Windows1258
	}
	return e
}

// isCleanNFC reports whether cleanText(decodeText(s, vn.Unicode)) is s
// itself, by a scan that is cheap for the cells of Vietnamese lists:
// printable ASCII with single inner spaces and no outer ones, and the
// precomposed letters Vietnamese is written with — U+00C0–U+024F (Latin-1
// letters, Latin Extended-A and -B: ơ, ư, đ …) and U+1E00–U+1EFF (Latin
// Extended Additional: ạ, ế, ữ …). Every such letter is NFC as it stands
// (a starter whose NFC quick check is Yes, which TestCleanNFCRanges
// checks) and is no space, zero-width or control character for vn.Clean.
// Anything else (combining marks, other spaces, invalid UTF-8) answers
// false, and the cell takes the full path.
func isCleanNFC(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7F || c == ' ' && prev == ' ' {
				return false
			}
			prev = c
			i++
			continue
		}
		// The two ranges in UTF-8, read byte by byte rather than decoded
		// rune by rune (every cell of a list comes here): U+00C0–U+024F is
		// C3 80 … C9 8F, U+1E00–U+1EFF is E1 B8 80 … E1 BB BF.
		switch {
		case c >= 0xC3 && c <= 0xC9 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 && (c < 0xC9 || s[i+1] <= 0x8F):
			i += 2
		case c == 0xE1 && i+2 < len(s) && s[i+1] >= 0xB8 && s[i+1] <= 0xBB && s[i+2]&0xC0 == 0x80:
			i += 3
		default:
			return false // includes invalid UTF-8
		}
		prev = 0
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
