package vn

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// Name is a personal name split into its parts. All parts are in the
// canonical form (NFC, old-style tone marks, each word capitalised), and
// Family, Middle and Given are substrings of Normalized.
type Name struct {
	Family     string `json:"family"`
	Middle     string `json:"middle"`
	Given      string `json:"given"`
	Normalized string `json:"normalized"`
	// Key is Fold(Normalized): lower case, no diacritics, đ → d.
	Key string `json:"key"`
	// OCRKey is Key with the common scanner confusions repaired in words
	// that are not Vietnamese syllables (digits read for letters, rn for m,
	// cl for d, q for g, stray apostrophes). A word that is already a
	// syllable is never changed, so distinct names (Lan, Lâm) stay apart.
	OCRKey string `json:"ocr_key"`
}

// compoundFamilies are family names of more than one word, longest first.
var compoundFamilies = [][]string{
	{"Công", "Tằng", "Tôn", "Nữ"},
	{"Công", "Tôn", "Nữ"},
	{"Tôn", "Thất"},
	{"Tôn", "Nữ"},
	{"Nguyễn", "Phúc"},
	{"Nguyễn", "Phước"},
	{"Âu", "Dương"},
	{"Tư", "Mã"},
	{"Gia", "Cát"},
	{"Thượng", "Quan"},
}

// ParseName normalises a full name (họ, chữ đệm và tên) and splits it: the
// family name is the first word, or a known compound family name when at
// least one word follows it; the given name is the last word; the words in
// between are middle names. Punctuation other than apostrophes separates
// words ("Nguyễn V. An" → Nguyễn / V / An). A one-word name is a given
// name; a name starting with Thị, which is never a family name, has no
// family name.
//
// Two syllables written as one word are split first. "HuỳnhHoa": a
// capital inside a capitalised word starts another. "Nguyễn Thị Ngọcanh",
// "Nguyen Thi Thulinh": a word that is neither a syllable nor a name word
// is two when it splits into two syllables of two letters or more, each
// carried by splitMinCount names or more of the name lists (the split
// whose rarer half is the most frequent; a tie is left alone; splitWord
// says which slips of typing are not taken for two words). Then a given name written first, as
// forms laid out for Western names have it, is moved to the end
// (givenFirst).
func ParseName(s string) Name {
	return ParseNameIn(s, nil)
}

// ParseNameIn is ParseName with the bytes of the name's strings appended
// to *room (when room is not nil) rather than allocated: for a caller
// that copies what it keeps of them (dancu link's batches, whose frame
// copies their values), which is to append to *room only, never write
// over its bytes, while it reads them.
func ParseNameIn(s string, room *[]byte) Name {
	s = expandNg(s)
	n := parseName(splitCamel(s), room)
	if t, ok := splitJoined(n); ok {
		n = parseName(t, room)
	}
	if t, ok := joinSplit(n); ok {
		n = parseName(t, room)
	}
	if t, ok := familyLast(n); ok {
		n = parseName(t, room)
	} else if t, ok := givenFirst(n); ok {
		n = parseName(t, room)
	}
	if t, ok := highlandOrder(n); ok {
		n = parseName(t, room)
	}
	if t, ok := khmerJoined(n); ok {
		n = parseName(t, room)
	}
	return n
}

// joinSplit returns n's normalised name with two neighbouring words
// joined where a form reader or a typist put a space inside one ("PHAN
// VĂN THU ẬN", "ĐỖ THỊ G IANG", "NGU YỄN THỊ HIỀN": Thuận, Giang,
// Nguyễn), ok false otherwise: in a name of four words or more (a split
// makes a name of three one of four), a word that is no family name of
// names/surnames.csv and no middle or given name of the lists' counts,
// beside one whose joining with it makes a word givenFirstMinCount names
// or more carry. Two words the lists know are never joined (Thu Hà, Văn
// An), nor a word the lists do not know into another unknown one. The
// words are compared with their marks when the name has any, else folded
// (issue 12, acc55: eighthpop's census forms with a space added).
func joinSplit(n Name) (string, bool) {
	if strings.Count(n.Normalized, " ") < 3 {
		return "", false // nearly every name
	}
	var arr [8]string
	ws := arr[:0]
	for rest := n.Normalized; ; {
		i := strings.IndexByte(rest, ' ')
		if i < 0 {
			ws = append(ws, rest)
			break
		}
		ws, rest = append(ws, rest[:i]), rest[i+1:]
	}
	cache, listed := nameWordCache(), true
	for _, w := range ws {
		if _, _, ok := cache.get(w); !ok {
			listed = false
			break
		}
	}
	if listed {
		return "", false // every word a word of the tables: most names of four words
	}
	wc, marked := nameCounts(), hasMarks(n.Normalized)
	changed := false
	for i := 0; i+1 < len(ws); i++ {
		a, b := ws[i], ws[i+1]
		if fa, ga := wc.lowerCounts(a, "", marked); fa != 0 || ga > 0 {
			if fb, gb := wc.lowerCounts(b, "", marked); fb != 0 || gb > 0 {
				continue
			}
		}
		if f, g := wc.lowerCounts(a, b, marked); g < givenFirstMinCount && f == 0 {
			continue
		}
		j := a + strings.ToLower(b)
		ws = append(ws[:i+1], ws[i+2:]...)
		ws[i] = j
		changed = true
		if len(ws) < 4 {
			break
		}
	}
	if !changed {
		return "", false
	}
	return strings.Join(ws, " "), true
}

