package address

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/vn"
)

// kind is the level and era of a unit.
type kind uint8

const (
	kProvince    kind = iota // pre-reform province (63)
	kDistrict                // pre-reform district (~700)
	kCommune                 // pre-reform commune (~10,600 incl. those merged away since 2021)
	kNewProvince             // province since 1 July 2025 (34)
	kNewCommune              // commune since 1 July 2025 (3,321)
)

// utype is a unit's official type word.
type utype uint8

const (
	tNone utype = iota
	tTinh
	tThanhPhoTW // Thành phố trực thuộc Trung ương
	tQuan
	tHuyen
	tThiXa
	tThanhPho // provincial city (district level)
	tPhuong
	tXa
	tThiTran
	tDacKhu
)

var typePrefixes = []struct {
	prefix string
	t      utype
}{
	{"Thành phố ", tThanhPho}, {"Thị xã ", tThiXa}, {"Thị trấn ", tThiTran}, {"Tỉnh ", tTinh},
	{"Quận ", tQuan}, {"Huyện ", tHuyen}, {"Phường ", tPhuong}, {"Xã ", tXa}, {"Đặc khu ", tDacKhu},
}

// splitType splits an official name into its type and its proper name.
// The tables write a few type words capitalised ("Thị Xã Việt Yên",
// "Thành Phố Đồng Hới", "Thị Trấn Ngọc Lặc"): they are the same type.
func splitType(name string) (utype, string) {
	for _, p := range typePrefixes {
		if len(name) >= len(p.prefix) && strings.EqualFold(name[:len(p.prefix)], p.prefix) {
			return p.t, name[len(p.prefix):]
		}
	}
	return tNone, name
}

// unit is one administrative unit of either era.
type unit struct {
	kind   kind
	typ    utype
	code   string
	name   string // official name with its type word
	key    string // folded proper name
	sig    string // signature of the marks of the proper name (markSig)
	parent int32  // commune → district; district → province; new commune → new province; else -1
	prov   int32  // commune, district → province; else -1
	alt    []int32
	final  bool     // still in the last pre-reform list (2025-03); always true for the new era
	succ   int32    // old commune merged away before the reform → the commune that absorbed it, or -1
	to     []int32  // old commune → new communes; old province → new province; island district → new commune
	from   []int32  // new commune → old communes (or island districts); new province → old provinces
	alts   []string // other folded names (earlier names, variants, old names), for the misspelling search
}

// slot is what the index holds for a folded key: the units it names and
// whether longer names start with it, so that a scan can stop early.
type slot struct {
	es   []entry
	more bool
	// sigs are the distinct mark signatures of the units of es (set on
	// the trie's nodes when there are two or more; each entry's sig is its
	// unit's index in it), so that telling Hòa from Hóa compares the
	// text's marks with a few signatures, not with every namesake's.
	sigs []string
}

// entry is one unit a folded name can mean.
type entry struct {
	unit int32
	q    float32 // 1 for an official name (now or earlier), less for an alias
	sig  uint16  // index of the unit's mark signature in its trie node's sigs
	// the district's initials ("Q.PN" for Quận Phú Nhuận): read only
	// after a district type word
	initials bool
}

// gazetteer is the embedded list of units of both eras with a name index.
type gazetteer struct {
	units []unit
	index map[string]slot
	// codes per kind
	byCode [5]map[string]int32
	// children for fuzzy matching within a parent: district and province →
	// old communes and districts; new province → new communes.
	children map[int32][]int32
	// markers: folded type words, hamlet and street words.
	markers   map[string]marker
	provinces []int32 // old and new provinces, for fuzzy matching
	// every final old commune and every new commune, for fuzzy matching
	// when nothing else was recognised
	oldCommunes, newCommunes []int32
	districts                []int32 // final pre-reform districts
	// The index as a trie over word ids, for the hot path: a word's id,
	// then (node<<32 | word id) → child node; node 0 is the root.
	words map[string]word
	wtab  *wordTable // words, packed for reading addresses
	// initials maps a province's name of two words written with its
	// first word cut to its initial ("t hoa": Thanh Hóa) to that first
	// word, when one province only is written so (webWords).
	initials map[string]word
	// nameStart holds the hamlet and street words that also begin a
	// unit's name (buôn: Buôn Ma Thuột).
	nameStart map[string]bool
	trie      map[uint64]int32
	// edges is trie as an open-addressing table for the hot path (see
	// edgeTable); trie is only for building, dropped after.
	edges edgeTable
	// root holds the root's children by word id (0: none), the step
	// every word of an address takes, as a slice rather than the map.
	root []int32
	// nodes are the trie's nodes, 12 bytes each, their entries in one
	// array (ents, a node's in a row) and their mark signatures in
	// another (sigs): a step of the scan reads a node and its entries,
	// where a node of slices was 56 bytes and its entries an allocation
	// of their own somewhere on the heap — the node's load was a third
	// of findExact's samples in perf of dancu link's read.
	nodes []tnode
	ents  []entry
	sigs  []string
	// hot holds, by unit, what scoring a reading reads of every namesake
	// a name has (a common commune name has dozens): 20 bytes each, in
	// one array that stays in the cache, where the units are ~200 bytes
	// each and a reading touched two of their cache lines.
	hot []unitHot
	// pubs holds each unit's code and name as Result gives them (pub),
	// 32 bytes a unit, for the cache of recent results, which keeps ids.
	pubs []Unit
	// glued has bit id set for a word that is a type word glued to a
	// word that starts a name ("phuongnam"), by word id (repair.go).
	glued []uint64
}

