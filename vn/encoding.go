package vn

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// Encoding is the way Vietnamese text in a column or sheet was typed.
type Encoding int

// Encodings DetectEncoding can report. The legacy ones describe text that a
// reader shows as Windows-1252 characters (what Excel shows for a cell in a
// .VnTime or VNI-Times font), except Windows1258, see DecodeWindows1258Text.
const (
	Unicode     Encoding = iota // already Unicode (or plain ASCII): leave it alone
	TCVN3                       // TCVN3 / ABC, fonts .VnTime, .VnArial, …
	TCVN3Upper                  // TCVN3 in an upper-case "H" font (.VnTimeH)
	VNI                         // VNI-Windows, fonts VNI-Times, VNI-Helve, …
	VIQR                        // ASCII with marks after letters: Nguye^~n Va(n
	Windows1258                 // code page 1258 (combining tone marks), read as 1252
)

var encodingNames = [...]string{"unicode", "tcvn3", "tcvn3-upper", "vni", "viqr", "windows-1258"}

func (e Encoding) String() string {
	if e < 0 || int(e) >= len(encodingNames) {
		return "unknown"
	}
	return encodingNames[e]
}

// ParseEncoding returns the Encoding named by String, ok false otherwise.
func ParseEncoding(s string) (Encoding, bool) {
	for i, n := range encodingNames {
		if strings.EqualFold(s, n) {
			return Encoding(i), true
		}
	}
	return Unicode, false
}

type legacyTables struct {
	tcvn     [256][2]rune // by Windows-1252 rune (< 256): lower, upper font
	vni1     [256]rune
	vni2     map[[2]rune]rune
	tcvnFrom map[rune]rune // Unicode → legacy rune, for the encoders in tests
	vniFrom  map[rune]string
}

var (
	legacyOnce sync.Once
	legacy     *legacyTables
)

func loadLegacy() *legacyTables {
	legacyOnce.Do(func() {
		t := &legacyTables{vni2: map[[2]rune]rune{}, tcvnFrom: map[rune]rune{}, vniFrom: map[rune]string{}}
		tc := refdata.MustLoad("encodings/tcvn3_to_unicode.tsv")
		for _, r := range tc.Rows {
			from := []rune(tc.Get(r, "legacy_char"))
			lo := []rune(tc.Get(r, "unicode"))
			up := []rune(tc.Get(r, "unicode_upper"))
			if len(from) != 1 || from[0] >= 256 || len(lo) != 1 || len(up) != 1 {
				continue
			}
			t.tcvn[from[0]] = [2]rune{lo[0], up[0]}
			t.tcvnFrom[lo[0]] = from[0]
		}
		vn := refdata.MustLoad("encodings/vni_to_unicode.tsv")
		for _, r := range vn.Rows {
			from := []rune(vn.Get(r, "legacy_chars"))
			to := []rune(vn.Get(r, "unicode"))
			if len(to) != 1 {
				continue
			}
			switch {
			case len(from) == 1 && from[0] < 256:
				t.vni1[from[0]] = to[0]
			case len(from) == 2:
				t.vni2[[2]rune{from[0], from[1]}] = to[0]
			default:
				continue
			}
			if _, dup := t.vniFrom[to[0]]; !dup {
				t.vniFrom[to[0]] = string(from)
			}
		}
		legacy = t
	})
	return legacy
}

