package address

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/dancu-vn/dancu/matching/compare"
	"github.com/dancu-vn/dancu/vn"
)

// match is one reading of a span of words as a unit.
type match struct {
	i, j  int   // words [i, j) hold the name
	ms    int   // first word of the type word before the name (== i when none)
	u     int32 // unit
	q     float32
	s0    float32 // score of this level as a name
	s     float32 // s0 less what the reading leaves unexplained after it
	fuzzy bool
	soft  bool // the name runs over a dash or dot
	kind  kind // the unit's, kept here for choose and bestProvince
}

// chain is one consistent reading of the whole address: a commune, a
// district and a province of one era, any of them possibly absent.
type chain struct {
	newEra  bool
	c, d, p int // indexes into matches, or -1
	score   float32
}

// state is the scratch space of one Resolve call, pooled.
type state struct {
	g         *gazetteer
	text      string
	toks      []token
	rtoks     []token // the other token buffer, for repair
	scratch   []byte
	sig       []byte
	costs     map[uint64]int // misspelling costs of (part, unit) already computed in this call
	post      bool           // the date is on or after ReformDate
	codesOnly bool           // the result's ids alone are wanted (resolveCodes)
	ws        []byte         // folded words joined by single spaces
	off       []int          // offset of each word in ws
	// indexed says ws and off are those of toks: they are made when key
	// first needs them (a text the cache answers through its rest never
	// does)
	indexed   bool
	mark      []marker
	markStart []bool  // word k begins a unit type word
	markAt    []int   // first word of the marker before word i (== i when none)
	tailWords []uint8 // words from word k on that are neither the country nor a number
	touched   kind    // what findExact read ahead, kept so that the reads stay
	matches   []match
	dIdx      []int // matches that are districts
	pIdx      []int // matches that are provinces of either era
	// the units a commune's chain could take as its district or
	// province (choose: see lone)
	presD, presOld, presNew []int32
	lone                    []int // communes whose chain is theirs alone (choose)
	chains                  []chain
	tuples                  []tuple
	tupleBase               int // addTuple looks for a tuple already there from here on (preferOlder)
}

var statePool = sync.Pool{New: func() any { return &state{} }}

// Resolve reads a free-text Vietnamese address and returns the
// administrative units it names in both eras. asOf is the date the
// address describes: it decides whether an unqualified name or a bare
// code is read in the pre-reform units or in those in force since
// ReformDate. Resolve never fails: text it cannot read gives a Result with
// Confidence 0. It is safe for concurrent use.
//
// Results of recent addresses are remembered (a commune's records repeat
// their addresses): a repeated address costs a map lookup and allocates
// nothing; its Candidates and OldNames are shared, read-only.
func Resolve(text string, asOf time.Time) Result {
	return resolveCached(text, !asOf.Before(ReformDate), true)
}

// resolveCached answers from the cache when it may and it can, else
// resolves text and remembers the result.
func resolveCached(text string, post, useCache bool) Result {
	if !useCache {
		return resolveText(text, post, false)
	}
	k := cache.key(text)
	if r, ok := cache.getKey(text, k, post); ok {
		return r
	}
	r := resolveText(text, post, true)
	if _, err := load(); err == nil {
		cache.putKey(text, k, post, &r)
	}
	return r
}

// ResolveCodes returns the codes of the units Resolve(text, asOf) gives
// (Province.Code … NewCommune.Code): what a record's matching fields
// need, read from the cache of recent results without the rest of the
// result.
func ResolveCodes(text string, asOf time.Time) Codes {
	p := Prepared{text: text, post: !asOf.Before(ReformDate), k: cache.key(text)}
	return p.Codes()
}

// Prepared is an address hashed for the cache of recent results ahead of
// its lookup: see Prepare.
type Prepared struct {
	text string
	post bool
	k    memoKey
	// Sum is what Prepare read, for the caller to keep (add up in a
	// field), so that the compiler cannot drop the reads.
	Sum uint64
}

// Prepare hashes text for the cache of recent results and reads the
// cache lines where its result would be (the set of four slots and their
// entries), so that the processor fetches them while the caller does
// other work before p.Codes() — a cache miss costs as much as parsing a
// few words, and dancu link's records are read from a cache of half a
// million results: it prepares a record's addresses before parsing its
// names. p.Codes() is ResolveCodes(text, asOf).
func Prepare(text string, asOf time.Time) Prepared {
	p := Prepared{text: text, post: !asOf.Before(ReformDate), k: cache.key(text)}
	p.Sum = cache.touch(p.k, p.post)
	return p
}

// Codes is ResolveCodes of the text and date p was prepared for.
func (p *Prepared) Codes() Codes {
	if ids, ok := cache.units(p.k, p.post); ok {
		g, _ := load()
		return g.codes(&ids)
	}
	r, rested := resolveCodes(p.text, p.post)
	g, err := load()
	if err != nil {
		return Codes{}
	}
	// a text read through its rest is seldom asked for again but
	// straight after (a record's current address is often its permanent
	// one): kept where it goes first, not before the rests
	cache.putCodes(p.k, p.post, r.ids, rested)
	return g.codes(&r.ids)
}