// unitHot is the part of a unit that scoring readings and chains reads.
type unitHot struct {
	parent, prov int32
	kind         kind
	typ          utype
	final        bool
	dash         bool // the official name has a hyphen
	// for the misspelling search's filters, which most units fail:
	alts  bool  // the unit has other names (alts)
	alt   bool  // the unit has other parent districts (alt)
	klen  uint8 // len(key), 255 for 255 or more
	first int32 // word id of key's first word when key has two or more words, -1 when one; -2 unknown
}

// setHot fills g.hot from g.units (once they are complete).
func (g *gazetteer) setHot() {
	g.hot = make([]unitHot, len(g.units))
	g.pubs = make([]Unit, len(g.units))
	for i := range g.units {
		u := &g.units[i]
		h := unitHot{parent: u.parent, prov: u.prov, kind: u.kind, typ: u.typ, final: u.final, dash: strings.Contains(u.name, "-"),
			alts: len(u.alts) > 0, alt: len(u.alt) > 0, klen: uint8(min(len(u.key), 255)), first: -1}
		if w, _, two := strings.Cut(u.key, " "); two {
			h.first = -2
			if wd, ok := g.words[w]; ok && wd.id >= 0 {
				h.first = wd.id
			}
		}
		g.hot[i] = h
		g.pubs[i] = Unit{Code: u.code, Name: u.name}
	}
}

// edgeTable maps a trie edge (node<<32 | word id, never 0: the root's
// edges are in root) to the child node: open addressing with linear
// probing in a power-of-two table at most half full, so a step costs a
// multiply and, most often, one probe in one cache line — where the map
// hashed the key and probed a group's control word and slot.
type edgeTable struct {
	slots []edgeSlot
	mask  uint64
}

type edgeSlot struct {
	k uint64
	v int32
}

func newEdgeTable(m map[uint64]int32) edgeTable {
	n := 16
	for n < 2*len(m) {
		n *= 2
	}
	t := edgeTable{slots: make([]edgeSlot, n), mask: uint64(n - 1)}
	for k, v := range m {
		if k>>32 == 0 {
			continue // the root's edges: root
		}
		i := edgeHash(k) & t.mask
		for t.slots[i].k != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = edgeSlot{k, v}
	}
	return t
}

func edgeHash(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> 20 }

func (t *edgeTable) get(k uint64) (int32, bool) {
	for i := edgeHash(k) & t.mask; ; i = (i + 1) & t.mask {
		switch s := &t.slots[i]; s.k {
		case k:
			return s.v, true
		case 0:
			return 0, false
		}
	}
}

// tnode is a node of the trie: its entries ents[es : es+n] (the units
// of the name that ends here), its units' distinct mark signatures
// sigs[sig : sig+nsig] when there are two or more (nsig 0 otherwise), and
// whether longer names continue from it.
type tnode struct {
	es, sig int32
	n       uint16
	nsig    uint8
	more    bool
}

// entries returns the entries of node x.
func (g *gazetteer) entries(x *tnode) []entry {
	return g.ents[x.es : x.es+int32(x.n) : x.es+int32(x.n)]
}

