package vn

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

func TestDecodeExamples(t *testing.T) {
	tests := []struct {
		enc  Encoding
		in   string
		want string
	}{
		{TCVN3, "NguyÔn V¨n An", "Nguyễn Văn An"},
		{TCVN3, "TrÇn ThÞ Thu H­¬ng", "Trần Thị Thu Hương"},
		{TCVN3, "§Æng", "Đặng"},
		{TCVN3Upper, "nguyÔn v¨n an", "NGUYỄN VĂN AN"},
		{VNI, "Nguyeãn Vaên An", "Nguyễn Văn An"},
		{VNI, "Ñaëng Thò Höông", "Đặng Thị Hương"},
		{VNI, "HOÀ", "HỒ"},
		{VIQR, "Nguye^~n Va(n An", "Nguyễn Văn An"},
		{VIQR, "DDa(.ng Thi. Hu+o+ng", "Đặng Thị Hương"},
		{VIQR, "Ha` No^.i.", "Hà Nội."},
		{VIQR, `a\.b`, "a.b"},
		{Unicode, "NguyÔn", "NguyÔn"},
	}
	for _, tt := range tests {
		if got := Decode(tt.enc, tt.in); got != tt.want {
			t.Errorf("Decode(%v, %q) = %q, want %q", tt.enc, tt.in, got, tt.want)
		}
	}
}

func TestDecodeWindows1258(t *testing.T) {
	want := "Nguyễn Văn Đức Hương"
	b, err := charmap.Windows1258.NewEncoder().Bytes([]byte(to1258Form(want)))
	if err != nil {
		t.Fatalf("encode 1258: %v", err)
	}
	if got := DecodeWindows1258(b); got != want {
		t.Errorf("DecodeWindows1258 = %q, want %q", got, want)
	}
	// The same bytes read as Windows-1252, as a spreadsheet reader would.
	as1252, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	if got := DecodeWindows1258Text(string(as1252)); got != want {
		t.Errorf("DecodeWindows1258Text = %q, want %q", got, want)
	}
	if got := DetectEncoding([]string{string(as1252)}, ""); got != Windows1258 {
		t.Errorf("DetectEncoding(1258 text %q) = %v", as1252, got)
	}
	if got := DecodeBytes(Windows1258, b); got != want {
		t.Errorf("DecodeBytes = %q", got)
	}
}

// TestRoundTripSharedTables encodes every name and unit name of the shared
// tables in TCVN3 and VNI and decodes it back.
func TestRoundTripSharedTables(t *testing.T) {
	corpus := unicodeCorpus(t)
	var tc, tcUp, vni int
	for _, s := range corpus {
		s = norm.NFC.String(s)
		low := strings.ToLower(s)
		if enc, ok := encodeTCVN3(low); ok {
			tc++
			if got := DecodeTCVN3(enc, false); got != low {
				t.Errorf("TCVN3 round trip %q → %q → %q", low, enc, got)
			}
			if got := DecodeTCVN3(enc, true); got != strings.ToUpper(s) {
				t.Errorf("TCVN3 H-font round trip %q → %q → %q", s, enc, got)
			}
			tcUp++
		}
		if enc, ok := encodeVNI(s); ok {
			vni++
			if got := DecodeVNI(enc); got != s {
				t.Errorf("VNI round trip %q → %q → %q", s, enc, got)
			}
		}
	}
	if tc < len(corpus)*9/10 || vni < len(corpus)*9/10 {
		t.Errorf("round trip covered only tcvn3=%d vni=%d of %d", tc, vni, len(corpus))
	}
	t.Logf("round trips: tcvn3 %d, tcvn3 upper %d, vni %d of %d strings", tc, tcUp, vni, len(corpus))
}