// resolveText resolves text. An address whose first part is only a
// house number and street or a hamlet ("Số 12 Lê Lợi, …", "Thôn 3, …",
// "Tổ 28, …", "Xóm 1 - …") is resolved as the rest of it, which a
// commune's records share (so the cache answers it when useCache is set),
// with the first part as street or hamlet: a part (up to a comma or a
// spaced dash) that starts with a house number, a street or a hamlet word
// and has no unit type word names no unit — when that word may also
// begin a unit's name ("Tổ", "Số", "Bản"), only if numbers alone follow
// it (see numbered). The rest is read from the words already read, not
// read again.
func resolveText(text string, post, useCache bool) Result {
	r, _ := resolveWith(text, post, useCache, false)
	return r
}

// resolveCodes is resolveText of text with the cache, made only as far as
// the units' ids (Result.ids, what ResolveCodes reads): the same search
// and the same choice among readings, without the units' codes and names,
// candidates, old names, confidence, street and hamlet. The cache is
// asked for the units of the rests, and given those of the rests searched
// (putCodes).
//
// It reports whether the result is that of a rest (the text had a first
// part set aside).
func resolveCodes(text string, post bool) (Result, bool) {
	return resolveWith(text, post, true, true)
}

// resolveWith is resolveText, or resolveCodes when codesOnly.
func resolveWith(text string, post, useCache, codesOnly bool) (Result, bool) {
	res := Result{Input: text, Candidates: []Candidate{}}
	g, err := load()
	if err != nil {
		return res, false
	}
	// The rest after a first part that is a house number or hamlet is
	// looked up in the cache once the words are read: its lines are
	// fetched meanwhile, for the rest after the first comma or spaced
	// dash, which it usually is (see restGuess).
	var guess memoKey
	if useCache {
		if r := restGuess(text); r != "" {
			guess = cache.key(r)
			cache.touch(guess, post)
		}
	}
	st := statePool.Get().(*state)
	defer statePool.Put(st)
	st.codesOnly = codesOnly
	if !st.reset(g, text) && useCache {
		// read as valid UTF-8 (st.text): the guess is made again from it
		guess = memoKey{}
		if r := restGuess(st.text); r != "" {
			guess = cache.key(r)
		}
	}
	// the parts set aside, outermost first: the text from each, and its
	// street and hamlet
	var restBuf [4]string
	var partBuf [4]Result
	var keyBuf [4]memoKey // the rests' keys, when useCache
	rests, parts, keys := restBuf[:0], partBuf[:0], keyBuf[:0]
	for {
		k := st.detailEnd()
		if k == 0 {
			break
		}
		// the rest's key first, and its lines in the cache fetched while
		// the part is read and dropped
		var rk memoKey
		if useCache {
			if rest := st.text[st.toks[k].start:]; len(rest) == guess.n && len(rests) == 0 {
				rk = guess // the same suffix of the text
			} else {
				rk = cache.key(rest)
				cache.touch(rk, post)
			}
		}
		if !codesOnly {
			var d Result
			st.streetAndHamletBefore(&d, k)
			parts = append(parts, d)
		}
		st.dropLeading(k)
		rests = append(rests, st.text)
		if useCache {
			keys = append(keys, rk)
			if codesOnly {
				if ids, ok := cache.units(rk, post); ok {
					return finishCodes(Result{Input: res.Input, ids: ids}, keys, post), true
				}
			} else if r, ok := cache.getKey(st.text, rk, post); ok {
				return finishRests(r, res.Input, rests[:len(rests)-1], keys, parts, post, useCache), true
			}
		}
	}
	cache.searches.Add(1)
	st.resolve(&res, post)
	if len(rests) == 0 {
		return res, false
	}
	if codesOnly {
		cache.putCodes(keys[len(keys)-1], post, res.ids, false)
		return finishCodes(res, keys, post), true
	}
	inner := res
	inner.Input = rests[len(rests)-1]
	if useCache {
		cache.putKey(inner.Input, keys[len(keys)-1], post, &inner)
	}
	return finishRests(inner, res.Input, rests[:len(rests)-1], keys, parts, post, useCache), true
}

// finishCodes is finishRests for resolveCodes: r (the whole text's
// input, its innermost rest's units) is the whole text's result, and the
// outer rests (keys but the last) are remembered with its units — where
// an entry goes first, as the whole text's (Prepared.Codes): an outer
// rest is mostly a hamlet's or a street's, the innermost the commune's,
// which the next addresses of the commune ask for.
func finishCodes(r Result, keys []memoKey, post bool) Result {
	for _, k := range keys[:len(keys)-1] {
		cache.putCodes(k, post, r.ids, true)
	}
	return r
}

// restGuess returns the text after its first comma or spaced dash and
// what separates words after it, where the rest after a first part that
// is a house number or hamlet begins when there is one (detailEnd), or
// "": a guess, made before the words are read, checked after.
func restGuess(text string) string {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == ',' || c == '-' && i > 0 && text[i-1] == ' ' {
			for i++; i < len(text); i++ {
				if c := text[i]; c >= utf8.RuneSelf || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
					return text[i:]
				}
			}
			return ""
		}
	}
	return ""
}

// finishRests builds the result of the whole text from r, the result of
// its innermost rest: each part set aside adds its street and hamlet, from
// the inside out; the results of the outer rests (whose keys are keys,
// when useCache) are remembered too.
func finishRests(r Result, input string, rests []string, keys []memoKey, parts []Result, post, useCache bool) Result {
	for i := len(parts) - 1; i >= 0; i-- {
		r.Street = joinTwo(parts[i].Street, r.Street)
		r.Hamlet = joinTwo(parts[i].Hamlet, r.Hamlet)
		if i > 0 {
			r.Input = rests[i-1]
			if useCache {
				cache.putKey(r.Input, keys[i-1], post, &r)
			}
		}
	}
	r.Input = input
	return r
}