// signatures returns the mark signatures of node x (none when its units'
// names do not differ in their marks).
func (g *gazetteer) signatures(x *tnode) []string {
	return g.sigs[x.sig : x.sig+int32(x.nsig) : x.sig+int32(x.nsig)]
}

// setSigs gives a trie node's entries (a copy: the index keeps its own)
// their signature indices, and the node its signatures when they differ.
func (g *gazetteer) setSigs(sl *slot) {
	var sigs []string
	es := append([]entry(nil), sl.es...)
	for k := range es {
		sig := g.units[es[k].unit].sig
		at := -1
		for x, s := range sigs {
			if s == sig {
				at = x
				break
			}
		}
		if at < 0 {
			at = len(sigs)
			sigs = append(sigs, sig)
		}
		es[k].sig = uint16(at) // fewer units than 65,536 in all
	}
	sl.es = es
	if len(sigs) > 1 {
		sl.sigs = sigs
	}
}

// child returns the child of node by word id.
func (g *gazetteer) child(node, id int32) (int32, bool) {
	if node == 0 {
		next := g.root[id]
		return next, next != 0
	}
	return g.edges.get(uint64(node)<<32 | uint64(id))
}

// word is what the gazetteer knows of one folded word.
type word struct {
	id     int32  // in the trie, -1 if no name has it
	marker bool   // part of a type, hamlet or street word
	s      string // the word itself, so that a repaired token can point at it without allocating
}

var (
	gazOnce sync.Once
	gaz     *gazetteer
	gazErr  error
)

// load returns the shared gazetteer, building it on first use.
func load() (*gazetteer, error) {
	gazOnce.Do(func() { gaz, gazErr = build() })
	return gaz, gazErr
}

// Warm builds the shared gazetteer now rather than on the first Resolve,
// and reports whether the embedded tables could be read.
func Warm() error {
	_, err := load()
	return err
}

