package address

import (
	"strings"

	"github.com/dancu-vn/dancu/vn"
)

// tieEps is how close two readings' scores must be for the address to
// count as ambiguous between them.
const tieEps = 0.05

func (g *gazetteer) pub(id int32) Unit {
	if id < 0 {
		return Unit{}
	}
	return g.pubs[id] // the unit's code and name, 32 bytes, not its ~200-byte unit
}

// pubID is pub of a unit's id + 1 (0: none), read from g.pubs.
func (g *gazetteer) pubID(id int32) Unit {
	if id <= 0 {
		return Unit{}
	}
	return g.pubs[id-1]
}

// codes returns the codes of the units of ids (ids + 1, 0: none).
func (g *gazetteer) codes(ids *[5]int32) Codes {
	return Codes{g.pubID(ids[0]).Code, g.pubID(ids[1]).Code, g.pubID(ids[2]).Code, g.pubID(ids[3]).Code, g.pubID(ids[4]).Code}
}

// deepest is the smallest unit a chain names.
func (st *state) deepest(ch *chain) int32 {
	switch { // (not a loop over the three: build asks for every chain)
	case ch.c >= 0:
		return st.matches[ch.c].u
	case ch.d >= 0:
		return st.matches[ch.d].u
	case ch.p >= 0:
		return st.matches[ch.p].u
	}
	return -1
}

// build fills res from the best chain and those tied with it.
func (st *state) build(res *Result, best int, post bool) {
	g := st.g
	b := st.chains[best]
	bestDeep := st.deepest(&b)
	var second float32 = -1e9
	older := false
	// bare: every reading kept is one unit read from the whole text, as
	// written, with no type word; pb: the best of them that is a province
	bare, pb := true, -1
	for k := range st.chains {
		ch := &st.chains[k]
		if ch.score >= b.score-tieEps {
			st.expand(ch)
			bare, pb = st.bareReading(ch, k, bare, pb)
			continue
		}
		if st.oldBetter(&b, ch, post) {
			st.expand(ch)
			bare, pb = st.bareReading(ch, k, bare, pb)
			older = true
			continue
		}
		// (second is read by the confidence alone)
		if !st.codesOnly && st.deepest(ch) != bestDeep && ch.score > second {
			second = ch.score
		}
	}
	if older {
		st.preferOlder(&b, post)
	}
	ts := st.tuples
	if len(ts) == 0 {
		return
	}
	c := ts[0]
	for _, t := range ts[1:] {
		for l := range c {
			if t[l] != c[l] {
				c[l] = -1
			}
		}
	}
	if bare && pb >= 0 && (c[0] < 0 || c[3] < 0) {
		if p, ok := provinceOnly(ts); ok && (p[0] >= 0 && c[0] < 0 || p[3] >= 0 && c[3] < 0) {
			c, b = p, st.chains[pb]
		}
	}
	res.ids = [5]int32{c[0] + 1, c[1] + 1, c[2] + 1, c[3] + 1, c[4] + 1}
	if st.codesOnly {
		return // the ids are all resolveCodes wants
	}
	res.Province, res.District, res.Commune, res.NewProvince, res.NewCommune = g.pub(c[0]), g.pub(c[1]), g.pub(c[2]), g.pub(c[3]), g.pub(c[4])
	// Units named by an earlier name keep it, as written.
	for _, k := range []int{b.c, b.d, b.p} {
		if k < 0 {
			continue
		}
		m := &st.matches[k]
		if !m.fuzzy && g.hot[m.u].alts && containsString(g.units[m.u].alts, string(st.key(m.i, m.j))) {
			res.OldNames = append(res.OldNames, st.span(m.ms, m.j))
		}
	}
	if len(ts) > 1 {
		res.Candidates = make([]Candidate, len(ts))
		for i, t := range ts {
			res.Candidates[i] = Candidate{Province: g.pub(t[0]), District: g.pub(t[1]), Commune: g.pub(t[2]), NewProvince: g.pub(t[3]), NewCommune: g.pub(t[4])}
		}
	}

	// Confidence: how well the words matched, which levels were written,
	// how far the next other reading is, and whether one reading remains.
	conf := float32(1)
	for _, k := range []int{b.c, b.d, b.p} {
		if k < 0 {
			continue
		}
		m := &st.matches[k]
		if m.q < 1 {
			conf *= m.q
		}
		if m.ms == m.i {
			conf *= 0.98 // no type word
		}
	}
	if b.c < 0 {
		conf *= 0.6
	}
	if b.p < 0 {
		conf *= 0.97
	}
	if !b.newEra && b.c >= 0 && b.d < 0 {
		conf *= 0.97
	}
	if d := b.score - second; d < 0.5 {
		conf *= 0.5 + d
	}
	if len(ts) > 1 {
		conf *= 0.6
	}
	if u := b.c; u >= 0 && g.hot[st.matches[u].u].kind == kCommune && !g.hot[st.matches[u].u].final {
		conf *= 0.9 // merged away before the reform
	}
	if conf < 0 {
		conf = 0
	}
	if conf > 1 {
		conf = 1
	}
	res.Confidence = float64(int(conf*1000+0.5)) / 1000
}