// dropLeading drops words [0, k) and reads the rest of the text as if it
// were all there was: the same words, offsets from the rest's start, and
// no separator before the first.
func (st *state) dropLeading(k int) {
	base := st.toks[k].start
	st.text = st.text[base:]
	n := copy(st.toks, st.toks[k:])
	st.toks = st.toks[:n]
	for i := range st.toks {
		st.toks[i].start -= base
		st.toks[i].end -= base
	}
	st.toks[0].hard, st.toks[0].soft, st.toks[0].dash = false, false, false
	st.indexed = false
}

// detailEnd returns the first word after a first part that is only a
// house number and street or a hamlet, or 0.
func (st *state) detailEnd() int {
	n := len(st.toks)
	if n < 2 || n >= 64 { // 64: the words may have been cut short
		return 0
	}
	// (a word that is no part of a marker word is not looked up in the
	// markers: every word of every marker has token.marker set)
	first := st.toks[0].key
	var m marker
	if st.toks[0].marker {
		m = st.g.markers[first]
	}
	lead := vn.AllDigits(first) || m&(mHamlet|mStreet) != 0 && m&mAdmin == 0 && (!st.g.nameStart[first] || st.numbered())
	if !lead {
		return 0
	}
	for k := 1; k < n; k++ {
		if st.toks[k].hard || st.toks[k].dash {
			return k
		}
		// a type word inside the part: it may name a unit ("Thôn 3 xã
		// Ea Kao"); a two-word one too ("thị xã")
		if t := &st.toks[k]; t.marker && (st.g.markers[t.key]&mAdmin != 0 || k+1 < n && st.toks[k+1].marker && st.g.markers[string(st.key(k, k+2))]&mAdmin != 0) {
			return 0
		}
	}
	return 0
}

// numbered reports whether the first part is a hamlet or street word
// that may also begin a unit's name ("Tổ", "Số", "Xóm", "Bản": nameStart)
// followed by numbers only ("Tổ 28", "Số 281", "Xóm 1") and no name begins
// with its first two words: such a part names no unit (a unit's name
// with a number in it is read only after its type word, and the
// misspelling search skips parts with numbers), so the address reads as
// the rest of it.
func (st *state) numbered() bool {
	n := 1
	for n < len(st.toks) && !st.toks[n].hard && !st.toks[n].dash {
		if !vn.AllDigits(st.toks[n].key) {
			return false
		}
		n++
	}
	if n < 2 {
		return false
	}
	if id0, id1 := st.toks[0].id, st.toks[1].id; id0 >= 0 && id1 >= 0 {
		if node, ok := st.g.child(0, id0); ok {
			if _, ok := st.g.child(node, id1); ok {
				return false
			}
		}
	}
	return true
}

func joinTwo(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}

// reset reads the words of text. Text that is not valid UTF-8 is read
// with each invalid byte replaced by U+FFFD (st.text is then that), and
// reset reports false.
func (st *state) reset(g *gazetteer, text string) bool {
	st.g = g
	st.text = text
	var valid bool
	st.toks, valid = tokenizeWith(st.toks[:0], text, g.wtab, &st.scratch)
	if !valid {
		st.text = strings.ToValidUTF8(text, "\uFFFD")
		st.toks, _ = tokenizeWith(st.toks[:0], st.text, g.wtab, &st.scratch)
	}
	if len(st.toks) > 64 { // addresses are short; bound the work on junk
		st.toks = st.toks[:64]
	}
	st.repair()
	st.indexed = false
	return valid
}

// indexWords joins the folded words into ws (key reads spans of it):
// all that setting aside a first part (detailEnd, dropLeading) and its
// street and hamlet need. The markers the search reads are indexMarks'
// work, done once, on the words searched: an address whose rest the cache
// answers never needs them.
func (st *state) indexWords() {
	st.indexed = true
	st.ws = st.ws[:0]
	st.off = st.off[:0]
	for i, t := range st.toks {
		if i > 0 {
			st.ws = append(st.ws, ' ')
		}
		st.off = append(st.off, len(st.ws))
		st.ws = append(st.ws, t.key...)
	}
}

// indexMarks builds what the search needs besides the words: the marker
// before each word, and empty scratch.
func (st *state) indexMarks() {
	if len(st.costs) > 256 {
		// clearing costs what the map once grew to: let a large one go
		st.costs = nil
	} else {
		clear(st.costs)
	}
	st.matches = st.matches[:0]
	st.chains = st.chains[:0]
	st.tuples = st.tuples[:0]
	st.mark = st.mark[:0]
	st.markAt = st.markAt[:0]
	st.markStart = st.markStart[:0]
	for i := range st.toks {
		m, at := st.markerBefore(i)
		st.mark = append(st.mark, m)
		st.markAt = append(st.markAt, at)
		st.markStart = append(st.markStart, false)
	}
	for i := range st.toks {
		if st.mark[i]&mAdmin != 0 && st.markAt[i] < i {
			st.markStart[st.markAt[i]] = true
		}
	}
	// the words after each word that addChain counts as unexplained
	// (not the country, not a number), counted once instead of for every
	// chain
	n := len(st.toks)
	st.tailWords = append(st.tailWords[:0], make([]uint8, n+1)...)
	for k := n - 1; k >= 0; k-- {
		st.tailWords[k] = st.tailWords[k+1]
		if key := st.toks[k].key; !(key == "viet" || key == "nam" || key == "vn" || key == "vietnam" || vn.AllDigits(key)) {
			st.tailWords[k]++
		}
	}
}

