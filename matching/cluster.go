package matching

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/matching/compare"
	"github.com/dancu-vn/dancu/matching/settings"
)

// Clusters is the partition of a frame's rows into persons.
type Clusters struct {
	// Of holds the cluster of each row: the smallest row in it.
	Of []int32
	// Prob holds, per row, the highest probability of an accepted link
	// touching it (0 for a row alone).
	Prob []float64
	// Blocked are pairs above the match threshold that a guard kept apart.
	Blocked []BlockedPair
}

// BlockedPair is a link a guard refused, with the guard's reason.
type BlockedPair struct {
	Pair
	Guard  settings.Guard
	Reason string
}

// Members returns the rows of each cluster, clusters ordered by their
// first row. A row whose root is negative is in none.
//
// Each cluster is numbered in the order of its first row, its records
// counted and then placed in one array, each cluster's rows a slice of
// it: linear in the rows, where a map from root to rows, grown row by
// row and sorted, missed the caches more as the rows grew (issue 9).
func (c *Clusters) Members() [][]int32 {
	n := len(c.Of)
	for _, r := range c.Of {
		if r < 0 || int(r) >= n {
			return c.membersByMap()
		}
	}
	// idx: a root's cluster number + 1 (0: not met yet).
	idx := make([]int32, n)
	var size []int32
	for _, r := range c.Of {
		if idx[r] == 0 {
			size = append(size, 0)
			idx[r] = int32(len(size))
		}
		size[idx[r]-1]++
	}
	rows := make([]int32, n)
	out := make([][]int32, len(size))
	at := 0
	for k, sz := range size {
		out[k] = rows[at : at : at+int(sz)]
		at += int(sz)
	}
	for i, r := range c.Of {
		k := idx[r] - 1
		out[k] = append(out[k], int32(i))
	}
	return out
}

// membersByMap is Members for clusters whose roots are not rows of Of.
// A row whose root is negative is in no cluster: it is left out (a
// caller that wants some persons' summaries only, registry's
// storedCoverage, leaves the other rows out rather than summarise each).
func (c *Clusters) membersByMap() [][]int32 {
	byRoot := map[int32][]int32{}
	for i, r := range c.Of {
		if r < 0 {
			continue
		}
		byRoot[r] = append(byRoot[r], int32(i))
	}
	out := make([][]int32, 0, len(byRoot))
	for _, m := range byRoot {
		out = append(out, m)
	}
	sort.Slice(out, func(x, y int) bool { return out[x][0] < out[y][0] })
	return out
}

// clusterSummary is what the cluster-level guards remember of a cluster
// (a person being built): per guard of the settings, the values it holds
// (distinct guards) or the span of its birth years (year_span guards).
// It is a value independent of any frame, so that an incremental matcher
// (package registry) can keep one per person and ask Compatible before
// joining two persons, exactly as Cluster does.
type clusterSummary struct {
	// Values per guard (in Settings.Guards order): the distinct values
	// held, for distinct guards.
	Values [][]string `json:"values,omitempty"`
	// YearLo and YearHi per guard: the birth years' span, for year_span
	// guards (0 when no record has a date).
	YearLo []int `json:"year_lo,omitempty"`
	YearHi []int `json:"year_hi,omitempty"`
	// MonthDay per guard, for year_span guards with OneDigit: month×100 +
	// day when every record dated to the day gives the same one, 0 when
	// none is, -1 when they differ. A misread digit of a year keeps the
	// day and month, so the one-digit exception needs them to agree. Nil
	// when all are 0 (as summaries stored before it was kept read).
	MonthDay []int `json:"month_day,omitempty"`
}

// monthDay is st's MonthDay of guard gi, 0 when it keeps none.
func (st *clusterSummary) monthDay(gi int) int {
	if gi < len(st.MonthDay) {
		return st.MonthDay[gi]
	}
	return 0
}

// setMonthDay sets st's MonthDay of guard gi among n guards.
func (st *clusterSummary) setMonthDay(gi, n, md int) {
	if md == 0 && gi >= len(st.MonthDay) {
		return
	}
	if len(st.MonthDay) != n {
		st.MonthDay = append(st.MonthDay[:0], make([]int, n)...)
	}
	st.MonthDay[gi] = md
}

// trimMonthDay makes st's MonthDay nil when it holds no day.
func (st *clusterSummary) trimMonthDay() {
	for _, md := range st.MonthDay {
		if md != 0 {
			return
		}
	}
	st.MonthDay = nil
}

// mergeMonthDay is the MonthDay of the union of clusters holding a and b.
func mergeMonthDay(a, b int) int {
	switch {
	case a == 0:
		return b
	case b == 0, a == b:
		return a
	}
	return -1
}

// dayOf is the MonthDay of one record's packed date under guard gd.
func dayOf(gd guardCol, v uint32) int {
	if !gd.guard.OneDigit {
		return 0
	}
	_, m, d := unpackDate(v)
	if m == 0 || d == 0 {
		return 0
	}
	return m*100 + d
}

// guardSet is the settings' guards resolved against a frame's columns.
type guardSet struct {
	guards []guardCol
}

// newGuardSet resolves the guards of s against f.
func newGuardSet(f *Frame, s *settings.Settings) (*guardSet, error) {
	gs := &guardSet{}
	for _, gd := range s.EffectiveGuards() {
		ci, ok := f.byName[gd.Column]
		if !ok {
			return nil, fmt.Errorf("guard on unknown column %q", gd.Column)
		}
		gs.guards = append(gs.guards, guardCol{gd, ci, nil})
	}
	for i, gd := range gs.guards {
		for _, u := range gd.guard.UnlessShared {
			found := -1
			for k, o := range gs.guards {
				if (o.guard.Kind == "distinct" || o.guard.Kind == "values") && o.guard.Column == u {
					found = k
				}
			}
			if found < 0 {
				return nil, fmt.Errorf("guard %s on %s: unless_shared %q is the column of no distinct or values guard", gd.guard.Kind, gd.guard.Column, u)
			}
			gs.guards[i].unless = append(gs.guards[i].unless, found)
		}
	}
	return gs, nil
}

// Summary returns the summary of the one-record cluster of row i:
// summaryInto's, with the distinct guards' values copied out of the
// frame's tables.
func (gs *guardSet) Summary(f *Frame, i int) clusterSummary {
	n := len(gs.guards)
	st := clusterSummary{Values: make([][]string, n), YearLo: make([]int, n), YearHi: make([]int, n)}
	gs.summaryInto(f, i, &st)
	for gi, gd := range gs.guards {
		if (gd.guard.Kind == "distinct" || gd.guard.Kind == "values") && len(st.Values[gi]) == 1 {
			st.Values[gi][0] = strings.Clone(st.Values[gi][0])
		}
	}
	return st
}

// summaryInto sets *st to the summary of the one-record cluster of row
// i, as Summary returns it but in st's own slices and with the values
// aliasing the frame's tables: Cluster's summary of a row alone, read
// for one join and copied by Merge, without three slices and a copy of
// each value made for every link (issue 9).
func (gs *guardSet) summaryInto(f *Frame, i int, st *clusterSummary) {
	n := len(gs.guards)
	if len(st.Values) != n {
		*st = clusterSummary{Values: make([][]string, n), YearLo: make([]int, n), YearHi: make([]int, n)}
	}
	for i := range st.MonthDay {
		st.MonthDay[i] = 0
	}
	for gi, gd := range gs.guards {
		st.Values[gi], st.YearLo[gi], st.YearHi[gi] = st.Values[gi][:0], 0, 0
		c := &f.cols[gd.col]
		v := c.vals.at(i)
		if v == 0 {
			continue
		}
		switch gd.guard.Kind {
		case "distinct", "values":
			st.Values[gi] = append(st.Values[gi], c.dict.at(v))
		case "full_date":
			if d, ok := fullDate(v); ok {
				st.Values[gi] = append(st.Values[gi], d)
			}
		default:
			y, _, _ := unpackDate(v)
			st.YearLo[gi], st.YearHi[gi] = y, y
			st.setMonthDay(gi, n, dayOf(gd, v))
		}
	}
}

