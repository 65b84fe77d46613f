package address

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// memo remembers the results of recent addresses: the records of one
// commune repeat a few hundred address strings over and over, and a
// lookup costs a hash and a probe where resolving costs tens of
// microseconds. It is a set-associative table, not a map: the text's
// 64-bit hash (maphash, computed once), made another by the era
// (eraHash), picks a shard and in it a set of memoWays slots (the hashes
// of its slots, one cache line); a lookup reads that set and, on a slot
// whose hash agrees, the
// slot's entry, which holds the text's check word (a second hash, with
// another seed) and length: when both agree too, the entry's result is
// the text's. 96 bits of two seeded hashes and the length tell two texts
// apart (the odds that two texts of a list agree on all of them are about
// 2⁻⁹⁶ a pair), where comparing the text itself read the remembered
// text's bytes, one cache miss more on every hit.
//
// An entry is one cache line in an array beside the sets (a set's
// memoWays entries in a row), not a Result behind a pointer: it keeps the
// units as gazetteer ids, the street and hamlet as offsets in the text
// (the text a lookup brings is the same bytes), and behind a pointer, kept
// with the entry and written over with it, what not every result has
// (candidates — a third of a generated list's, mostly a new commune made
// of several old ones —, old names, a street or hamlet joined from two
// parts). A Result was ~280 bytes, five cache lines read on every hit and
// written on every store, each store a fresh allocation until the table
// filled; ResolveCodes, which dancu link asks, reads the entry's line
// alone, and stores the units alone of what it searched (putCodes: an
// entry get takes for a miss). Prepare has the processor fetch a text's set and entries ahead
// of the lookup (prefetchLines), so that the two misses of a lookup, one
// after the other, overlap with the caller's work instead.
//
// Each set keeps its slots in order of use: a hit moves its slot to the
// front, a new result takes the front (or the back, when it is seldom
// asked for again: see store) and the least recently used one falls out
// (its entry is written over), so what is used keeps its place
// and an endless stream of distinct addresses cannot grow the cache past
// memoShards × memoSets × memoWays results. Shards, each with its own
// lock, let goroutines resolving different addresses rarely wait for each
// other.
//
// The two eras share the table (a text's hash in one era is not its hash
// in the other): a list is read at one date, so an era's results take all
// of it while its files are read, where a table for each era left half of
// the 42 MB unused (dancu link reads its files one after the other: on
// the two lists of `dancu gen --persons 552000 --seed 11`, each in one
// era, a table per era had 937k of the addresses searched afresh, the
// shared one 797k).
type memo struct {
	seed, checkSeed maphash.Seed
	shards          [memoShards]memoShard
	searches        atomic.Uint64 // addresses (or their parts after a street or hamlet) searched afresh
}

type memoShard struct {
	mu   sync.Mutex
	sets []memoSet
	ents []memoEntry // set i's entries at i*memoWays … i*memoWays+memoWays-1
	// hits and misses are counted per shard, under its lock: one counter
	// for all would bounce between the cores resolving.
	hits, misses uint64
}

// memoSet is one set of the table: the hashes of its slots, most recently
// used first, and the entry of each (its index among the set's
// memoWays); the first used slots are in use (the zero set is empty). 64 bytes, and the table's
// sets start on a cache line (a large allocation starts on a page).
type memoSet struct {
	h    [memoWays]uint64
	slot [memoWays]uint8
	used uint8
	// line is never written: Prepare reads it, without the lock, to have
	// the processor fetch the set's cache line ahead of the lookup.
	line uint64
	_    [16]byte
}

// memoEntry is a remembered result with the check word and the length of
// the text it is the result of; 64 bytes, one cache line.
type memoEntry struct {
	memoRes
	line uint64 // never written, as memoSet.line
}

// memoRes is what an entry remembers: all that put writes of it.
type memoRes struct {
	chk    uint32
	n      uint32
	units  [5]int32  // Province … NewCommune as gazetteer ids + 1 (0: none)
	street [2]uint16 // Street is text[street[0]:street[1]] (unless flags say more has it)
	hamlet [2]uint16 // Hamlet likewise
	flags  uint8
	conf   float64
	more   *memoMore // what few results have (when flags has memoHasMore), written over with the entry
}