func build() (*gazetteer, error) {
	g := &gazetteer{index: make(map[string]slot, 40000), children: make(map[int32][]int32, 1000)}
	for k := range g.byCode {
		g.byCode[k] = map[string]int32{}
	}
	tabs := map[string]*refdata.Table{}
	for _, name := range []string{
		"admin_units_2025_pre_reform.csv", "admin_units_2024.csv", "admin_units_history_2021_2025.csv",
		"admin_units_2025.csv", "admin_units_2025_mapping.csv", "province_mapping_2025.csv",
		"admin_commune_name_variants.csv", "address_abbreviations.csv",
	} {
		t, err := refdata.Load(name)
		if err != nil {
			return nil, fmt.Errorf("load gazetteer: %w", err)
		}
		tabs[name] = t
	}
	pre, y24, hist := tabs["admin_units_2025_pre_reform.csv"], tabs["admin_units_2024.csv"], tabs["admin_units_history_2021_2025.csv"]

	// Old provinces and districts: the final list first, then units that
	// existed in 2024 but not in 2025-03.
	for _, t := range []*refdata.Table{pre, y24} {
		final := t == pre
		for _, r := range t.Rows {
			pc, pn := t.Get(r, "province_code"), t.Get(r, "province_name")
			p, ok := g.byCode[kProvince][pc]
			if !ok {
				p = g.add(unit{kind: kProvince, code: pc, name: pn, parent: -1, prov: -1, final: final, succ: -1})
			} else if g.units[p].name != pn {
				g.addKey(pn, p, 1) // Tỉnh Thừa Thiên Huế → Thành phố Huế
			}
			dc, dn := t.Get(r, "district_code"), t.Get(r, "district_name")
			if _, ok := g.byCode[kDistrict][dc]; !ok {
				d := g.add(unit{kind: kDistrict, code: dc, name: dn, parent: p, prov: p, final: final, succ: -1})
				g.children[p] = append(g.children[p], d)
			}
		}
	}
	// Old communes: every code seen 2021–2025, with its earlier names and
	// districts.
	for _, r := range hist.Rows {
		dc := hist.Get(r, "district_code")
		d, ok := g.byCode[kDistrict][dc]
		if !ok {
			return nil, fmt.Errorf("build gazetteer: admin_units_history_2021_2025.csv: commune %s names unknown district %s", hist.Get(r, "commune_code"), dc)
		}
		c := g.add(unit{kind: kCommune, code: hist.Get(r, "commune_code"), name: hist.Get(r, "commune_name"),
			parent: d, prov: g.units[d].prov, final: hist.Get(r, "in_final_pre_reform") == "1", succ: -1})
		g.children[d] = append(g.children[d], c)
		g.children[g.units[d].prov] = append(g.children[g.units[d].prov], c)
		for _, on := range strings.Split(hist.Get(r, "other_names"), "|") {
			if on != "" {
				g.addKey(on, c, 1)
			}
		}
		for _, od := range strings.Split(hist.Get(r, "other_district_codes"), "|") {
			if d2, ok := g.byCode[kDistrict][od]; ok && od != "" && d2 != d {
				g.units[c].alt = append(g.units[c].alt, d2)
				g.children[d2] = append(g.children[d2], c)
			}
		}
	}
	// Names in the final list win over the history's spelling.
	for _, r := range pre.Rows {
		if c, ok := g.byCode[kCommune][pre.Get(r, "commune_code")]; ok {
			if n := pre.Get(r, "commune_name"); n != g.units[c].name {
				g.addKey(n, c, 1)
			}
		}
	}
	v := tabs["admin_commune_name_variants.csv"]
	for _, r := range v.Rows {
		if c, ok := g.byCode[kCommune][v.Get(r, "commune_code")]; ok {
			g.addKey(v.Get(r, "name_variant"), c, 0.98)
		}
	}

	// The new era.
	n25 := tabs["admin_units_2025.csv"]
	for _, r := range n25.Rows {
		pc, pn := n25.Get(r, "province_code"), n25.Get(r, "province_name")
		p, ok := g.byCode[kNewProvince][pc]
		if !ok {
			p = g.add(unit{kind: kNewProvince, code: pc, name: pn, parent: -1, prov: -1, final: true, succ: -1})
		}
		c := g.add(unit{kind: kNewCommune, code: n25.Get(r, "commune_code"), name: n25.Get(r, "commune_name"), parent: p, prov: p, final: true, succ: -1})
		g.children[p] = append(g.children[p], c)
		if alt := n25.Get(r, "alt_name_nso_registry"); alt != "" {
			g.addKey(alt, c, 1)
		}
	}
	pm := tabs["province_mapping_2025.csv"]
	for _, r := range pm.Rows {
		o, ok1 := g.byCode[kProvince][pm.Get(r, "old_province_code")]
		n, ok2 := g.byCode[kNewProvince][pm.Get(r, "new_province_code")]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("build gazetteer: province_mapping_2025.csv: unknown province %s or %s", pm.Get(r, "old_province_code"), pm.Get(r, "new_province_code"))
		}
		g.units[o].to = append(g.units[o].to, n)
		g.units[n].from = append(g.units[n].from, o)
	}
	mp := tabs["admin_units_2025_mapping.csv"]
	for _, r := range mp.Rows {
		if mp.Get(r, "preferred") != "1" {
			continue
		}
		n, ok := g.byCode[kNewCommune][mp.Get(r, "new_commune_code")]
		if !ok {
			return nil, fmt.Errorf("build gazetteer: admin_units_2025_mapping.csv: unknown new commune %s", mp.Get(r, "new_commune_code"))
		}
		var o int32
		if oc := mp.Get(r, "old_commune_code"); oc != "" {
			o, ok = g.byCode[kCommune][oc]
		} else {
			o, ok = g.byCode[kDistrict][mp.Get(r, "old_district_code")]
		}
		if !ok {
			return nil, fmt.Errorf("build gazetteer: admin_units_2025_mapping.csv: unknown old unit %s/%s", mp.Get(r, "old_commune_code"), mp.Get(r, "old_district_code"))
		}
		g.units[o].to = append(g.units[o].to, n)
		g.units[n].from = append(g.units[n].from, o)
	}
	g.linkSuccessors()
	if err := g.addOldNames(); err != nil {
		return nil, err
	}
	g.loadAbbreviations(tabs["address_abbreviations.csv"])
	g.addDistrictInitials()
	g.buildTrie()
	g.setGlued()
	g.setInitials()
	g.setHot()
	g.wtab = newWordTable(g.words)
	return g, nil
}