// givenFirst returns n's normalised name with its first word moved to the
// end when it is a given name written first, ok false otherwise: a first
// word that is no family name of names/surnames.csv but a given name of
// givenFirstMinCount names or more of the lists, before one of the
// sixteen most frequent family names ("Minh Nguyễn Văn" → "Nguyễn Văn
// Minh"). A given name that is also a family name, however rare (An,
// Trang, Phong), is never moved: a population holds those family names
// before a middle name that is also one (Trang Hoàng Hạnh).
func givenFirst(n Name) (string, bool) {
	i := strings.IndexByte(n.Key, ' ')
	if i < 0 {
		return "", false
	}
	second := n.Key[i+1:]
	if j := strings.IndexByte(second, ' '); j >= 0 {
		second = second[:j]
	}
	fam, first := familyKeys(), n.Key[:i]
	if fam[second] != 2 {
		return "", false // nearly every name: its second word is a middle name
	}
	if _, ok := fam[first]; ok || nameFoldFreq()[first] < givenFirstMinCount {
		return "", false
	}
	k := strings.IndexByte(n.Normalized, ' ')
	return n.Normalized[k+1:] + " " + n.Normalized[:k], true
}

// expandNg writes out "Ng." opening a name, the abbreviation of Nguyễn
// that lists typed in a hurry use ("Ng. Văn An", "NG. THI LAN"; Nguyen
// when the rest has no marks): Nguyễn is 38% of family names, the other
// family names that start so (Ngô, Nghiêm, Ngụy) 1.5% together. Without
// its dot, "Ng" is left as written. "Ng." closing a name of two words or
// more is written out too ("Trọng Công Ng.": a list that writes the
// family name last; acc55).
func expandNg(s string) string {
	if n := len(s); n > 4 && s[n-1] == '.' && s[n-4] == ' ' && s[n-3] == 'N' && (s[n-2] == 'g' || s[n-2] == 'G') {
		// written last, as a name written family last has it ("Trọng
		// Công Ng.", "MINH HOANG NG."): familyLast then reads it first
		rest := strings.TrimRight(s[:n-4], " ")
		if rest == "" {
			return s
		}
		if hasMarks(rest) {
			return rest + " Nguyễn"
		}
		return rest + " Nguyen"
	}
	if len(s) < 4 || s[0] != 'N' || s[1] != 'g' && s[1] != 'G' || s[2] != '.' {
		return s
	}
	rest := strings.TrimLeft(s[3:], " ")
	if rest == "" {
		return s
	}
	if hasMarks(rest) {
		return "Nguyễn " + rest
	}
	return "Nguyen " + rest
}