const (
	memoNoCandidates uint8 = 1 << iota // Candidates is empty, not nil (and more has none)
	memoMoreStreet                     // Street is more.street
	memoMoreHamlet                     // Hamlet is more.hamlet
	memoHasMore                        // more holds this entry's (else it is kept for a later one, or nil)
	// memoCodesOnly: the entry holds the units alone (putCodes, from a
	// search that made no more of the result: see resolveCodes); get
	// takes it for a miss, units answers from it
	memoCodesOnly
	memoPost // the entry is of the era since ReformDate (for len)
)

// memoMore is the part of a remembered result that most have not.
type memoMore struct {
	cands          []Candidate
	old            []string
	street, hamlet string
}

const (
	memoShards = 16
	memoWays   = 4
	memoSets   = 1 << 13 // sets per shard, both eras': 16 × 8,192 × 4 = 524,288 results
)

var cache = newMemo()

func newMemo() *memo {
	m := &memo{seed: maphash.MakeSeed(), checkSeed: maphash.MakeSeed()}
	// one array of sets and one of entries for all the shards and eras:
	// large enough for the kernel to back them with huge pages (adviseHuge),
	// so that a lookup's two lines do not cost two misses of the address
	// translation cache too (the 42 MB would take ~10,000 small pages)
	sets := make([]memoSet, memoShards*memoSets)
	ents := make([]memoEntry, memoShards*memoSets*memoWays)
	adviseHuge(unsafe.Pointer(&sets[0]), uintptr(len(sets))*unsafe.Sizeof(sets[0]))
	adviseHuge(unsafe.Pointer(&ents[0]), uintptr(len(ents))*unsafe.Sizeof(ents[0]))
	for k := range m.shards {
		m.shards[k].sets = sets[k*memoSets : (k+1)*memoSets : (k+1)*memoSets]
		m.shards[k].ents = ents[k*memoSets*memoWays : (k+1)*memoSets*memoWays : (k+1)*memoSets*memoWays]
	}
	return m
}

// memoKey is what the table knows a text by: its hash, its check word
// and its length.
type memoKey struct {
	h   uint64
	chk uint32
	n   int
}

// key returns the key of text; a caller that looks a text up and then
// stores its result computes it once.
func (m *memo) key(text string) memoKey {
	return memoKey{h: maphash.String(m.seed, text), chk: uint32(maphash.String(m.checkSeed, text)), n: len(text)}
}

// slot returns the shard, the set and the set's entries of hash h (a
// key's hash in its era: eraHash).
func (m *memo) slot(h uint64) (*memoShard, *memoSet, []memoEntry) {
	s := &m.shards[h%memoShards]
	i := (h / memoShards) % memoSets
	return s, &s.sets[i], s.ents[i*memoWays : i*memoWays+memoWays : i*memoWays+memoWays]
}

// eraHash is k with its hash made the text's in the era: the hash of a
// text since ReformDate is its hash before with every other bit turned
// (odd and even bits alike pick the shard and the set), so that a text
// has a key and a place of its own in each era.
func eraHash(k memoKey, post bool) memoKey {
	if post {
		k.h ^= 0x5555555555555555
	}
	return k
}

// find returns the slot of set holding k (its entries es), or -1.
func (set *memoSet) find(es []memoEntry, k memoKey) int {
	for i := range int(set.used) {
		if set.h[i] == k.h {
			if e := &es[set.slot[i]&(memoWays-1)]; e.chk == k.chk && int(e.n) == k.n {
				return i
			}
		}
	}
	return -1
}

// toFront moves slot i of set to the front, with hash h: the slots stay
// in order of use.
func (set *memoSet) toFront(i int, h uint64) {
	e := set.slot[i]
	copy(set.h[1:i+1], set.h[:i])
	copy(set.slot[1:i+1], set.slot[:i])
	set.h[0], set.slot[0] = h, e
}

// toBack moves slot i of set to the back of the slots in use, with hash
// h.
func (set *memoSet) toBack(i int, h uint64) {
	e, u := set.slot[i], int(set.used)
	copy(set.h[i:u-1], set.h[i+1:u])
	copy(set.slot[i:u-1], set.slot[i+1:u])
	set.h[u-1], set.slot[u-1] = h, e
}

// get returns the remembered result of text in the era. Its Candidates
// and OldNames are shared with every caller that gets it (Result says
// they are read-only): copying them on each hit would cost more than the
// lookup.
func (m *memo) get(text string, post bool) (Result, bool) {
	return m.getKey(text, m.key(text), post)
}

