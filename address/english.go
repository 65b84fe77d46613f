package address

import (
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/vn"
)

// englishMarkers are the type, street and hamlet words of addresses
// written in English ("Ward 5, District 3", "Ben Nghe Ward", "Hoan Kiem
// Dist.", "Ho Chi Minh City", "12 Ly Thuong Kiet Street"): markers like
// the Vietnamese ones, read before a number and, after a name, moved in
// front of it (webWords). No Vietnamese syllable folds to any of them.
var englishMarkers = map[string]marker{
	"ward": mWard, "district": mUrban | mRural, "dist": mUrban | mRural, "commune": mCommune, "province": mProvince,
	"city": mCity, "town": mTown | mTownship, "township": mTownship,
	"street": mStreet, "st": mStreet, "road": mStreet, "alley": mStreet, "lane": mStreet, "avenue": mStreet, "hamlet": mHamlet, "village": mHamlet,
}

// englishSuffix reports whether a folded word is one of englishMarkers,
// without a map lookup (webWords asks it of every word).
func englishSuffix(k string) bool {
	switch k {
	case "ward", "district", "dist", "commune", "province", "city", "town", "township", "street", "st", "road", "alley", "lane", "avenue", "hamlet", "village":
		return true
	}
	return false
}

// numeral is the value of a Vietnamese number word as wards and urban
// districts are said ("Phường Mười Hai", "Quận Nhất", "Quận Tư"), -1
// for any other word; tens is true for "mười"/"mươi".
func numeral(k string) (v int, tens bool) {
	switch k {
	case "mot", "nhat", "nhut", "mot1":
		return 1, false
	case "hai", "nhi":
		return 2, false
	case "ba":
		return 3, false
	case "bon", "tu":
		return 4, false
	case "nam", "lam":
		return 5, false
	case "sau":
		return 6, false
	case "bay":
		return 7, false
	case "tam":
		return 8, false
	case "chin":
		return 9, false
	case "muoi":
		return 10, true
	}
	return -1, false
}

// numeralWord is numeral(k) > 0.
func numeralWord(k string) bool {
	v, _ := numeral(k)
	return v > 0
}