// summaryOf returns the summary of the cluster of rows (Summary of each,
// merged in their records' ids' order: byID).
func (gs *guardSet) summaryOf(f *Frame, rows []int32) clusterSummary {
	var st clusterSummary
	for i, r := range byID(f, rows, nil) {
		if i == 0 {
			st = gs.Summary(f, int(r))
		} else {
			st = gs.Merge(st, gs.Summary(f, int(r)))
		}
	}
	return st
}

// EncodePersonGuards returns what the clustering's guards remember of the
// person made of rows (its valid numbers, sexes, span of birth years),
// encoded, for a matcher that later meets the person through only some of
// its records (the registry): given back in Result.PersonGuards, it lets
// Summarise judge the whole person.
func EncodePersonGuards(f *Frame, s *settings.Settings, rows []int32) ([]byte, error) {
	gs, err := newGuardSet(f, s)
	if err != nil {
		return nil, err
	}
	st := gs.summaryOf(f, rows)
	st.trimMonthDay()
	return appendSummaryBinary(nil, st), nil
}

// PersonGuards encodes persons' guard summaries as EncodePersonGuards
// does, byte for byte, with the settings' guards resolved against the
// frame once and the summary written without reflection: a matcher
// encoding every person it reclusters (the registry) asks for
// thousands a batch. One PersonGuards is for one goroutine.
type PersonGuards struct {
	f  *Frame
	gs *guardSet
	// st and one are scratch summaries, reused from person to person;
	// rows the person's rows in byID's order.
	st, one clusterSummary
	rows    []int32
}

// byID returns rows in their records' ids' order (in buf's array): a
// person's summary merges them so, not in the order they came in (a
// file's, a registry's arrivals), because a year misread by a digit
// takes the span of the side it joins, and with both sides a single year
// the order decides which.
func byID(f *Frame, rows, buf []int32) []int32 {
	buf = append(buf[:0], rows...)
	slices.SortFunc(buf, func(a, b int32) int { return compareByID(f, a, b) })
	return buf
}

// compareByID orders rows a and b of f by their records' ids, then (ids
// equal: a frame read without ids) by row.
func compareByID(f *Frame, a, b int32) int {
	return cmp.Or(strings.Compare(f.id(int(a)), f.id(int(b))), cmp.Compare(a, b))
}

// NewPersonGuards returns the encoder of f's persons under s's guards.
func NewPersonGuards(f *Frame, s *settings.Settings) (*PersonGuards, error) {
	gs, err := newGuardSet(f, s)
	if err != nil {
		return nil, err
	}
	return &PersonGuards{f: f, gs: gs}, nil
}

// Encode returns EncodePersonGuards(f, s, rows): the summary of rows
// merged in byID's order, as summaryOf merges it, in two scratch
// summaries whose values alias the frame's tables (they are copied into
// the encoding), where summaryOf makes three slices for every row and
// every merge.
func (p *PersonGuards) Encode(rows []int32) ([]byte, error) {
	if len(rows) == 0 {
		return appendSummaryBinary(nil, clusterSummary{}), nil
	}
	gs, f, st := p.gs, p.f, &p.st
	p.rows = byID(f, rows, p.rows)
	rows = p.rows
	gs.summaryInto(f, int(rows[0]), st)
	for _, r := range rows[1:] {
		gs.summaryInto(f, int(r), &p.one)
		gs.mergeInto(st, &p.one)
	}
	out := *st
	out.trimMonthDay()
	return appendSummaryBinary(nil, out), nil
}

// mergeInto sets *a to the summary of the union of clusters *a and *b
// (in place: Merge is a copy of a merged into).
func (gs *guardSet) mergeInto(a, b *clusterSummary) {
	for gi, gd := range gs.guards {
		if gd.guard.Kind == "distinct" || gd.guard.Kind == "full_date" || gd.guard.Kind == "values" {
			for _, v := range b.Values[gi] {
				if !slices.Contains(a.Values[gi], v) {
					a.Values[gi] = append(a.Values[gi], v)
				}
			}
			continue
		}
		if md := mergeMonthDay(a.monthDay(gi), b.monthDay(gi)); md != a.monthDay(gi) {
			a.setMonthDay(gi, len(gs.guards), md)
		}
		if a.YearHi[gi] != 0 && b.YearHi[gi] != 0 && gd.guard.OneDigit &&
			max(a.YearHi[gi], b.YearHi[gi])-min(a.YearLo[gi], b.YearLo[gi]) > gd.guard.Max {
			// A misread year joined (Compatible allowed it): the span stays
			// the other side's, so that the outlier does not open the
			// guard to every later join.
			if misreadYear(*a, *b, gi) == 1 {
				a.YearLo[gi], a.YearHi[gi] = b.YearLo[gi], b.YearHi[gi]
			}
			continue
		}
		if b.YearHi[gi] != 0 {
			if a.YearHi[gi] == 0 || b.YearLo[gi] < a.YearLo[gi] {
				a.YearLo[gi] = b.YearLo[gi]
			}
			if b.YearHi[gi] > a.YearHi[gi] {
				a.YearHi[gi] = b.YearHi[gi]
			}
		}
	}
}

// Compatible reports whether clusters summarised by a and b may be the
// same person, and if not, the index of the guard they break and why:
// two different values of a distinct guard (two valid identification
// numbers, two sexes; values within one edit count as one when the
// guard's max is 1; none when the two share a value of the guard's
// unless_shared column; with same_prefix, only values of one prefix), or
// birth years spanning more than a year_span
// guard's max. Cluster asks it before every join, strongest link first;
// an incremental matcher asks it in the same order.
func (gs *guardSet) Compatible(a, b clusterSummary) (ok bool, guard int, reason string) {
	return gs.compatibleBut(a, b, "")
}

// compatibleBut is Compatible without the guards of kind skip.
func (gs *guardSet) compatibleBut(a, b clusterSummary, skip string) (ok bool, guard int, reason string) {
	for gi, gd := range gs.guards {
		if gd.guard.Kind == skip {
			continue
		}
		switch gd.guard.Kind {
		case "distinct":
			if sharesAny(a, b, gd.unless) {
				continue
			}
			for _, va := range a.Values[gi] {
				for _, vb := range b.Values[gi] {
					if va == vb || !samePrefix(va, vb, gd.guard.SamePrefix) {
						continue
					}
					if withinEdits(va, vb, gd.guard.Max) {
						continue
					}
					return false, gi, fmt.Sprintf("two different %s values", gd.guard.Column)
				}
			}
		case "full_date":
			if sharesAny(a, b, gd.unless) {
				continue
			}
			for _, va := range a.Values[gi] {
				for _, vb := range b.Values[gi] {
					if !oneBirthday(va, vb) {
						return false, gi, fmt.Sprintf("dates of birth %s and %s are not one birthday", maskDay(va), maskDay(vb))
					}
				}
			}
		case "year_span":
			if a.YearHi[gi] == 0 || b.YearHi[gi] == 0 {
				continue
			}
			lo, hi := min(a.YearLo[gi], b.YearLo[gi]), max(a.YearHi[gi], b.YearHi[gi])
			if hi-lo > gd.guard.Max && !(gd.guard.OneDigit && misreadYear(a, b, gi) != 0 && sameDay(a.monthDay(gi), b.monthDay(gi))) {
				return false, gi, fmt.Sprintf("birth years %d and %d are more than %d apart", lo, hi, gd.guard.Max)
			}
		}
	}
	return true, -1, ""
}

// samePrefix reports whether a and b agree on their first n characters
// (a distinct guard's same_prefix: two CMNDs of one issuing province); n
// 0, or a value shorter than n, agrees.
func samePrefix(a, b string, n int) bool {
	if n <= 0 || len(a) < n || len(b) < n {
		return true
	}
	return a[:n] == b[:n]
}

// withinEdits reports whether two values of a distinct guard count as one
// under its max: equal (max 0), within one edit (1: a digit mistyped or
// two swapped), or within max edits (2 and more: two copies of one number
// each one slip from it, 184455191 typed 684455191 on one list and
// 184755191 on another, are two edits apart; optimal string alignment).
func withinEdits(a, b string, max int) bool {
	switch {
	case max <= 0:
		return a == b
	case max == 1:
		return compare.WithinOneEdit(a, b)
	}
	return compare.OSA(a, b, max) <= max
}