// bareReading adds chain ch (index k), one of the readings build keeps,
// to what it knows of them: whether all are bare (one unit, not a
// misspelling, read from every word of the text, with no type word:
// "Lạng Sơn" as the province, its city or Xã Lạng Sơn of Nghệ An) and
// the best bare province reading (pb).
func (st *state) bareReading(ch *chain, k int, bare bool, pb int) (bool, int) {
	if !bare {
		return false, -1
	}
	x, n := -1, 0
	for _, y := range [...]int{ch.c, ch.d, ch.p} {
		if y >= 0 {
			x = y
			n++
		}
	}
	if n != 1 {
		return false, -1
	}
	m := &st.matches[x]
	if m.fuzzy || m.ms != 0 || m.i != 0 || m.j != len(st.toks) {
		return false, -1
	}
	if x == ch.p && (pb < 0 || ch.score > st.chains[pb].score) {
		pb = k
	}
	return true, pb
}

// provinceOnly returns the units that the province readings among ts
// (those with no district, commune or new commune) agree on, province and
// new province alone, and whether there are any. A text that is a
// province's name and nothing else, with no type word, is by the way
// addresses are written that province, even when a district or commune
// elsewhere bears its name: a commune is not written alone. build then
// gives the province levels only, the other readings kept as candidates.
func provinceOnly(ts []tuple) (tuple, bool) {
	p, found := noTuple, false
	for _, t := range ts {
		if t[1] >= 0 || t[2] >= 0 || t[4] >= 0 {
			continue
		}
		if !found {
			p[0], p[3], found = t[0], t[3], true
			continue
		}
		if t[0] != p[0] {
			p[0] = -1
		}
		if t[3] != p[3] {
			p[3] = -1
		}
	}
	return p, found
}

// oldBetter reports whether chain ch, in the old units, reads a text
// dated after the reform better than the best chain b, in the new ones,
// but for the era the date says (eraBonus): after the reform people
// write both, and the date alone does not decide between a reading that
// the words fit better and one in the units of the date ("phường ngô
// mây, tỉnh gia lai" is the old Phường Ngô Mây of An Khê as much as the
// new Xã Ngô Mây, of Bình Định's Phù Cát): both are kept, as candidates.
func (st *state) oldBetter(b, ch *chain, post bool) bool {
	// (by more than the rounding of equal readings' sums, and reading
	// every word b reads: "Xã Phượng Dực" is the new Xã Phượng Dực, not
	// Dực after a type word Phường as the old Phường Đúc)
	// Words it reads beyond b's must be read as written, not as a
	// misspelling ("Bản Hạ, xã Xín Mần": Bản Hạ is a hamlet, not Xã Bản
	// Ngò of Huyện Xín Mần a letter away).
	if !post || !b.newEra || ch.newEra || ch.score <= b.score-eraBonus+0.01 {
		return false
	}
	cb := st.covers(b)
	if cb&^st.covers(ch) != 0 {
		return false
	}
	for _, k := range [...]int{ch.c, ch.d, ch.p} {
		if k >= 0 && st.matches[k].fuzzy && st.covers(&chain{c: k, d: -1, p: -1})&^cb != 0 {
			return false
		}
	}
	return true
}

// covers is the set of words (the first 64) chain c reads, type words
// included.
func (st *state) covers(c *chain) uint64 {
	var w uint64
	for _, k := range [...]int{c.c, c.d, c.p} {
		if k >= 0 {
			m := &st.matches[k]
			for x := m.ms; x < m.j && x < 64; x++ {
				w |= 1 << uint(x)
			}
		}
	}
	return w
}

