package matching

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/dancu-vn/dancu/matching/compare"
	"github.com/dancu-vn/dancu/matching/settings"
)

const (
	opExact = iota
	opExactAny
	opJW
	opEdit
	opOneEdit
	opOneMissing
	opDisjoint
	opDateExact
	opDateSwapped
	opDateYear
	opDateDays
	opDateYears
	opCross
	opDateYearOnly
	opExactAll
	opOCREdit
	opWordsSubset
	opDateMonth
	opDateDigit
	opFinestUnit
	opFirstWordMoved
	opDateBirthday
)

var opCodes = map[string]int{"exact": opExact, "exact_any": opExactAny, "jw": opJW, "edit": opEdit,
	"one_edit": opOneEdit, "one_missing": opOneMissing, "disjoint": opDisjoint, "date_exact": opDateExact,
	"date_swapped": opDateSwapped, "date_year": opDateYear, "date_days": opDateDays, "date_years": opDateYears,
	"cross": opCross, "date_year_only": opDateYearOnly, "exact_all": opExactAll,
	"ocr_edit": opOCREdit, "words_subset": opWordsSubset, "date_month": opDateMonth, "date_digit": opDateDigit, "finest_unit": opFinestUnit,
	"first_word_moved": opFirstWordMoved, "date_birthday": opDateBirthday}

type cLevel struct {
	op   int
	col  int
	cols []int
	// groups are finest_unit's units, finest first, each its columns in
	// either era.
	groups [][]int
	other  int
	thr    float64
	max    int
	tf     int // column for term-frequency adjustment, -1 none
	// tfWith are the earlier levels (indices into the comparison's
	// levels) whose u the term-frequency adjustment adds to this level's
	// (settings' tf_with).
	tfWith []int
	// mirror is, for a cross level, the earlier comparison holding the
	// mirror cross level (column and other exchanged: the first name's
	// "swapped with surname" for the surname's "swapped with first
	// name"), -1 none; mirrorLevel is that level's gamma there. Both
	// levels test the same two equalities, so a half swap (one record's
	// first name is the other's surname, the other names differ) would
	// hold in both and count twice: it counts in the mirror's comparison,
	// and here only when both equalities hold (a full swap: two facts) or
	// the mirror's comparison did not land on its cross level.
	mirror, mirrorLevel int
	// once is, for a first_word_moved level, the earlier comparison
	// holding a first_word_moved level on the same column, -1 none;
	// onceLevel is that level's gamma there. A name written in another
	// order is one fact: when the earlier comparison lands on its level,
	// this comparison is null (weight 0), so that the family, middle and
	// given names of "An Nguyễn Văn" and "Nguyễn Văn An" count it once.
	once, onceLevel int
}

type cComparison struct {
	name   string
	null   []int
	levels []cLevel
	conf   int // column whose OCR confidence scales the weight, -1 none
	cols   []int
	// ownCols are cols less those read only as a cross level's other
	// column (the last name read by a first name's "swapped" level):
	// training leaves the comparison out of a session when these share an
	// input with the rule's keys.
	ownCols []int
}

// compiled is a settings document resolved against a frame's columns.
type compiled struct {
	s     *settings.Settings
	comps []cComparison
	// rows, while set (useRows), holds the values of the columns the
	// comparisons read record by record (see rowTable).
	rows *rowTable
	// vetoes are the settings' vetoes, each with its own unless: two
	// vetoes on one comparison (given names that differ; a birth-order
	// name on one side) are lifted by different evidence.
	vetoes  []cVeto
	hasVeto bool
	// noBonus holds the settings' no_tf_bonus_when: a pair on which one
	// holds gets no term-frequency bonus (bonusVoid).
	noBonus []vetoCond
}

// cVeto vetoes a link when comparison k lands on a level g with on[g],
// unless every one of its conditions holds.
type cVeto struct {
	k      int
	on     []bool
	unless []vetoCond
}

// vetoCond holds when comparison k lands on a level g with ok[g].
type vetoCond struct {
	k  int
	ok []bool
}

