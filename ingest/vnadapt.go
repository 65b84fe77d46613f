package ingest

// Thin adapters over vn, which owns every Vietnamese
// normalisation rule: ingest only decides which rule applies to which cell.

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/vn"
	"golang.org/x/text/encoding/charmap"
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
	return dateOf(vn.ParseDateCell(s, numeric))
}

// dateOf is the date of birth of a date vn read.
func dateOf(d vn.Date, err error) (date, bool) {
	if err != nil || d.Year <= 0 || d.Year > 65535 {
		return date{}, false
	}
	return date{iso: d.ISO(), year: uint16(d.Year), swapped: d.Swapped}, true
}

// serial1904 turns a serial date of a workbook in the 1904 date system
// into the 1900 system's serial of the same day, which vn.ParseDateCell
// reads; a whole number that vn reads as a year (vn.MinYear–vn.MaxYear)
// is kept, as is anything that is not a number.
func serial1904(s string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f == math.Trunc(f) && f >= vn.MinYear && f <= vn.MaxYear {
		return s
	}
	return strconv.FormatFloat(f+1462, 'f', -1, 64)
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

// cellText is the text of a cell read in enc: decoded, composed (NFC)
// and cleaned (vn.Clean), the one step every import path takes its cells'
// text through (sheets' cells and headers, scanned forms, previews). A
// Unicode cell that is clean NFC already, as most are, comes back as it is
// without either (isCleanNFC).
func cellText(s string, enc vn.Encoding) string {
	if enc == vn.Unicode && isCleanNFC(s) {
		return s
	}
	return cleanText(decodeText(s, enc))
}

// decodeText converts s read in enc to NFC Unicode. A cell of a TCVN3 or
// VNI column that holds a letter no legacy font produces (unicodeCell) was
// typed or pasted in Unicode, and is read so.
func decodeText(s string, enc vn.Encoding) string {
	switch enc {
	case vn.TCVN3, vn.TCVN3Upper, vn.VNI:
		if unicodeCell(s) {
			enc = vn.Unicode
		}
	}
	if enc == vn.Unicode {
		if isASCII(s) {
			return s // ASCII is NFC already
		}
		if c, ok := composeVietnamese(s); ok {
			return c
		}
	}
	return norm.NFC.String(vn.Decode(enc, s))
}

// tcvn3Capitals restores the capitals of a person's name typed in the
// normal TCVN3 font (.VnTime), which has codes for the capitals Ă Â Ê Ô Ơ
// Ư Đ but none for a toned one: Ổ, Á, Ý are typed with the lower-case
// letter's code, so "¤ng V¨n æn" reads "Ông Văn ổn". A name has a capital
// on every word: when each other word of s begins with one, a word
// beginning with a toned vowel is given its capital too. A name written
// all in lower case, or with another word in lower case, is left as it is.
func tcvn3Capitals(s string) string {
	words := strings.Split(s, " ")
	if len(words) < 2 {
		return s
	}
	fix, capital := false, false
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case tonedLower(r):
			fix = true
		case unicode.IsLower(r):
			return s
		case unicode.IsUpper(r):
			capital = true
		}
	}
	if !fix || !capital {
		return s
	}
	for i, w := range words {
		if r, n := utf8.DecodeRuneInString(w); tonedLower(r) {
			words[i] = string(unicode.ToUpper(r)) + w[n:]
		}
	}
	return strings.Join(words, " ")
}

// tonedLower reports whether r is a lower-case vowel with a tone (à, ổ,
// ý …), the letters whose capitals TCVN3 has no code for.
func tonedLower(r rune) bool {
	return r >= 0x80 && unicode.IsLower(r) && !strings.ContainsRune("ăâêôơưđ", r)
}

// vnMarks are the combining marks of Vietnamese written decomposed:
// the five tones (grave, acute, tilde, hook, dot below) and the
// circumflex, breve and horn.
var vnMarks = [...]rune{0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31B}

func isVNMark(r rune) bool {
	for _, m := range vnMarks {
		if r == m {
			return true
		}
	}
	return false
}

// vnCompose maps a vowel (plain, or with its circumflex, breve or horn)
// followed by one or two marks of vnMarks, in the order written, to the
// letter NFC makes of them, for the sequences NFC makes one letter of.
// It is made by norm.NFC itself, once, on the first text that needs it.
var vnCompose = sync.OnceValue(func() map[[3]rune]rune {
	m := map[[3]rune]rune{}
	for _, base := range "aeiouyAEIOUYăâêôơưĂÂÊÔƠƯ" {
		add := func(k [3]rune, seq string) {
			c := norm.NFC.String(seq)
			if r, n := utf8.DecodeRuneInString(c); n == len(c) && r != utf8.RuneError {
				m[k] = r
			}
		}
		for _, m1 := range vnMarks {
			add([3]rune{base, m1}, string([]rune{base, m1}))
			for _, m2 := range vnMarks {
				add([3]rune{base, m1, m2}, string([]rune{base, m1, m2}))
			}
		}
	}
	return m
})

