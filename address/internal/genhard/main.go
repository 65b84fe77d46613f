package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/internal/refdata"
)

func main() {
	seed := flag.Uint64("seed", 11, "corruption model seed (11 = tuning split; the held-out split's seed is in address/README.md)")
	n := flag.Int("n", 1000, "number of addresses")
	out := flag.String("o", "testdata/addresses/hard_tune.csv", "output CSV")
	real := flag.Bool("real", false, "write addresses as they appear on the web and in forms (sampleReal) instead of the corruption model")
	flag.Parse()
	if err := run(*seed, *n, *out, *real); err != nil {
		fmt.Fprintln(os.Stderr, "genhard:", err)
		os.Exit(1)
	}
}

func run(seed uint64, n int, out string, real bool) error {
	t, err := loadTables()
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, 0x4a7d))
	xs := make([]address.Labelled, 0, n)
	for i := 0; i < n; i++ {
		x, kind := t.sample(r), "genhard"
		if real {
			x, kind = t.sampleReal(r), "genhard -real"
		}
		x.Note = fmt.Sprintf("%s seed %d #%d: %s", kind, seed, i, x.Note)
		xs = append(xs, x)
	}
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	if err := address.WriteLabelled(f, xs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// commune is one commune of the last pre-reform list with its parents and
// its successors.
type commune struct {
	code, name, dcode, dname, pcode, pname string
	other                                  []string // earlier names (renamed 2021–2025)
	newCodes                               []string // new communes it went into
	newProv                                string
}

type newCommune struct{ code, name, pcode, pname string }

type tables struct {
	communes []commune
	byDist   map[string][]int
	newC     map[string]newCommune
	shortP   map[string][]string // province code → short forms (HN, TP.HCM, TTH …)
}

func loadTables() (*tables, error) {
	load := func(name string) (*refdata.Table, error) {
		t, err := refdata.Load(name)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
		return t, nil
	}
	pre, err := load("admin_units_2025_pre_reform.csv")
	if err != nil {
		return nil, err
	}
	hist, err := load("admin_units_history_2021_2025.csv")
	if err != nil {
		return nil, err
	}
	mp, err := load("admin_units_2025_mapping.csv")
	if err != nil {
		return nil, err
	}
	n25, err := load("admin_units_2025.csv")
	if err != nil {
		return nil, err
	}
	pm, err := load("province_mapping_2025.csv")
	if err != nil {
		return nil, err
	}
	t := &tables{byDist: map[string][]int{}, newC: map[string]newCommune{}, shortP: map[string][]string{}}
	other := map[string][]string{}
	for _, r := range hist.Rows {
		for _, on := range strings.Split(hist.Get(r, "other_names"), "|") {
			if on != "" {
				other[hist.Get(r, "commune_code")] = append(other[hist.Get(r, "commune_code")], on)
			}
		}
	}
	newCodes := map[string][]string{}
	for _, r := range mp.Rows {
		if mp.Get(r, "preferred") == "1" && mp.Get(r, "old_commune_code") != "" {
			newCodes[mp.Get(r, "old_commune_code")] = append(newCodes[mp.Get(r, "old_commune_code")], mp.Get(r, "new_commune_code"))
		}
	}
	newProv := map[string]string{}
	for _, r := range pm.Rows {
		newProv[pm.Get(r, "old_province_code")] = pm.Get(r, "new_province_code")
	}
	for _, r := range n25.Rows {
		c := newCommune{n25.Get(r, "commune_code"), n25.Get(r, "commune_name"), n25.Get(r, "province_code"), n25.Get(r, "province_name")}
		t.newC[c.code] = c
	}
	for _, r := range pre.Rows {
		cc := pre.Get(r, "commune_code")
		if cc == "" {
			continue // island district without communes
		}
		c := commune{code: cc, name: pre.Get(r, "commune_name"), dcode: pre.Get(r, "district_code"), dname: pre.Get(r, "district_name"),
			pcode: pre.Get(r, "province_code"), pname: pre.Get(r, "province_name"), other: other[cc], newCodes: newCodes[cc],
			newProv: newProv[pre.Get(r, "province_code")]}
		t.byDist[c.dcode] = append(t.byDist[c.dcode], len(t.communes))
		t.communes = append(t.communes, c)
	}
	// Province short forms people write (address_abbreviations.csv and
	// common usage): initialisms with and without dots.
	for code, forms := range map[string][]string{
		"01": {"HN", "TP.HN", "Hà Nội"}, "79": {"TP.HCM", "TPHCM", "HCM", "Tp HCM", "TP.Hồ Chí Minh", "SG"},
		"48": {"ĐN", "TP.ĐN", "Đà Nẵng"}, "31": {"HP", "TP.HP", "Hải Phòng"}, "92": {"CT", "TP.Cần Thơ", "Cần Thơ"},
		"46": {"T.T.H", "TTH", "TT Huế", "Thừa Thiên Huế", "TT-Huế"}, "77": {"BRVT", "BR-VT", "Bà Rịa Vũng Tàu", "T.BR-VT"},
	} {
		t.shortP[code] = forms
	}
	return t, nil
}

// oldDistrictNames are district-level names in use since 2008 that were
// replaced before the first snapshot of the tables (2021): the people
// who lived there kept writing them. Public knowledge, see
// address/README.md; the resolver's own list is address/aliases.go.
var oldDistrictNames = map[string][]string{
	"407": {"Huyện Tĩnh Gia", "H.Tĩnh Gia", "Tĩnh Gia"},      // Thanh Hóa, → Thị xã Nghi Sơn (2020)
	"769": {"Quận 9", "Q.9", "Quận 2", "Q2", "Quận Thủ Đức"}, // TP.HCM, → Thành phố Thủ Đức (2021)
	"206": {"Huyện Yên Hưng", "Yên Hưng"},                    // Quảng Ninh, → Thị xã Quảng Yên (2011)
	"754": {"Huyện Tân Thành", "Tân Thành"},                  // Bà Rịa - Vũng Tàu, → Thị xã Phú Mỹ (2018)
}

// sample draws one commune and writes its address through the corruption
// model.
func (t *tables) sample(r *rand.Rand) address.Labelled {
	var c *commune
	var oldDist string
	if r.IntN(100) < 3 {
		// an old district name
		ds := []string{"407", "769", "206", "754"}
		d := ds[r.IntN(len(ds))]
		idx := t.byDist[d]
		c = &t.communes[idx[r.IntN(len(idx))]]
		names := oldDistrictNames[d]
		oldDist = names[r.IntN(len(names))]
	} else {
		c = &t.communes[r.IntN(len(t.communes))]
	}
	var notes []string
	note := func(s string) { notes = append(notes, s) }

	// Era: most text is pre-reform; after the reform people write either
	// the old address (unchanged papers) or the new one.
	post := r.IntN(100) < 20
	newStyle := post && r.IntN(2) == 0
	asOf := fmt.Sprintf("%d-%02d-%02d", 2019+r.IntN(6), 1+r.IntN(12), 1+r.IntN(28))
	if asOf >= "2025-07-01" {
		asOf = "2024-" + asOf[5:]
	}
	if post {
		asOf = fmt.Sprintf("2025-%02d-%02d", 7+r.IntN(6), 1+r.IntN(28))
	}
	x := labelFor(c, asOf)

	// The levels, smallest first, each as (type word, proper name).
	type level struct{ typ, name, lvl string }
	var lv []level
	if newStyle {
		nc := t.newCommuneOf(r, c, &x)
		ty, nm := splitType(nc.name)
		lv = append(lv, level{ty, nm, "c"})
		ty, nm = splitType(nc.pname)
		lv = append(lv, level{ty, nm, "p"})
		note("new-units")
	} else {
		x.ProvinceCode, x.DistrictCode, x.CommuneCode = c.pcode, c.dcode, c.code
		ty, nm := splitType(c.name)
		if len(c.other) > 0 && r.IntN(100) < 30 {
			ty, nm = splitType(c.other[r.IntN(len(c.other))])
			note("old-commune-name")
		}
		lv = append(lv, level{ty, nm, "c"})
		ty, nm = splitType(c.dname)
		if oldDist != "" {
			ty, nm = splitType(oldDist)
			note("old-district-name")
		}
		lv = append(lv, level{ty, nm, "d"})
		ty, nm = splitType(c.pname)
		lv = append(lv, level{ty, nm, "p"})
	}

	// Missing levels: never the commune (its truth would be unknowable),
	// at most one of the others.
	switch k := r.IntN(100); {
	case k < 12 && len(lv) == 3:
		lv = append(lv[:1], lv[2])
		note("no-district")
	case k < 22:
		lv = lv[:len(lv)-1]
		note("no-province")
	}

	// Type words: a style for the address, then per level.
	style := r.IntN(100)
	for i := range lv {
		l := &lv[i]
		if l.lvl == "p" && l.typ == "Tỉnh" || l.lvl == "p" && l.typ == "Thành phố" {
			if forms := t.shortP[x.ProvinceCode]; len(forms) > 0 && !newStyle && r.IntN(100) < 35 {
				l.typ, l.name = "", forms[r.IntN(len(forms))]
				note("province-short-form")
				continue
			}
		}
		if l.typ == "" {
			continue
		}
		switch {
		case style < 35: // full
		case style < 60:
			l.typ = abbrev(l.typ, true)
			note("abbrev")
		case style < 70:
			l.typ = abbrev(l.typ, false)
			note("abbrev")
		default:
			// a number is never written without its type word ("P.3")
			if r.IntN(100) < 70 && !numeric(l.name) {
				l.typ = ""
				note("no-type-word")
			}
		}
		if l.typ != "" && r.IntN(100) < 15 {
			l.typ = strings.TrimRight(l.typ, " ") + "\x00" // glued to the name
			note("glued")
		}
		if l.typ != "" && len(l.typ) > 3 && r.IntN(100) < 8 {
			l.typ = typo(r, l.typ)
			note("type-word-typo")
		}
	}

	// Letters: diacritics, case, typos inside the names.
	diac := r.IntN(100)
	edits := 0
	switch k := r.IntN(100); {
	case k < 30:
	case k < 68:
		edits = 1
	case k < 88:
		edits = 2
	default:
		edits = 3
	}
	for e := 0; e < edits; e++ {
		l := &lv[r.IntN(len(lv))]
		if numeric(l.name) {
			continue
		}
		l.name = typo(r, l.name)
		note("typo")
	}
	if r.IntN(100) < 4 {
		// a word of a longer name dropped
		for i := range lv {
			if w := strings.Fields(lv[i].name); len(w) >= 3 {
				k := r.IntN(len(w))
				lv[i].name = strings.Join(append(w[:k:k], w[k+1:]...), " ")
				note("word-dropped")
				break
			}
		}
	}

	// Separators.
	sep, kind := pickSep(r, []sepChoice{{55, ", ", ""}, {65, ",", ""}, {80, " ", "no-separators"}, {88, " - ", ""}, {94, " ,", ""}, {100, ",  ", ""}})
	if kind != "" {
		note(kind)
	}
	var parts []string
	if r.IntN(100) < 35 {
		parts = append(parts, detail(r))
	}
	for _, l := range lv {
		var s string
		switch {
		case strings.HasSuffix(l.typ, "\x00"):
			s = strings.TrimSuffix(l.typ, "\x00") + l.name
		case l.typ != "":
			s = l.typ + " " + l.name
		default:
			s = l.name
		}
		parts = append(parts, s)
	}
	if r.IntN(100) < 5 {
		// left to right
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
		note("reversed")
	}
	text := strings.Join(parts, sep)
	switch {
	case diac < 18:
		text = stripMarks(text)
		note("no-diacritics")
	case diac < 26:
		text = stripSomeMarks(r, text)
		note("some-diacritics")
	case diac < 32:
		text = moveTones(r, text)
		note("tones-misplaced")
	}
	switch k := r.IntN(100); {
	case k < 10:
		text = strings.ToLower(text)
		note("lower-case")
	case k < 15:
		text = strings.ToUpper(text)
		note("upper-case")
	}
	if r.IntN(100) < 5 {
		text = "  " + text + " ."
	}
	x.Text = norm.NFC.String(text)
	if len(notes) == 0 {
		// every address of the hard set carries a corruption
		x.Text = strings.ReplaceAll(x.Text, ", ", ",")
		note("tight-commas")
	}
	x.Note = strings.Join(uniq(notes), " ")
	return x
}

// labelFor is the label of an address of commune c dated asOf before
// its text is written: the new province, and the new commune when the
// old one went into one only.
func labelFor(c *commune, asOf string) address.Labelled {
	x := address.Labelled{AsOf: asOf, NewProvinceCode: c.newProv}
	if len(c.newCodes) == 1 {
		x.NewCommuneCode = c.newCodes[0]
	}
	return x
}

// newCommuneOf is the new commune an address of c written in the new
// units names: the one of x, else one of those c was split into, drawn
// (and set in x).
func (t *tables) newCommuneOf(r *rand.Rand, c *commune, x *address.Labelled) newCommune {
	if x.NewCommuneCode == "" {
		x.NewCommuneCode = c.newCodes[r.IntN(len(c.newCodes))]
	}
	return t.newC[x.NewCommuneCode]
}

// sepChoice is one separator between the parts of an address: chosen
// when a draw of 0–99 is below upTo (and above the choice before), with
// the note it adds ("" for none).
type sepChoice struct {
	upTo      int
	sep, note string
}

// pickSep draws the separator of an address from cs.
func pickSep(r *rand.Rand, cs []sepChoice) (string, string) {
	k := r.IntN(100)
	for _, c := range cs {
		if k < c.upTo {
			return c.sep, c.note
		}
	}
	last := cs[len(cs)-1]
	return last.sep, last.note
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func numeric(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var typeWords = []string{"Thành phố", "Thị xã", "Thị trấn", "Tỉnh", "Quận", "Huyện", "Phường", "Xã", "Đặc khu"}

func splitType(name string) (string, string) {
	for _, p := range typeWords {
		if strings.HasPrefix(name, p+" ") {
			return p, name[len(p)+1:]
		}
	}
	return "", name
}

// abbrev is the short form of a type word: with a dot ("X.", "TP.") or
// without ("X", "TP").
func abbrev(typ string, dot bool) string {
	a := map[string]string{"Thành phố": "TP", "Thị xã": "TX", "Thị trấn": "TT", "Tỉnh": "T", "Quận": "Q",
		"Huyện": "H", "Phường": "P", "Xã": "X", "Đặc khu": "ĐK"}[typ]
	if dot {
		return a + "."
	}
	return a
}

// detail is the part below the commune: a house number and street, or a
// hamlet.
func detail(r *rand.Rand) string {
	streets := []string{"Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hùng Vương", "Quang Trung", "Lý Thường Kiệt", "Hai Bà Trưng"}
	hamlets := []string{"Thôn Đông", "Xóm 3", "Ấp Phú Lợi", "Thôn 5", "Bản Na", "Tổ 12", "Khu phố 4", "Thôn Trung", "Ấp 2", "Tổ dân phố 7"}
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("Số %d %s", 1+r.IntN(300), streets[r.IntN(len(streets))])
	case 1:
		return fmt.Sprintf("%d/%d %s", 1+r.IntN(200), 1+r.IntN(50), streets[r.IntN(len(streets))])
	default:
		return hamlets[r.IntN(len(hamlets))]
	}
}

// keyboard neighbours on a QWERTY layout.
var neighbours = map[rune]string{
	'q': "wa", 'w': "qes", 'e': "wrd", 'r': "etf", 't': "ryg", 'y': "tuh", 'u': "yij", 'i': "uok", 'o': "ipl", 'p': "ol",
	'a': "qsz", 's': "adwx", 'd': "sfe", 'f': "dgr", 'g': "fht", 'h': "gjy", 'j': "hku", 'k': "jli", 'l': "ko",
	'z': "xa", 'x': "zcs", 'c': "xvd", 'v': "cbf", 'b': "vng", 'n': "bmh", 'm': "nj",
}

// ocr confusions of one letter or pair.
var ocr = [][2]string{{"m", "rn"}, {"rn", "m"}, {"l", "1"}, {"i", "l"}, {"o", "0"}, {"ơ", "o"}, {"ư", "u"}, {"đ", "d"}, {"Đ", "D"}, {"h", "b"}, {"n", "u"}, {"u", "n"}, {"c", "e"}}

// typo applies one error to one letter of s: dropped (the first letter
// too), doubled, swapped with the next, replaced by a keyboard neighbour,
// a stray letter or digit inserted, an OCR confusion, a telex key left
// behind, or a dot inside the word.
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	var pos []int
	for i, c := range rs {
		if unicode.IsLetter(c) {
			pos = append(pos, i)
		}
	}
	if len(pos) < 2 {
		return s
	}
	p := pos[r.IntN(len(pos))]
	switch k := r.IntN(100); {
	case k < 26: // drop
		return string(append(rs[:p:p], rs[p+1:]...))
	case k < 36: // double
		return string(append(rs[:p+1:p+1], rs[p:]...))
	case k < 50: // swap
		if p+1 < len(rs) && unicode.IsLetter(rs[p+1]) {
			rs[p], rs[p+1] = rs[p+1], rs[p]
		}
		return string(rs)
	case k < 68: // keyboard neighbour of the base letter
		base := []rune(stripMarks(string(rs[p])))[0]
		lower := unicode.ToLower(base)
		if nb := neighbours[lower]; nb != "" {
			c := rune(nb[r.IntN(len(nb))])
			if unicode.IsUpper(base) {
				c = unicode.ToUpper(c)
			}
			rs[p] = c
		}
		return string(rs)
	case k < 76: // stray letter or digit
		c := rune('a' + r.IntN(26))
		if r.IntN(3) == 0 {
			c = rune('0' + r.IntN(10))
		}
		return string(append(rs[:p:p], append([]rune{c}, rs[p:]...)...))
	case k < 88: // OCR confusion
		for _, i := range r.Perm(len(ocr)) {
			if strings.Contains(s, ocr[i][0]) {
				return strings.Replace(s, ocr[i][0], ocr[i][1], 1)
			}
		}
		return s
	case k < 94: // telex: the tone key typed but not converted
		words := strings.Fields(s)
		w := r.IntN(len(words))
		d := norm.NFD.String(words[w])
		for tone, key := range map[rune]string{'\u0300': "f", '\u0301': "s", '\u0303': "x", '\u0309': "r", '\u0323': "j"} {
			if strings.ContainsRune(d, tone) {
				words[w] = norm.NFC.String(strings.ReplaceAll(d, string(tone), "")) + key
				return strings.Join(words, " ")
			}
		}
		return s
	default: // a dot after a letter (OCR / hurried typing): "C.hâu"
		if p+1 < len(rs) {
			return string(append(rs[:p+1:p+1], append([]rune{'.'}, rs[p+1:]...)...))
		}
		return s
	}
}

// stripMarks removes every diacritic (đ → d).
func stripMarks(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, c):
		case c == 'đ':
			b.WriteByte('d')
		case c == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(c)
		}
	}
	return norm.NFC.String(b.String())
}