// preferOlder keeps only the readings of the chains in the old units
// that read the words better than the best chain, in the new ones, but
// for the era (oldBetter), when each of them is also a reading of the
// chains in the new units tied with the best: the two eras then agree,
// and the old units name the commune the new one was made of ("Xã Cảnh
// Thụy, Thành phố Bắc Giang" after the reform is the old Cảnh Thụy, not
// any of the three communes of the new Phường Cảnh Thụy). Otherwise all
// are kept, as build found them.
func (st *state) preferOlder(b *chain, post bool) {
	all := len(st.tuples)
	st.tupleBase = all
	for k := range st.chains {
		if ch := &st.chains[k]; !ch.newEra && (ch.score >= b.score-tieEps || st.oldBetter(b, ch, post)) {
			if st.splits(ch, b) {
				// "Xã Tân Hà Lâm Hà" is one new name, not Tân Hà in Lâm Hà
				st.tupleBase = 0
				return
			}
			st.expand(ch)
		}
	}
	no := len(st.tuples)
	st.tupleBase = no
	for k := range st.chains {
		if ch := &st.chains[k]; ch.newEra && ch.score >= b.score-tieEps {
			st.expand(ch)
		}
	}
	st.tupleBase = 0
	older, newer := st.tuples[all:no], st.tuples[no:]
	agree := len(older) > 0
	for _, t := range older {
		found := false
		for _, x := range newer {
			if x == t {
				found = true
				break
			}
		}
		if !found {
			agree = false
			break
		}
	}
	if agree {
		st.tuples = st.tuples[:copy(st.tuples, older)]
	} else {
		st.tuples = st.tuples[:all]
	}
}

// splits reports whether chain ch reads as two of its units the words
// chain b reads as one.
func (st *state) splits(ch, b *chain) bool {
	for _, x := range [...]int{b.c, b.d, b.p} {
		if x < 0 {
			continue
		}
		m := &st.matches[x]
		n := 0
		for _, y := range [...]int{ch.c, ch.d, ch.p} {
			if y >= 0 && st.matches[y].i >= m.i && st.matches[y].j <= m.j {
				n++
			}
		}
		if n > 1 {
			return true
		}
	}
	return false
}

// tuple is one complete reading as unit ids: province, district,
// commune, new province, new commune (-1 = none).
type tuple [5]int32

var noTuple = tuple{-1, -1, -1, -1, -1}

// expand appends the complete readings (both eras) of chain ch.
func (st *state) expand(ch *chain) {
	g := st.g
	if !ch.newEra {
		switch {
		case ch.c >= 0:
			// (kind, final, parents from the units' hot records, 20 bytes
			// each; only the successor lists from the ~200-byte units)
			cu := st.matches[ch.c].u
			if !g.hot[cu].final && g.units[cu].succ >= 0 {
				cu = g.units[cu].succ
			}
			h := &g.hot[cu]
			to := g.units[cu].to
			t := noTuple
			t[0], t[1], t[2] = h.prov, h.parent, cu
			if len(to) == 0 {
				if pt := g.units[h.prov].to; len(pt) > 0 {
					t[3] = pt[0]
				}
				st.addTuple(t)
			}
			for _, n := range to {
				t[4], t[3] = n, g.hot[n].parent
				st.addTuple(t)
			}
		case ch.d >= 0:
			du := st.matches[ch.d].u
			prov := g.hot[du].prov
			t := noTuple
			t[0], t[1] = prov, du
			if pt := g.units[prov].to; len(pt) > 0 {
				t[3] = pt[0]
			}
			if to := g.units[du].to; len(to) == 1 { // island district → special zone
				t[4] = to[0]
			}
			st.addTuple(t)
		case ch.p >= 0:
			pu := st.matches[ch.p].u
			t := noTuple
			t[0] = pu
			if pt := g.units[pu].to; len(pt) > 0 {
				t[3] = pt[0]
			}
			st.addTuple(t)
		}
		return
	}
	switch {
	case ch.c >= 0:
		nu := st.matches[ch.c].u
		from := g.units[nu].from
		base := noTuple
		base[3], base[4] = g.hot[nu].parent, nu
		if len(from) == 0 {
			st.addTuple(base)
		}
		for _, o := range from {
			t := base
			ou := &g.hot[o]
			if ou.kind == kCommune {
				t[0], t[1], t[2] = ou.prov, ou.parent, o
			} else {
				t[0], t[1] = ou.prov, o
			}
			st.addTuple(t)
		}
	case ch.p >= 0:
		// A province name that is also the name of an old province (every
		// new one is) names that old province, not all those merged into it.
		pm := &st.matches[ch.p]
		pu := pm.u
		for k := range st.matches {
			m := &st.matches[k]
			if m.i == pm.i && m.j == pm.j && g.hot[m.u].kind == kProvince && contains(g.units[m.u].to, pu) {
				st.addTuple(tuple{m.u, -1, -1, pu, -1})
				return
			}
		}
		for _, o := range g.units[pu].from {
			st.addTuple(tuple{o, -1, -1, pu, -1})
		}
	}
}