func compile(s *settings.Settings, f *Frame) (*compiled, error) {
	c := &compiled{s: s}
	colOf := func(name string) (int, error) {
		base, _, _ := strings.Cut(name, ".")
		i, ok := f.byName[base]
		if !ok {
			return 0, fmt.Errorf("unknown column %q", name)
		}
		return i, nil
	}
	for _, sc := range s.Comparisons {
		cc := cComparison{name: sc.Name, conf: -1}
		used := map[int]bool{}
		for _, n := range sc.NullColumns {
			i, err := colOf(n)
			if err != nil {
				return nil, fmt.Errorf("comparison %s: %w", sc.Name, err)
			}
			cc.null = append(cc.null, i)
			used[i] = true
		}
		if sc.Confidence != "" {
			i, err := colOf(sc.Confidence)
			if err != nil {
				return nil, fmt.Errorf("comparison %s: %w", sc.Name, err)
			}
			cc.conf = i
		}
		for _, l := range sc.Levels {
			cl := cLevel{op: opCodes[l.Op], thr: l.Threshold, max: l.Max, tf: -1, other: -1, mirror: -1, once: -1}
			var err error
			if cl.op == opFinestUnit {
				for _, unit := range l.Columns {
					var g []int
					for _, n := range strings.Split(unit, "|") {
						i, err := colOf(strings.TrimSpace(n))
						if err != nil {
							return nil, fmt.Errorf("comparison %s: %w", sc.Name, err)
						}
						g = append(g, i)
						used[i] = true
					}
					cl.groups = append(cl.groups, g)
				}
			} else if len(l.Columns) > 0 {
				for _, n := range l.Columns {
					i, err := colOf(n)
					if err != nil {
						return nil, fmt.Errorf("comparison %s: %w", sc.Name, err)
					}
					cl.cols = append(cl.cols, i)
					used[i] = true
				}
			} else {
				if cl.col, err = colOf(l.Column); err != nil {
					return nil, fmt.Errorf("comparison %s: %w", sc.Name, err)
				}
				used[cl.col] = true
			}
			if l.Other != "" {
				if cl.other, err = colOf(l.Other); err != nil {
					return nil, fmt.Errorf("comparison %s: %w", sc.Name, err)
				}
				if _, ok := used[cl.other]; !ok {
					used[cl.other] = false
				}
			}
			if l.TF != "" {
				if cl.tf, err = colOf(l.TF); err != nil {
					return nil, fmt.Errorf("comparison %s: %w", sc.Name, err)
				}
			}
			for _, w := range l.TFWith {
				i := slices.IndexFunc(sc.Levels[:len(cc.levels)], func(e settings.Level) bool { return e.Label == w })
				if i < 0 {
					return nil, fmt.Errorf("comparison %s: level %q: tf_with %q is no earlier level", sc.Name, l.Label, w)
				}
				cl.tfWith = append(cl.tfWith, i)
			}
			cc.levels = append(cc.levels, cl)
		}
		// In column order, not the map's: the same settings compile to
		// the same comparison on every run.
		for _, i := range slices.Sorted(maps.Keys(used)) {
			cc.cols = append(cc.cols, i)
			if used[i] {
				cc.ownCols = append(cc.ownCols, i)
			}
		}
		c.comps = append(c.comps, cc)
	}
	for k := range c.comps {
		for li := range c.comps[k].levels {
			l := &c.comps[k].levels[li]
			if l.op == opFirstWordMoved {
			once:
				for j := 0; j < k; j++ {
					for lj, o := range c.comps[j].levels {
						if o.op == opFirstWordMoved && o.col == l.col {
							l.once, l.onceLevel = j, lj+1
							break once
						}
					}
				}
			}
			if l.op != opCross {
				continue
			}
		mirror:
			for j := 0; j < k; j++ {
				for lj, o := range c.comps[j].levels {
					if o.op == opCross && o.col == l.other && o.other == l.col {
						l.mirror, l.mirrorLevel = j, lj+1
						break mirror
					}
				}
			}
		}
	}
	if err := c.compileVetoes(); err != nil {
		return nil, err
	}
	return c, nil
}

// compileVetoes resolves the settings' vetoes against c's comparisons
// (those of c.s, in their order).
func (c *compiled) compileVetoes() error {
	s := c.s
	for _, v := range s.Vetoes {
		k := c.compIndex(v.Comparison)
		if k < 0 {
			if len(v.Unless) > 0 {
				return fmt.Errorf("veto on unknown comparison %q", v.Comparison)
			}
			continue // as Validate says
		}
		cv := cVeto{k: k, on: levelSet(s.Comparisons[k], v.Levels)}
		for _, u := range v.Unless {
			k2 := c.compIndex(u.Comparison)
			if k2 < 0 {
				return fmt.Errorf("veto on %s: unless on unknown comparison %q", v.Comparison, u.Comparison)
			}
			cv.unless = append(cv.unless, vetoCond{k: k2, ok: levelSet(s.Comparisons[k2], u.Levels)})
		}
		c.vetoes = append(c.vetoes, cv)
	}
	c.hasVeto = len(c.vetoes) > 0
	for _, n := range s.NoTFBonusWhen {
		k := c.compIndex(n.Comparison)
		if k < 0 {
			return fmt.Errorf("no_tf_bonus_when on unknown comparison %q", n.Comparison)
		}
		c.noBonus = append(c.noBonus, vetoCond{k: k, ok: levelSet(s.Comparisons[k], n.Levels)})
	}
	return nil
}

// bonusVoid reports whether a pair with levels gs gets no term-frequency
// bonus: one of the settings' no_tf_bonus_when holds.
func (c *compiled) bonusVoid(gs []uint8) bool {
	for _, n := range c.noBonus {
		if n.ok[gs[n.k]] {
			return true
		}
	}
	return false
}