// numStr holds the numbers 0 … 99 as text, so that a number written in
// words becomes a token without allocating.
var numStr = func() (s [100]string) {
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

// setInitials fills g.initials from the provinces of both eras.
func (g *gazetteer) setInitials() {
	g.initials = map[string]word{}
	seen := map[string]int32{}
	for id := range g.units {
		u := &g.units[id]
		if u.kind != kProvince && u.kind != kNewProvince {
			continue
		}
		first, second, ok := strings.Cut(u.key, " ")
		if !ok || strings.Contains(second, " ") {
			continue
		}
		k := first[:1] + " " + second
		if other, dup := seen[k]; dup && g.units[other].key != u.key {
			g.initials[k] = word{id: -1} // two provinces: not read
			continue
		}
		seen[k] = int32(id)
		if wd, ok := g.words[first]; ok && g.initials[k].id >= 0 {
			g.initials[k] = wd
		}
	}
	for k, wd := range g.initials {
		if wd.id < 0 {
			delete(g.initials, k)
		}
	}
}

// webWords reads what web pages and forms write that the scan does not:
//   - a number written in words after a ward or urban district word
//     ("phường Mười Hai", "Quận Nhất", "phuong bay, q. Tan Binh") is the
//     number, when the words end their part and are no unit's name;
//   - an English type, street or hamlet word after a name ("Ben Nghe
//     Ward", "Go Vap Dist.", "Thu Duc City", "Le Loi Street") is moved
//     before it, where the scan reads markers; before a number ("Ward 5",
//     "District 3") it stays;
//   - a province written with its first word cut to its initial and a
//     dot ("T.Hóa", "Q.Ngãi", "Đ.Nai"), a part of its own, is read as
//     the province, when one province only is written so;
//   - the country at the end ("Việt Nam", "Vietnam", "VN") is dropped,
//     and a postal code (six digits, or five after a word of its part);
//   - " / " separates parts as " - " does.
//
// It allocates nothing: tokens are rewritten in place.
func (st *state) webWords() {
	toks := st.toks
	toks = toks[st.label(toks):]
	// a telephone number at the end, and the word that says so
	if n := len(toks); n >= 2 && vn.AllDigits(toks[n-1].key) && len(toks[n-1].key) >= 9 && len(toks[n-1].key) <= 11 {
		toks = toks[:n-1]
		if n := len(toks); n >= 2 && phoneWord(toks[n-1].key) {
			toks = toks[:n-1]
		}
	}
	// the country at the end
	if n := len(toks); n >= 2 {
		switch k := toks[n-1].key; {
		case k == "vietnam" || k == "vn" && (toks[n-1].hard || toks[n-1].dash):
			toks = toks[:n-1]
		case k == "nam" && n >= 3 && toks[n-2].key == "viet":
			toks = toks[:n-2]
		}
	}
	// a postal code at the end
	if n := len(toks); n >= 2 && vn.AllDigits(toks[n-1].key) && (len(toks[n-1].key) == 6 || len(toks[n-1].key) == 5 && !toks[n-1].hard && !toks[n-1].dash) {
		toks = toks[:n-1]
	}
	lastEnd := 0 // where the words a moved English word may take begin
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.soft && !t.dash && t.start >= 3 && st.text[t.start-1] == ' ' && st.text[t.start-2] == '/' && st.text[t.start-3] == ' ' {
			t.dash = true // " / " separates parts as " - " does
		}
		if !t.marker && len(t.key) != 1 {
			continue // (most words: what follows reads markers and letters)
		}
		if c := t.key[0]; t.marker && i+1 < len(toks) && (c == 'p' || c == 'q' || c == 'f' || c == 'w' || c == 'd') {
			// (a type word after another is a name's first word: "Xã
			// Phương Nam", "T. Quản Nam")
			if n := &toks[i+1]; !n.hard && !n.dash && len(n.key) <= 5 && numeralWord(n.key) && st.g.markers[t.key]&(mWard|mUrban) != 0 &&
				(i == 0 || t.hard || t.dash || !(toks[i-1].marker && st.g.markers[toks[i-1].key]&mAdmin != 0)) {
				toks = st.numberWords(toks, i+1)
			}
		}
		if len(t.key) == 1 && i+1 < len(toks) && (i == 0 || t.hard || t.dash) && toks[i+1].soft && !toks[i+1].hard && !toks[i+1].dash &&
			(i+2 == len(toks) || toks[i+2].hard || toks[i+2].dash) && toks[i+1].start == t.end+1 && st.text[t.end] == '.' {
			st.initial(t, &toks[i+1])
		}
		if i == 0 || t.hard || t.dash || !t.marker || t.id >= 0 || !englishSuffix(t.key) {
			continue
		}
		if i+1 < len(toks) && vn.AllDigits(toks[i+1].key) && !toks[i+1].hard && !toks[i+1].dash {
			continue // "Ward 5", "District 3"
		}
		// the name before it: back to the part's start, a number or the
		// last word moved (a Vietnamese type word is not written with an
		// English one: "Quan Ba Dist." is Quản Bạ)
		a := i
		for a > lastEnd && !vn.AllDigits(toks[a-1].key) {
			a--
			if toks[a].hard || toks[a].dash {
				break
			}
		}
		if a == i || i-a > 4 {
			lastEnd = i + 1
			continue
		}
		w := *t
		copy(toks[a+1:i+1], toks[a:i])
		w.hard, w.soft, w.dash = toks[a+1].hard, toks[a+1].soft, toks[a+1].dash
		w.start, w.end = toks[a+1].start, toks[a+1].start // no text of its own where it now stands
		toks[a+1].hard, toks[a+1].soft, toks[a+1].dash = false, false, false
		toks[a] = w
		lastEnd = i + 1
	}
	st.toks = toks
}

// phoneWord reports whether a folded word says a telephone number
// follows.
func phoneWord(k string) bool {
	switch k {
	case "dt", "sdt", "dtdd", "tel", "phone", "hotline", "mobile", "mb", "lh":
		return true
	}
	return false
}

// labels are what forms and pages write before an address and a colon,
// folded.
var labels = map[string]bool{
	"dia chi": true, "dc": true, "d c": true, "address": true, "add": true, "addr": true, "dia chi thuong tru": true,
	"thuong tru": true, "tam tru": true, "noi o": true, "noi o hien tai": true, "cho o hien tai": true, "que quan": true,
	"noi sinh": true, "dia chi lien he": true, "hktt": true, "noi thuong tru": true, "dia chi lien lac": true, "nguyen quan": true,
}

// label returns how many words a label such as "Địa chỉ:" or "ĐC:" at
// the start of the text takes (0 when there is none): the colon right
// after its last word.
func (st *state) label(toks []token) int {
	for k := 1; k < len(toks) && k <= 4; k++ {
		if e := toks[k-1].end; e >= len(st.text) || st.text[e] != ':' {
			continue
		}
		if labels[string(st.spanKey(toks, 0, k, false))] {
			toks[k].hard, toks[k].soft, toks[k].dash = false, false, false
			return k
		}
		return 0
	}
	return 0
}