// familyLast returns n's normalised name with its family name, written
// last as forms laid out for Western names ask ("first name … last
// name"), put first, ok false otherwise: a name of three words or more
// whose last word is one of the sixteen most frequent family names and
// whose first word is Thị, Văn (not before Thị, nor before a last word
// that is a given name too: Văn is a family name as well), or a word of
// givenFirstMinCount names or more that is no family name of
// names/surnames.csv, however rare ("Văn An Nguyễn", "THI LAN TRAN",
// "Thu Hà Nguyễn" → "Nguyễn Văn An", "Tran Thi Lan", "Nguyễn Thu Hà"; not
// "Vi Thị Lý", "Kim Pha Ly", "Lâm Ngọc Huỳnh": Vi, Kim and Lâm are family
// names). Of three words, the two before the family name are read in the
// order their counts as middle and given names make likelier ("Nam Quang
// Phạm" → "Phạm Quang Nam", a given name written first too). Tried before
// givenFirst: a name both could read ("Tuyền Hoàng Phạm") is read family
// last when the last word's share of family names times the second's
// count as a middle name is the larger (Phạm Hoàng Tuyền), else left to
// givenFirst. The words are compared with their marks when the name has
// any ("Đang", "Huynh" in a name with marks are not Đặng, Huỳnh), else
// folded.
func familyLast(n Name) (string, bool) {
	i, l := strings.IndexByte(n.Key, ' '), strings.LastIndexByte(n.Key, ' ')
	ni, nl := strings.IndexByte(n.Normalized, ' '), strings.LastIndexByte(n.Normalized, ' ')
	if i < 0 || i == l || ni < 0 || ni == nl {
		return "", false
	}
	wc, marked := nameCounts(), hasMarks(n.Normalized)
	first, last := n.Normalized[:ni], n.Normalized[nl+1:]
	if wc.family(last, marked) != 2 {
		return "", false
	}
	second := n.Key[i+1:]
	second = second[:strings.IndexByte(second, ' ')]
	switch k := n.Key[:i]; {
	case k == "thi":
	case k == "van":
		// Văn is a family name too: "Văn Thị Đào" is one, and so is a Văn
		// before a last word that is a given name as well (Văn Quốc Hoàng)
		if second == "thi" || wc.given(last, marked) >= givenFirstMinCount {
			return "", false
		}
	default:
		if wc.given(first, marked)+wc.middle(first, marked) < givenFirstMinCount {
			return "", false
		}
		if wc.family(first, marked) != 0 && !wc.familyLastLikelier(n.Normalized[:ni], n.Normalized[ni+1:nl], last, marked) {
			return "", false
		}
	}
	if familyKeys()[second] == 2 {
		// givenFirst's shape too ("Tuyền Hoàng Phạm": Hoàng Phạm Tuyền or
		// Phạm Hoàng Tuyền?): the family name whose share times the other
		// word's count as a middle name is the larger
		sw := n.Normalized[ni+1:]
		sw = sw[:strings.IndexByte(sw, ' ')]
		if wc.share(last, marked)*float64(wc.middle(sw, marked)+1) <= wc.share(sw, marked)*float64(wc.middle(last, marked)+1) {
			return "", false
		}
	}
	if mid := n.Normalized[ni+1 : nl]; !strings.Contains(mid, " ") &&
		(wc.middle(first, marked)+1)*(wc.given(mid, marked)+1) < (wc.middle(mid, marked)+1)*(wc.given(first, marked)+1) {
		return last + " " + mid + " " + first, true
	}
	return last + " " + n.Normalized[:nl], true
}

// wordCounts holds names/surnames.csv's family names (2 for the sixteen
// ranked, 1 for the others) and how many names of the lists' counts carry
// a word as their given name (given_names.csv) and as their middle name
// (middle_names.csv): by lower-case word, and by fold for a word without
// marks.
type wordCounts struct {
	sh, shF      map[string]float64 // a family name's share of names, percent
	famN, famNF  map[string]int     // the distinct full names of ngxson's lists it is the family name of
	fam          map[string]byte
	giv, mid     map[string]int
	famF         map[string]byte
	givenF, midF map[string]int
}

var (
	wordCountsOnce sync.Once
	wordCountsV    wordCounts
)

func nameCounts() *wordCounts {
	wordCountsOnce.Do(func() {
		w := &wordCountsV
		w.fam, w.famF = map[string]byte{}, familyKeys()
		w.giv, w.mid, w.givenF, w.midF = map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
		w.sh, w.shF = map[string]float64{}, map[string]float64{}
		w.famN, w.famNF = map[string]int{}, map[string]int{}
		if t, err := refdata.Load("names/surnames.csv"); err == nil {
			for _, r := range t.Rows {
				k := strings.ToLower(norm.NFC.String(r[0]))
				pct, _ := strconv.ParseFloat(t.Get(r, "published_pct_2005"), 64)
				if pct == 0 {
					pct, _ = strconv.ParseFloat(t.Get(r, "uit_forum_pct"), 64)
				}
				w.sh[k] += pct
				w.shF[Fold(r[0])] += pct
				fn := atoiOr0(t.Get(r, "ngxson_distinct_fullnames"))
				w.famN[k] += fn
				w.famNF[Fold(r[0])] += fn
				if t.Get(r, "published_rank_2005") != "" {
					w.fam[k] = 2
				} else if w.fam[k] == 0 {
					w.fam[k] = 1
				}
			}
		}
		for f, cols := range map[string][]string{
			"names/given_names.csv":  {"ngxson_male", "ngxson_female"},
			"names/middle_names.csv": {"first_middle_male", "first_middle_female"},
		} {
			exact, fold := w.giv, w.givenF
			if f == "names/middle_names.csv" {
				exact, fold = w.mid, w.midF
			}
			t, err := refdata.Load(f)
			if err != nil {
				continue
			}
			for _, r := range t.Rows {
				c := 0
				for _, col := range cols {
					c += atoiOr0(t.Get(r, col))
				}
				exact[strings.ToLower(norm.NFC.String(r[0]))] += c
				fold[Fold(r[0])] += c
			}
		}
	})
	return &wordCountsV
}