// DecodeTCVN3 decodes text typed in a TCVN3 (ABC) font and read as
// Windows-1252 ("NguyÔn V¨n An" → "Nguyễn Văn An"). upperFont says the
// font was an upper-case "H" font (.VnTimeH), where every letter is drawn
// upper case. Characters outside the table are kept.
func DecodeTCVN3(s string, upperFont bool) string {
	t := loadLegacy()
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for _, r := range s {
		if r < 256 && t.tcvn[r][0] != 0 {
			if upperFont {
				b.WriteRune(t.tcvn[r][1])
			} else {
				b.WriteRune(t.tcvn[r][0])
			}
			continue
		}
		if upperFont {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// DecodeVNI decodes text typed in a VNI font and read as Windows-1252
// ("Nguyeãn Vaên An" → "Nguyễn Văn An"), longest match first.
func DecodeVNI(s string) string {
	t := loadLegacy()
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) {
			if u, ok := t.vni2[[2]rune{rs[i], rs[i+1]}]; ok {
				b.WriteRune(u)
				i++
				continue
			}
		}
		if rs[i] < 256 && t.vni1[rs[i]] != 0 {
			b.WriteRune(t.vni1[rs[i]])
			continue
		}
		b.WriteRune(rs[i])
	}
	return norm.NFC.String(b.String())
}

// DecodeVIQR decodes VIQR (RFC 1456) text: a( â=a^ e^ o^ o+ u+ for the
// shapes, ' ` ? ~ . after the vowel for the tones, dd/DD for đ/Đ, and a
// backslash to keep the next character literal. A '.' or '?' after a word
// that already has its tone is punctuation.
func DecodeVIQR(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	wordTone := false
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' && i+1 < len(rs) {
			b.WriteRune(rs[i+1])
			i++
			continue
		}
		if unicode.IsSpace(r) {
			wordTone = false
			b.WriteRune(r)
			continue
		}
		if (r == 'd' || r == 'D') && i+1 < len(rs) && (rs[i+1] == 'd' || rs[i+1] == 'D') {
			if r == 'D' {
				b.WriteRune('Đ')
			} else {
				b.WriteRune('đ')
			}
			i++
			continue
		}
		l, ok := lookup(r)
		if !ok || r >= utf8.RuneSelf || !isVowelBase(l.base) {
			b.WriteRune(r)
			continue
		}
		shape, tone := byte(shapeNone), byte(toneNone)
		j := i + 1
		for ; j < len(rs) && j <= i+2; j++ {
			c := rs[j]
			sh, tn := byte(shapeNone), byte(toneNone)
			switch c {
			case '(':
				if l.base == 'a' {
					sh = shapeBreve
				}
			case '^':
				if l.base == 'a' || l.base == 'e' || l.base == 'o' {
					sh = shapeCirc
				}
			case '+', '*':
				if l.base == 'o' || l.base == 'u' {
					sh = shapeHorn
				}
			case '\'', '/':
				tn = toneAcute
			case '`':
				tn = toneGrave
			case '?':
				tn = toneHook
			case '~':
				tn = toneTilde
			case '.':
				tn = toneDot
			}
			if (c == '.' || c == '?') && wordTone {
				tn = toneNone
			}
			if sh != shapeNone && shape == shapeNone && tone == toneNone {
				shape = sh
				continue
			}
			if tn != toneNone && tone == toneNone {
				tone = tn
				continue
			}
			break
		}
		if tone != toneNone {
			wordTone = true
		}
		if c := compose(l.base, shape, tone, l.upper); c != 0 {
			b.WriteRune(c)
			i = j - 1
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// DecodeWindows1258 decodes bytes in code page 1258 (base letters followed
// by combining tone marks) to NFC Unicode.
func DecodeWindows1258(b []byte) string {
	out, err := charmap.Windows1258.NewDecoder().Bytes(b)
	if err != nil { // the decoder maps every byte; keep the input readable anyway
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return norm.NFC.String(string(out))
}

// DecodeWindows1258Text decodes text that was code page 1258 but was read
// as Windows-1252 (as spreadsheet readers do). Text that cannot be
// Windows-1252 is returned unchanged.
func DecodeWindows1258Text(s string) string {
	b, ok := to1252(s)
	if !ok {
		return s
	}
	return DecodeWindows1258(b)
}

// to1252 returns the Windows-1252 bytes of s, ok false when s has a
// character Windows-1252 cannot hold.
func to1252(s string) ([]byte, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			return nil, false
		}
		b = append(b, c)
	}
	return b, true
}

// DecodeBytes decodes raw bytes of a file in the given encoding (a CSV
// written by a legacy program): the TCVN3 and VNI bytes are read as
// Windows-1252 first. Unicode means UTF-8; invalid bytes become U+FFFD.
func DecodeBytes(e Encoding, b []byte) string {
	if e == Windows1258 {
		return DecodeWindows1258(b)
	}
	if e == Unicode || e == VIQR {
		return Decode(e, strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return Decode(e, string(s))
}

// Decode converts text read in encoding e to Unicode NFC. Unicode text is
// returned as it is.
func Decode(e Encoding, s string) string {
	switch e {
	case TCVN3:
		return DecodeTCVN3(s, false)
	case TCVN3Upper:
		return DecodeTCVN3(s, true)
	case VNI:
		return DecodeVNI(s)
	case VIQR:
		return DecodeVIQR(s)
	case Windows1258:
		return DecodeWindows1258Text(s)
	}
	return s
}

// FontEncoding returns the encoding a cell font implies (.VnTime → TCVN3,
// .VnTimeH → TCVN3Upper, VNI-Times → VNI), ok false for other fonts.
func FontEncoding(fontName string) (Encoding, bool) {
	f := strings.TrimSpace(fontName)
	lf := strings.ToLower(f)
	switch {
	case strings.HasPrefix(lf, "vni-") || strings.HasPrefix(lf, "vni ") || lf == "vni":
		return VNI, true
	case strings.HasPrefix(lf, ".vn") || (strings.HasPrefix(lf, "vn") && len(lf) > 2 && lf[2] != 'i'):
		if strings.HasSuffix(f, "H") {
			return TCVN3Upper, true
		}
		return TCVN3, true
	}
	return Unicode, false
}

// maxDetectSamples bounds the work DetectEncoding does on a column.
const maxDetectSamples = 500

// DetectEncoding decides how a column or sheet was typed. A legacy font
// name decides (see FontEncoding); otherwise each candidate decoding is
// tried on the samples and wins only when it turns words that are not
// Vietnamese syllables into words that are, with more valid and fewer
// invalid words than the text as it is. Text holding any character that the
// legacy reading cannot produce (ơ, ư, đ, ạ…, anything outside
// Windows-1252; anything non-ASCII for VIQR) is never decoded that way, so
// real Unicode Vietnamese stays Unicode even under a legacy font name.
func DetectEncoding(samples []string, fontName string) Encoding {
	if len(samples) > maxDetectSamples {
		samples = samples[:maxDetectSamples]
	}
	can1252, latin1 := true, true
	// strong: a character typing in a legacy font produces and Vietnamese
	// Unicode text does not hold, or a capital inside a lower-case word;
	// weak: a VNI letter pair Vietnamese spelling never writes (a few
	// minority names do: "La Êê"), or « » · (TCVN3 letters, but also quotes).
	strong, weak, viqrEvidence := false, false, false
	for _, s := range samples {
		prev := rune(0)
		for _, r := range s {
			if r >= utf8.RuneSelf {
				if r >= 0x100 {
					latin1 = false
				}
				if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
					can1252 = false
					if !latin1 {
						return Unicode // ơ, ư, ạ…: no legacy reading can produce this
					}
				} else if legacyOnly(r) || unicode.IsLower(prev) && unicode.IsUpper(r) {
					strong = true
				} else if vniPair(prev, r) || legacyPunct(r) {
					weak = true
				}
			} else if strings.ContainsRune("^(+~`", r) || (prev == 'd' || prev == 'D') && (r == 'd' || r == 'D') {
				viqrEvidence = true
			}
			prev = r
		}
	}
	if e, ok := FontEncoding(fontName); ok {
		if can1252 && strong {
			return e
		}
		if can1252 && weak {
			ov, oi := syllableScore(samples, Unicode)
			if v, i := syllableScore(samples, e); v > ov && i < oi {
				return e
			}
		}
		// Unicode text in a cell that kept a legacy font name: either it
		// holds letters the font cannot (ơ, ư, ạ…), or it has accents and
		// none of the characters typing in that font produces.
		if can1252 && !hasNonASCII(samples) {
			return e
		}
		return Unicode
	}
	viqrPossible := latin1 && viqrEvidence
	legacyPossible := can1252 && (strong || weak)
	if !viqrPossible && !legacyPossible {
		return Unicode // nothing to score: the usual case of Unicode text
	}
	ov, oi := syllableScore(samples, Unicode)
	best, bv, bi := Unicode, ov, oi
	for _, e := range []Encoding{TCVN3, VNI, Windows1258, VIQR} {
		if e == VIQR && !viqrPossible || e != VIQR && !legacyPossible {
			continue
		}
		v, i := syllableScore(samples, e)
		if v > ov && i < oi && v-i > bv-bi {
			best, bv, bi = e, v, i
		}
	}
	if best == TCVN3 && upperASCII(samples) {
		// The normal TCVN3 font has no upper-case toned letters: capitals
		// typed around lower-case toned bytes mean the "H" font.
		return TCVN3Upper
	}
	return best
}

func hasNonASCII(samples []string) bool {
	for _, s := range samples {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return true
			}
		}
	}
	return false
}