func (st *state) addTuple(t tuple) {
	for _, x := range st.tuples[st.tupleBase:] {
		if x == t {
			return
		}
	}
	st.tuples = append(st.tuples, t)
}

// fuzzy looks for misspelt names in the parts of the text the best chain
// leaves unexplained: among the children of every unit the chain fixed
// (districts and communes of its province, communes of its district, new
// communes of its new province, the province of its commune), among the
// provinces when the chain has none, and — only when nothing at all was
// recognised — among every district and commune of the era. Costs are
// keyboard- and OCR-aware (editCost); the budget grows with the length of
// the name and shrinks with the size of the pool. When the chain is
// complete, only unexplained parts among its units are looked at (a
// street or hamlet before them is not a unit). It reports whether it
// added a reading.
func (st *state) fuzzy(best int, post bool) bool {
	ch := chain{c: -1, d: -1, p: -1}
	if best >= 0 {
		ch = st.chains[best]
	}
	// A chain all of whose units their type words contradict ("Quận Đống
	// a" read as Xã Đông Á) has recognised nothing the text says: its
	// words are searched as if nothing had been. (Only a type word that
	// starts its part: in "X.Ngọc Xá - Bắc Ninh", Xá ends a name.)
	weak := best >= 0 && st.weakChain(&ch)
	if weak {
		ch = chain{c: -1, d: -1, p: -1}
	}
	// A new commune that took the name of the old district it lies in
	// ("Nga Sơn", "An Phú") may be that district in a text written in
	// the old units, whose commune is then the part before it ("Nga
	// Tbành - Nga Sơn - Thanh Hóa"): such a chain is not complete, and
	// the district's communes are searched.
	asDistrict := -1
	if ch.newEra && ch.c >= 0 {
		asDistrict = st.sameSpanDistrict(ch.c)
	}
	complete := ch.c >= 0 && ch.p >= 0 && asDistrict < 0
	var covered uint64
	first := len(st.toks)
	for _, k := range []int{ch.c, ch.d, ch.p} {
		if k >= 0 {
			m := &st.matches[k]
			for x := m.ms; x < m.j && x < 64; x++ {
				covered |= 1 << uint(x)
			}
			if m.ms < first {
				first = m.ms
			}
		}
	}
	n := len(st.toks)
	var pieces [][3]int // words [a, end), read whole only
	for a := 0; a < n; {
		if covered&(1<<uint(a)) != 0 {
			a++
			continue
		}
		b := a + 1
		for b < n && covered&(1<<uint(b)) == 0 && !st.toks[b].hard && st.mark[b]&mAdmin == 0 {
			b++
		}
		// words [a, end) are not explained; a type word before b belongs to the next part
		end := b
		if b < n && st.mark[b]&mAdmin != 0 && st.markAt[b] >= a {
			end = st.markAt[b]
		}
		// A part that starts with a hamlet or street word is no unit. A
		// part before the units of a chain that has its commune is most
		// likely the street or hamlet too: only read whole (addresses
		// written province first still find their units), which also
		// keeps the search cheap on clean text.
		switch {
		case end <= a || st.hamletOrStreet(a):
		case complete && a < first:
		case asDistrict >= 0 && a < first && st.g.markers[st.toks[a].key]&(mHamlet|mStreet) != 0:
			// (a hamlet, "Bản Nam", is not the commune looked for)
		case st.g.nameStart[st.toks[a].key] && st.g.markers[st.toks[a].key]&(mHamlet|mStreet) != 0:
			// "Buôn Ma Thuật" may be a unit, "Số 12 ngõ 34 …" is not:
			// read whole only, as a name that starts with that word
			pieces = append(pieces, [3]int{a, end, 1})
		case ch.c >= 0 && a < first:
			pieces = append(pieces, [3]int{a, end, 1})
		default:
			pieces = append(pieces, [3]int{a, end, 0})
		}
		a = b
	}
	if len(pieces) == 0 {
		// nothing left unexplained (a clean address): the parents below
		// would be for nothing
		return false
	}
	// Parents from the best five chains, not only the best: "Ea Lâm,
	// Sông Hinnh, Phú YYên" is best read at first as Thị trấn Lâm, Ý Yên;
	// the runner-up Ea Lâm (Phú Yên) is what finds Sông Hinh.
	var parents [12]int32
	np := 0
	g := st.g
	addParent := func(id int32) {
		if id < 0 || np == len(parents) {
			return
		}
		for _, x := range parents[:np] {
			if x == id {
				return
			}
		}
		parents[np] = id
		np++
	}
	provinces := ch.p < 0
	var top [5]int
	nt := 0
	if best >= 0 {
		top[0] = best
		nt = 1
		for len := 1; len < 5; len++ {
			k := -1
			for x := range st.chains {
				used := false
				for _, y := range top[:nt] {
					if y == x {
						used = true
					}
				}
				if !used && (k < 0 || st.chains[x].score > st.chains[k].score) {
					k = x
				}
			}
			if k < 0 || st.chains[k].score < st.chains[best].score-1 {
				break
			}
			top[nt] = k
			nt++
		}
	}
	if asDistrict >= 0 {
		addParent(st.matches[asDistrict].u)
	}
	for _, x := range top[:nt] {
		c := st.chains[x]
		if c.p < 0 {
			provinces = true
		}
		if weak && st.weakChain(&c) {
			continue // its units are no evidence of where the text is
		}
		if c.d >= 0 {
			addParent(st.matches[c.d].u)
		}
		if c.p >= 0 {
			// the province in both eras: "Tỉnh Quảng Ngãi" may be the old
			// one or the new one that took in Kon Tum
			pu := st.matches[c.p].u
			addParent(pu)
			for _, o := range g.units[pu].from {
				addParent(o)
			}
			for _, o := range g.units[pu].to {
				addParent(o)
			}
		} else if c.c >= 0 {
			addParent(g.units[st.matches[c.c].u].prov)
		} else if c.d >= 0 {
			addParent(g.units[st.matches[c.d].u].prov)
		}
	}
	added := false
	// Units come last in an address: look at the last few parts only,
	// which also bounds the work on long junk.
	if len(pieces) > maxFuzzyParts {
		pieces = pieces[len(pieces)-maxFuzzyParts:]
	}
	for _, pc := range pieces {
		a, end := pc[0], pc[1]
		// the whole part, then the runs of words inside it
		if st.fuzzyPiece(a, end, parents[:np], provinces, best < 0 || weak, post) {
			added = true
		} else if pc[2] == 0 {
			for x := a; x < end; x++ {
				for y := x + 1; y <= end && y-x <= 4; y++ {
					if (x > a || y < end) && st.fuzzyPiece(x, y, parents[:np], provinces, false, post) {
						added = true
					}
				}
			}
		}
	}
	return added
}