// The lookups below read a marked word lower-cased in a buffer on the
// stack (appendLower) rather than by strings.ToLower, which allocated a
// string for every word with a capital and a mark — every name's last
// word, which familyLast looks up: 0.45% of the instructions of dancu
// link's read (issue 13).

func (w *wordCounts) family(s string, marked bool) byte {
	if marked {
		var buf [64]byte
		return w.fam[string(appendLower(buf[:0], s))]
	}
	return w.famF[Fold(s)]
}

func (w *wordCounts) share(s string, marked bool) float64 {
	if marked {
		var buf [64]byte
		return w.sh[string(appendLower(buf[:0], s))]
	}
	return w.shF[Fold(s)]
}

// lowerCounts returns a+b's family name mark (wordCounts.fam) and its
// count as a given and a middle name, looked up lower-cased in a buffer on
// the stack: by the marked maps when marked, else by the folded ones (a
// name without marks is ASCII, whose fold is its lower case).
func (w *wordCounts) lowerCounts(a, b string, marked bool) (byte, int) {
	var buf [128]byte
	k := appendLower(appendLower(buf[:0], a), b)
	if marked {
		return w.fam[string(k)], w.giv[string(k)] + w.mid[string(k)]
	}
	return w.famF[string(k)], w.givenF[string(k)] + w.midF[string(k)]
}

// familyLastLikelier reports whether "first mid last", a name of three
// words written with its marks whose last word is one of the sixteen
// ranked family names and whose first word is a family name too, is to
// be read family last: when the names of ngxson's lists make it
// familyLastOdds times likelier read so (last mid first, or last first
// mid) than as written — the distinct full names a word is the family
// name of times the names the others are the middle and the given name
// of (each plus one), all three counts from one source, so that their
// totals cancel. "Ngọc Quân Huỳnh" (Ngọc the family name of 35 names, a
// middle or given name of 3,184), "Ánh Thị Nguyễn" are moved; "Sa Ri Lý"
// (Sa the family name of 8, a given or middle name of 52: ×30), "Hoàng
// Thị Nguyễn" (×136), "Hà Văn Lê" and "Vi Thị Lý" are left as written,
// as is a name without marks, whose words stand for several ("Ly" is Lý,
// a family name, and Ly, a given name; "Kim Pha Ly" is a Khmer name)
// (issue 12, acc55).
func (w *wordCounts) familyLastLikelier(first, mid, last string, marked bool) bool {
	if !marked || strings.IndexByte(mid, ' ') >= 0 {
		return false
	}
	c := func(n int) float64 { return float64(n + 1) }
	asWritten := c(w.familyNames(first, marked)) * c(w.middle(mid, marked)) * c(w.given(last, marked))
	moved := c(w.familyNames(last, marked)) * max(c(w.middle(first, marked))*c(w.given(mid, marked)), c(w.middle(mid, marked))*c(w.given(first, marked)))
	return moved >= familyLastOdds*asWritten
}

// familyLastOdds is how many times likelier than as written
// familyLastLikelier's counts must make a name read family last: lists
// write nearly every name family first, so a name is moved only when the
// tables leave no doubt — not at a hundred times ("Hoàng Thị Nguyễn", a
// woman whose given name is Nguyễn, is 136 times likelier Nguyễn Thị
// Hoàng by the counts, and is written so).
const familyLastOdds = 1000

func (w *wordCounts) familyNames(s string, marked bool) int {
	if marked {
		var buf [64]byte
		return w.famN[string(appendLower(buf[:0], s))]
	}
	return w.famNF[Fold(s)]
}

func (w *wordCounts) given(s string, marked bool) int {
	if marked {
		var buf [64]byte
		return w.giv[string(appendLower(buf[:0], s))]
	}
	return w.givenF[Fold(s)]
}

func (w *wordCounts) middle(s string, marked bool) int {
	if marked {
		var buf [64]byte
		return w.mid[string(appendLower(buf[:0], s))]
	}
	return w.midF[Fold(s)]
}