// tailCost is what a chain loses for n unexplained words after its
// units: 0.1 a word, added up in float32 as addChain always did, and at
// most 0.5 (tokens are at most 64).
var tailCost = func() (t [65]float32) {
	for n := range t {
		var tail float32
		for range n {
			tail += 0.1
		}
		if tail > 0.5 {
			tail = 0.5
		}
		t[n] = tail
	}
	return t
}()

// key is the folded text of words [i, j), to be read only (its callers
// compare it or look it up).
func (st *state) key(i, j int) []byte {
	if j == i+1 {
		// one word: its key, without joining the words (indexWords), which
		// most texts then never need
		k := st.toks[i].key
		return unsafe.Slice(unsafe.StringData(k), len(k))
	}
	if !st.indexed {
		st.indexWords()
	}
	return st.ws[st.off[i] : st.off[j-1]+len(st.toks[j-1].key)]
}

// markerBefore finds a type, hamlet or street word right before word i.
func (st *state) markerBefore(i int) (marker, int) {
	if i == 0 || st.toks[i].hard {
		return 0, i
	}
	for l := 3; l >= 1; l-- {
		a := i - l
		if a < 0 {
			continue
		}
		ok := st.toks[a].marker
		for k := a + 1; k < i && ok; k++ {
			ok = st.toks[k].marker && !st.toks[k].hard
		}
		if !ok {
			continue
		}
		if m, found := st.g.markers[string(st.key(a, i))]; found {
			// "Thàhn phố": a misspelt "thành" before "phố" still makes a city.
			if l == 1 && m == mStreet && st.toks[a].key == "pho" && a > 0 && !st.toks[a].hard &&
				compare.OSA(st.toks[a-1].key, "thanh", 1) <= 1 {
				return mCity, a - 1
			}
			return m, a
		}
	}
	return 0, i
}

// insideMarkedPart reports whether word i sits inside a part after a
// unit type word that names something else: "Lâm" in "Xã Nghhĩa Lâm".
// Words read as a unit between the type word and i ("tp Buon Ma Thuot"
// before "Dak Lak") explain the gap.
func (st *state) insideMarkedPart(i int) bool {
	for k := i - 1; k >= 0; k-- {
		if st.mark[k]&mAdmin != 0 && st.markAt[k] < k {
			// word k is the first of a name after a type word; three
			// words or more after it, with no separator, the name has
			// ended ("Xã EaTu Buôn Ma Thuật ĐắkLắk")
			if i-k >= 3 {
				return false
			}
			for x := range st.matches {
				if m := &st.matches[x]; m.i == k && m.j == i {
					return false
				}
			}
			return true
		}
		if st.toks[k+1].hard || st.toks[k+1].dash {
			return false
		}
	}
	return false
}

// segStart reports whether a name starting at word i (after its marker
// at word ms) begins a comma-separated part; segEnd whether one ending
// before word j ends it.
func (st *state) segStart(ms int) bool { return ms == 0 || st.toks[ms].hard || st.toks[ms].dash }
func (st *state) segEnd(j int) bool    { return j == len(st.toks) || st.toks[j].hard || st.toks[j].dash }

// streetContext reports whether a number comes before word i in its
// comma-separated part with no unit type word in between: "12 Nguyễn
// Trãi" is a street, not Phường Nguyễn Trãi.
func (st *state) streetContext(ms int) bool {
	for k := ms - 1; k >= 0; k-- {
		if vn.AllDigits(st.toks[k].key) {
			return st.mark[k]&mAdmin == 0
		}
		if st.toks[k+1].hard || st.mark[k]&mAdmin != 0 && st.markAt[k] < k {
			return false
		}
	}
	return false
}

func (st *state) resolve(res *Result, post bool) {
	st.indexMarks()
	st.post = post
	if len(st.toks) == 0 {
		return
	}
	if st.bareCode(res, post) {
		return
	}
	st.findExact()
	best := st.choose(post)
	for round := 0; round < 3; round++ {
		if !st.fuzzy(best, post) {
			break
		}
		best = st.choose(post)
	}
	if best < 0 {
		if !st.codesOnly {
			st.streetAndHamlet(res, -1)
		}
		return
	}
	st.build(res, best, post)
	if !st.codesOnly {
		st.streetAndHamlet(res, best)
	}
}