// sameSpanDistrict returns a reading of the words of match c as an old
// district (not ruled out, nor contradicted by a type word: "Xã Phú
// Bình" is no district), or -1.
func (st *state) sameSpanDistrict(c int) int {
	m := &st.matches[c]
	for _, k := range st.dIdx {
		if d := &st.matches[k]; d.i == m.i && d.j == m.j && d.s != dead && !st.contradicted(d) {
			return k
		}
	}
	return -1
}

// weakChain reports whether the type word of every unit of chain c
// contradicts it and starts its part (see contradicted).
func (st *state) weakChain(c *chain) bool {
	for _, k := range []int{c.c, c.d, c.p} {
		if k < 0 {
			continue
		}
		if m := &st.matches[k]; !st.contradicted(m) || !st.segStart(m.ms) {
			return false
		}
	}
	return true
}

// contradicted reports whether the type word before a reading names
// another level than its unit's ("Quận" before a commune's name).
func (st *state) contradicted(m *match) bool {
	mk := st.mark[m.i]
	u := &st.g.hot[m.u]
	return mk&mAdmin != 0 && mk&markerOf[u.typ] == 0 && mk&levelMarkers[u.kind] == 0
}

// hamletOrStreet reports whether a hamlet or street word starts at word a.
func (st *state) hamletOrStreet(a int) bool {
	if st.g.nameStart[st.toks[a].key] {
		return false // "Buôn Ma Thuột", "Bản Lầm": a unit's name may start so
	}
	for l := 3; l >= 1; l-- {
		if a+l > len(st.toks) {
			continue
		}
		if m, ok := st.g.markers[string(st.key(a, a+l))]; ok && m&(mHamlet|mStreet) != 0 && m&mAdmin == 0 {
			return true
		}
	}
	return false
}