// appendLower appends strings.ToLower(s) to dst: its bytes lower-cased
// when s is ASCII, else each rune's unicode.ToLower (strings.Map's, an
// invalid byte read as U+FFFD as Map reads it).
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			return dst
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func atoiOr0(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// givenFirstMinCount is how many names of the lists' counts must carry a
// word for givenFirst to take it for a given name.
const givenFirstMinCount = 50

var (
	familyKeysOnce sync.Once
	familyKeysMap  map[string]byte
)

// familyKeys maps the folded family names of names/surnames.csv to 2 for
// the sixteen ranked in 2005 (Nguyễn … Lý), 1 for the others.
func familyKeys() map[string]byte {
	familyKeysOnce.Do(func() {
		familyKeysMap = map[string]byte{}
		t, err := refdata.Load("names/surnames.csv")
		if err != nil {
			return
		}
		rank := -1
		for i, h := range t.Header {
			if h == "published_rank_2005" {
				rank = i
			}
		}
		for _, r := range t.Rows {
			k := Fold(r[0])
			if rank >= 0 && rank < len(r) && r[rank] != "" {
				familyKeysMap[k] = 2
			} else if familyKeysMap[k] == 0 {
				familyKeysMap[k] = 1
			}
		}
	})
	return familyKeysMap
}

// splitCamel puts a space where a capitalised word has another capital
// after a lower-case ASCII letter ("HuỳnhHoa", "NgọcHoài"): no Vietnamese
// word has one. A word starting in lower case ("hTị", two letters
// swapped) is left alone.
func splitCamel(s string) string {
	var b strings.Builder
	last, start := 0, 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' {
			start = i + 1
			continue
		}
		if s[i] < 'A' || s[i] > 'Z' || s[i-1] < 'a' || s[i-1] > 'z' || i-start < 2 {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[start:]); !unicode.IsUpper(r) {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 2)
		}
		b.WriteString(s[last:i])
		b.WriteByte(' ')
		last, start = i, i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// splitJoined returns n's normalised name with a word that is two
// syllables joined written as two, ok false when there is none.
func splitJoined(n Name) (string, bool) {
	if !joinCandidate(n, nameWordCache()) {
		return "", false // nearly every name
	}
	kws, nws := strings.Split(n.Key, " "), strings.Split(n.Normalized, " ")
	if len(kws) != len(nws) {
		return "", false
	}
	changed := false
	for i, kw := range kws {
		if len(kw) < 5 || !isASCIILower(kw) || validASCIISyllable([]byte(kw)) {
			continue
		}
		if t, ok := splitWord(kw, nws[i]); ok {
			nws[i] = t
			changed = true
		}
	}
	if !changed {
		return "", false
	}
	return strings.Join(nws, " "), true
}

// splitWord returns word nw (its fold kw) written as the two syllables it
// joins, ok false when it is not two. The split is the one whose rarer
// half is the most frequent name word (Ngọc|anh before Ngọ|canh); a tie,
// or two halves no list counts, is not guessed.
//
// A word with diacritics is split as written, or with its one tone mark
// moved to the other half: normalisation put it on the vowel of the whole
// word ("Thịanh" reads "Thiạnh", which is Thị|anh). A word without them
// is split by its halves' folds, unless a name word folds to it or one
// slip of typing makes it a syllable (HAONG for Hoàng, QUYEM for Quyên). Two like letters at the join (Mạnh|hiệp)
// are a letter typed twice instead when the word without one of them is
// a syllable (Thaanh, Nguuyễn).
func splitWord(kw, nw string) (string, bool) {
	rs := []rune(strings.ToLower(nw))
	if len(rs) != len(kw) {
		return "", false
	}
	plain := string(rs) == kw
	if plain && (nameFoldFreq()[kw] > 0 || slipOfSyllable(kw)) {
		return "", false
	}
	if !plain {
		if _, _, ok := nameWordCache().get(nw); ok {
			return "", false
		}
	}
	best, score, tie := "", 0, false
	consider := func(a, b string) {
		if !ValidSyllable(a) || !ValidSyllable(b) {
			return
		}
		var s int
		if plain {
			s = min(nameFoldFreq()[a], nameFoldFreq()[b])
		} else {
			s = min(nameWordFreq()[a], nameWordFreq()[b])
		}
		if s < splitMinCount {
			return
		}
		t := Canon(a) + " " + Canon(b)
		switch {
		case s > score:
			best, score, tie = t, s, false
		case s == score && t != best:
			tie = true
		}
	}
	for j := 2; j <= len(kw)-2; j++ {
		if !validASCIISyllable([]byte(kw[:j])) || !validASCIISyllable([]byte(kw[j:])) {
			continue
		}
		if kw[j-1] == kw[j] && validASCIISyllable([]byte(kw[:j-1]+kw[j:])) {
			continue // a letter typed twice (Thaanh, Nguuyễn), not two words
		}
		a, b := rs[:j], rs[j:]
		consider(string(a), string(b))
		if plain {
			continue
		}
		// The one tone mark moved to the other half.
		if pa, ta := onlyTone(a); pa >= 0 {
			if pb, _ := onlyTone(b); pb == -1 {
				for _, c := range withTone(b, ta) {
					consider(string(withoutTone(a, pa)), c)
				}
			}
		} else if pa == -1 {
			if pb, tb := onlyTone(b); pb >= 0 {
				for _, c := range withTone(a, tb) {
					consider(c, string(withoutTone(b, pb)))
				}
			}
		}
	}
	if tie || score == 0 {
		return "", false
	}
	return best, true
}