// misreadYear reports which side of a join holds a single birth year one
// digit from a year in the other side's span (1904 against 1983–1984: an
// OCR'd year): 1 for a, 2 for b, 0 for neither.
func misreadYear(a, b clusterSummary, gi int) int {
	near := func(y, lo, hi int) bool {
		for z := lo; z <= hi; z++ {
			if oneDigitApart(y, z) {
				return true
			}
		}
		return false
	}
	switch {
	case a.YearLo[gi] == a.YearHi[gi] && near(a.YearLo[gi], b.YearLo[gi], b.YearHi[gi]):
		return 1
	case b.YearLo[gi] == b.YearHi[gi] && near(b.YearLo[gi], a.YearLo[gi], a.YearHi[gi]):
		return 2
	}
	return 0
}

// fullDate returns a packed date as the full_date guard holds it
// (YYYY-MM-DD), false when it lacks the day or the month or is 1 January,
// the day written when only the year is known.
func fullDate(v uint32) (string, bool) {
	y, m, d := unpackDate(v)
	if m == 0 || d == 0 || m == 1 && d == 1 {
		return "", false
	}
	var b [10]byte
	for i, x := range [3]struct{ v, w, at int }{{y, 4, 0}, {m, 2, 5}, {d, 2, 8}} {
		for k := x.w - 1; k >= 0; k-- {
			b[x.at+k] = byte('0' + x.v%10)
			x.v /= 10
		}
		if i < 2 {
			b[x.at+x.w] = '-'
		}
	}
	return string(b[:]), true
}

// parseFullDate reads a date fullDate wrote.
func parseFullDate(s string) (y, m, d int) {
	n := func(t string) int {
		v := 0
		for i := 0; i < len(t); i++ {
			v = v*10 + int(t[i]-'0')
		}
		return v
	}
	if len(s) != 10 {
		return 0, 0, 0
	}
	return n(s[:4]), n(s[5:7]), n(s[8:])
}

// oneBirthday reports whether two full dates of birth may be one
// person's: the same day and month, or swapped (the years are the
// year_span guard's to judge), one digit apart, one day apart, or one the
// lunar calendar's date of the other.
func oneBirthday(a, b string) bool {
	if a == b {
		return true
	}
	ya, ma, da := parseFullDate(a)
	yb, mb, db := parseFullDate(b)
	if ma == mb && da == db || ma == db && da == mb || oneDigitApart(ya*10000+ma*100+da, yb*10000+mb*100+db) {
		return true
	}
	// A day typed one off (19 and 20, 31 May and 1 June: two digits
	// apart); a birthday kept by the lunar calendar, written for the
	// solar one: the lunar date trails the solar one by 19 to 55 days,
	// and is the one date the calendar gives that day (within a day: a
	// calendar of China's meridian, or a day's slip), so that two
	// namesakes born five weeks apart are not one birthday (acc43).
	gap := dayNumber(ya, ma, da) - dayNumber(yb, mb, db)
	if gap < 0 {
		gap, ya, ma, da, yb, mb, db = -gap, yb, mb, db, ya, ma, da
	}
	if gap <= 1 {
		return true
	}
	if gap < lunarLagMin || gap > lunarLagMax {
		return false
	}
	// a is the later: the solar date, b its lunar reading.
	l := lunarDigits(ya, ma, da)
	if l == 0 {
		return true // outside the calendar's years: the window alone
	}
	off := dayNumber(l/10000, l/100%100, l%100) - dayNumber(yb, mb, db)
	return -1 <= off && off <= 1
}

// lunarLagMin and lunarLagMax bound, in days, how far a lunar-calendar
// date (its day, month and year as digits) trails the solar one of the
// same day: Vietnam's calendar from 1920 to 2030 gives 19 to 55
// (TestFullDateGuardTakesEveryLunarDate). Not Tết's earliest and latest
// dates (21 January, 20 February: 20 and 51), as first written: a lunar
// month is a day shorter than a solar one on average, so the lag shrinks
// after Tết, and after a leap month it is a month longer (1 August 2006,
// lunar, is 22 September: 52 days; 30 August 1995, in the leap eighth
// month, is 23 October: 54).
const lunarLagMin, lunarLagMax = 19, 55

// maskDay is a date of birth as a guard's reason may log it: the year
// and month, not the day.
func maskDay(d string) string {
	if len(d) == 10 {
		return d[:7] + "-**"
	}
	return d
}

// sameDay reports whether two clusters' MonthDay may be one birthday:
// unless each holds a single day and month, and they differ.
func sameDay(a, b int) bool {
	return a <= 0 || b <= 0 || a == b
}

// oneDigitApart reports whether two years differ in exactly one decimal
// digit.
func oneDigitApart(x, y int) bool {
	diff := 0
	for x > 0 || y > 0 {
		if x%10 != y%10 {
			diff++
		}
		x, y = x/10, y/10
	}
	return diff == 1
}

// Merge returns the summary of the union of clusters a and b, leaving
// both as they are.
func (gs *guardSet) Merge(a, b clusterSummary) clusterSummary {
	n := len(gs.guards)
	out := clusterSummary{Values: make([][]string, n), YearLo: make([]int, n), YearHi: make([]int, n)}
	for gi, gd := range gs.guards {
		if gd.guard.Kind == "distinct" || gd.guard.Kind == "full_date" || gd.guard.Kind == "values" {
			out.Values[gi] = append([]string(nil), a.Values[gi]...)
		} else {
			out.YearLo[gi], out.YearHi[gi] = a.YearLo[gi], a.YearHi[gi]
			out.setMonthDay(gi, n, a.monthDay(gi))
		}
	}
	gs.mergeInto(&out, &b)
	return out
}

// Cluster joins rows linked by pairs at or above the match threshold into
// connected components, strongest links first, refusing any link that
// would break a guard (two different valid identification numbers, birth
// years too far apart). The result does not depend on the order of
// pairs: ties are broken by the records' ids, except that a cluster whose
// strongest links to two clusters the guards keep apart weigh exactly the
// same joins neither (tieApart).
func Cluster(f *Frame, s *settings.Settings, pairs []Pair) (*Clusters, error) {
	return ClusterApart(f, s, pairs, nil)
}

// GuardApart is the kind of the guard a BlockedPair names when a link
// was refused because it would put together two rows kept apart
// (ClusterApart): a police decision that they are different persons.
const GuardApart = "apart"

// GuardOnePerFile is the guard kind of links a link_only clustering
// refuses because both clusters hold a record of one file.
const GuardOnePerFile = "one_per_file"