// maxFuzzyParts is how many unexplained parts, from the end, the
// misspelling search looks at.
const maxFuzzyParts = 5

// fuzzyPiece compares words [a, b) with the children of parents and,
// when provinces is set, with the provinces.
//
// When nothing at all was recognised (anywhere), a part is also compared
// with every commune (when marked as one) or district (when marked as
// one) of the era the date says, with a smaller budget: a misspelt unit
// with no province is otherwise lost, and several near names come back as
// candidates, not as a guess.
func (st *state) fuzzyPiece(a, b int, parents []int32, provinces, anywhere, post bool) bool {
	if b-a > 6 || b <= a {
		return false
	}
	// After a hamlet or street word only a name that starts with it
	// ("Buôn Ma Thuật") is looked for.
	var must string
	mustID := int32(-1) // the word id of must's word, when it has one
	if m, ok := st.g.markers[st.toks[a].key]; ok && m&(mHamlet|mStreet) != 0 {
		if !st.g.nameStart[st.toks[a].key] || b-a < 2 {
			return false
		}
		must = st.toks[a].key + " "
		mustID = st.toks[a].id
	}
	// (a number ends some names, "Thường Phước 1", "Tam Xuân 2": it may
	// end the part, after a word that is not one)
	for k := a; k < b; k++ {
		if vn.AllDigits(st.toks[k].key) && (k < b-1 || k == a || vn.AllDigits(st.toks[k-1].key)) {
			return false
		}
	}
	key := string(st.key(a, b))
	if len(key) < 3 {
		return false
	}
	// budget in half edits: one edit up to 4 letters, two up to 10,
	// then a little more
	budget := 2
	switch {
	case len(key) > 14:
		budget = 6
	case len(key) > 10:
		budget = 5
	case len(key) > 4:
		budget = 4
	}
	g := st.g
	added := false
	var hist [37]int16
	letterHist(&hist, key, 1)
	// cost of reading the part as name k, or budget+1
	costOf := func(k string, budget int) int {
		if d := len(k) - len(key); d > budget || -d > budget {
			return budget + 1
		}
		if must != "" && !strings.HasPrefix(k, must) {
			return budget + 1
		}
		// Each edit changes the letter counts by at most two: a cheap
		// filter before the edit distance.
		h := hist
		letterHist(&h, k, -1)
		l1 := 0
		for _, c := range h[:36] {
			if c < 0 {
				c = -c
			}
			l1 += int(c)
		}
		if l1 > 2*budget {
			return budget + 1
		}
		return editCost(key, k, budget)
	}
	// memo: remember the cost (the pools searched when nothing was
	// recognised are not searched again in a later round, and are too
	// large to remember)
	try := func(id int32, budget int, memo bool) {
		// Most units are too long or too short for the part, or do not
		// start with must: told from the unit's hot fields (costOf would
		// say the same from its strings, a cache miss or two away).
		if h := &g.hot[id]; !h.alts {
			if d := int(h.klen) - len(key); h.klen < 255 && (d > budget || -d > budget) {
				return
			}
			if must != "" && mustID >= 0 && h.first != -2 && h.first != mustID {
				return
			}
		}
		// The same part is often compared with the same unit again in a
		// later round: remember the cost.
		memoKey := uint64(a)<<56 | uint64(b)<<48 | uint64(budget)<<40 | uint64(uint32(id))
		cost, seen := 0, false
		if memo {
			cost, seen = st.costs[memoKey]
		}
		if !seen {
			u := &g.units[id]
			cost = costOf(u.key, budget)
			// its earlier names and variants too ("Gia Thắng" before it
			// became part of another commune)
			for _, a := range u.alts {
				if c := costOf(a, budget); c < cost {
					cost = c
				}
			}
			if memo {
				if st.costs == nil {
					st.costs = make(map[uint64]int, 256)
				}
				st.costs[memoKey] = cost
			}
		}
		if cost > budget {
			return
		}
		for _, m := range st.matches {
			if m.i == a && m.j == b && m.u == id {
				return
			}
		}
		q := 0.86 - 0.04*float32(cost)
		// (compared only when read as the unit's own name)
		if u := &g.units[id]; (len(u.alts) == 0 || costOf(u.key, budget) == cost) && st.marksDisagree(a, b, u) {
			q *= 0.92 // as a name of the same letters and other marks
		}
		st.addMatch(a, b, id, q, true)
		added = true
	}
	for _, p := range parents {
		for _, id := range g.children[p] {
			try(id, budget, true)
		}
	}
	m := st.mark[a]
	if provinces && !(m&mAdmin != 0 && m&mProvinceLevel == 0) { // "Xã Vnĩh Công" is no province
		for _, id := range g.provinces {
			try(id, budget, true)
		}
	}
	if anywhere {
		strict := 2
		if len(key) > 8 {
			strict = 4
		}
		// After the reform people still write the old units: a district
		// word anywhere in the text says so.
		oldStyle := !post
		for k := range st.toks {
			if st.mark[k]&(mUrban|mRural|mTown) != 0 {
				oldStyle = true
			}
		}
		// No type word: a commune or a district ("Long iền").
		commune, district := m&mCommuneLevel != 0, m&mDistrictLevel != 0
		if m&(mAdmin|mHamlet|mStreet) == 0 {
			commune, district = true, true
		}
		if commune {
			if post {
				for _, id := range g.newCommunes {
					try(id, strict, false)
				}
			}
			if oldStyle {
				for _, id := range g.oldCommunes {
					try(id, strict, false)
				}
			}
		}
		if district {
			for _, id := range g.districts {
				try(id, strict, false)
			}
		}
	}
	return added
}