// findExact adds a match for every span of words whose folded text is the
// name of a unit.
func (st *state) findExact() {
	g := st.g
	n := len(st.toks)
	for i := 0; i < n; i++ {
		node := int32(0)
		for j := i + 1; j <= n; j++ {
			if j > i+1 && st.toks[j-1].hard {
				break
			}
			id := st.toks[j-1].id
			if id < 0 {
				break
			}
			next, ok := g.child(node, id)
			if !ok {
				break // no name starts with these words
			}
			node = next
			sl := &g.nodes[node]
			es := g.entries(sl)
			if len(es) == 0 || j == i+1 && st.mark[i]&mAdmin == 0 && vn.AllDigits(st.toks[i].key) {
				// only the start of longer names; or a bare number, which is a
				// unit's name only after its type word (P.3, Q.5)
				if !sl.more {
					break
				}
				continue
			}
			// Names that fold alike but differ in their marks (Hòa / Hóa)
			// are told apart by the marks as written, when there are any
			// and the names differ.
			ascii := st.allASCII(i, j)
			// the index of the text's signature among the node's (-1: none
			// of them); only when the names' marks differ
			textSig := -1
			compare := !ascii && sl.nsig > 1
			// twice: the signatures (by index, the first 64) that differ
			// from the text's both on a word it wrote without marks and on
			// one it wrote with them ("X My Thành Bac" is Mỹ Thành Bắc, a
			// discrepancy, more than Mỹ Thạnh Bắc, two)
			var twice uint64
			if compare {
				sp := st.spanSig(i, j)
				bare := st.someASCII(i, j)
				for x, s := range g.signatures(sl) {
					if string(sp) == s {
						textSig = x
						if !bare {
							break
						}
					} else if bare && x < 64 && sigTwice(sp, s, st.toks[i:j]) {
						twice |= 1 << uint(x)
					}
				}
			}
			if len(es) > 1 {
				// the namesakes' units are read by addMatch one after the
				// other, each most often a cache miss: read here first,
				// loads that do not wait for one another
				var x kind
				for _, e := range es {
					x |= g.hot[e.unit].kind
				}
				st.touched |= x
			}
			// the words' part of every namesake's score, read once for
			// them all, when one is not ruled out first
			var ws wordSpan
			read := false
			for _, e := range es {
				if e.initials && st.mark[i]&(mUrban|mRural|mTown) == 0 && (st.mark[i]&mCity == 0 || len(st.toks[i].key) < 3) {
					// "PN" alone is not Phú Nhuận, "Q.PN" is; after "TP"
					// three letters at least ("TP.BMT"): "TP.HL" is a slip
					// for TP.HP more often than Hoa Lư
					continue
				}
				q := e.q
				switch {
				case ascii:
					q *= 0.99
				case compare && int(e.sig) != textSig:
					q *= 0.92
					if e.sig < 64 && twice&(1<<e.sig) != 0 {
						q *= 0.92
					}
				}
				if !read {
					ws, read = st.spanOf(i, j), true
				}
				st.addMatchIn(&ws, e.unit, q, false)
			}
			if !sl.more {
				break // no longer name starts with these words
			}
		}
	}
}

func (st *state) allASCII(i, j int) bool {
	for k := i; k < j; k++ {
		if !st.toks[k].ascii {
			return false
		}
	}
	return true
}

// someASCII reports whether some word of [i, j) was written without
// marks.
func (st *state) someASCII(i, j int) bool {
	for k := i; k < j; k++ {
		if st.toks[k].ascii {
			return true
		}
	}
	return false
}

// sigTwice reports whether a name's signature differs from the
// signature of the marks of a span of words as written (text, spanSig's)
// both on a word written without marks (ascii) where the name has some,
// and on a word written with marks: two discrepancies, not one. Both
// have a word for each of toks when the signature is the name's the text
// was read as; an entry read by an earlier name or an alias has its
// unit's, whose words' letters differ, and says nothing.
func sigTwice(text []byte, name string, toks []token) bool {
	bare, marked := false, false
	for k := range toks {
		a := bytesIndexSpace(text)
		b := stringIndexSpace(name)
		if string(text[:a]) != name[:b] {
			if !sameLetters(text[:a], name[:b]) {
				return false
			}
			if toks[k].ascii {
				bare = true
			} else {
				marked = true
			}
		}
		if a == len(text) || b == len(name) {
			break
		}
		text, name = text[a+1:], name[b+1:]
	}
	return bare && marked
}

// sameLetters reports whether two words' signatures have the same
// letters (their marks aside).
func sameLetters(a []byte, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && (a[i] < 'a' || a[i] > 'z') {
			i++
		}
		for j < len(b) && (b[j] < 'a' || b[j] > 'z') {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

func bytesIndexSpace(b []byte) int {
	for i, c := range b {
		if c == ' ' {
			return i
		}
	}
	return len(b)
}

func stringIndexSpace(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return i
		}
	}
	return len(s)
}

// spanSig is the signature of the marks of words [i, j) as written, in
// the state's scratch space. A word repaired by dropping its digits
// ("Lạng5") is signed without them: they are no part of its marks.
func (st *state) spanSig(i, j int) []byte {
	b := st.sig[:0]
	for k := i; k < j; k++ {
		if k > i {
			b = append(b, ' ')
		}
		t := st.toks[k]
		w := st.text[t.start:t.end]
		if hasDigit(w) && !hasDigit(t.key) {
			var buf [32]byte
			d := buf[:0]
			for x := 0; x < len(w); x++ {
				if w[x] < '0' || w[x] > '9' {
					d = append(d, w[x])
				}
			}
			w = string(d)
		}
		b = appendMarkSig(b, w)
	}
	st.sig = b
	return b
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}

// wordSpan is what addMatch reads of words [i, j) and the markers before
// them: the same for every unit named by those words, so that findExact
// reads it once for a name's namesakes (a third of addMatch's
// instructions were this, read again for each).
type wordSpan struct {
	i, j, ms int
	m        marker
	numeric  bool // one word, all digits
	whole    bool // the words (with their type word) are a part of their own
	bare     bool // one word, no type word, inside a longer part
	street   bool // a number before it in its part, no type word between
	inside   bool // inside a part after a type word that names something else
	typeName bool // "Xã Lý …": a type word that may begin the name
	soft     bool // the name runs over a dash or dot
}