// slipOfSyllable reports whether one slip of typing makes the folded word
// w a syllable: a letter dropped, added, mistyped, or two neighbours
// swapped (QUYEM for Quyên is no Quy|em).
func slipOfSyllable(w string) bool {
	b := make([]byte, 0, len(w)+1)
	for i := 0; i <= len(w); i++ {
		for c := byte('a'); c <= 'z'; c++ {
			if validASCIISyllable(append(append(append(b[:0], w[:i]...), c), w[i:]...)) {
				return true // a letter dropped
			}
			if i < len(w) && c != w[i] && validASCIISyllable(append(append(append(b[:0], w[:i]...), c), w[i+1:]...)) {
				return true // a letter mistyped
			}
		}
		if i == len(w) {
			break
		}
		if validASCIISyllable(append(append(b[:0], w[:i]...), w[i+1:]...)) {
			return true // a letter added
		}
		if i+1 < len(w) && w[i] != w[i+1] {
			b = append(b[:0], w...)
			b[i], b[i+1] = b[i+1], b[i]
			if validASCIISyllable(b) {
				return true
			}
		}
	}
	return false
}

// onlyTone returns the position and tone of the one letter of rs with a
// tone mark, position -1 when none has one, -2 when more than one has.
func onlyTone(rs []rune) (int, byte) {
	pos, tone := -1, byte(toneNone)
	for i, r := range rs {
		if l, ok := lookup(r); ok && l.tone != toneNone {
			if pos >= 0 {
				return -2, 0
			}
			pos, tone = i, l.tone
		}
	}
	return pos, tone
}

// withoutTone returns rs with the tone mark of its letter at i taken off.
func withoutTone(rs []rune, i int) []rune {
	out := append([]rune(nil), rs...)
	l, _ := lookup(rs[i])
	out[i] = compose(l.base, l.shape, toneNone, l.upper)
	return out
}

// withTone returns rs with tone put on each of its vowels in turn.
func withTone(rs []rune, tone byte) []string {
	var out []string
	for i, r := range rs {
		l, ok := lookup(r)
		if !ok || !isVowelBase(l.base) {
			continue
		}
		c := append([]rune(nil), rs...)
		if c[i] = compose(l.base, l.shape, tone, l.upper); c[i] != 0 {
			out = append(out, string(c))
		}
	}
	return out
}

// joinCandidate reports whether a word of n, five letters or more,
// neither a word of the name lists nor a syllable, splits
// into two syllables each of whose folds the lists carry splitMinCount
// times or more. It allocates nothing: ParseName asks it of every name.
func joinCandidate(n Name, cache *wordCache) bool {
	key, norm := n.Key, n.Normalized
	fold := nameFoldFreq()
	for key != "" && norm != "" {
		kw, nw := key, norm
		if i := strings.IndexByte(key, ' '); i >= 0 {
			kw, key = key[:i], key[i+1:]
		} else {
			key = ""
		}
		if i := strings.IndexByte(norm, ' '); i >= 0 {
			nw, norm = norm[:i], norm[i+1:]
		} else {
			norm = ""
		}
		if len(kw) < 5 || !isASCIILower(kw) {
			continue // short, or not Vietnamese letters
		}
		if _, _, ok := cache.get(nw); ok {
			continue // a name word (Nguyễn, Hoàng, Thanh: most long ones), not two
		}
		for j := 2; j <= len(kw)-2; j++ {
			// The counts first: most words have no split at all.
			if fold[kw[:j]] < splitMinCount || fold[kw[j:]] < splitMinCount {
				continue
			}
			if validASCIISyllable([]byte(kw)) {
				break // a syllable: not two
			}
			if validASCIISyllable([]byte(kw[:j])) && validASCIISyllable([]byte(kw[j:])) {
				return true
			}
		}
	}
	return false
}

func isASCIILower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

var (
	nameFreqOnce sync.Once
	nameFreqMap  map[string]int
	nameFoldMap  map[string]int
)