// upperASCII reports whether the samples have ASCII capitals and no ASCII
// lower-case letters.
func upperASCII(samples []string) bool {
	upper := false
	for _, s := range samples {
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c >= 'a' && c <= 'z':
				return false
			case c >= 'A' && c <= 'Z':
				upper = true
			}
		}
	}
	return upper
}

// syllableScore decodes samples with e and counts the words that are valid
// Vietnamese syllables and those that are not (words without letters are
// not counted).
func syllableScore(samples []string, e Encoding) (valid, invalid int) {
	for _, s := range samples {
		d := Decode(e, s)
		for _, w := range strings.Fields(d) {
			w = strings.Trim(w, `,;:!"()[]{}`)
			w = strings.TrimRight(w, ".?")
			if w == "" || strings.IndexFunc(w, unicode.IsLetter) < 0 {
				continue
			}
			if ValidSyllable(w) {
				valid++
			} else {
				invalid++
			}
		}
	}
	return valid, invalid
}

// legacyOnly reports whether r is a character that text typed in a TCVN3
// or VNI font shows (read as Windows-1252) and that Vietnamese Unicode text
// does not hold: not a Vietnamese letter of Latin-1, not Ð/ð, and not
// punctuation that Unicode Vietnamese text uses (« » · ° ¿, and the quotes
// and dashes of 0x80–0x9F).
func legacyOnly(r rune) bool {
	if r < 0xA0 || r > 0xFF || isLatin1VietnameseLetter(r) {
		return false
	}
	switch r {
	case 0xA0, '«', '»', '·', '°', '¿':
		return false
	}
	return true
}