// to1258Form spells s as code page 1258 does: letters with their shape
// precomposed (â ê ô ơ ư ă đ) followed by a combining tone mark.
func to1258Form(s string) string {
	var b strings.Builder
	for _, r := range s {
		l, ok := lookup(r)
		if !ok || l.tone == toneNone {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(compose(l.base, l.shape, toneNone, l.upper))
		b.WriteRune([]rune{0, 0x300, 0x309, 0x303, 0x301, 0x323}[l.tone])
	}
	return b.String()
}

// legacyTwins returns the strings of the corpus that are themselves legacy
// text: they are not Vietnamese spelling (a character no Vietnamese word
// holds, or a word that is not a syllable) and their decoding under some
// legacy encoding is another string of the corpus (the UIT forum counts in
// names/surnames.csv hold a few VNI-typed names such as "Buøi" beside
// "Bùi"). They are not Unicode Vietnamese, so they are left out of the
// false-positive count (and decoding them is right).
func legacyTwins(corpus []string) map[string]Encoding {
	set := map[string]bool{}
	for _, s := range corpus {
		set[norm.NFC.String(s)] = true
	}
	twins := map[string]Encoding{}
	for _, s := range corpus {
		for _, e := range []Encoding{TCVN3, VNI, VIQR, Windows1258} {
			if d := Decode(e, s); d != norm.NFC.String(s) && set[d] && !vietnameseSpelling(s) {
				twins[s] = e
			}
		}
	}
	return twins
}

// TestNoFalsePositives: real Unicode Vietnamese is never decoded, whether
// one string at a time, a whole column, or under a legacy font name.
func TestNoFalsePositives(t *testing.T) {
	corpus := unicodeCorpus(t)
	twins := legacyTwins(corpus)
	t.Logf("%d strings of the shared tables are legacy twins of others: %v", len(twins), twins)
	if len(twins) > 100 {
		t.Errorf("too many legacy twins: %d", len(twins))
	}
	fp := 0
	check := func(s string, samples []string, font string) {
		e := DetectEncoding(samples, font)
		if e == Unicode {
			return
		}
		if _, ok := twins[s]; ok {
			return // legacy text in the shared tables: decoding it is right
		}
		fp++
		if fp <= 20 {
			t.Errorf("DetectEncoding(%q) = %v, want unicode (decodes to %q)", samples, e, Decode(e, samples[0]))
		}
	}
	fontFP := 0
	for _, s := range corpus {
		check(s, []string{s}, "")
		check(s, []string{strings.ToUpper(s), norm.NFD.String(s)}, "")
		check(s, []string{strings.ToLower(s)}, "")
		// Under a legacy font name, accented Unicode text stays Unicode
		// (plain ASCII may follow the font: decoding it changes nothing).
		if hasNonASCII([]string{s}) {
			for _, font := range []string{".VnTime", "VNI-Times"} {
				if e := DetectEncoding([]string{s}, font); e != Unicode && Decode(e, s) != s {
					if _, twin := twins[s]; !twin {
						fontFP++
						if fontFP <= 10 {
							t.Errorf("DetectEncoding(%q, %q) = %v", s, font, e)
						}
					}
				}
			}
		}
	}
	t.Logf("false positives under a legacy font name: %d", fontFP)
	var clean []string
	for _, s := range corpus {
		if _, ok := twins[s]; !ok {
			clean = append(clean, s)
		}
	}
	if e := DetectEncoding(clean, ""); e != Unicode {
		t.Errorf("whole corpus detected as %v", e)
	}
	t.Logf("false positives: %d of %d strings (x3 forms)", fp, len(corpus))
	if fp != 0 {
		t.Errorf("false positive rate %d/%d, want 0", fp, 3*len(corpus))
	}
}

// TestDetectLegacy measures how often a single legacy-encoded name is
// recognised, and requires whole columns to be recognised.
func TestDetectLegacy(t *testing.T) {
	all := unicodeCorpus(t)
	twins := legacyTwins(all)
	var corpus []string
	for _, s := range all {
		if _, ok := twins[s]; !ok {
			corpus = append(corpus, s)
		}
	}
	var col3, colV, colQ, col58 []string
	hitT, nT, hitV, nV := 0, 0, 0, 0
	for _, s := range corpus {
		s = norm.NFC.String(s)
		if !hasVietnameseMark(s) {
			continue
		}
		if enc, ok := encodeTCVN3(strings.ToLower(s)); ok {
			nT++
			col3 = append(col3, enc)
			if DetectEncoding([]string{enc}, "") == TCVN3 {
				hitT++
			}
		}
		if enc, ok := encodeVNI(s); ok {
			nV++
			colV = append(colV, enc)
			if DetectEncoding([]string{enc}, "") == VNI {
				hitV++
			}
		}
		colQ = append(colQ, encodeVIQR(s))
		if b, err := charmap.Windows1258.NewEncoder().Bytes([]byte(to1258Form(s))); err == nil {
			as1252, _ := charmap.Windows1252.NewDecoder().Bytes(b)
			col58 = append(col58, string(as1252))
			if got := DecodeWindows1258(b); got != s {
				t.Errorf("Windows-1258 round trip %q → %q", s, got)
			}
		}
	}
	t.Logf("single strings recognised: tcvn3 %d/%d, vni %d/%d; columns: %d tcvn3, %d vni, %d viqr, %d windows-1258 strings", hitT, nT, hitV, nV, len(col3), len(colV), len(colQ), len(col58))
	for _, c := range [][]string{col3, colV, colQ, col58} {
		if len(c) < 1000 {
			t.Fatalf("a legacy test column has only %d strings", len(c))
		}
	}
	for _, c := range []struct {
		col  []string
		want Encoding
	}{{col3, TCVN3}, {colV, VNI}, {colQ, VIQR}, {col58, Windows1258}} {
		for _, size := range []int{20, 100} {
			for i := 0; i+size <= len(c.col) && i < 2000; i += size {
				if got := DetectEncoding(c.col[i:i+size], ""); got != c.want {
					t.Errorf("column of %d %v strings from %q detected as %v", size, c.want, c.col[i], got)
					break
				}
			}
		}
	}
	if got := DetectEncoding([]string{"Nguyễn Văn An"}, ".VnTime"); got != Unicode {
		t.Errorf("Unicode under .VnTime font = %v", got)
	}
	if got := DetectEncoding([]string{"Lê Thái Hà", "Võ Bá Tú"}, ".VnTime"); got != Unicode {
		t.Errorf("Latin-1-only Unicode under .VnTime font = %v", got)
	}
	if got := DetectEncoding([]string{"Nguyen Van An"}, ".VnTime"); got != TCVN3 {
		t.Errorf("ASCII under .VnTime font = %v (harmless either way, but the font decides)", got)
	}
	if got := DetectEncoding([]string{"NguyÔn"}, ".VnTimeH"); got != TCVN3Upper {
		t.Errorf(".VnTimeH = %v", got)
	}
	if got := DetectEncoding([]string{"NGUYÔN V¡N AN", "TRÇN THÞ B×NH"}, ""); got != TCVN3Upper {
		t.Errorf("upper-case TCVN3 without font = %v", got)
	}
	if got := DetectEncoding([]string{"Nguyeãn"}, "VNI-Times"); got != VNI {
		t.Errorf("VNI-Times = %v", got)
	}
}

func hasVietnameseMark(s string) bool {
	for _, r := range s {
		if r >= 0x80 && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// encodeVIQR writes s in VIQR (for tests).
func encodeVIQR(s string) string {
	var b strings.Builder
	for _, r := range s {
		l, ok := lookup(r)
		if !ok || r < 0x80 {
			b.WriteRune(r)
			continue
		}
		if l.shape == shapeStroke {
			if l.upper {
				b.WriteString("DD")
			} else {
				b.WriteString("dd")
			}
			continue
		}
		base := rune(l.base)
		if l.upper {
			base -= 32
		}
		b.WriteRune(base)
		b.WriteString([]string{"", "(", "^", "+"}[l.shape])
		b.WriteString([]string{"", "`", "?", "~", "'", "."}[l.tone])
	}
	return b.String()
}

func vietnameseSpelling(s string) bool {
	for _, r := range s {
		if r >= 0x80 && r < 0x100 && !isLatin1VietnameseLetter(r) {
			return false
		}
	}
	for _, w := range strings.Fields(s) {
		if !ValidSyllable(w) {
			return false
		}
	}
	return true
}