// bonusVoidRows is bonusVoid for rows a and b, whose levels are not at
// hand (a record against a cluster's profile).
func (c *compiled) bonusVoidRows(f *Frame, a, b int32) bool {
	for _, n := range c.noBonus {
		if n.ok[c.gamma(f, n.k, a, b)] {
			return true
		}
	}
	return false
}

// noBonus is a term-frequency adjustment adj without its bonus when void:
// an adjustment that raises a weight counts 0, one that lowers it stays.
func noBonus(adj float64, void bool) float64 {
	if void && adj > 0 {
		return 0
	}
	return adj
}

// levelSet marks, by level index (1..len(levels), len(levels)+1 else),
// the levels of sc that labels name.
func levelSet(sc settings.Comparison, labels []string) []bool {
	set := make([]bool, len(sc.Levels)+2)
	for _, l := range labels {
		if l == "else" {
			set[len(sc.Levels)+1] = true
		}
		for li, lv := range sc.Levels {
			if lv.Label == l {
				set[li+1] = true
			}
		}
	}
	return set
}

// compIndex is the index of the named comparison, or -1.
func (c *compiled) compIndex(name string) int {
	for i, cc := range c.comps {
		if cc.name == name {
			return i
		}
	}
	return -1
}

// vetoed reports whether a pair with levels gs is vetoed: some veto's
// comparison lands on one of its levels and that veto's unless
// conditions do not all hold.
func (c *compiled) vetoed(gs []uint8) bool {
	for _, v := range c.vetoes {
		if !v.on[gs[v.k]] {
			continue
		}
		lifted := len(v.unless) > 0
		for _, u := range v.unless {
			lifted = lifted && u.ok[gs[u.k]]
		}
		if !lifted {
			return true
		}
	}
	return false
}

// judges reports whether some veto can judge rows a and b, whose levels
// are gs: both records hold what its comparison reads (its null columns),
// whether it lands on a level or is counted in another comparison (the
// names in another order).
func (c *compiled) judges(f *Frame, gs []uint8, a, b int32) bool {
	for _, v := range c.vetoes {
		if gs[v.k] != 0 {
			return true
		}
		p := c.rows.pair(f, a, b)
		pa, pb := false, false
		for _, ci := range c.comps[v.k].null {
			va, vb := p.get(ci)
			pa = pa || va != 0
			pb = pb || vb != 0
		}
		if pa && pb {
			return true
		}
	}
	return false
}

// gamma returns the level of comparison k for rows a and b: 0 null (one
// side has none of the comparison's null columns),
// 1..len(levels) the first level that holds, len(levels)+1 else.
func (c *compiled) gamma(f *Frame, k int, a, b int32) uint8 {
	return c.gammaMemo(f, k, a, b, nil)
}

// jwMemo remembers, for one goroutine, Jaro–Winkler similarities of
// pairs of values by column: names repeat (a few thousand given names
// make most of a million records' pairs), and a comparison with two jw
// levels asks twice for the same pair. Each column's table is direct
// mapped: a pair's slot holds its value ids and similarity until
// another pair takes the slot.
type jwMemo struct {
	cols []*jwTable // by column index, nil until the column is asked
}

const jwSlots = 1 << 13

// jwTable's slot holds a pair's key beside its similarity: one cache
// line read on a hit, where two arrays took two.
type jwTable [jwSlots]struct {
	key uint64 // va<<32 | vb; 0 empty (ids are never 0 here)
	sim float64
}

func newJWMemo() *jwMemo { return &jwMemo{} }

// jw returns the Jaro–Winkler similarity of values va and vb (not 0,
// not equal) of column ci, whose runes are ra and rb, remembered in m
// when m is not nil.
func (m *jwMemo) jw(ci int, va, vb uint32, ra, rb []rune) float64 {
	if m == nil {
		return compare.JaroWinkler(ra, rb)
	}
	if ci >= len(m.cols) {
		m.cols = append(m.cols, make([]*jwTable, ci+1-len(m.cols))...)
	}
	t := m.cols[ci]
	if t == nil {
		t = &jwTable{}
		m.cols[ci] = t
	}
	key := uint64(va)<<32 | uint64(vb)
	slot := (key * 0x9E3779B97F4A7C15) >> (64 - 13)
	if e := &t[slot]; e.key == key {
		return e.sim
	}
	v := compare.JaroWinkler(ra, rb)
	t[slot].key, t[slot].sim = key, v
	return v
}

// gammaMemo is gamma with Jaro–Winkler similarities remembered in m (nil:
// none).
func (c *compiled) gammaMemo(f *Frame, k int, a, b int32, m *jwMemo) uint8 {
	p := c.rows.pair(f, a, b)
	return c.gammaRows(f, k, &p, m)
}