// getKey is get of text, whose key is k.
func (m *memo) getKey(text string, k memoKey, post bool) (Result, bool) {
	k = eraHash(k, post)
	s, set, es := m.slot(k.h)
	s.mu.Lock()
	// copied under the lock: put writes over the entry (and its more)
	// that falls out
	var e memoRes
	var mo memoMore
	i := set.find(es, k)
	if i >= 0 && es[set.slot[i]&(memoWays-1)].flags&memoCodesOnly != 0 {
		i = -1 // the units alone: a whole result is searched for (and written over it)
	}
	if i >= 0 {
		e = es[set.slot[i]&(memoWays-1)].memoRes
		if e.flags&memoHasMore != 0 {
			mo = *e.more
		}
		set.toFront(i, k.h)
		s.hits++
	} else {
		s.misses++
	}
	s.mu.Unlock()
	if i < 0 {
		return Result{}, false
	}
	return e.result(text, &mo), true
}

// units returns the unit ids (+ 1, 0: none) of the remembered result of
// k in the era, if there is one (whole or its units alone): what
// ResolveCodes reads of it.
func (m *memo) units(k memoKey, post bool) ([5]int32, bool) {
	k = eraHash(k, post)
	s, set, es := m.slot(k.h)
	s.mu.Lock()
	var u [5]int32
	i := set.find(es, k)
	if i >= 0 {
		u = es[set.slot[i]&(memoWays-1)].units
		set.toFront(i, k.h)
		s.hits++
	} else {
		s.misses++
	}
	s.mu.Unlock()
	return u, i >= 0
}

// result is the Result e remembers, of text; mo is a copy of e.more.
func (e *memoRes) result(text string, mo *memoMore) Result {
	r := Result{Input: text, Confidence: e.conf, ids: e.units}
	if e.units != ([5]int32{}) {
		g, _ := load() // built: an entry with units was stored after a search
		r.Province, r.District, r.Commune = g.pubID(e.units[0]), g.pubID(e.units[1]), g.pubID(e.units[2])
		r.NewProvince, r.NewCommune = g.pubID(e.units[3]), g.pubID(e.units[4])
	}
	r.Street = text[e.street[0]:e.street[1]]
	r.Hamlet = text[e.hamlet[0]:e.hamlet[1]]
	if e.flags&memoNoCandidates != 0 {
		r.Candidates = noCandidates
	}
	if e.flags&memoHasMore != 0 {
		if mo.cands != nil {
			r.Candidates = mo.cands
		}
		r.OldNames = mo.old
		if e.flags&memoMoreStreet != 0 {
			r.Street = mo.street
		}
		if e.flags&memoMoreHamlet != 0 {
			r.Hamlet = mo.hamlet
		}
	}
	return r
}

// touch reads the lines of the set of k in the era and of its entries
// (words nothing writes, without the lock: loads that do not depend on
// one another, so the processor overlaps their cache misses with other
// work) and returns what it read, for the caller to keep.
func (m *memo) touch(k memoKey, post bool) uint64 {
	_, set, es := m.slot(eraHash(k, post).h)
	prefetchLines(unsafe.Pointer(set), unsafe.Pointer(&es[0]))
	return 0
}

// noCandidates is the Candidates of a remembered result with none (an
// empty list, not nil: a fresh result's).
var noCandidates = []Candidate{}

// put remembers r as the result of text in the era.
func (m *memo) put(text string, post bool, r Result) {
	if len(text) > memoMaxText {
		return // junk, not worth keeping
	}
	m.putKey(text, m.key(text), post, &r)
}

// memoMaxText is the longest text remembered (offsets in it fit 16 bits).
const memoMaxText = 512

// putKey is put of text, whose key is k.
func (m *memo) putKey(text string, k memoKey, post bool, r *Result) {
	if k.n > memoMaxText {
		return // junk, not worth keeping
	}
	e := memoRes{chk: k.chk, n: uint32(k.n), units: r.ids, conf: r.Confidence}
	var mo memoMore
	var ok bool
	if e.street, ok = within(text, r.Street); !ok {
		mo.street, e.flags = r.Street, e.flags|memoMoreStreet
	}
	if e.hamlet, ok = within(text, r.Hamlet); !ok {
		mo.hamlet, e.flags = r.Hamlet, e.flags|memoMoreHamlet
	}
	switch {
	case len(r.Candidates) > 0:
		mo.cands = r.Candidates
	case r.Candidates != nil:
		e.flags |= memoNoCandidates
	}
	mo.old = r.OldNames
	needMore := mo.cands != nil || mo.old != nil || e.flags&(memoMoreStreet|memoMoreHamlet) != 0
	m.store(k, post, e, &mo, needMore, false)
}