// marksDisagree reports whether the marks the text writes on words
// [a, b) disagree with those of unit u's name, which they were read as
// (with misspellings): a tone written that is not the name's word's, or a
// vowel's shape (â ă ê ô ơ ư) written that is not its ("hú Hoa" is Phú
// Hòa, not Hạ Hòa; "Long iền" is Long Điền, not Long Biên). A word written
// without a tone or shape says nothing of it (a dropped đ neither), and
// only a reading of the unit's own name, word for word, is compared.
func (st *state) marksDisagree(a, b int, u *unit) bool {
	if strings.Count(u.sig, " ") != b-a-1 {
		return false
	}
	name := u.sig
	for k := a; k < b; k++ {
		x := stringIndexSpace(name)
		w := name[:x]
		if x < len(name) {
			name = name[x+1:]
		}
		t := &st.toks[k]
		if t.ascii {
			continue
		}
		st.sig = appendMarkSig(st.sig[:0], st.text[t.start:t.end])
		if wordMarksDisagree(st.sig, w) {
			return true
		}
	}
	return false
}

// wordMarksDisagree compares the signature of a word as written with a
// name's word's: the tone when the text has one, the vowels' shapes (which
// of â/ê/ô, ă, ơ/ư) when it has some. Signatures with digits of their own
// (numbers) are not compared.
func wordMarksDisagree(text []byte, name string) bool {
	if len(text) == 0 || len(name) == 0 {
		return false
	}
	tsh, ok1 := vowelShapes(text[:len(text)-1])
	nsh, ok2 := vowelShapes(name[:len(name)-1])
	if !ok1 || !ok2 {
		return false
	}
	if tt := text[len(text)-1]; tt != '0' && tt != name[len(name)-1] {
		return true
	}
	return tsh != 0 && tsh != nsh
}

// vowelShapes returns which shapes a signature's word (without its tone)
// has, as bits (circumflex 1, breve 2, horn 4; đ is not counted), or
// false when the word has no letter before a digit (a number).
func vowelShapes[T string | []byte](w T) (uint8, bool) {
	var s uint8
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < '0' || c > '9' {
			continue
		}
		if i == 0 || w[i-1] < 'a' || w[i-1] > 'z' {
			return 0, false
		}
		if c >= '1' && c <= '3' {
			s |= 1 << (c - '1')
		}
	}
	return s, true
}