// nameFoldFreq is nameWordFreq by fold: the count of all the words of
// each fold.
func nameFoldFreq() map[string]int {
	nameWordFreq()
	return nameFoldMap
}

// nameWordFreq maps the lower-case words of names/given_names.csv and
// names/middle_names.csv to how many names of their counts carry them.
func nameWordFreq() map[string]int {
	nameFreqOnce.Do(func() {
		nameFreqMap, nameFoldMap = map[string]int{}, map[string]int{}
		for f, cols := range map[string][]string{
			"names/given_names.csv":  {"ngxson_male", "ngxson_female"},
			"names/middle_names.csv": {"first_middle_male", "first_middle_female", "second_middle_male", "second_middle_female"},
		} {
			t, err := refdata.Load(f)
			if err != nil {
				continue
			}
			for _, r := range t.Rows {
				w := strings.ToLower(norm.NFC.String(r[0]))
				for _, c := range cols {
					for i, h := range t.Header {
						if h == c && i < len(r) {
							v, _ := strconv.Atoi(r[i])
							nameFreqMap[w] += v
							nameFoldMap[Fold(w)] += v
						}
					}
				}
			}
		}
	})
	return nameFreqMap
}

// splitMinCount is how many names of the lists' counts must carry each of
// the two words a joined word is split into: typing slips that make a
// word two syllables (Dơưng, Puhong) make rare ones.
const splitMinCount = 20

func parseName(s string, room *[]byte) Name {
	var stack, kstack [128]byte
	cache := nameWordCache()
	nb, kb, redo := appendCanonScan(stack[:0], kstack[:0], s, true, true, cache, true, false)
	if redo { // combining marks: compose first
		nb, kb, _ = appendCanonScan(stack[:0], kstack[:0], norm.NFC.String(s), true, true, cache, true, true)
	}
	if len(nb) == 0 {
		return Name{}
	}
	var n Name
	var both string
	if room == nil {
		both = string(append(nb, kb...)) // one allocation for both strings
	} else {
		r := append(append(*room, nb...), kb...)
		*room = r
		both = unsafe.String(&r[len(r)-len(nb)-len(kb)], len(nb)+len(kb))
	}
	n.Normalized, n.Key = both[:len(nb)], both[len(nb):]
	n.OCRKey = ocrKey(n.Key)

	// Split on the spaces of Normalized without allocating.
	var cuts [16]int // byte offsets of spaces
	nc := 0
	for i := 0; i < len(n.Normalized) && nc < len(cuts); i++ {
		if n.Normalized[i] == ' ' {
			cuts[nc] = i
			nc++
		}
	}
	words := nc + 1
	if nc == len(cuts) { // very long name: count the rest
		words = strings.Count(n.Normalized, " ") + 1
	}
	if words == 1 {
		n.Given = n.Normalized
		return n
	}
	last := strings.LastIndexByte(n.Normalized, ' ')
	n.Given = n.Normalized[last+1:]
	if first := n.Normalized[:cuts[0]]; first == "Thị" || first == "H'" {
		// Thị is never a family name (names/middle_names.csv): the family
		// name is missing. Nor is H', the prefix of a highland woman's
		// name written without her clan (highlandOrder).
		n.Middle = n.Normalized[:last]
		return n
	}
	fam := 1
	switch n.Normalized[:cuts[0]] { // only these words start a compound
	case "Công", "Tôn", "Nguyễn", "Âu", "Tư", "Gia", "Thượng":
		for _, cf := range compoundFamilies {
			if len(cf) < words && len(cf) <= nc && hasWords(n.Normalized, cf) {
				fam = len(cf)
				break
			}
		}
	}
	n.Family = n.Normalized[:cuts[fam-1]]
	if cuts[fam-1] < last {
		n.Middle = n.Normalized[cuts[fam-1]+1 : last]
	}
	return n
}

// hasWords reports whether s starts with the words ws followed by a space.
func hasWords(s string, ws []string) bool {
	for _, w := range ws {
		if !strings.HasPrefix(s, w) {
			return false
		}
		s = s[len(w):]
		if len(s) == 0 || s[0] != ' ' {
			return false
		}
		s = s[1:]
	}
	return true
}

// isNameRune reports whether r belongs inside a name word.
func isNameRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '\'' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}
	if _, ok := lookup(r); ok {
		return true
	}
	return r == '’' || spaceKind(r) != 0 || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// ocrKey repairs, word by word, the scanner confusions in a folded key.