// putCodes remembers units, the unit ids (+ 1, 0: none) of a text whose
// key is k, as its result in the era, without the rest of the result:
// ResolveCodes answers from it, Resolve searches again and writes a whole
// result over it. When last, the entry is put last in its set's order of
// use (the first to go, unless it is used before), not first: see store.
func (m *memo) putCodes(k memoKey, post bool, units [5]int32, last bool) {
	if k.n > memoMaxText {
		return // as putKey
	}
	m.store(k, post, memoRes{chk: k.chk, n: uint32(k.n), units: units, flags: memoCodesOnly}, nil, false, last)
}

// store writes e (with mo, when needMore) as the result of k in the era,
// first in its set's order of use, or last when last: a result seldom
// asked for again (a text whose rest the cache holds, an address with its
// house number) then takes the place of the least recently used one and
// goes next, unless it is used before, instead of pushing out a result
// that other texts share. On the 3.0M addresses of /tmp/scale/g1m's two
// lists, ResolveCodes searched 796,655 texts or rests with every result
// put first, 747,295 with the whole texts and outer rests read through a
// rest put last (and 698,621 are distinct: what a table that forgot
// nothing would search).
func (m *memo) store(k memoKey, post bool, e memoRes, mo *memoMore, needMore, last bool) {
	k = eraHash(k, post)
	if post {
		e.flags |= memoPost
	}
	s, set, es := m.slot(k.h)
	s.mu.Lock()
	// a text already there (two goroutines resolved it at once) is
	// replaced where it is; else the least recently used slot goes (or
	// the first one not used yet)
	i := set.find(es, k)
	if i < 0 {
		i = memoWays - 1
		if u := set.used; u < memoWays {
			// a set fills its entries in order: the first free one is the
			// used-th (positions past used are never read, and zero)
			i, set.slot[u] = int(u), u
			set.used++
		}
	}
	// The entry that goes, and its more, are written over: a result got
	// from them was copied under the lock. A more is kept with its entry
	// for the next result that needs one (a third of them: candidates of
	// a new commune made of several old ones), not allocated each time.
	old := &es[set.slot[i]&(memoWays-1)]
	e.more = old.more
	switch {
	case needMore:
		if e.more == nil {
			e.more = new(memoMore)
		}
		*e.more = *mo
		e.flags |= memoHasMore
	case old.flags&memoHasMore != 0:
		*e.more = memoMore{} // what it pointed to may go
	}
	old.memoRes = e // not line, which Prepare reads without the lock
	if last {
		set.toBack(i, k.h)
	} else {
		set.toFront(i, k.h)
	}
	s.mu.Unlock()
}

// within returns the offsets of sub in text when text holds it (the
// empty string at 0), or false.
func within(text, sub string) ([2]uint16, bool) {
	if sub == "" {
		return [2]uint16{}, true
	}
	if i := strings.Index(text, sub); i >= 0 {
		return [2]uint16{uint16(i), uint16(i + len(sub))}, true
	}
	return [2]uint16{}, false
}

// len returns the number of results remembered in era e (0 before
// ReformDate, 1 since).
func (m *memo) len(e int) int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for j := range s.sets {
			set := &s.sets[j]
			for _, k := range set.slot[:set.used] {
				if post := s.ents[j*memoWays+int(k&(memoWays-1))].flags&memoPost != 0; post == (e == 1) {
					n++
				}
			}
		}
		s.mu.Unlock()
	}
	return n
}

// reset forgets every remembered result.
func (m *memo) reset() {
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		clear(s.sets)
		clear(s.ents)
		s.mu.Unlock()
	}
}

// MemoStats is a snapshot of the counters of Resolve's cache of recent
// results: lookups answered and not, and the searches run (an address
// whose first part is a street or hamlet is looked up twice, whole and
// without that part, and searched at most once).
type MemoStats struct {
	Hits, Misses, Searches uint64
}

// Stats returns the counters of Resolve's cache of recent results.
func Stats() MemoStats {
	st := MemoStats{Searches: cache.searches.Load()}
	for i := range cache.shards {
		s := &cache.shards[i]
		s.mu.Lock()
		st.Hits += s.hits
		st.Misses += s.misses
		s.mu.Unlock()
	}
	return st
}