// gammaRows is gammaMemo on the pair p.
func (c *compiled) gammaRows(f *Frame, k int, p *pairVals, m *jwMemo) uint8 {
	cc := &c.comps[k]
	a, b := p.a, p.b
	pa, pb := false, false
	for _, ci := range cc.null {
		va, vb := p.get(ci)
		pa = pa || va != 0
		pb = pb || vb != 0
	}
	if !pa || !pb {
		return 0
	}
	for li := range cc.levels {
		l := &cc.levels[li]
		if f.holdsRows(l, p, m) {
			if l.once >= 0 && c.gammaRows(f, l.once, p, m) == uint8(l.onceLevel) {
				return 0 // the names in another order, counted in the earlier comparison
			}
			if l.mirror >= 0 && !f.fullSwap(l, a, b) && c.gammaRows(f, l.mirror, p, m) == uint8(l.mirrorLevel) {
				continue // a half swap, counted in the mirror's comparison
			}
			return uint8(li + 1)
		}
	}
	return uint8(len(cc.levels) + 1)
}

// countedIn is, for a pair that comparison k finds null, the earlier
// comparison that holds the names in another order for it (k's
// first_word_moved level holds and counts there), -1 none.
func (c *compiled) countedIn(f *Frame, k int, a, b int32) int {
	p := c.rows.pair(f, a, b)
	for li := range c.comps[k].levels {
		l := &c.comps[k].levels[li]
		if l.once >= 0 && f.holdsRows(l, &p, nil) && c.gammaRows(f, l.once, &p, nil) == uint8(l.onceLevel) {
			return l.once
		}
	}
	return -1
}

// fullSwap reports whether both equalities of cross level l hold: each
// record's column value is the other's other-column value — one of them
// within one edit (a swap and a typo: "Schluz Sabine" for "Sabine
// Schulz" is both names swapped, not a first name in the surname's column
// and another surname; acc49).
func (f *Frame) fullSwap(l *cLevel, a, b int32) bool {
	c, o := &f.cols[l.col], &f.cols[l.other]
	ca, cb, oa, ob := c.vals.at(int(a)), c.vals.at(int(b)), o.vals.at(int(a)), o.vals.at(int(b))
	if ca == 0 || ob == 0 || cb == 0 || oa == 0 {
		return false
	}
	x, y := c.dict.at(ca) == o.dict.at(ob), c.dict.at(cb) == o.dict.at(oa)
	return x && y || x && compare.WithinOneEdit(c.dict.at(cb), o.dict.at(oa)) || y && compare.WithinOneEdit(c.dict.at(ca), o.dict.at(ob))
}

func (f *Frame) holds(l *cLevel, a, b int32) bool {
	return f.holdsMemo(l, a, b, nil)
}

// holdsMemo is holds with Jaro–Winkler similarities remembered in m
// (nil: none).
func (f *Frame) holdsMemo(l *cLevel, a, b int32, m *jwMemo) bool {
	return f.holdsRows(l, &pairVals{f: f, a: a, b: b}, m)
}