func ocrKey(key string) string {
	if !repairable(key) {
		return key
	}
	var buf [128]byte
	out := buf[:0]
	changed := false
	for i := 0; i < len(key); {
		j := strings.IndexByte(key[i:], ' ')
		if j < 0 {
			j = len(key)
		} else {
			j += i
		}
		w := key[i:j]
		if len(out) > 0 {
			out = append(out, ' ')
		}
		if !repairable(w) || validASCIISyllable([]byte(w)) {
			out = append(out, w...)
		} else {
			start := len(out)
			out = appendOCRRepair(out, w)
			if validASCIISyllable(out[start:]) {
				if string(out[start:]) != w {
					changed = true
				}
			} else {
				out = append(out[:start], w...)
			}
		}
		i = j + 1
	}
	if !changed {
		return key
	}
	return string(out)
}

// ocrByte marks the bytes repairable looks at.
var ocrByte = func() (t [256]bool) {
	for _, c := range []byte("0158!|'`qrc") {
		t[c] = true
	}
	return t
}()

// repairable reports whether appendOCRRepair would change w.
func repairable(w string) bool {
	for i := 0; i < len(w); i++ {
		if !ocrByte[w[i]] {
			continue
		}
		switch c := w[i]; c {
		case '0', '1', '5', '8', '!', '|', '\'', '`':
			return true
		case 'q':
			if i > 0 {
				return true
			}
		case 'r', 'c':
			if i+1 < len(w) && (c == 'r' && w[i+1] == 'n' || c == 'c' && w[i+1] == 'l') {
				return true
			}
		}
	}
	return false
}

// appendOCRRepair appends w with the common OCR substitutions applied.
func appendOCRRepair(b []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '0':
			c = 'o'
		case c == '1' || c == '!' || c == '|':
			c = 'l'
		case c == '5':
			c = 's'
		case c == '8':
			c = 'b'
		case c == '\'' || c == '`':
			continue
		case c == 'q' && i > 0:
			c = 'g'
		case c == 'r' && i+1 < len(w) && w[i+1] == 'n':
			c = 'm'
			i++
		case c == 'c' && i+1 < len(w) && w[i+1] == 'l':
			c = 'd'
			i++
		}
		b = append(b, c)
	}
	return b
}

// SexHint returns "F" when a middle name is Thị, "M" when it is Văn, and ""
// otherwise. It is a hint for comparisons, not a value to store as sex.
func (n Name) SexHint() string {
	for w := range strings.FieldsSeq(n.Middle) {
		switch w {
		case "Thị":
			return "F"
		case "Văn":
			return "M"
		}
	}
	return ""
}

// MaskName shortens a name for logs: the family name is kept and every
// other word is reduced to its initial, "Nguyễn Văn An" → "Nguyễn V. A.".
func MaskName(s string) string {
	n := ParseName(s)
	if n.Normalized == "" {
		return ""
	}
	var b strings.Builder
	words := strings.Fields(n.Normalized)
	fam := len(strings.Fields(n.Family))
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i < fam {
			b.WriteString(w)
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(r)
		b.WriteByte('.')
	}
	return b.String()
}

var (
	nameWordsOnce sync.Once
	nameWords     *wordCache
)

// nameWordCache returns the precomputed canonical forms and keys of the
// words of the reference name tables, in the spellings a name column
// usually has (as listed, UPPER, lower, and without diacritics). Names are
// made of few distinct words, so most words of most names are found here
// and skip the letter-by-letter work. A word not found is computed.
func nameWordCache() *wordCache {
	nameWordsOnce.Do(func() { nameWords = newWordCache(nameWordMap()) })
	return nameWords
}

// nameWordMap returns the words nameWordCache holds: spelling → canonical
// form and key.
func nameWordMap() map[string][2]string {
	m := map[string][2]string{}
	add := func(w string) {
		if w == "" || strings.ContainsAny(w, " \t") {
			return
		}
		if _, ok := m[w]; ok {
			return
		}
		var b, k [64]byte
		cb, ck, _ := appendCanonScan(b[:0], k[:0], w, true, true, nil, true, true)
		m[w] = [2]string{string(cb), string(ck)}
	}
	for _, f := range []string{"names/surnames.csv", "names/middle_names.csv", "names/given_names.csv"} {
		t, err := refdata.Load(f)
		if err != nil {
			continue // the cache is only a speed-up
		}
		for _, r := range t.Rows {
			for _, w := range strings.Fields(norm.NFC.String(r[0])) {
				if !ValidSyllable(w) {
					continue
				}
				f := Fold(w)
				for _, v := range []string{w, strings.ToUpper(w), strings.ToLower(w), f, strings.ToUpper(f), titleASCII(f)} {
					add(v)
				}
			}
		}
	}
	return m
}

func titleASCII(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-32) + s[1:]
}