// composeVietnamese is norm.NFC.String(s) for Vietnamese written
// decomposed (a vowel, then one or two of vnMarks: "Nguye\u0302\u0303n"),
// composed through vnCompose instead of the general algorithm, which
// took ~2 µs a name; ok is false, and s is left to norm.NFC, for any
// other text: a rune outside ASCII and the Latin letters U+00C0–U+024F
// and U+1E00–U+1EFF (each NFC as it stands, none composing with the
// letter before it), another mark, three marks, or marks NFC does not
// make one letter of with their vowel. Each letter and its marks is
// then composed alone, as NFC composes such text.
func composeVietnamese(s string) (string, bool) {
	var buf [128]byte
	out := buf[:0]
	last, lastAt := rune(-1), 0 // the letter written last, and where
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			last, lastAt = rune(c), len(out)
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0xC0 && r <= 0x24F || r >= 0x1E00 && r <= 0x1EFF:
			last, lastAt = r, len(out)
			out = append(out, s[i:i+n]...)
			i += n
		case isVNMark(r) && last >= 0:
			k := [3]rune{last, r}
			i += n
			if r2, n2 := utf8.DecodeRuneInString(s[i:]); i < len(s) && isVNMark(r2) {
				k[2] = r2
				i += n2
			}
			if i < len(s) {
				if r3, _ := utf8.DecodeRuneInString(s[i:]); r3 >= 0x300 && r3 < 0x370 || isVNMark(r3) {
					return "", false // a third mark, or one of another block of marks
				}
			}
			cr, ok := vnCompose()[k]
			if !ok {
				return "", false
			}
			out = utf8.AppendRune(out[:lastAt], cr)
			last = -1 // its marks are all read
		default:
			return "", false
		}
	}
	return string(out), true
}

// detectEncoding chooses the encoding of a column from samples and the
// cell font name ("" when unknown). legacyBytes says the file's bytes were
// not UTF-8 and were read as Windows-1252: then a column that no legacy
// font reading explains is Windows-1258, the Vietnamese ANSI code page.
//
// A column typed in a legacy font where some rows were pasted from a
// Unicode source holds both: vn.DetectEncoding calls it Unicode as soon as
// one cell holds ơ, ư, ạ … So the cells no legacy font produces
// (unicodeCell) are set aside and the others judged alone: when they read
// as TCVN3 or VNI both by the font and by their text (as if no font were
// named, so a Unicode column under a leftover legacy font name stays
// Unicode), the column is that encoding and decodeText keeps the Unicode
// cells as they are.
func detectEncoding(samples []string, font string, legacyBytes bool) vn.Encoding {
	e := vn.DetectEncoding(samples, font)
	if e == vn.Unicode {
		var legacy []string
		for _, s := range samples {
			if !unicodeCell(s) {
				legacy = append(legacy, s)
			}
		}
		if len(legacy) > 0 && len(legacy) < len(samples) {
			switch le := vn.DetectEncoding(legacy, font); le {
			case vn.TCVN3, vn.TCVN3Upper, vn.VNI:
				if vn.DetectEncoding(legacy, "") != vn.Unicode {
					return le
				}
			}
		}
	}
	if e == vn.Unicode && legacyBytes {
		return vn.Windows1258
	}
	return e
}

// unicodeCell reports whether s holds a character that text typed in a
// legacy font and read as Windows-1252 cannot hold (ơ, ư, đ, ạ …, a
// combining mark): the rule vn.DetectEncoding applies to a column, for one
// cell.
func unicodeCell(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0xC4 {
			continue // ASCII, or a lead byte of U+0000–U+00FF (C2, C3) or a continuation byte
		}
		for _, r := range s[i:] {
			if r >= 0x100 {
				if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
					return true
				}
			}
		}
		return false
	}
	return false
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
	for i := 0; i < len(s); {
		c := s[i]
		if c-0x21 < 0x7F-0x21 { // printable ASCII but the space: one test for most bytes
			i++
			continue
		}
		if c == ' ' {
			// not the first byte; the byte before ends an ASCII character
			// or a letter, and is a space only if it is one
			if s[i-1] == ' ' {
				return false
			}
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
			return false // controls, DEL, includes invalid UTF-8
		}
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