// ClusterApart is Cluster with cannot-links: no cluster holds both rows
// of a pair of apart (their weights are not read). A link that would join
// them is refused as a guard refuses it, and is in Blocked with the guard
// GuardApart. Without apart it is Cluster.
func ClusterApart(f *Frame, s *settings.Settings, pairs, apart []Pair) (_ *Clusters, err error) {
	sd := *s.WithDefaults()
	s = &sd
	n := f.Len()
	gs, err := newGuardSet(f, s)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	minW := float32(logit2(s.Thresholds.Match))
	var edges []Pair
	for _, p := range pairs {
		if p.Weight >= minW {
			edges = append(edges, p)
		}
	}
	// Strongest first, then by the records' ids: slices.SortFunc on the
	// pairs themselves, where sort.Slice swapped them through reflection.
	// Not by rows: they are the order the records came in (a file's, a
	// registry's arrivals), and where guards are no equivalence (a
	// year-only record fits namesakes whose full dates are not one
	// birthday) which of two tied links comes first decides the persons
	// (invariant (b): any arrival order gives dancu link's persons).
	slices.SortFunc(edges, func(x, y Pair) int {
		if x.Weight != y.Weight {
			return cmp.Compare(y.Weight, x.Weight)
		}
		if c := comparePairIDs(f, x, y); c != 0 {
			return c
		}
		// A frame holding one id twice (records read without ids): rows,
		// so that the order is still total.
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	var avg *averageLinkage
	if s.Clustering.Linkage == settings.AverageLinkage {
		if avg, err = newAverageLinkage(f, s); err != nil {
			return nil, fmt.Errorf("cluster: %w", err)
		}
	}
	// A link resting on a common name and a birthday alone is no edge: a
	// possible match (possibleRule), kept apart and raised by Summarise.
	var possible []BlockedPair
	var c *compiled
	if avg != nil {
		c = avg.c
	}
	if rule, err := newPossibleRule(f, s, c); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	} else if rule != nil {
		kept := edges[:0]
		for _, e := range edges {
			if rule.holds(f, e.A, e.B) {
				possible = append(possible, BlockedPair{Pair: e, Guard: settings.Guard{Kind: GuardPossibleMatch}, Reason: rule.why(f, e.A, e.B)})
				continue
			}
			kept = append(kept, e)
		}
		edges = kept
	}
	// The summaries of clusters of more than one row, by root: slot[root]
	// is 1 + its index in sums (0: a row alone, summarised afresh). A
	// slice of the rows and a free list of sums' indices, not a map from
	// root to summary, whose look-ups missed the caches more as the rows
	// grew (issue 9).
	slot := make([]int32, 0)
	if len(gs.guards) > 0 {
		slot = make([]int32, n)
	}
	var sums []clusterSummary
	var free []int32
	// A row alone is summarised into one of two scratch summaries, which
	// Compatible only reads and Merge copies.
	var alone [2]clusterSummary
	state := func(root int32, side int) clusterSummary {
		if k := slot[root]; k != 0 {
			return sums[k-1]
		}
		gs.summaryInto(f, int(root), &alone[side])
		return alone[side]
	}
	// link_only links files without duplicates inside each (the guide:
	// "two files without duplicates inside each"): a person holds at most
	// one record of each file. Without this, a record linked to two of
	// the other file's chained them into one person (acc17's hospital
	// register and electoral roll: 196 of the 201 false pairs). sources
	// per root, as a set of up to 64 file indices.
	var sources []uint64
	if s.LinkType == settings.LinkOnly && f.Len() > 0 {
		sources = make([]uint64, n)
		for i := range sources {
			if src := f.Source(i); src < 64 {
				sources[i] = 1 << src
			} else {
				sources = nil
				break
			}
		}
	}
	out := &Clusters{Prob: make([]float64, n), Blocked: possible}
	// viable reports whether the clusters of roots ra and rb could be
	// joined now: what the loop below checks before a join.
	viable := func(ra, rb int32) bool {
		if keptApart(apart, find, ra, rb) || sources != nil && sources[ra]&sources[rb] != 0 {
			return false
		}
		if ok, _, _ := gs.Compatible(ownState(gs, f, slot, sums, ra), ownState(gs, f, slot, sums, rb)); !ok {
			return false
		}
		return avg == nil || avg.support(ra, rb) >= s.Thresholds.Match
	}
	// The supports of the edges that join two single rows, scored on all
	// cores before the joins (aloneSupports).
	var aloneP []float64
	if avg != nil && scoreAlone {
		aloneP = avg.aloneSupports(edges)
	}
	var ties tieApart
	// threeOne reports whether the clusters of roots a, b and c could be
	// one person under the guards.
	threeOne := func(a, b, c int32) bool {
		ok, _, _ := gs.Compatible(gs.Merge(ownState(gs, f, slot, sums, a), ownState(gs, f, slot, sums, b)), ownState(gs, f, slot, sums, c))
		return ok
	}
	for i := 0; i < len(edges); {
		j := i + 1
		for j < len(edges) && edges[j].Weight == edges[i].Weight {
			j++
		}
		if j-i > 1 && len(gs.guards) > 0 {
			ties.find(gs, f, slot, sums, edges[i:j], find, viable)
		}
		for x, e := range edges[i:j] {
			ra, rb := find(e.A), find(e.B)
			if ra == rb {
				markProb(out.Prob, e)
				continue
			}
			if ties.apart(find, ra, rb, threeOne) {
				out.Blocked = append(out.Blocked, BlockedPair{Pair: e, Guard: settings.Guard{Kind: GuardTie},
					Reason: "a cluster's strongest links to this cluster and to another that the guards keep apart weigh exactly the same: no evidence to choose"})
				continue
			}
			if keptApart(apart, find, ra, rb) {
				out.Blocked = append(out.Blocked, BlockedPair{Pair: e, Guard: settings.Guard{Kind: GuardApart},
					Reason: "a police decision keeps records of the two clusters apart"})
				continue
			}
			if sources != nil && sources[ra]&sources[rb] != 0 {
				out.Blocked = append(out.Blocked, BlockedPair{Pair: e, Guard: settings.Guard{Kind: GuardOnePerFile},
					Reason: "link_only: the two clusters hold records of one file"})
				continue
			}
			var sa, sb clusterSummary
			if len(gs.guards) > 0 {
				// The sides in the records' ids' order, not the rows' (see
				// the sort): a year misread by a digit takes the other side's
				// span in Merge, and which side is which decides it when both
				// hold a single year.
				x, y := ra, rb
				if f.id(int(e.B)) < f.id(int(e.A)) {
					x, y = rb, ra
				}
				sa, sb = state(x, 0), state(y, 1)
				if ok, gi, why := gs.Compatible(sa, sb); !ok {
					out.Blocked = append(out.Blocked, BlockedPair{Pair: e, Guard: gs.guards[gi].guard, Reason: why})
					continue
				}
			}
			if avg != nil {
				alone := math.NaN()
				if aloneP != nil {
					alone = aloneP[i+x]
				}
				if p := avg.supportOf(ra, rb, alone); p < s.Thresholds.Match {
					out.Blocked = append(out.Blocked, BlockedPair{Pair: e, Guard: settings.Guard{Kind: settings.AverageLinkage},
						Reason: fmt.Sprintf("match probability %.3f of the clusters' %d cross pairs (their mean, judged with what each cluster's records agree on) is below %.2f",
							p, avg.size(ra)*avg.size(rb), s.Thresholds.Match)})
					continue
				}
			}
			if rb < ra {
				ra, rb = rb, ra
			}
			parent[rb] = ra
			ties.join(ra, rb)
			if sources != nil {
				sources[ra] |= sources[rb]
			}
			if avg != nil {
				avg.join(ra, rb)
			}
			markProb(out.Prob, e)
			if len(gs.guards) > 0 {
				st := gs.Merge(sa, sb)
				if k := slot[ra]; k != 0 {
					sums[k-1] = st
				} else if len(free) > 0 {
					k, free = free[len(free)-1], free[:len(free)-1]
					sums[k-1], slot[ra] = st, k
				} else {
					sums = append(sums, st)
					slot[ra] = int32(len(sums))
				}
				if k := slot[rb]; k != 0 {
					sums[k-1], slot[rb] = clusterSummary{}, 0
					free = append(free, k)
				}
			}
		}
		i = j
	}
	out.Of = make([]int32, n)
	for i := range out.Of {
		out.Of[i] = find(int32(i))
	}
	return out, nil
}

// pairIDs returns the record ids of a pair's rows, the smaller first.
func pairIDs(f *Frame, p Pair) (lo, hi string) {
	lo, hi = f.id(int(p.A)), f.id(int(p.B))
	if hi < lo {
		lo, hi = hi, lo
	}
	return lo, hi
}

// comparePairIDs orders pairs x and y by their records' ids (pairIDs):
// the smaller ids first, then the larger.
func comparePairIDs(f *Frame, x, y Pair) int {
	xl, xh := pairIDs(f, x)
	yl, yh := pairIDs(f, y)
	return cmp.Or(strings.Compare(xl, yl), strings.Compare(xh, yh))
}

// GuardTie is the guard kind of links refused because a cluster's
// strongest links to two clusters the guards keep apart weigh exactly
// the same (tieApart).
const GuardTie = "tie"

// tieApart remembers the clusters kept apart because of a tie: a cluster
// whose strongest links to two clusters, which the guards keep apart
// (one person cannot be all three), weigh exactly the same joins
// neither. Joining the strongest links first and breaking ties by rows
// (then by records' ids) gave such a record (a police or health list's,
// with only a birth year) to whichever namesake came first: on fourthpop,
// two namesakes of one village and one birth year with different full
// dates, wrongly half the time (acc28: 141 of 296 false pairs of the
// year-only kind on dev seed 1901).
// Nothing the records hold chooses, so the record stays on its own, for
// good: a weaker link to one of the two later is no evidence either, nor
// is a weaker link to a third cluster the guards keep apart from one of
// the two (a third namesake, less like the record than either). Two
// clusters the number guard alone keeps apart are no such choice: they
// may be one person with two numbers (a digit slipped in one), which
// Summarise raises as two_ids for review, and the tie is broken by the
// records' ids as before (on gen harsh 7 and gen 11 every such tie was
// one person's, 6 and 16 true pairs lost when it joined neither).
//
// Only an exact tie, no margin: a record belongs to at most one of the
// two, with odds 2^wA : 2^wB (the weights carry the same prior), and the
// model's own bar for a link, Thresholds.Match, is 0.5 in every settings
// file: P(A | A or B) ≥ 0.5 is wA ≥ wB, so the stronger side is the
// model's answer and only equal weights leave none. Normalising over A,
// B and neither (join A only if 2^wA ≥ 1 + 2^wB) differs from it only
// below a few bits. A margin of 1 to 5 bits, a knob no model defines,
// took away as many true pairs as false ones on fourthpop's dev seeds
// (acc32, matching/RESULTS.md).
type tieApart struct {
	// of holds, by root, rows whose clusters the root's is kept apart
	// from (both ways); a join hands the larger root's rows to the other.
	of map[int32][]int32
	// tied holds, by root of a cluster that met a tie, rows of the
	// clusters it was tied between.
	tied map[int32][]int32
}

// find looks at the links of one weight, group, before any of them is
// followed (so that it does not depend on their order), and keeps apart
// every cluster that could join two clusters the guards keep apart through
// them from both. viable says whether two clusters could join at all (not
// kept apart, under the guards, with average linkage's support): a link
// that would be refused anyway leaves no choice to make.
func (t *tieApart) find(gs *guardSet, f *Frame, slot []int32, sums []clusterSummary, group []Pair, find func(int32) int32, viable func(ra, rb int32) bool) {
	type end struct{ root, other int32 }
	ends := make([]end, 0, 2*len(group))
	for _, e := range group {
		if ra, rb := find(e.A), find(e.B); ra != rb {
			ends = append(ends, end{ra, rb}, end{rb, ra})
		}
	}
	slices.SortFunc(ends, func(x, y end) int {
		if x.root != y.root {
			return cmp.Compare(x.root, y.root)
		}
		return cmp.Compare(x.other, y.other)
	})
	ends = slices.Compact(ends)
	for i := 0; i < len(ends); {
		j := i + 1
		for j < len(ends) && ends[j].root == ends[i].root {
			j++
		}
		if j-i > 1 {
			root := ends[i].root
			others := make([]int32, 0, j-i)
			for _, e := range ends[i:j] {
				others = append(others, e.other)
			}
			t.among(gs, f, slot, sums, root, others, viable)
		}
		i = j
	}
}

// among is find for one root and the roots of the other ends of its
// links in the group (two or more, distinct).
func (t *tieApart) among(gs *guardSet, f *Frame, slot []int32, sums []clusterSummary, root int32, others []int32, viable func(ra, rb int32) bool) {
	sr := ownState(gs, f, slot, sums, root)
	// ok caches viable(root, other) by other's index (0: not asked,
	// 1: viable, 2: not).
	ok := make([]uint8, len(others))
	can := func(k int) bool {
		if ok[k] == 0 {
			ok[k] = 2
			if viable(root, others[k]) {
				ok[k] = 1
			}
		}
		return ok[k] == 1
	}
	for x := range others {
		sx := ownState(gs, f, slot, sums, others[x])
		rx := gs.Merge(sr, sx)
		for y := x + 1; y < len(others); y++ {
			sy := ownState(gs, f, slot, sums, others[y])
			// Kept apart by the number guard alone, the two may be one
			// person with two numbers (two_ids, for review): no tie.
			if okXY, _, _ := gs.compatibleBut(rx, sy, "distinct"); okXY {
				if okYX, _, _ := gs.compatibleBut(gs.Merge(sr, sy), sx, "distinct"); okYX {
					continue
				}
			}
			if !can(x) || !can(y) {
				continue
			}
			t.tie(root, others[x], others[y])
		}
	}
}

// add keeps the clusters of roots a and b apart.
func (t *tieApart) add(a, b int32) {
	if t.of == nil {
		t.of = map[int32][]int32{}
	}
	t.of[a] = append(t.of[a], b)
	t.of[b] = append(t.of[b], a)
}

// tie records that the cluster of root c was tied between those of x
// and y, keeping it apart from both.
func (t *tieApart) tie(c, x, y int32) {
	t.add(c, x)
	t.add(c, y)
	if t.tied == nil {
		t.tied = map[int32][]int32{}
	}
	t.tied[c] = append(t.tied[c], x, y)
}

// apart reports whether the clusters of roots ra and rb are kept apart:
// one of them was tied between the other and a third, or between two
// clusters one of which the guards keep apart from the two joined
// (threeOne: whether three clusters could be one person).
func (t *tieApart) apart(find func(int32) int32, ra, rb int32, threeOne func(a, b, c int32) bool) bool {
	if len(t.of) == 0 {
		return false
	}
	for _, p := range t.of[ra] {
		if find(p) == rb {
			return true
		}
	}
	for _, c := range [2][2]int32{{ra, rb}, {rb, ra}} {
		for _, p := range t.tied[c[0]] {
			if !threeOne(c[0], c[1], find(p)) {
				return true
			}
		}
	}
	return false
}

// join records that the cluster of root rb joined that of root ra.
func (t *tieApart) join(ra, rb int32) {
	if l, ok := t.of[rb]; ok {
		t.of[ra] = append(t.of[ra], l...)
		delete(t.of, rb)
	}
	if l, ok := t.tied[rb]; ok {
		t.tied[ra] = append(t.tied[ra], l...)
		delete(t.tied, rb)
	}
}

// ownState is the summary of the cluster of root, as Cluster keeps it
// (slot, sums), in slices of its own for a row alone.
func ownState(gs *guardSet, f *Frame, slot []int32, sums []clusterSummary, root int32) clusterSummary {
	if k := slot[root]; k != 0 {
		return sums[k-1]
	}
	return gs.Summary(f, int(root))
}

// keptApart reports whether joining the clusters of roots ra and rb
// would put the two rows of a pair of apart together. The pairs are few
// (the police decisions on the rows clustered), so each is looked at.
func keptApart(apart []Pair, find func(int32) int32, ra, rb int32) bool {
	for _, p := range apart {
		if fa, fb := find(p.A), find(p.B); (fa == ra && fb == rb) || (fa == rb && fb == ra) {
			return true
		}
	}
	return false
}

type guardCol struct {
	guard settings.Guard
	col   int
	// unless holds the indices of the distinct or values guards on the
	// guard's UnlessShared columns.
	unless []int
}

// sharesAny reports whether clusters summarised by a and b share a value
// of one of the guards of indices unless.
func sharesAny(a, b clusterSummary, unless []int) bool {
	for _, k := range unless {
		if shareValue(a.Values[k], b.Values[k]) {
			return true
		}
	}
	return false
}

// shareValue reports whether two clusters' values of a distinct guard
// have one in common.
func shareValue(a, b []string) bool {
	for _, v := range a {
		if slices.Contains(b, v) {
			return true
		}
	}
	return false
}

func markProb(prob []float64, e Pair) {
	p := e.Probability()
	if p > prob[e.A] {
		prob[e.A] = p
	}
	if p > prob[e.B] {
		prob[e.B] = p
	}
}

// averageLinkage scores the cross pairs of two clusters with the model.
type averageLinkage struct {
	f        *Frame
	linkType string
	c        *compiled
	ws       *weights
	g        []uint8
	// members holds the rows of each cluster of more than one row, by
	// root: slot[root] is 1 + its index in members (0: a row alone);
	// free lists members' indices given up by joins.
	slot    []int32
	members [][]int32
	free    []int32
	// supports remembers support of two clusters (roots and sizes, which
	// change with every join) that Cluster refused to join (below match),
	// so that the other pairs between the same two clusters score their
	// cross pairs once. A join that is made is never asked again (the
	// larger root stops being one), so remembering it, and every mean,
	// only filled two maps of a few entries a record, missing the caches
	// more as the file grew (issue 9).
	supports map[[4]int32]float64
	// match is the settings' match threshold.
	match float64
	// shared remembers, per cluster (root and size), what its records
	// agree on: sharedOf; agree is its scratch count per record.
	shared map[[2]int32][]sharedValue
	agree  []int
	// keys holds each row's key of every blocking rule, row by row
	// (keys[row*nr+rule]; 0 when a key part is blank): the cross pairs
	// averaged are those agreeing on every key of some rule — the pairs
	// the settings compare. A pair's keys are two runs of nr words, a
	// cache miss or two, where one array per rule cost two misses a rule
	// once the arrays outgrew the caches (issue 9).
	keys []uint64
	nr   int
	// recall is training's estimate of the share of matching pairs some
	// rule proposes (Model.BlockingRecall; 0 when not estimated).
	recall float64
}

func newAverageLinkage(f *Frame, s *settings.Settings) (*averageLinkage, error) {
	if s.Model == nil {
		return nil, fmt.Errorf("average linkage needs a trained model")
	}
	c, err := compile(s, f)
	if err != nil {
		return nil, err
	}
	al := &averageLinkage{f: f, linkType: s.LinkType, c: c, ws: newWeights(c, s.Model, s.Training.Prior),
		g: make([]uint8, len(c.comps)), slot: make([]int32, f.Len()),
		supports: map[[4]int32]float64{}, match: s.Thresholds.Match, shared: map[[2]int32][]sharedValue{},
		recall: s.Model.BlockingRecall}
	nr := len(s.Blocking)
	al.nr, al.keys = nr, make([]uint64, nr*f.Len())
	for r, br := range s.Blocking {
		parts, err := f.keyParts(br.Keys)
		if err != nil {
			return nil, fmt.Errorf("blocking rule %s: %w", br.Name, err)
		}
		for i := 0; i < f.Len(); i++ {
			al.keys[i*nr+r] = f.key(parts, i)
		}
	}
	return al, nil
}

func (a *averageLinkage) rows(root int32) []int32 {
	if k := a.slot[root]; k != 0 {
		return a.members[k-1]
	}
	return []int32{root}
}

func (a *averageLinkage) size(root int32) int { return len(a.rows(root)) }

// mean returns the mean match probability over the pairs across the
// clusters of roots ra and rb that the link type allows and some
// blocking rule proposes, each counted once per rule proposing it: the
// mean over blocking's proposals, as the candidates are made before
// they are deduplicated (1 when there are none; 0 when fewer of the
// cross pairs the link type allows are proposed than one person's
// records could have: enoughCompared). A cross pair no
// rule proposes — two records of one person that share no key: in files
// where a quarter of each field is wrong or blank, one pair in sixteen
// agrees on nothing — is left out: the settings do not compare such
// pairs, and counted at the model's near-zero probability it vetoed
// joins the compared pairs support (issue 12). But when most cross pairs
// share no key, and more than blocking's recall makes likely for one
// person's records (enoughCompared), the two clusters are people a chain
// of links joined, and the join is refused — unless one side is a single
// record: one record cannot be a chain of people, and its pairs with a
// person's records share a key or not together (a record with a mistyped
// name and a blank town misses the keys of all of them at once), so how
// many of them are compared says nothing the compared pairs' mean does
// not (issue 12, ninth round). Counting a pair once per
// proposing rule (issue 12, eighth round) weighs a cross pair that
// agrees on the keys of several rules above one that a single rule
// proposes, which in files of re-keyed lists is most often one noisy
// record's pair; it does not depend on the file's size, as the prior
// that lowers every cross pair's probability in bigger files does.
func (a *averageLinkage) mean(ra, rb int32) float64 {
	return a.score(min(ra, rb), max(ra, rb))
}

// memoKey is the key of support's memo for the pair of clusters ra, rb:
// their roots in order and their sizes, so that a cluster that has grown
// since is asked again.
func (a *averageLinkage) memoKey(ra, rb int32) [4]int32 {
	if rb < ra {
		ra, rb = rb, ra
	}
	return [4]int32{ra, rb, int32(a.size(ra)), int32(a.size(rb))}
}

func (a *averageLinkage) score(ra, rb int32) float64 {
	return a.scoreRows(a.rows(ra), a.rows(rb), a.g)
}

// scoreRows is score on the rows of the two clusters, with g the
// comparisons' scratch levels (a.g, or a worker's own).
//
// It is 0 when the compared cross pairs that a veto can judge (its
// comparison not null on them) are all vetoed: a veto says two persons
// (twins: given names that differ, no number shared), and the records
// joining the two clusters then are only records it cannot judge — a
// newborn written by its mother ("Con bà …", no name of its own), which
// matches either twin on date, parents and address — so the join would
// make the two persons one through a record that says nothing of which
// it is (issue 12, acc44: sixthpop's twins joined through a "Con bà"
// row). One vetoed pair among pairs the vetoes let through is a
// record's slip, weighed as the mean weighs it.
func (a *averageLinkage) scoreRows(rowsA, rowsB []int32, g []uint8) float64 {
	var sum, weight float64
	n, all := 0, 0
	judged, vetoed := 0, 0
	for _, x := range rowsA {
		for _, y := range rowsB {
			p, q := min(x, y), max(x, y)
			if !a.f.pairAllowed(a.linkType, p, q) {
				continue
			}
			all++
			r := a.proposals(p, q)
			if r == 0 {
				continue
			}
			n++
			for k := range a.c.comps {
				g[k] = a.c.gamma(a.f, k, p, q)
			}
			if a.c.hasVeto && a.c.judges(a.f, g, p, q) {
				judged++
				if a.c.vetoed(g) {
					vetoed++
				}
			}
			sum += float64(r) * probability(a.ws.score(a.c, a.f, g, p, q))
			weight += float64(r)
		}
	}
	if all == 0 {
		return 1
	}
	if judged > 0 && vetoed == judged {
		return 0
	}
	if n == 0 || !(len(rowsA) == 1 || len(rowsB) == 1 || a.enoughCompared(n, all)) {
		return 0
	}
	return sum / weight
}

// scoreAlone is whether Cluster scores the edges joining two single rows
// beforehand (aloneSupports); false only in tests.
var scoreAlone = true

// aloneSupports returns, by edge, the support of its two rows while both
// are still alone (support of two single records: their pair's mean,
// nothing else) for the edges whose rows no earlier edge touches — most
// of the joins of a file of few records a person, which Cluster's loop
// would otherwise score one after the other on one core — and NaN for
// the others. The edges are scored on all cores (link4). supportOf takes
// an edge's value only when both its clusters are single rows, so the
// result is support's whichever edges were scored.
func (a *averageLinkage) aloneSupports(edges []Pair) []float64 {
	out := make([]float64, len(edges))
	seen := make([]bool, a.f.Len())
	var todo []int32
	for x, e := range edges {
		out[x] = math.NaN()
		if !seen[e.A] && !seen[e.B] {
			todo = append(todo, int32(x))
		}
		seen[e.A], seen[e.B] = true, true
	}
	var wg sync.WaitGroup
	chunk := (len(todo) + workers - 1) / workers
	for w := 0; w < workers && w*chunk < len(todo); w++ {
		part := todo[w*chunk : min((w+1)*chunk, len(todo))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := make([]uint8, len(a.c.comps))
			ra, rb := make([]int32, 1), make([]int32, 1)
			for _, x := range part {
				e := edges[x]
				ra[0], rb[0] = min(e.A, e.B), max(e.A, e.B)
				out[x] = a.scoreRows(ra, rb, g)
			}
		}()
	}
	wg.Wait()
	return out
}

// supportOf is support(ra, rb) for the clusters an edge joins, with
// alone the edge's aloneSupports value: taken when both clusters are
// still the edge's single rows and support has not memoised them.
func (a *averageLinkage) supportOf(ra, rb int32, alone float64) float64 {
	key := a.memoKey(ra, rb)
	if key[2] != 1 || key[3] != 1 || math.IsNaN(alone) {
		return a.support(ra, rb)
	}
	if p, ok := a.supports[key]; ok {
		return p
	}
	if alone < a.match {
		a.supports[key] = alone
	}
	return alone
}

// support returns the probability Cluster compares with the match
// threshold to join the clusters of roots ra and rb: the mean of their
// compared cross pairs (mean), judged with what each cluster's records
// agree on (issue 12, tenth round). A person's records are noisy copies
// of the person, each changed on its own — the model the m
// probabilities are estimated under — so the value two or more of a
// cluster's records share is the person's far more surely than any one
// record's:
//
//   - A single record joining a cluster of two or more is also scored
//     against the cluster's profile (profileScore): per comparison, the
//     value most of its records share, and where none is shared by two,
//     its weight against each record averaged. It joins when either
//     reaches the threshold: the mean of its pairs with every noisy copy
//     sinks in big files, where the prior of each pair is low, though
//     the record agrees with what the copies agree on.
//   - Two clusters of two or more records each, whose shared values of
//     a comparison land on its else level (abigail cox born 1973, three
//     records, against abigail cox born 1983, four), are one person only
//     if every record of one side was changed the same way: each record
//     of the smaller side's group beyond the first counts the else
//     weight again (disagreement). Namesakes — people sharing a first
//     name, a surname and the email's user part made of them — grow with
//     the file, and their cross pairs' mean alone lets them join.
//
// Both look only at the two clusters, as mean does.
func (a *averageLinkage) support(ra, rb int32) float64 {
	key := a.memoKey(ra, rb)
	ra, rb = key[0], key[1]
	if p, ok := a.supports[key]; ok {
		return p
	}
	p := a.mean(ra, rb)
	na, nb := a.size(ra), a.size(rb)
	switch {
	case p <= 0 || p >= 1 || (na == 1 && nb == 1):
	case na == 1 || nb == 1:
		x, other := ra, rb
		if na != 1 {
			x, other = rb, ra
		}
		p = max(p, probability(a.profileScore(x, other)))
	default:
		if d := a.disagreement(ra, rb); d < 0 {
			p = probability(logit2(p) + d)
		}
	}
	if p < a.match {
		a.supports[key] = p
	}
	return p
}

// sharedValue is, for one comparison, a row holding the value most of a
// cluster's records agree on (the comparison's first level between
// them) and how many records hold it (1 when none is shared).
type sharedValue struct {
	row int32
	n   int
}

// sharedOf returns, per comparison, what the records of the cluster of
// root agree on.
func (a *averageLinkage) sharedOf(root int32) []sharedValue {
	rows := a.rows(root)
	key := [2]int32{root, int32(len(rows))}
	if sv, ok := a.shared[key]; ok {
		return sv
	}
	sv := make([]sharedValue, len(a.c.comps))
	// n[i]: 1 + how many other records agree with record i on the
	// comparison's first level. Each pair is compared once (gamma of a
	// pair is that of its rows in order, whichever side asks), and only
	// as far as its first level (firstLevel).
	n := a.agree[:0]
	for range rows {
		n = append(n, 0)
	}
	a.agree = n
	for k := range a.c.comps {
		for i := range n {
			n[i] = 1
		}
		for i, r := range rows {
			for j := i + 1; j < len(rows); j++ {
				q := rows[j]
				if a.c.firstLevel(a.f, k, min(r, q), max(r, q)) {
					n[i]++
					n[j]++
				}
			}
		}
		// The row of the most agreed value; of rows as agreed, the one
		// with the smallest record id (then row), not the first in rows:
		// rows are in the order the cluster's joins and its records'
		// arrival put them, and rows agreeing as often can hold
		// different values (two groups of records as large, each on its
		// own value; a first level that is no equivalence, such as
		// either era's commune or a Jaro–Winkler threshold), so the
		// first gave a record joining the cluster another profile in
		// another arrival order (issue 9, det1: one record of 200k
		// moved between shuffles with the same edges).
		sv[k] = sharedValue{row: rows[0], n: 1}
		for i, r := range rows {
			if n[i] > sv[k].n || n[i] == sv[k].n && n[i] >= 2 && a.beforeByID(r, sv[k].row) {
				sv[k] = sharedValue{row: r, n: n[i]}
			}
		}
	}
	a.shared[key] = sv
	return sv
}

// beforeByID reports whether row x's record id sorts before row y's
// (rows when the ids are equal: a frame read without ids).
func (a *averageLinkage) beforeByID(x, y int32) bool {
	return compareByID(a.f, x, y) < 0
}

// firstLevel reports whether rows a and b (a < b) land on comparison
// k's first level: gamma(f, k, a, b) == 1, without trying the levels
// below it when the first does not hold.
func (c *compiled) firstLevel(f *Frame, k int, a, b int32) bool {
	cc := &c.comps[k]
	p := c.rows.pair(f, a, b)
	pa, pb := false, false
	for _, ci := range cc.null {
		va, vb := p.get(ci)
		pa = pa || va != 0
		pb = pb || vb != 0
	}
	if !pa || !pb {
		return false // gamma 0
	}
	if len(cc.levels) == 0 {
		return true // gamma len(levels)+1
	}
	l := &cc.levels[0]
	if !f.holdsRows(l, &p, nil) {
		return false
	}
	if l.once >= 0 && c.gammaRows(f, l.once, &p, nil) == uint8(l.onceLevel) {
		return false // gamma 0: counted in the earlier comparison
	}
	// A half swap is counted in the mirror's comparison: gammaRows goes
	// on to the next level.
	return l.mirror < 0 || f.fullSwap(l, a, b) || c.gammaRows(f, l.mirror, &p, nil) != uint8(l.mirrorLevel)
}

// profileScore returns the match weight (bits, prior included) of record
// x against the cluster of root: per comparison, x against the value
// two or more of its records share, else x's weight against each of its
// records averaged (a blank counts 0, as in a pair).
func (a *averageLinkage) profileScore(x, root int32) float64 {
	ws, c, f := a.ws, a.c, a.f
	sv := a.sharedOf(root)
	rows := a.rows(root)
	gs := a.g
	total := ws.prior
	for k := range c.comps {
		if sv[k].n >= 2 {
			p, q := min(x, sv[k].row), max(x, sv[k].row)
			gs[k] = c.gamma(f, k, p, q)
			w, adj := ws.weight(c, f, k, gs[k], p, q)
			total += w + ws.bonusOf(c, f, adj, p, q)
			continue
		}
		var sum float64
		for _, y := range rows {
			p, q := min(x, y), max(x, y)
			w, adj := ws.weight(c, f, k, c.gamma(f, k, p, q), p, q)
			sum += w + ws.bonusOf(c, f, adj, p, q)
		}
		total += sum / float64(len(rows))
		gs[k] = 0 // no level of its own: folds and dependences skip it
	}
	for _, fd := range ws.folds {
		if gs[fd.k] != 0 && ws.sameFact(fd, gs) {
			p, q := min(x, sv[fd.k].row), max(x, sv[fd.k].row)
			w, adj := ws.weight(c, f, fd.k, gs[fd.k], p, q)
			total -= w + ws.bonusOf(c, f, adj, p, q)
		}
	}
	if len(ws.deps) > 0 {
		total -= ws.depAdj(c, f, gs, x, sv[0].row, true)
	}
	if c.hasVeto && total >= ws.vetoCap && c.vetoed(gs) {
		return ws.vetoCap
	}
	return total
}

// bonusOf is rows p and q's term-frequency adjustment adj, without its
// bonus when one of the settings' no_tf_bonus_when holds on the two rows.
func (ws *weights) bonusOf(c *compiled, f *Frame, adj float64, p, q int32) float64 {
	if adj <= 0 || len(c.noBonus) == 0 {
		return adj
	}
	return noBonus(adj, c.bonusVoidRows(f, p, q))
}

// disagreement returns the weight (bits, ≤ 0) that the clusters of roots
// ra and rb, of two or more records each, add against their join: per
// comparison on whose value two or more records of each side agree, and
// whose two values land on its else level (not folded into another
// comparison that does too), the else weight once for each record of the
// smaller side's group beyond the first.
func (a *averageLinkage) disagreement(ra, rb int32) float64 {
	sa, sb := a.sharedOf(ra), a.sharedOf(rb)
	gs := a.g
	for k := range a.c.comps {
		gs[k] = 0
		if sa[k].n >= 2 && sb[k].n >= 2 {
			gs[k] = a.c.gamma(a.f, k, min(sa[k].row, sb[k].row), max(sa[k].row, sb[k].row))
		}
	}
	var d float64
	for k, g := range gs {
		w := a.ws.w[k]
		if g == 0 || int(g) != len(w)-1 || a.ws.foldedOut(k, gs) {
			continue
		}
		d += float64(min(sa[k].n, sb[k].n)-1) * w[g]
	}
	return d
}

// chainAlpha is the significance of enoughCompared's test: a small join
// of one person's records is refused by chance once in a hundred times
// (fixed before it was first run).
const chainAlpha = 0.01

// enoughCompared reports whether n compared cross pairs out of all are
// as many as one person's records could have. At least half of them
// always are: records of one person share a key in most pairs, so a join
// most of whose cross pairs share none is people a chain of links joined.
// Fewer than half are enough when, blocking proposing a share recall of a
// person's pairs (training's estimate), so few would still come about by
// chance (binomial(all, recall), chance at least chainAlpha): that lets a
// noisy record join a person of three through one compared pair of three
// (chance 0.09 at recall 0.82), which half refused, while a join of six
// records with six through 5 of their 36 cross pairs stays refused
// (chance 1e-10). The binomial alone, which would also refuse joins with
// more than half compared but fewer than recall says (18 of 36 at 0.82),
// was tried on the development sets and lowered the Vietnamese ones:
// a person's unproposed pairs are not independent (one noisy record
// misses its keys with all the others), and at recall 0.99 the test asks
// nearly all. Without an estimate (one rule), half must be compared.
// score asks it only when both sides hold more than one record.
func (a *averageLinkage) enoughCompared(n, all int) bool {
	if 2*n >= all {
		return true
	}
	if a.recall <= 0 || a.recall >= 1 {
		return false
	}
	return binomialCDF(n, all, a.recall) >= chainAlpha
}

// binomialCDF returns P(X ≤ k) for X binomial with n trials of
// probability p (0 < p < 1).
func binomialCDF(k, n int, p float64) float64 {
	lgn, _ := math.Lgamma(float64(n + 1))
	var sum float64
	for i := 0; i <= k && i <= n; i++ {
		lgi, _ := math.Lgamma(float64(i + 1))
		lgr, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(lgn - lgi - lgr + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	return sum
}

// compared reports whether rows p and q agree on every key of some
// blocking rule (whatever a rule's window: the answer must not depend on
// which other records a frame holds, so that the registry's frames
// cluster as the whole file does).
func (a *averageLinkage) compared(p, q int32) bool { return a.proposals(p, q) > 0 }

// proposals returns how many blocking rules propose rows p and q (agree
// on every key of the rule, whatever its window; 1 when the settings
// have no rule).
func (a *averageLinkage) proposals(p, q int32) int {
	if a.nr == 0 {
		return 1
	}
	kp := a.keys[int(p)*a.nr : int(p)*a.nr+a.nr]
	kq := a.keys[int(q)*a.nr : int(q)*a.nr+a.nr]
	r := 0
	for x, k := range kp {
		if k != 0 && k == kq[x] {
			r++
		}
	}
	return r
}

// join records that the cluster of rb joined the cluster of ra.
func (a *averageLinkage) join(ra, rb int32) {
	m := append(a.rows(ra), a.rows(rb)...)
	switch k := a.slot[ra]; {
	case k != 0:
		a.members[k-1] = m
	case len(a.free) > 0:
		k, a.free = a.free[len(a.free)-1], a.free[:len(a.free)-1]
		a.members[k-1], a.slot[ra] = m, k
	default:
		a.members = append(a.members, m)
		a.slot[ra] = int32(len(a.members))
	}
	if k := a.slot[rb]; k != 0 {
		a.members[k-1], a.slot[rb] = nil, 0
		a.free = append(a.free, k)
	}
}

// ClusterCheck is one of the largest clusters of a result and whether it
// is a plausible person.
type ClusterCheck struct {
	Root    int32 // the cluster's first row
	Records int
	// MeanProbability is the mean match probability over the cluster's
	// pairs (at most maxCheckPairs of them, every k-th when more), each
	// scored by the model.
	MeanProbability float64
	Plausible       bool
	Why             string // why not, when not plausible
}

// Plausibility limits of CheckLargest (not tuned on labels).
const (
	// MaxPlausibleRecords is the size above which a cluster is not taken
	// for one person: no one is on fifty lists of one linkage.
	maxPlausibleRecords = 50
	maxCheckPairs       = 20_000
)

// largest returns the top largest of members, largest first, those of
// one size in the order given: what a stable sort of them all by size,
// descending, puts first, found by counting the clusters of each size.
func largest(members [][]int32, top int) [][]int32 {
	if top <= 0 {
		return nil
	}
	most := 0
	for _, m := range members {
		most = max(most, len(m))
	}
	bySize := make([]int, most+1)
	for _, m := range members {
		bySize[len(m)]++
	}
	// Every cluster larger than least is taken, and the first left of
	// size least.
	least, left := most, top
	for least > 0 && left > bySize[least] {
		left -= bySize[least]
		least--
	}
	var out [][]int32
	for _, m := range members {
		switch {
		case len(m) > least:
			out = append(out, m)
		case len(m) == least && left > 0:
			out = append(out, m)
			left--
		}
	}
	slices.SortStableFunc(out, func(a, b []int32) int { return cmp.Compare(len(b), len(a)) })
	return out
}

// CheckLargest returns the top largest clusters of res, largest first,
// each with the mean match probability of its pairs and a plausibility
// check: a cluster is implausible when it holds more than
// MaxPlausibleRecords records or its pairs average below the match
// threshold (a chain rather than a person).
func CheckLargest(res *Result, top int) ([]ClusterCheck, error) {
	s := res.Settings
	f := res.Frame
	if s.Model == nil {
		return nil, fmt.Errorf("check clusters: no trained model")
	}
	c, err := compile(s, f)
	if err != nil {
		return nil, fmt.Errorf("check clusters: %w", err)
	}
	ws := newWeights(c, s.Model, s.Training.Prior)
	members := largest(res.Clusters.Members(), top)
	g := make([]uint8, len(c.comps))
	var out []ClusterCheck
	for _, m := range members {
		if len(m) < 2 {
			break
		}
		n := len(m) * (len(m) - 1) / 2
		step := max(1, n/maxCheckPairs)
		var sum float64
		cnt, k := 0, 0
		for x := range m {
			for y := x + 1; y < len(m); y++ {
				k++
				if k%step != 0 || !f.pairAllowed(s.LinkType, m[x], m[y]) {
					continue
				}
				for q := range c.comps {
					g[q] = c.gamma(f, q, m[x], m[y])
				}
				sum += probability(ws.score(c, f, g, m[x], m[y]))
				cnt++
			}
		}
		ck := ClusterCheck{Root: m[0], Records: len(m), MeanProbability: 1, Plausible: true}
		if cnt > 0 {
			ck.MeanProbability = sum / float64(cnt)
		}
		switch {
		case len(m) > maxPlausibleRecords:
			ck.Plausible, ck.Why = false, fmt.Sprintf("more than %d records", maxPlausibleRecords)
		case ck.MeanProbability < s.Thresholds.Match:
			ck.Plausible, ck.Why = false, fmt.Sprintf("its pairs average %.2f, below the match threshold %.2f: a chain of people", ck.MeanProbability, s.Thresholds.Match)
		}
		out = append(out, ck)
	}
	return out, nil
}
