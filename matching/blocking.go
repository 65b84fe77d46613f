package matching

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/dancu-vn/dancu/matching/settings"
)

// keyPart is one part of a blocking key: a column, or the year or the
// birthday (month and day, without the year) of a date column.
type keyPart struct {
	col      int
	year     bool
	monthday bool
}

// blocker holds, for one rule, the records grouped into blocks (records
// sharing the key's hash) and each record's block.
type blocker struct {
	rule   settings.BlockingRule
	parts  []keyPart
	sortBy []keyPart
	// block is each record's block, 1-based (0: no key, or no other
	// record shares it): four bytes a record where the key's hash took
	// eight, and two records are in one block when their numbers agree.
	block []uint32
	// blocks are ranges of order; order lists record rows sorted by key.
	order  []int32
	blocks []blockRange
	// pos is each record's position within its block when the block is
	// split (sorted neighbourhood), else -1.
	pos []int32
	// rows, once blockAll has built every rule's blocker, holds block and
	// pos of every rule row by row (rule idx of rows.nr), and block and
	// pos are nil.
	rows *blockRows
	idx  int
}

// blockRows holds, for every rule of one blockAll, each record's block
// and position in it, record by record: block<<32 | pos+1 (0 when the
// block is not split). Testing which rules make a pair reads two runs of
// nr words instead of two words from each of 2·nr arrays of n, scattered
// over memory: a cache miss or two instead of one per rule and record.
type blockRows struct {
	nr int
	v  []uint64
}

// entry returns block<<32 | pos+1 of row i (see blockRows).
func (b *blocker) entry(i int32) uint64 {
	if b.rows != nil {
		return b.rows.v[int(i)*b.rows.nr+b.idx]
	}
	return uint64(b.block[i])<<32 | uint64(uint32(b.pos[i]+1))
}

// rowsOf moves the blocks and positions of bs (built by newBlocker) into
// one blockRows and points each blocker to it.
func rowsOf(bs []*blocker, n int) {
	rs := &blockRows{nr: len(bs), v: make([]uint64, n*len(bs))}
	// Row by row: v is written in order, where rule by rule wrote one word
	// of every nr, a cache line (and at millions of records a TLB entry)
	// per word.
	for i := 0; i < n; i++ {
		row := rs.v[i*rs.nr : i*rs.nr+rs.nr]
		for r, b := range bs {
			row[r] = b.entry(int32(i))
		}
	}
	for r, b := range bs {
		b.block, b.pos = nil, nil
		b.rows, b.idx = rs, r
	}
}

// coverMask returns the rules of bs (up to the first 64) that make the
// pair (i, j): bit q for rule q.
func coverMask(bs []*blocker, i, j int32) uint64 {
	if len(bs) == 0 {
		return 0
	}
	var m uint64
	if rs := bs[0].rows; rs != nil && rs.nr == len(bs) && len(bs) <= 64 {
		ri := rs.v[int(i)*rs.nr : int(i)*rs.nr+rs.nr]
		rj := rs.v[int(j)*rs.nr : int(j)*rs.nr+rs.nr]
		for q, ei := range ri {
			if sameBlock(ei, rj[q], bs[q].rule.Window) {
				m |= 1 << q
			}
		}
		return m
	}
	for q, b := range bs[:min(len(bs), 64)] {
		if b.covers(i, j) {
			m |= 1 << q
		}
	}
	return m
}

// within reports whether two entries of one block are at most window
// apart, or the block is not split.
func within(ei, ej uint64, window int) bool {
	pi, pj := int64(uint32(ei)), int64(uint32(ej))
	if pi == 0 {
		return true
	}
	d := pi - pj
	if d < 0 {
		d = -d
	}
	return d <= int64(window)
}

type blockRange struct {
	start, end int32
	split      bool
}

func (f *Frame) keyParts(names []string) ([]keyPart, error) {
	var out []keyPart
	for _, n := range names {
		base, sub, _ := strings.Cut(n, ".")
		ci, ok := f.byName[base]
		if !ok {
			return nil, fmt.Errorf("unknown column %q", n)
		}
		p := keyPart{col: ci}
		switch sub {
		case "":
		case "year":
			p.year = true
		case "monthday":
			p.monthday = true
		default:
			return nil, fmt.Errorf("unknown key suffix %q (col.year or col.monthday)", n)
		}
		if (p.year || p.monthday) && !f.cols[ci].date {
			return nil, fmt.Errorf("key %q: %s is not a date column", n, base)
		}
		out = append(out, p)
	}
	return out, nil
}

// ruleParts resolves blocking rule r's keys and sort_by against f's
// columns: what a blocker (a whole frame's blocks) and a KeyMaker (one
// row's keys, for the registry) both hash and sort by.
func (f *Frame) ruleParts(r settings.BlockingRule) (parts, sortBy []keyPart, err error) {
	if parts, err = f.keyParts(r.Keys); err == nil {
		sortBy, err = f.keyParts(r.SortBy)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("blocking rule %s: %w", r.Name, err)
	}
	return parts, sortBy, nil
}