// holdsRows is holdsMemo on the pair p.
func (f *Frame) holdsRows(l *cLevel, p *pairVals, m *jwMemo) bool {
	a, b := p.a, p.b
	switch l.op {
	case opExact:
		va, vb := p.get(l.col)
		return va != 0 && va == vb
	case opExactAny:
		for _, ci := range l.cols {
			if va, vb := p.get(ci); va != 0 && va == vb {
				return true
			}
		}
		return false
	case opJW:
		va, vb := p.get(l.col)
		if va == 0 || vb == 0 {
			return false
		}
		if va == vb {
			return true
		}
		// Most pairs of different names share too few letters to reach
		// the threshold: a bound on the similarity (a pass over each
		// name) rules them out before the table of similarities is read
		// or Jaro–Winkler compared. The margin keeps a rounding
		// difference between the two from deciding a level.
		c := &f.cols[l.col]
		var ba, bb [48]rune
		ra, rb := c.runes.of(va, c.dict.at(va), ba[:0]), c.runes.of(vb, c.dict.at(vb), bb[:0])
		if compare.JaroWinklerBound(ra, rb) < l.thr-1e-9 {
			return false
		}
		return m.jw(l.col, va, vb, ra, rb) >= l.thr
	case opEdit, opOneEdit:
		c := &f.cols[l.col]
		va, vb := p.get(l.col)
		if va == 0 || vb == 0 {
			return false
		}
		if va == vb {
			return true
		}
		if l.op == opOneEdit {
			return compare.WithinOneEdit(c.dict.at(va), c.dict.at(vb))
		}
		return compare.OSA(c.dict.at(va), c.dict.at(vb), l.max) <= l.max
	case opOneMissing:
		va, vb := p.get(l.col)
		return (va == 0) != (vb == 0)
	case opExactAll:
		for _, ci := range l.cols {
			if va, vb := p.get(ci); va == 0 || va != vb {
				return false
			}
		}
		return true
	case opDisjoint:
		for _, ci := range l.cols {
			if va, vb := p.get(ci); va != 0 && vb != 0 {
				return false
			}
		}
		return true
	case opCross:
		// Each column codes its values in its own dictionary: compare the
		// values, not the codes.
		c, o := &f.cols[l.col], &f.cols[l.other]
		ca, cb, oa, ob := c.vals.at(int(a)), c.vals.at(int(b)), o.vals.at(int(a)), o.vals.at(int(b))
		return (ca != 0 && ob != 0 && c.dict.at(ca) == o.dict.at(ob)) || (cb != 0 && oa != 0 && c.dict.at(cb) == o.dict.at(oa))
	case opOCREdit:
		c := &f.cols[l.col]
		va, vb := p.get(l.col)
		if va == 0 || vb == 0 {
			return false
		}
		if va == vb {
			return true
		}
		conf := math.Min(f.confidence(l.col, int(a)), f.confidence(l.col, int(b)))
		return compare.OCRCost(c.dict.at(va), c.dict.at(vb), conf, l.thr) <= l.thr
	case opFinestUnit:
		// The finest unit both sides name (in either era) decides: the
		// level holds when it is unit max and the two agree there.
		for gi, g := range l.groups {
			both, eq := false, false
			for _, ci := range g {
				if va, vb := p.get(ci); va != 0 && vb != 0 {
					both, eq = true, eq || va == vb
				}
			}
			if both {
				return gi == l.max && eq
			}
		}
		return false
	case opWordsSubset:
		c := &f.cols[l.col]
		va, vb := p.get(l.col)
		if va == 0 || vb == 0 {
			return false
		}
		return va == vb || compare.WordsSubset(c.dict.at(va), c.dict.at(vb))
	case opFirstWordMoved:
		c := &f.cols[l.col]
		va, vb := p.get(l.col)
		return va != 0 && vb != 0 && va != vb && compare.FirstWordMoved(c.dict.at(va), c.dict.at(vb))
	}
	// dates
	pa, pb := p.get(l.col)
	if pa == 0 || pb == 0 {
		return false
	}
	ya, ma, da := unpackDate(pa)
	yb, mb, db := unpackDate(pb)
	switch l.op {
	case opDateExact:
		return pa == pb && da != 0
	case opDateSwapped:
		return ya == yb && da != 0 && db != 0 && ma == db && da == mb && ma != da
	case opDateYear:
		return ya == yb
	case opDateYearOnly:
		return ya == yb && (ma == 0 || mb == 0)
	case opDateMonth:
		return ya == yb && ma == mb && ma != 0
	case opDateDigit:
		return da != 0 && db != 0 && pa != pb && (oneDigitApart(ya*10000+ma*100+da, yb*10000+mb*100+db) || yearCarry(ya, yb) && ma == mb && da == db)
	case opDateDays:
		if da == 0 || db == 0 {
			return false
		}
		d := dayNumber(ya, ma, da) - dayNumber(yb, mb, db)
		return d <= l.max && -d <= l.max
	case opDateYears:
		d := ya - yb
		return d <= l.max && -d <= l.max
	case opDateBirthday:
		if da == 0 || db == 0 {
			return false
		}
		d := dayOfYear(ma, da) - dayOfYear(mb, db)
		if d < 0 {
			d = -d
		}
		return min(d, 365-d) <= l.max
	}
	return false
}

// yearCarry reports whether two years are one apart across a decade
// (1969 and 1970, 1999 and 2000): the year off by one that a birthday
// keeps — an age counted from the wrong side of it — written in two
// digits or more, where every other year off by one is one digit.
func yearCarry(a, b int) bool {
	return (a-b == 1 || b-a == 1) && !oneDigitApart(a, b)
}

// dayOfYear numbers month m's day d in a year of 365 days (0 for 1
// January); 29 February counts as 1 March, so that two birthdays' distance
// does not depend on either year.
func dayOfYear(m, d int) int {
	if m == 2 && d == 29 {
		m, d = 3, 1
	}
	return dayNumber(2001, m, d) - dayNumber(2001, 1, 1)
}

// weights holds log2(m/u) per comparison and level (index = gamma).
type weights struct {
	w [][]float64
	// u is, per comparison and level, the u a term-frequency adjustment
	// weighs a value's frequency against: the level's own, with its
	// tf_with levels' added.
	u      [][]float64
	prior  float64 // log2(λ/(1-λ))
	tfMin  float64
	tfCap  float64
	hasTF  bool
	hasCnf bool
	// vetoCap is the weight a vetoed pair is capped at: below the review
	// threshold, so that it is neither linked nor queued for review.
	vetoCap float64
	// folds: comparison k adds nothing when it and into both land on
	// their first level (Model.Folded).
	folds []fold
	// deps: comparison k's level g weighs log2(m/u) less adj when
	// comparison i lands on level gi (Model.Dependent), sorted by k; when
	// several hold for one comparison, the largest counts.
	deps []dep
	// tfAdj, when tabulateTF built it, is per comparison and level the
	// term-frequency adjustment by value of the level's tf column (see
	// weight): a pass over millions of pairs takes one Log2 a value
	// instead of one a pair and level.
	tfAdj [][][]float64
}