// add appends u, indexes its code and its names, and returns its id.
func (g *gazetteer) add(u unit) int32 {
	id := int32(len(g.units))
	t, bare := splitType(u.name)
	u.typ = t
	if u.kind == kProvince || u.kind == kNewProvince {
		switch t {
		case tThanhPho:
			u.typ = tThanhPhoTW
		case tNone:
			u.typ = tTinh
		}
	}
	u.sig = markSig(bare)
	u.key = foldKey(bare)
	switch u.kind {
	case kProvince, kNewProvince:
		g.provinces = append(g.provinces, id)
	case kCommune:
		if u.final {
			g.oldCommunes = append(g.oldCommunes, id)
		}
	case kNewCommune:
		g.newCommunes = append(g.newCommunes, id)
	case kDistrict:
		if u.final {
			g.districts = append(g.districts, id)
		}
	}
	g.units = append(g.units, u)
	g.byCode[u.kind][u.code] = id
	g.addKey(u.name, id, 1)
	return id
}

// addKey indexes the proper name of full (type word stripped) and its
// variants for unit id.
func (g *gazetteer) addKey(full string, id int32, q float32) {
	_, bare := splitType(full)
	k := foldKey(bare)
	if k == "" {
		return
	}
	g.addRaw(k, id, q)
	if u := &g.units[id]; u.key != "" && k != u.key && !containsString(u.alts, k) {
		u.alts = append(u.alts, k)
	}
	// Apostrophes: "Ea H'Leo" is also written "Ea H Leo".
	if strings.ContainsAny(bare, "'’") {
		g.addRaw(foldKey(strings.NewReplacer("'", " ", "’", " ").Replace(bare)), id, q)
	}
	words := strings.Split(k, " ")
	// "Tam Xuân I" is written "Tam Xuân 1", "Bàu Hàm 2" "Bàu Hàm II".
	if n := len(words); n > 1 {
		roman := [...]string{"i", "ii", "iii", "iv", "v"}
		for x, r := range roman {
			arabic := string(rune('1' + x))
			var alt string
			switch words[n-1] {
			case r:
				alt = arabic
			case arabic:
				alt = r
			default:
				continue
			}
			g.addRaw(strings.Join(append(words[:n-1:n-1], alt), " "), id, q*0.99)
		}
	}
	// "Phường V" (Vị Thanh's wards are Roman numerals alone) is written
	// "Phường 5" as every other numbered ward is.
	if len(words) == 1 {
		for x, r := range [...]string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"} {
			if k == r {
				g.addRaw(strconv.Itoa(x+1), id, q*0.99)
			}
		}
	}
	if len(words) > 1 {
		g.addRaw(strings.Join(words, ""), id, q*0.98) // "daklak", "hochiminh"
	}
	// Glued prefixes of highland names: "EaBar" ↔ "Ea Bar", "Đăk Nông" ↔ "Đắknông".
	split := make([]string, 0, len(words)+1)
	changed := false
	for _, w := range words {
		done := false
		for _, p := range []string{"ea", "ia", "dak", "krong", "cu"} {
			if len(w) > len(p)+2 && strings.HasPrefix(w, p) && !vn.AllDigits(w) {
				split = append(split, p, w[len(p):])
				changed, done = true, true
				break
			}
		}
		if !done {
			split = append(split, w)
		}
	}
	if changed {
		g.addRaw(strings.Join(split, " "), id, q*0.98)
	}
	// "Nông trường Mộc Châu" is written "NT Mộc Châu".
	if strings.HasPrefix(k, "nong truong ") {
		g.addRaw("nt "+k[len("nong truong "):], id, q)
	}
}

// initialsQ is the weight of a district read by its initials.
const initialsQ = 0.85

// addDistrictInitials indexes each district of two words or more by
// their initials ("Q.PN" Phú Nhuận, "Q.GV" Gò Vấp, "Q.HBT" Hai Bà Trưng,
// "TP.BMT" Buôn Ma Thuột), as forms and listings write them, when no
// name, name's word or type word is written so ("TX", "TP", "HN" are
// not initials). Several districts may share initials; the other units
// of the address choose, as they do between namesakes.
func (g *gazetteer) addDistrictInitials() {
	taken := make(map[string]bool, len(g.index)*2)
	for k := range g.index {
		taken[k] = true
		for _, w := range strings.Split(k, " ") {
			taken[w] = true
		}
	}
	for k := range g.markers {
		taken[k] = true
	}
	for id := range g.units {
		u := &g.units[id]
		if u.kind != kDistrict || !u.final || !strings.Contains(u.key, " ") {
			continue
		}
		var b strings.Builder
		for _, w := range strings.Split(u.key, " ") {
			b.WriteByte(w[0])
		}
		k := b.String()
		if taken[k] {
			continue
		}
		sl := g.index[k]
		sl.es = append(sl.es, entry{unit: int32(id), q: initialsQ, initials: true})
		g.index[k] = sl
	}
}