func (f *Frame) partValue(p keyPart, i int) uint32 {
	return p.value(f.cols[p.col].vals.at(int(i)))
}

// value is the part of a column's value v the key uses: a packed date's
// year, or its month and day (0, missing, unless both are known).
func (p keyPart) value(v uint32) uint32 {
	switch {
	case p.year:
		return v >> 9
	case p.monthday:
		if v&31 == 0 || (v>>5)&15 == 0 {
			return 0
		}
		return v & 511
	}
	return v
}

// key returns the hash of the parts at row i, 0 when any part is missing.
func (f *Frame) key(parts []keyPart, i int) uint64 {
	h := uint64(14695981039346656037)
	for _, p := range parts {
		v := f.partValue(p, i)
		if v == 0 {
			return 0
		}
		h ^= uint64(v) + 0x9e3779b97f4a7c15 + uint64(p.col)<<40
		h *= 1099511628211
		h ^= h >> 29
	}
	if h == 0 {
		h = 1
	}
	return h
}

func newBlocker(f *Frame, r settings.BlockingRule) (*blocker, error) {
	parts, sortBy, err := f.ruleParts(r)
	if err != nil {
		return nil, err
	}
	b := &blocker{rule: r, parts: parts, sortBy: sortBy}
	n := f.Len()
	b.block = make([]uint32, n)
	b.pos = make([]int32, n)
	// The keyed rows sorted by key, then row: one contiguous array of
	// (key, row), not the rows sorted by looking their keys up.
	kr := make([]keyRow, 0, n)
	for i := 0; i < n; i++ {
		b.pos[i] = -1
		if k := f.key(parts, i); k != 0 {
			kr = append(kr, keyRow{k, int32(i)})
		}
	}
	kr = sortKeyRows(kr)
	b.order = make([]int32, len(kr))
	for x, e := range kr {
		b.order[x] = e.r
	}
	for s := 0; s < len(kr); {
		e := s + 1
		for e < len(kr) && kr[e].k == kr[s].k {
			e++
		}
		if e-s > 1 {
			br := blockRange{start: int32(s), end: int32(e)}
			if r.MaxBlock > 0 && e-s > r.MaxBlock {
				br.split = true
				blk := b.order[s:e]
				slices.SortFunc(blk, func(x, y int32) int { return f.compareSort(sortBy, x, y) })
				for k, row := range blk {
					b.pos[row] = int32(k)
				}
			}
			b.blocks = append(b.blocks, br)
			for _, row := range b.order[s:e] {
				b.block[row] = uint32(len(b.blocks))
			}
		}
		s = e
	}
	return b, nil
}

// keyRow is a keyed record while a blocker is built: its key's hash and
// its row.
type keyRow struct {
	k uint64
	r int32
}

func compareKeyRows(x, y keyRow) int {
	if x.k != y.k {
		return cmp.Compare(x.k, y.k)
	}
	return cmp.Compare(x.r, y.r)
}