type dep struct {
	k, i  int
	g, gi uint8
	adj   float64
}

type fold struct{ k, into int }

// foldedOut reports whether comparison k's weight is left out for levels
// gs: it is folded into a comparison that agrees with it, or that
// disagrees with it too (a person who moved has another city and another
// postcode: one fact changed, counted once).
func (ws *weights) foldedOut(k int, gs []uint8) bool {
	for _, fd := range ws.folds {
		if fd.k == k && ws.sameFact(fd, gs) {
			return true
		}
	}
	return false
}

// sameFact reports whether the folded comparison fd.k and its twin both
// land on their first level, or both on else.
func (ws *weights) sameFact(fd fold, gs []uint8) bool {
	a, b := gs[fd.k], gs[fd.into]
	return (a == 1 && b == 1) || (int(a) == len(ws.w[fd.k])-1 && int(b) == len(ws.w[fd.into])-1)
}

func newWeights(c *compiled, m *settings.Model, prior string) *weights {
	ws := &weights{tfMin: 1e-7, tfCap: 20, vetoCap: logit2(c.s.Thresholds.Review) - 1}
	lambda := m.Lambda
	if prior == "global" && m.LambdaGlobal > 0 {
		lambda = m.LambdaGlobal
	}
	ws.prior = math.Log2(lambda / (1 - lambda))
	for _, fd := range m.Folded {
		k, into := c.compIndex(fd.Comparison), c.compIndex(fd.Into)
		if k >= 0 && into >= 0 {
			ws.folds = append(ws.folds, fold{k, into})
		}
	}
	for _, d := range m.Dependent {
		k, i := c.compIndex(d.Comparison), c.compIndex(d.Given)
		if k < 0 || i < 0 || k >= len(m.Comparisons) {
			continue
		}
		g, gi := levelIndex(c, k, d.Level), levelIndex(c, i, d.GivenLevel)
		if g == 0 || gi == 0 || int(g) > len(m.Comparisons[k].U) {
			continue
		}
		if adj := math.Log2(clampP(d.U) / clampP(m.Comparisons[k].U[g-1])); adj > 0 {
			ws.deps = append(ws.deps, dep{k: k, i: i, g: g, gi: gi, adj: adj})
		}
	}
	sort.SliceStable(ws.deps, func(x, y int) bool { return ws.deps[x].k < ws.deps[y].k })
	for k, cm := range m.Comparisons {
		// Weights: a level that would weigh below else is weighed as else.
		w := append([]float64{0}, cm.Weights()...)
		u := make([]float64, len(cm.M)+1)
		for l := range cm.M {
			u[l+1] = clampP(cm.U[l])
		}
		// A cross level (names swapped) says that the comparison's column
		// agrees with the other column: no more than the column agreeing
		// with itself, its first level when that is exact on the column.
		// Random pairs rarely cross where few first names are also
		// surnames, so its u is near 0 and a full swap would outweigh
		// both names exact: a swapped record joined every namesake (acc49).
		if lv := c.comps[k].levels; len(lv) > 0 && lv[0].op == opExact {
			for li, l := range lv {
				if l.op == opCross && l.col == lv[0].col && li+1 < len(w) && w[li+1] > w[1] {
					// Capped: what its u given an earlier comparison
					// would take off is taken already.
					w[li+1] = w[1]
					ws.deps = slices.DeleteFunc(ws.deps, func(d dep) bool { return d.k == k && int(d.g) == li+1 })
				}
			}
		}
		ws.w = append(ws.w, w)
		// The term-frequency adjustment's u (tfAdjOf): a level with
		// tf_with weighs a value's frequency against every pair agreeing
		// on its tf column, the earlier levels' u with its own (a name
		// without its marks: the pairs that agree with them landed on
		// exact). Against its own u alone, which is only the share of
		// those pairs that differ in the marks, the adjustment took
		// log2((u_exact+u)/u) off every value, -2.9 bits for the family
		// name, and a record of a list without marks lost that against
		// every other list (acc51).
		uTF := slices.Clone(u)
		for li, l := range c.comps[k].levels {
			for _, j := range l.tfWith {
				if li+1 < len(uTF) && j+1 < len(u) {
					uTF[li+1] += u[j+1]
				}
			}
		}
		ws.u = append(ws.u, uTF)
		for _, l := range c.comps[k].levels {
			if l.tf >= 0 {
				ws.hasTF = true
			}
		}
		if c.comps[k].conf >= 0 {
			ws.hasCnf = true
		}
	}
	return ws
}