func (g *gazetteer) addRaw(k string, id int32, q float32) {
	sl := g.index[k]
	for i, e := range sl.es {
		if e.unit == id {
			if q > e.q {
				sl.es[i].q = q
			}
			return
		}
	}
	sl.es = append(sl.es, entry{unit: id, q: q})
	g.index[k] = sl
	// Mark every shorter run of its first words as leading somewhere.
	for p := strings.LastIndexByte(k, ' '); p > 0; p = strings.LastIndexByte(k[:p], ' ') {
		pre := g.index[k[:p]]
		if pre.more {
			break
		}
		pre.more = true
		g.index[k[:p]] = pre
	}
}

// linkSuccessors finds, for old communes merged away before the reform,
// the commune that absorbed them where its name says so ("Phường Văn
// Miếu - Quốc Tử Giám" absorbed Phường Quốc Tử Giám). The others keep
// succ = -1: the tables do not say where they went.
func (g *gazetteer) linkSuccessors() {
	for id := range g.units {
		u := &g.units[id]
		if u.kind != kCommune || u.final {
			continue
		}
		_, bare := splitType(u.name)
		k := foldKey(bare)
		for _, s := range g.children[u.parent] {
			su := &g.units[s]
			if su.kind != kCommune || !su.final || s == int32(id) {
				continue
			}
			_, sb := splitType(su.name)
			if !strings.Contains(sb, " - ") {
				continue
			}
			for _, part := range strings.Split(sb, " - ") {
				if foldKey(part) == k {
					u.succ = s
				}
			}
		}
	}
}

// buildTrie turns the index into a trie over word ids, so that scanning
// an address costs one short-string lookup per word and integer lookups
// per step instead of hashing and comparing ever longer keys.
func (g *gazetteer) buildTrie() {
	g.words = make(map[string]word, 8000)
	g.trie = make(map[uint64]int32, len(g.index)*2)
	g.nodes = append(g.nodes[:0], tnode{})
	g.ents, g.sigs = g.ents[:0], g.sigs[:0]
	nextID := int32(0)
	for k, sl := range g.index {
		if len(sl.es) == 0 {
			continue
		}
		node := int32(0)
		for _, w := range strings.Split(k, " ") {
			wd, ok := g.words[w]
			if !ok {
				wd = word{id: nextID, s: w}
				nextID++
				g.words[w] = wd
			}
			edge := uint64(node)<<32 | uint64(wd.id)
			next, ok := g.trie[edge]
			if !ok {
				next = int32(len(g.nodes))
				g.nodes = append(g.nodes, tnode{})
				g.trie[edge] = next
				g.nodes[node].more = true
			}
			node = next
		}
		tmp := slot{es: sl.es}
		g.setSigs(&tmp)
		if len(tmp.es) > 1<<16-1 || len(tmp.sigs) > 1<<8-1 {
			panic(fmt.Sprintf("address: the name %q has %d units and %d signatures: more than a trie node holds", k, len(tmp.es), len(tmp.sigs)))
		}
		x := &g.nodes[node]
		x.es, x.n = int32(len(g.ents)), uint16(len(tmp.es))
		g.ents = append(g.ents, tmp.es...)
		x.sig, x.nsig = int32(len(g.sigs)), uint8(len(tmp.sigs))
		g.sigs = append(g.sigs, tmp.sigs...)
	}
	g.edges = newEdgeTable(g.trie)
	g.root = make([]int32, nextID)
	for edge, next := range g.trie {
		if edge>>32 == 0 {
			g.root[uint32(edge)] = next
		}
	}
	g.trie = nil
	g.nameStart = map[string]bool{}
	for k, sl := range g.index {
		if len(sl.es) == 0 {
			continue
		}
		first, _, _ := strings.Cut(k, " ")
		if m, ok := g.markers[first]; ok && m&(mHamlet|mStreet) != 0 && m&mAdmin == 0 {
			g.nameStart[first] = true
		}
	}
	for k := range g.markers {
		for _, w := range strings.Split(k, " ") {
			wd, ok := g.words[w]
			if !ok {
				wd.id = -1
				wd.s = w
			}
			wd.marker = true
			g.words[w] = wd
		}
	}
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