// spanOf reads words [i, j) for addMatch.
func (st *state) spanOf(i, j int) wordSpan {
	sp := wordSpan{i: i, j: j, m: st.mark[i], ms: st.markAt[i]}
	m := sp.m
	sp.numeric = j == i+1 && vn.AllDigits(st.toks[i].key)
	if m&mAdmin == 0 {
		sp.ms = i // a hamlet or street word is not part of the unit
		if sp.numeric {
			return sp // addMatch adds nothing
		}
	}
	sp.whole = st.segStart(sp.ms) && st.segEnd(j)
	sp.bare = j == i+1 && m&mAdmin == 0 && !sp.whole
	sp.street = m&mAdmin == 0 && st.streetContext(sp.ms)
	sp.inside = m&mAdmin == 0 && st.insideMarkedPart(i)
	sp.typeName = j > i+1 && st.markStart[i] && st.markAt[i+1] == i && st.mark[i+1]&mAdmin != 0
	for k := i + 1; k < j; k++ {
		if st.toks[k].soft {
			sp.soft = true
		}
	}
	return sp
}

// addMatch scores a reading of words [i, j) as unit id and keeps it
// unless it is impossible.
func (st *state) addMatch(i, j int, id int32, q float32, fuzzy bool) {
	sp := st.spanOf(i, j)
	st.addMatchIn(&sp, id, q, fuzzy)
}

// addMatchIn is addMatch of the words sp, read by spanOf: sp.i and sp.j
// may not have gained a match since (insideMarkedPart reads the matches
// ending at sp.i).
func (st *state) addMatchIn(sp *wordSpan, id int32, q float32, fuzzy bool) {
	u := &st.g.hot[id]
	if !u.final {
		q *= 0.9 // a unit that no longer existed at the reform
	}
	m := sp.m
	s := q
	switch {
	case m&markerOf[u.typ] != 0:
		s += 0.4
	case m&levelMarkers[u.kind] != 0:
		s += 0.25
	case sp.numeric:
		return // "3" alone is not Quận 3
	case m&mAdmin != 0:
		s -= 0.3
	case m&(mHamlet|mStreet) != 0:
		return // "Thôn Tân Phú", "đường Lê Lợi": a hamlet or a street, not the unit
	}
	if sp.numeric && m&mAdmin == 0 {
		return
	}
	if sp.bare {
		s -= 0.3 // one bare word inside a longer part
	}
	if sp.whole {
		s += 0.2 // one unit per comma-separated part is how addresses are written
	}
	if sp.street {
		s -= 0.5
	}
	if sp.inside {
		// "Xã Nghhĩa Lâm": the part names a unit from its type word on,
		// not from "Lâm" — unless nothing else reads it ("Xã Xuâm Dơng
		// Thanh Hóa", a misspelt commune and no separators)
		s -= 0.8
	}
	if sp.typeName {
		s -= 0.4 // "Xã Lý …" is more likely Xã + Lý than a unit called "Xa Lý"
	}
	soft := sp.soft
	switch {
	case soft && !u.dash:
		s -= 0.3 // "Hòa - Thành phố …" is not Hòa Thành
	case soft:
		s += 1 // a double name ("Xuân Trường - Đà Lạt") read whole says as much as two names
	}
	// written in place field by field: a match put together on the stack
	// and copied was stored a field at a time and loaded 16 bytes at a
	// time, which the processor cannot forward (a quarter of addMatch's
	// samples in perf)
	st.matches = append(st.matches, match{})
	m2 := &st.matches[len(st.matches)-1]
	m2.i, m2.j, m2.ms, m2.u = sp.i, sp.j, sp.ms, id
	m2.q, m2.s0, m2.s = q, s, s
	m2.fuzzy, m2.soft, m2.kind = fuzzy, soft, u.kind
}

func overlap(a, b *match) bool { return a.ms < b.j && b.ms < a.j }

// dead is the score of a reading ruled out.
const dead = -1000

// trail lowers the score of readings followed, in their part of the
// text, by words nothing explains: "Phú Thọ" in "Phú Thọ Hòa".
func (st *state) trail() {
	var starts uint64
	for k := range st.matches {
		m := &st.matches[k]
		if m.ms < 64 && !m.soft && (m.j-m.i > 1 || m.ms < m.i || st.segEnd(m.j)) {
			starts |= 1 << uint(m.ms)
		}
	}
	n := len(st.toks)
	for k := range st.matches {
		m := &st.matches[k]
		var pen float32
		for x := m.j; x < n && x < 64 && !st.toks[x].hard && !st.markStart[x] && starts&(1<<uint(x)) == 0; x++ {
			pen += 0.3
		}
		if pen > 0.9 {
			pen = 0.9
		}
		m.s = m.s0 - pen
		if pen > 0 && m.j-m.i == 1 {
			m.s = dead // "Ba" in "Xã Ba Cúc" is the start of a longer name, not Xã Ba
		}
	}
}