func clampP(p float64) float64 {
	return math.Min(math.Max(p, 1e-9), 1-1e-9)
}

// weight returns the match weight of comparison k at level g for rows a, b,
// with its term-frequency adjustment and OCR confidence scaling.
func (ws *weights) weight(c *compiled, f *Frame, k int, g uint8, a, b int32) (w, tfAdj float64) {
	if g == 0 {
		return 0, 0
	}
	w = ws.w[k][g]
	cc := &c.comps[k]
	if int(g) <= len(cc.levels) {
		if tc := cc.levels[g-1].tf; tc >= 0 {
			if ws.tfAdj != nil && ws.tfAdj[k][g] != nil {
				// The same adjustment as below, of the value whose tf is
				// the larger (the first when equal: the same tf).
				vals := &f.cols[tc].vals
				va, vb := vals.at(int(a)), vals.at(int(b))
				ta, tb := f.tfOf(tc, va), f.tfOf(tc, vb)
				if ta >= tb {
					tfAdj = ws.tfAdj[k][g][va]
				} else {
					tfAdj = ws.tfAdj[k][g][vb]
				}
			} else if tf := math.Max(f.tf(tc, int(a)), f.tf(tc, int(b))); tf > 0 {
				tfAdj = ws.tfAdjOf(k, g, tf)
			}
			// A value commoner in the pair's locality than in the file
			// weighs by the locality's frequency; one that no other record
			// of a locality too small to tell a frequency below u
			// carries keeps the file's (localTF).
			if f.cols[tc].tfWithin >= 0 && tfAdj != 0 {
				if lt := f.localTF(tc, a, b, 1/ws.u[k][g]); lt > 0 {
					tfAdj = math.Min(tfAdj, ws.tfAdjOf(k, g, lt))
				}
			}
		}
	}
	if cc.conf >= 0 {
		cf := math.Min(f.confidence(cc.conf, int(a)), f.confidence(cc.conf, int(b)))
		w *= cf
		tfAdj *= cf
	}
	return w, tfAdj
}

// tfAdjOf is the term-frequency adjustment of comparison k's level g for
// a pair whose values' larger term frequency is tf (> 0).
func (ws *weights) tfAdjOf(k int, g uint8, tf float64) float64 {
	adj := math.Log2(ws.u[k][g] / math.Max(tf, ws.tfMin))
	if adj > ws.tfCap {
		adj = ws.tfCap
	}
	return adj
}

// tabulateTF builds ws.tfAdj for f when the pairs to score, n, outnumber
// the values of the levels' tf columns (each value's adjustment is one
// Log2; a pass over a few pairs of a large frame keeps asking per pair).
// f's values and term frequencies must not change while ws is used.
func (ws *weights) tabulateTF(c *compiled, f *Frame, n int64) {
	values := int64(0)
	for _, cc := range c.comps {
		for _, l := range cc.levels {
			if l.tf >= 0 && !f.cols[l.tf].date {
				values += int64(f.cols[l.tf].dict.len())
			}
		}
	}
	if values == 0 || n < values {
		return
	}
	tabs := make([][][]float64, len(c.comps))
	for k, cc := range c.comps {
		tabs[k] = make([][]float64, len(cc.levels)+2)
		for li, l := range cc.levels {
			if l.tf < 0 || f.cols[l.tf].date {
				continue // a date's tf is 0: weight asks per pair
			}
			g := uint8(li + 1)
			tab := make([]float64, f.cols[l.tf].dict.len())
			for v := range tab {
				if tf := f.tfOf(l.tf, uint32(v)); tf > 0 {
					tab[v] = ws.tfAdjOf(k, g, tf)
				}
			}
			tabs[k][g] = tab
		}
	}
	ws.tfAdj = tabs
}

// score returns the total match weight (prior included) of a pair whose
// levels are gs, capped below the review threshold when a veto holds.
func (ws *weights) score(c *compiled, f *Frame, gs []uint8, a, b int32) float64 {
	w := ws.rawScore(c, f, gs, a, b)
	if c.hasVeto && w >= ws.vetoCap && c.vetoed(gs) {
		return ws.vetoCap
	}
	return w
}

func (ws *weights) rawScore(c *compiled, f *Frame, gs []uint8, a, b int32) float64 {
	total := ws.prior
	void := ws.hasTF && len(c.noBonus) > 0 && c.bonusVoid(gs)
	if !ws.hasTF && !ws.hasCnf {
		for k, g := range gs {
			total += ws.w[k][g]
		}
	} else {
		for k, g := range gs {
			w, adj := ws.weight(c, f, k, g, a, b)
			total += w + noBonus(adj, void)
		}
	}
	for _, fd := range ws.folds {
		if ws.sameFact(fd, gs) {
			w, adj := ws.weight(c, f, fd.k, gs[fd.k], a, b)
			total -= w + noBonus(adj, void)
		}
	}
	if len(ws.deps) > 0 {
		total -= ws.depAdj(c, f, gs, a, b, true)
	}
	return total
}