// strongHamlet words start a hamlet anywhere; weakHamlet words only at
// the start of a part or before a number.
var strongHamlet = map[string]bool{
	"thon": true, "xom": true, "ap": true, "khu pho": true, "kp": true, "to dan pho": true, "tdp": true,
	"khom": true, "khoi pho": true, "tieu khu": true, "khu dan cu": true, "kdc": true, "phum": true,
	"soc": true, "th": true, "buon": true, "bon": true,
}

// streetAndHamlet splits the text before the first unit into street and
// hamlet, keeping the words as written.
func (st *state) streetAndHamlet(res *Result, best int) {
	first := len(st.toks)
	if best >= 0 {
		ch := &st.chains[best]
		for _, k := range []int{ch.c, ch.d, ch.p} {
			if k >= 0 && st.matches[k].ms < first {
				first = st.matches[k].ms
			}
		}
	}
	st.streetAndHamletBefore(res, first)
}

// streetAndHamletBefore splits words [0, first) into street and hamlet.
func (st *state) streetAndHamletBefore(res *Result, first int) {
	var sbuf, hbuf [4]string
	street, hamlet := sbuf[:0], hbuf[:0]
	for a := 0; a < first; {
		b := a + 1
		for b < first && !st.toks[b].hard {
			b++
		}
		h := -1
		for k := a; k < b && h < 0; k++ {
			for l := 3; l >= 1; l-- {
				if k+l > b || !st.allMarkers(k, k+l) {
					continue // (no marker has a word that is not a marker word)
				}
				mk := string(st.key(k, k+l))
				m := st.g.markers[mk]
				if m&mHamlet == 0 {
					continue
				}
				nextDigit := k+l < b && vn.AllDigits(st.toks[k+l].key)
				if strongHamlet[mk] || nextDigit || k == a && m&mStreet == 0 {
					h = k
				}
				break
			}
		}
		switch {
		case h == a:
			hamlet = append(hamlet, st.span(a, b))
		case h > a:
			street = append(street, st.span(a, h))
			hamlet = append(hamlet, st.span(h, b))
		default:
			street = append(street, st.span(a, b))
		}
		a = b
	}
	res.Street = joinParts(street)
	res.Hamlet = joinParts(hamlet)
}

// allMarkers reports whether every word of [a, b) is part of a type,
// hamlet or street word: a marker's words all are, so that a span with
// one that is not need not be looked up in the markers.
func (st *state) allMarkers(a, b int) bool {
	for k := a; k < b; k++ {
		if !st.toks[k].marker {
			return false
		}
	}
	return true
}

// span is the input text of words [a, b).
func (st *state) span(a, b int) string {
	return strings.TrimSpace(st.text[st.toks[a].start:st.toks[b-1].end])
}

// bareCode reads an input that is only a code: 5 digits a commune, 3 a
// district (pre-reform only), 2 a province, in the era the date says.
func (st *state) bareCode(res *Result, post bool) bool {
	t := strings.TrimSpace(st.text)
	if len(t) != 2 && len(t) != 3 && len(t) != 5 || !vn.AllDigits(t) {
		return false
	}
	g := st.g
	var k kind
	switch {
	case len(t) == 5 && post:
		k = kNewCommune
	case len(t) == 5:
		k = kCommune
	case len(t) == 3:
		k = kDistrict
	case post:
		k = kNewProvince
	default:
		k = kProvince
	}
	id, ok := g.byCode[k][t]
	if !ok {
		return false
	}
	st.matches = append(st.matches[:0], match{i: 0, j: 1, ms: 0, u: id, q: 1, s: 1, kind: k})
	ch := chain{newEra: k == kNewCommune || k == kNewProvince, c: -1, d: -1, p: -1, score: 1}
	switch k {
	case kCommune, kNewCommune:
		ch.c = 0
	case kDistrict:
		ch.d = 0
	default:
		ch.p = 0
	}
	st.chains = append(st.chains[:0], ch)
	st.build(res, 0, post)
	if res.Candidates != nil && len(res.Candidates) == 0 {
		res.Confidence = 1
	}
	return true
}

// letterHist adds sign × the count of each letter and digit of s to h.
func letterHist(h *[37]int16, s string, sign int16) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
			h[c-'a'] += sign
		case '0' <= c && c <= '9':
			h[26+c-'0'] += sign
		case c != ' ':
			h[36] += sign
		}
	}
}

// joinParts joins parts with ", " without copying a single part.
func joinParts(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts, ", ")
}