// legacyPunct reports whether r is punctuation that Unicode text uses but
// that is also a TCVN3 letter (« = ô, · = ã, » = ằ, ° and ¿ unused): weak
// evidence.
func legacyPunct(r rune) bool {
	switch r {
	case '«', '»', '·':
		return true
	}
	return false
}

// isLatin1VietnameseLetter reports whether r (< 256) is a letter that
// Vietnamese Unicode text holds: the toned and shaped vowels of Latin-1
// (à á â ã è é ê ì í ò ó ô õ ù ú ý and capitals), and Ð/ð, look-alikes of
// Đ/đ.
func isLatin1VietnameseLetter(r rune) bool {
	switch unicode.ToLower(r) {
	case 'à', 'á', 'â', 'ã', 'è', 'é', 'ê', 'ì', 'í', 'ò', 'ó', 'ô', 'õ', 'ù', 'ú', 'ý', 'ð':
		return true
	}
	return false
}

// vniPair reports whether the letters a, b form a VNI two-byte letter that
// Vietnamese Unicode spelling never writes ("aâ" = â, "eã" = ẽ, "oâ" = ô,
// "uõ" = ũ). The pairs oà oá oã uà uá are left out: new-style "hoà" and
// "quá" write them.
func vniPair(a, b rune) bool {
	if a >= utf8.RuneSelf {
		return false
	}
	t := loadLegacy()
	if _, ok := t.vni2[[2]rune{a, b}]; !ok {
		return false
	}
	switch string([]rune{unicode.ToLower(a), unicode.ToLower(b)}) {
	case "oà", "oá", "oã", "uà", "uá":
		return false
	}
	return true
}