// stripSomeMarks removes the diacritics of about half the words, or only
// their tone marks.
func stripSomeMarks(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		switch r.IntN(4) {
		case 0:
			words[i] = stripMarks(w)
		case 1:
			words[i] = stripTones(w)
		}
	}
	return strings.Join(words, " ")
}

func isTone(c rune) bool {
	return c == '\u0300' || c == '\u0301' || c == '\u0303' || c == '\u0309' || c == '\u0323'
}

func stripTones(w string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(w) {
		if !isTone(c) {
			b.WriteRune(c)
		}
	}
	return norm.NFC.String(b.String())
}

// moveTones puts the tone mark of some words on another vowel ("Hoà" for
// "Hòa", "Thuy" style) or gives a word the wrong tone.
func moveTones(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if r.IntN(2) == 0 {
			continue
		}
		d := []rune(norm.NFD.String(w))
		ti := -1
		for k, c := range d {
			if isTone(c) {
				ti = k
			}
		}
		if ti < 0 {
			continue
		}
		tone := d[ti]
		d = append(d[:ti:ti], d[ti+1:]...)
		var vowels []int
		for k, c := range d {
			if strings.ContainsRune("aeiouyAEIOUY", c) {
				vowels = append(vowels, k)
			}
		}
		if len(vowels) == 0 {
			continue
		}
		if r.IntN(3) == 0 {
			tone = []rune{'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}[r.IntN(5)]
		}
		v := vowels[r.IntN(len(vowels))]
		// after the vowel and its shape marks
		at := v + 1
		for at < len(d) && unicode.Is(unicode.Mn, d[at]) {
			at++
		}
		d = append(d[:at:at], append([]rune{tone}, d[at:]...)...)
		words[i] = norm.NFC.String(string(d))
	}
	return strings.Join(words, " ")
}