// choose builds every consistent chain and returns the best one's index.
func (st *state) choose(post bool) int {
	st.trail()
	st.chains = st.chains[:0]
	g := st.g
	ms := st.matches
	st.dIdx, st.pIdx = st.dIdx[:0], st.pIdx[:0]
	for k := range ms {
		switch ms[k].kind {
		case kDistrict:
			st.dIdx = append(st.dIdx, k)
		case kProvince, kNewProvince:
			st.pIdx = append(st.pIdx, k)
		}
	}
	st.present()
	st.lone = st.lone[:0]
	for ci := range ms {
		c := &ms[ci]
		if c.s == dead {
			continue
		}
		u := &g.hot[c.u]
		switch u.kind {
		case kCommune:
			if !inSet(st.presD, u.parent) && !(u.alt && st.anyAltRead(c.u)) && !inSet(st.presOld, u.prov) {
				// neither its district nor a province of its can be read:
				// its one chain is the commune alone (see addLone)
				st.lone = append(st.lone, ci)
				continue
			}
			// Best district among the commune's districts, then province.
			di, pi := -1, -1
			for _, k := range st.dIdx {
				d := &ms[k]
				if d.s == dead || overlap(c, d) {
					continue
				}
				if d.u != u.parent && (!u.alt || !contains(g.units[c.u].alt, d.u)) {
					continue
				}
				if di < 0 || d.s > ms[di].s {
					di = k
				}
			}
			pi = st.bestProvince(u.prov, false, c, di)
			st.addChain(false, ci, di, pi, post)
			if di >= 0 { // also without the district, in case it was a wrong reading
				st.addChain(false, ci, -1, st.bestProvince(u.prov, false, c, -1), post)
			}
		case kDistrict:
			pi := st.bestProvince(u.prov, false, c, -1)
			st.addChain(false, -1, ci, pi, post)
		case kProvince:
			st.addChain(false, -1, -1, ci, post)
		case kNewCommune:
			if !inSet(st.presNew, u.parent) {
				st.lone = append(st.lone, ci)
				continue
			}
			pi := st.bestProvince(u.parent, true, c, -1)
			st.addChain(true, ci, -1, pi, post)
		case kNewProvince:
			st.addChain(true, -1, -1, ci, post)
		}
	}
	if len(st.lone) > 0 {
		st.addLone(post)
	}
	best := st.bestChain()
	if best < 0 {
		return best
	}
	// The chains near the top only (few, and none at all to look at for
	// most addresses, whose best chain has its district): a chain further
	// down stays out of the tie the result reports with or without it.
	top, penalised := st.chains[best].score, false
	for k := range st.chains {
		ch := &st.chains[k]
		if ch.score > top-otherDistrictCost-0.1 && ch.c >= 0 && ch.d < 0 && !ch.newEra && st.otherDistrictTyped(ch.c) {
			ch.score -= otherDistrictCost
			penalised = true
		}
	}
	if penalised {
		best = st.bestChain()
	}
	return best
}

// present fills what choose reads to tell a commune whose chain is its
// own alone: presD, the units of the districts read (not ruled out);
// presOld, the units of the provinces of either era read and the old
// provinces each new one read was made of; presNew, the same and the
// new provinces each old one read went into. A commune none of whose
// district, alternative districts and province (old era) is in them,
// or a new commune whose new province is not (new era), finds none in
// bestProvince and the districts' loop: addChain(…, c, -1, -1) is its
// only chain (to and from are each other's inverse: gazetteer.build adds
// to both at once).
func (st *state) present() {
	g := st.g
	st.presD, st.presOld, st.presNew = st.presD[:0], st.presOld[:0], st.presNew[:0]
	for _, k := range st.dIdx {
		if d := &st.matches[k]; d.s != dead {
			st.presD = append(st.presD, d.u)
		}
	}
	for _, k := range st.pIdx {
		m := &st.matches[k]
		if m.s == dead {
			continue
		}
		st.presOld = append(st.presOld, m.u)
		st.presNew = append(st.presNew, m.u)
		if m.kind == kNewProvince {
			st.presOld = append(st.presOld, g.units[m.u].from...)
		} else {
			st.presNew = append(st.presNew, g.units[m.u].to...)
		}
	}
}