// sortKeyRows returns kr sorted by key, then row. The keys are hashes,
// spread evenly over their 64 bits, so one pass puts each record in one
// of about len(kr)/4 buckets by its key's top bits, keeping the rows'
// order within a bucket, and each bucket, of a handful of records (all
// of a block's, which share a key), is sorted alone: linear in the
// records, where sorting them all (slices.SortFunc, as kr is sorted
// when it is short) costs n log n comparisons, most of them cache
// misses once kr outgrows the caches (issue 9).
func sortKeyRows(kr []keyRow) []keyRow {
	n := len(kr)
	if n < 1<<12 {
		slices.SortFunc(kr, compareKeyRows)
		return kr
	}
	nb := bits.Len(uint(n / 4))
	shift := 64 - nb
	start := make([]int32, 1<<nb+1)
	for _, e := range kr {
		start[e.k>>shift+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	next := slices.Clone(start[:1<<nb])
	out := make([]keyRow, n)
	for _, e := range kr {
		b := e.k >> shift
		out[next[b]] = e
		next[b]++
	}
	for b := 0; b < 1<<nb; b++ {
		bk := out[start[b]:start[b+1]]
		if len(bk) <= 12 {
			// Insertion sort; equal keys are in row order already.
			for x := 1; x < len(bk); x++ {
				for y := x; y > 0 && compareKeyRows(bk[y-1], bk[y]) > 0; y-- {
					bk[y-1], bk[y] = bk[y], bk[y-1]
				}
			}
			continue
		}
		// A block's records, of one key, are in row order already.
		if !slices.IsSortedFunc(bk, compareKeyRows) {
			slices.SortFunc(bk, compareKeyRows)
		}
	}
	return out
}

// compareSort orders rows x and y of a split block by the parts of
// sortBy, then by row: each part's text by its value, dates as
// formatDate writes them (sortValue), which for every date packDate
// makes is the order of the packed dates themselves.
func (f *Frame) compareSort(sortBy []keyPart, x, y int32) int {
	for _, p := range sortBy {
		c := &f.cols[p.col]
		vx, vy := c.vals.at(int(x)), c.vals.at(int(y))
		if vx == vy {
			continue
		}
		var r int
		switch {
		case !c.date:
			r = strings.Compare(c.dict.at(vx), c.dict.at(vy))
		case packedDate(vx) && packedDate(vy):
			r = cmp.Compare(vx, vy)
		default:
			r = strings.Compare(formatDate(vx), formatDate(vy))
		}
		if r != 0 {
			return r
		}
	}
	return cmp.Compare(x, y)
}

// packedDate reports whether p is 0 or a date packDate makes: a year of
// 1 to 9999 (four digits in formatDate), a month of 0 to 12 and no day
// without a month. The order of such dates is that of formatDate's text.
func packedDate(p uint32) bool {
	if p == 0 {
		return true
	}
	y, m, d := unpackDate(p)
	return y >= 1 && y <= 9999 && m <= 12 && (m != 0 || d == 0)
}

// sortValue orders records inside a split block: text by its value, dates
// by their packed form.
func (f *Frame) sortValue(p keyPart, i int) string {
	c := &f.cols[p.col]
	if c.date {
		return formatDate(c.vals.at(int(i)))
	}
	return c.dict.at(c.vals.at(int(i)))
}

// appendSortValue appends sortValue(p, i) to dst without allocating.
func (f *Frame) appendSortValue(dst []byte, p keyPart, i int) []byte {
	c := &f.cols[p.col]
	if c.date {
		return appendDate(dst, c.vals.at(int(i)))
	}
	return append(dst, c.dict.at(c.vals.at(int(i)))...)
}

// appendDate appends formatDate(p) to dst.
func appendDate(dst []byte, p uint32) []byte {
	if p == 0 {
		return dst
	}
	y, m, d := unpackDate(p)
	two := func(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }
	dst = append(dst, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	if m == 0 {
		return dst
	}
	dst = two(append(dst, '-'), m)
	if d == 0 {
		return dst
	}
	return two(append(dst, '-'), d)
}

// covers reports whether the rule produces the pair (i, j).
func (b *blocker) covers(i, j int32) bool {
	ei, ej := b.entry(i), b.entry(j)
	return sameBlock(ei, ej, b.rule.Window)
}

// sameBlock reports whether two records' entries of one rule (block<<32 |
// position, block 0 for no key) put them in one block within the rule's
// window.
func sameBlock(ei, ej uint64, window int) bool {
	return ei>>32 != 0 && ei>>32 == ej>>32 && within(ei, ej, window)
}

// pairsInBlock calls fn for every pair the rule makes in block k.
func (b *blocker) pairsInBlock(k int, fn func(i, j int32)) {
	br := b.blocks[k]
	blk := b.order[br.start:br.end]
	w := len(blk)
	if br.split {
		w = b.rule.Window + 1
	}
	for x := 0; x < len(blk); x++ {
		end := x + w
		if end > len(blk) {
			end = len(blk)
		}
		for y := x + 1; y < end; y++ {
			i, j := blk[x], blk[y]
			if i > j {
				i, j = j, i
			}
			fn(i, j)
		}
	}
}

// blockPairs returns the number of pairs the rule makes in block k.
func (b *blocker) blockPairs(k int) int64 {
	br := b.blocks[k]
	n := int64(br.end - br.start)
	if !br.split {
		return n * (n - 1) / 2
	}
	w := int64(b.rule.Window)
	if w >= n {
		return n * (n - 1) / 2
	}
	return w*(n-w) + w*(w-1)/2
}

// pairAllowed applies the link type.
func (f *Frame) pairAllowed(linkType string, i, j int32) bool {
	switch linkType {
	case settings.LinkOnly:
		return f.src[i] != f.src[j]
	}
	return true
}

// BlockingStats describe what blocking makes, before comparing anything.
type BlockingStats struct {
	Rules []RuleStats
	// Candidates is the number of distinct pairs over all rules.
	Candidates int64
	// TotalPairs is the number of pairs without blocking.
	TotalPairs int64
}

// RuleStats are one rule's figures.
type RuleStats struct {
	Name string
	// Pairs made by the rule; New of them not made by an earlier rule.
	Pairs, New int64
	Blocks     int
	Split      int // blocks split by sorted neighbourhood
	Largest    []BlockSize
}

// BlockSize is one block: its key values and record count.
type BlockSize struct {
	Key     string
	Records int
}