// depAdj returns what the dependent levels of gs take off the total
// weight: per comparison, the largest adjustment among its dependences
// that hold (none for a comparison folded out), scaled by the
// comparison's OCR confidence as its weight is when scale is set and
// rows a, b are given.
func (ws *weights) depAdj(c *compiled, f *Frame, gs []uint8, a, b int32, scale bool) float64 {
	total, best, k := 0.0, 0.0, -1
	flush := func() {
		if k >= 0 && best > 0 && !ws.foldedOut(k, gs) {
			if cc := &c.comps[k]; scale && cc.conf >= 0 {
				best *= math.Min(f.confidence(cc.conf, int(a)), f.confidence(cc.conf, int(b)))
			}
			total += best
		}
	}
	for _, d := range ws.deps {
		if d.k != k {
			flush()
			k, best = d.k, 0
		}
		if gs[d.k] == d.g && gs[d.i] == d.gi && d.adj > best {
			best = d.adj
		}
	}
	flush()
	return total
}

// depOf returns the adjustment dependence takes off comparison k's weight
// for levels gs (the largest that holds, as depAdj counts it, unscaled)
// and the comparison it depends on there, or 0 and -1.
func (ws *weights) depOf(k int, gs []uint8) (adj float64, given int) {
	given = -1
	if ws.foldedOut(k, gs) {
		return 0, -1
	}
	for _, d := range ws.deps {
		if d.k == k && gs[d.k] == d.g && gs[d.i] == d.gi && d.adj > adj {
			adj, given = d.adj, d.i
		}
	}
	return adj, given
}

// levelIndex is the gamma (1-based) of the level of comparison k labelled
// label, 0 when there is none.
func levelIndex(c *compiled, k int, label string) uint8 {
	for li, l := range c.s.Comparisons[k].Levels {
		if l.Label == label {
			return uint8(li + 1)
		}
	}
	return 0
}

// probability converts a match weight (log2 Bayes factor with prior) to a
// match probability.
func probability(weight float64) float64 {
	return 1 / (1 + math.Exp2(-weight))
}

// rowTable holds the values of the columns the comparisons read, record
// by record: w values a record, slot[ci] the place of frame column ci in
// them (-1: not held). A pair's comparisons then read two runs of w words
// — a cache miss or two a record — instead of one word from each of w
// columns of n values scattered over memory, which was most of the time
// of a pass over the candidate pairs. 4·w bytes a record while it lives.
type rowTable struct {
	w    int
	v    []uint32
	slot []int32
}

// useRows builds c.rows from f's columns: the values every comparison
// reads (null columns and the columns of its levels). dropRows releases
// them; the comparisons then read the columns again.
func (c *compiled) useRows(f *Frame) {
	slot := make([]int32, len(f.cols))
	for i := range slot {
		slot[i] = -1
	}
	var cols []int
	add := func(ci int) {
		if ci >= 0 && slot[ci] < 0 {
			slot[ci] = int32(len(cols))
			cols = append(cols, ci)
		}
	}
	for _, cc := range c.comps {
		for _, ci := range cc.null {
			add(ci)
		}
		for _, l := range cc.levels {
			if l.op != opCross {
				add(l.col)
			}
			for _, ci := range l.cols {
				add(ci)
			}
			for _, g := range l.groups {
				for _, ci := range g {
					add(ci)
				}
			}
		}
	}
	n, w := f.Len(), len(cols)
	t := &rowTable{w: w, v: make([]uint32, n*w), slot: slot}
	for s, ci := range cols {
		vals := &f.cols[ci].vals
		for i := range n {
			t.v[i*w+s] = vals.at(i)
		}
	}
	c.rows = t
}

func (c *compiled) dropRows() { c.rows = nil }

// pairVals reads the values of a pair of rows: from a rowTable when it
// holds the column, else from the frame.
type pairVals struct {
	f      *Frame
	a, b   int32
	ra, rb []uint32
	slot   []int32
}

// pair returns the pairVals of rows a and b (t nil: read the frame).
func (t *rowTable) pair(f *Frame, a, b int32) pairVals {
	if t == nil {
		return pairVals{f: f, a: a, b: b}
	}
	oa, ob := int(a)*t.w, int(b)*t.w
	return pairVals{f: f, a: a, b: b, ra: t.v[oa : oa+t.w], rb: t.v[ob : ob+t.w], slot: t.slot}
}

// get returns column ci's values of the two rows.
func (p *pairVals) get(ci int) (uint32, uint32) {
	if p.ra != nil {
		if s := p.slot[ci]; s >= 0 {
			return p.ra[s], p.rb[s]
		}
	}
	v := &p.f.cols[ci].vals
	return v.at(int(p.a)), v.at(int(p.b))
}