func inSet(xs []int32, x int32) bool {
	if x < 0 {
		return false
	}
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// anyAltRead reports whether one of unit u's other parent districts is
// among the districts read (presD).
func (st *state) anyAltRead(u int32) bool {
	for _, d := range st.presD {
		if contains(st.g.units[u].alt, d) {
			return true
		}
	}
	return false
}

// loneMargin is how far below the best chain of the others a commune's
// chain alone may score and still be left out (addLone). Nothing reads
// a chain more than 1 below the best one (fuzzy's five best stop there;
// build's ties, oldBetter and the confidence's runner-up are within
// 0.5), and choose's penalty lowers the best by otherDistrictCost at
// most: 1.5 leaves room for the sums' roundings.
// (A variable only so that TestLoneChainsLeftOut can keep them all.)
var loneMargin float32 = 1.5

// addLone adds the chains of the communes choose set aside (st.lone:
// each the commune alone), but those scoring more than loneMargin below
// the best chain already there, which can change nothing: most are a
// name's namesakes elsewhere, where the text names the commune's
// district and province. The chains stay in the order of their matches,
// as choose made them (the ties are read in that order).
func (st *state) addLone(post bool) {
	have := len(st.chains)
	var top float32
	for k := range st.chains {
		if k == 0 || st.chains[k].score > top {
			top = st.chains[k].score
		}
	}
	for _, ci := range st.lone {
		m := &st.matches[ci]
		newEra := m.kind == kNewCommune
		if have > 0 {
			// the score addChain gives the commune alone, in its order
			var score float32
			score += m.s
			score -= tailCost[st.tailWords[m.j]]
			if newEra == post {
				score += eraBonus
			}
			if score < top-loneMargin {
				continue
			}
		}
		st.addChain(newEra, ci, -1, -1, post)
	}
	if have == 0 || len(st.chains) == have {
		return
	}
	// back in the order of their matches: a chain's is that of its
	// smallest unit's, a commune's chain with its district before the
	// one without
	for k := have; k < len(st.chains); k++ {
		ch := st.chains[k]
		x := k
		for x > 0 && chainOrder(&st.chains[x-1]) > chainOrder(&ch) {
			st.chains[x] = st.chains[x-1]
			x--
		}
		st.chains[x] = ch
	}
}

// chainOrder is where choose makes chain ch among the others.
func chainOrder(ch *chain) int {
	switch {
	case ch.c >= 0:
		if ch.d >= 0 {
			return 2 * ch.c
		}
		return 2*ch.c + 1
	case ch.d >= 0:
		return 2 * ch.d
	}
	return 2 * ch.p
}

func (st *state) bestChain() int {
	best := -1
	for k := range st.chains {
		if best < 0 || st.chains[k].score > st.chains[best].score {
			best = k
		}
	}
	return best
}

func contains(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// bestProvince finds the best match for province p (old era, or new era
// when newEra) that overlaps neither match a nor match di. A province of
// the other era that corresponds to p counts a little less.
func (st *state) bestProvince(p int32, newEra bool, a *match, di int) int {
	if p < 0 {
		return -1
	}
	g := st.g
	best := -1
	var bestS float32
	for _, k := range st.pIdx {
		m := &st.matches[k]
		if m.s == dead || overlap(a, m) || di >= 0 && overlap(&st.matches[di], m) {
			continue
		}
		mk := m.kind
		var s float32
		switch {
		case m.u == p:
			s = m.s
		case !newEra && mk == kNewProvince && contains(g.units[p].to, m.u):
			// An old commune under the new province it went into; before
			// the reform a province's name means the old one.
			s = m.s - 0.1
			if !st.post && len(g.units[m.u].from) > 1 {
				s = m.s - 0.4
			}
		case newEra && mk == kProvince && contains(g.units[m.u].to, p):
			s = m.s - 0.1
		default:
			continue
		}
		if best < 0 || s > bestS {
			best, bestS = k, s
		}
	}
	return best
}

// otherDistrictCost is what a chain of a commune without its district
// loses (choose, near the top) when the text types a district the
// commune is not in: in
// "Phường 6, Quận 3, TP.HCM" (Quận 3's wards 6, 7 and 8 were merged
// into Phường Võ Thị Sáu in 2020) or "Phường Bình An, Quận 2" (merged
// into An Khánh) the district is what the writer still knows; a ward of
// that name elsewhere (Gò Vấp's Phường 6, Dĩ An's Bình An) is not it.
const otherDistrictCost = 0.3

// otherDistrictTyped reports whether a district that the commune of
// match c is not in is read, with a district type word (Quận, Huyện,
// Thị xã, or its own), from words c does not take.
func (st *state) otherDistrictTyped(c int) bool {
	g := st.g
	cm := &st.matches[c]
	u := &g.hot[cm.u]
	for _, k := range st.dIdx {
		d := &st.matches[k]
		if d.s == dead || d.fuzzy || overlap(cm, d) || d.u == u.parent || u.alt && contains(g.units[cm.u].alt, d.u) {
			continue
		}
		if st.mark[d.i]&(mUrban|mRural|mTown|markerOf[g.hot[d.u].typ]) != 0 {
			return true
		}
	}
	return false
}

// eraBonus is what a chain in the units of the era its date says gains.
const eraBonus = 0.5

// addChain scores a chain: its levels, their order (smallest first),
// what is left unexplained at the end of the text, and the era the date
// says.
func (st *state) addChain(newEra bool, c, d, p int, post bool) {
	// the levels present, smallest first, their scores added in that
	// order; the furthest word any of them takes is where the unexplained
	// tail starts (written out level by level: a loop over the three
	// indexes cost a third of addChain's instructions)
	var score float32
	var parts [3]*match
	n, end := 0, 0
	if c >= 0 {
		m := &st.matches[c]
		score += m.s
		parts[n], end = m, m.j
		n++
	}
	if d >= 0 {
		m := &st.matches[d]
		score += m.s
		parts[n], end = m, max(end, m.j)
		n++
	}
	if p >= 0 {
		m := &st.matches[p]
		score += m.s
		if (m.kind == kNewProvince) != newEra {
			score -= 0.1 // province named in the other era's units
		}
		parts[n], end = m, max(end, m.j)
		n++
	}
	if n == 1 && (c >= 0 || d >= 0) && parts[0].j-parts[0].i == 1 && parts[0].ms == parts[0].i {
		return // one bare word alone ("Thanh") is not an address; a province may be ("Huế")
	}
	for a := 0; a+1 < n; a++ {
		if parts[a].i < parts[a+1].i {
			score += 0.1
		} else {
			score -= 0.05
		}
		// Two units glued with neither separator nor type word between
		// ("Đinh Văn Lâm Hà") are more likely one longer name.
		if x, y := parts[a], parts[a+1]; x.j == y.ms && y.ms == y.i && !st.toks[y.i].hard && !st.toks[y.i].soft ||
			y.j == x.ms && x.ms == x.i && !st.toks[x.i].hard && !st.toks[x.i].soft {
			score -= 0.5
		}
	}
	score -= tailCost[st.tailWords[end]]
	if newEra == post {
		score += eraBonus
	}
	st.chains = append(st.chains, chain{}) // in place, as addMatch's
	ch := &st.chains[len(st.chains)-1]
	ch.newEra, ch.c, ch.d, ch.p, ch.score = newEra, c, d, p, score
}