// initial reads t, the one letter of a part "T.Hóa" whose second word
// is b, as the first word of the province written so, when the second
// word alone names no unit.
func (st *state) initial(t, b *token) {
	if len(st.g.initials) == 0 {
		return
	}
	if sl, ok := st.g.index[b.key]; ok && len(sl.es) > 0 {
		return
	}
	st.scratch = append(append(append(st.scratch[:0], t.key...), ' '), b.key...)
	if wd, ok := st.g.initials[string(st.scratch)]; ok {
		t.key, t.id, t.marker = wd.s, wd.id, wd.marker
		b.soft = false
	}
}

// numberWords replaces the number words starting at word b with the
// number they say, when they end their part (or a type word follows) and
// no unit of the kind the type word before them says is named by them.
func (st *state) numberWords(toks []token, b int) []token {
	v, tens := numeral(toks[b].key)
	e := b + 1
	if e < len(toks) && !toks[e].hard && !toks[e].dash {
		if u, t2 := numeral(toks[e].key); u > 0 {
			switch {
			case tens && !t2 && u < 10: // mười hai
				v, e = 10+u, e+1
			case !tens && t2 && v < 10: // hai mươi
				v, e = 10*v, e+1
				if e < len(toks) && !toks[e].hard && !toks[e].dash {
					if u, t3 := numeral(toks[e].key); u > 0 && !t3 && u < 10 {
						v, e = v+u, e+1
					}
				}
			}
		}
	}
	more := e < len(toks) && !toks[e].hard && !toks[e].dash
	if more && !(toks[e].marker && st.g.markers[toks[e].key]&mAdmin != 0) {
		return toks // more words follow: a name ("Quận Ba Đình", "Hai Bà Trưng")
	}
	if sl, ok := st.g.index[string(st.spanKey(toks, b, e, false))]; ok {
		// a unit of the type word's kind is named so (Xã Ba and Xã Tư
		// do not make "Quận Ba" and "Quận Tư" names)
		m := st.g.markers[toks[b-1].key]
		for _, en := range sl.es {
			if markerOf[st.g.units[en.unit].typ]&m != 0 {
				return toks
			}
		}
	}
	if sl, ok := st.g.index[string(st.spanKey(toks, b-1, e, false))]; ok {
		// the type word may begin the name: "Phương Nam" (Uông Bí), unless
		// its marks are the type word's, not the name's ("Quận Ba" is not
		// Quản Bạ)
		t := &toks[b-1]
		for _, en := range sl.es {
			if t.ascii {
				return toks
			}
			u := &st.g.units[en.unit]
			first := u.sig
			if x := stringIndexSpace(first); x < len(first) {
				first = first[:x]
			}
			st.sig = appendMarkSig(st.sig[:0], st.text[t.start:t.end])
			if !wordMarksDisagree(st.sig, first) {
				return toks
			}
		}
	}
	// the type word may be inside a name, the words before it in its
	// part its first ones: "Tam Quan Nam" (Hoài Nhơn) is no Quận 5
	for a := b - 2; a >= 0 && a >= b-4 && !toks[a+1].hard && !toks[a+1].dash; a-- {
		if _, ok := st.g.index[string(st.spanKey(toks, a, e, false))]; ok {
			return toks
		}
	}
	if _, ok := st.g.index[string(st.spanKey(toks, b, e, more))]; ok && more {
		return toks // a name goes on with the type word after ("Tam Quan")
	}
	k := numStr[v]
	wd, ok := st.g.words[k]
	if !ok {
		wd.id = -1
	}
	nt := toks[b]
	nt.key, nt.id, nt.marker, nt.end = k, wd.id, false, toks[e-1].end
	toks[b] = nt
	n := copy(toks[b+1:], toks[e:])
	return toks[:b+1+n]
}

// spanKey is the folded text of words [b, e) of toks, and of word e
// too when next, in st.scratch.
func (st *state) spanKey(toks []token, b, e int, next bool) []byte {
	if next {
		e++
	}
	st.scratch = st.scratch[:0]
	for k := b; k < e; k++ {
		if k > b {
			st.scratch = append(st.scratch, ' ')
		}
		st.scratch = append(st.scratch, toks[k].key...)
	}
	return st.scratch
}
