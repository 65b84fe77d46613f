package matching

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/matching/settings"
)

// BlockingCoverage estimates, without labels, how many matching pairs
// the blocking rules never propose. Every candidate pair is scored with
// the trained model (by its levels, as EM scores it); its match
// probability counts as a fraction of a match. A match found by one rule
// only is a match the others missed: when many are, some are surely
// missed by every rule. The number missed by all is estimated as
// capture–recapture does with the rules as "captures" (Chao's f1²/2f2 from
// the matches found by exactly one and exactly two captures). Rules that
// find nearly the same matches (nestedRules) are one capture, so adding a
// rule that finds nothing new does not raise the estimate. The estimate
// still assumes the captures miss matches independently; rules on related
// fields, and matches with errors everywhere, make it optimistic, while
// pairs of namesakes found by one rule, counted as a fraction of a match
// each, add to those found by one capture and make it pessimistic. On
// generated sets, whose true pairs are known (dancu link --truth), the
// second was the larger: about 48 missed for 35 true of 160,280 (199,469
// records), 298 for 163 of 804,270 (1,000,819 records; issue 9).
type BlockingCoverage struct {
	// Matches is the expected number of matching pairs among the
	// candidates (the sum of their match probabilities).
	Matches float64
	// ByRules[k] is the expected number of matching pairs that exactly
	// k+1 captures (rules, or rules counted together) propose.
	ByRules []float64
	// PerRule are each rule's expected matches, and those only it finds.
	PerRule []RuleCoverage
	// Missed is the estimated number of matching pairs no rule proposes;
	// Recall = Matches / (Matches + Missed).
	Missed, Recall float64
	// Swapped is the expected number of matches found on a cross level
	// (first and last name swapped): found through other fields only,
	// unless a rule's key does not depend on the names' order.
	Swapped float64
	// Suggest names one or two comparisons whose first (exact) levels
	// hold on SuggestMatches of the expected matches only one rule finds,
	// and whose columns that rule does not key on: a rule keyed on them
	// (or on a soundex, a year of them) would find those a second time,
	// and the ones like them that no rule finds now (suggestRule). Empty
	// when none holds on a tenth of those matches.
	Suggest        []string
	SuggestMatches float64
	// SuggestPairs, for one comparison, is the pairs per record a rule
	// on its exact column alone would make; above maxSuggestPairs the
	// warning says to pair it with a coarse key of another field.
	SuggestPairs float64
	// Captures is the number of rules counted as separate captures once
	// the rules that find nearly the same matches as another are counted
	// with it (Nested: each such rule and the rule it is counted with).
	// ByRules counts captures, not rules. With fewer than two captures
	// nothing is estimated: Missed and Recall are NaN.
	Captures int
	Nested   [][2]string
	// Elapsed is the time the estimate took once the pairs were counted
	// (their comparison vectors and rules are counted while training).
	Elapsed time.Duration
}

// RuleCoverage is one rule's share of the expected matches.
type RuleCoverage struct {
	Rule          string
	Matches, Only float64
}

// blockingCoverage reads the candidate pairs' comparison vectors and the
// rules that make them (covered, counted while training) with the model
// of s. Pairs are weighed by their levels, without term-frequency or
// OCR-confidence adjustment, as EM weighs them.
func blockingCoverage(f *Frame, c *compiled, bs []*blocker, s *settings.Settings, covered patterns) *BlockingCoverage {
	if len(bs) < 2 {
		return nil
	}
	start := time.Now()
	ws := newWeights(c, s.Model, s.Training.Prior)
	nr, nc := min(len(bs), 32), len(c.comps)
	cov := &BlockingCoverage{ByRules: make([]float64, len(bs))}
	per, only := make([]float64, nr), make([]float64, nr)
	// together[k1][k2]: expected matches one rule alone finds that agree
	// on the first level of comparisons k1 and k2, neither of which reads
	// a field that rule keys on (a rule on them would find the pair again).
	together := make([][]float64, nc)
	for k := range together {
		together[k] = make([]float64, nc)
	}
	apart := make([][]bool, nr) // apart[q][k]: comparison k reads no key field of rule q
	for q := 0; q < nr; q++ {
		var cols []int
		for _, p := range bs[q].parts {
			cols = append(cols, p.col)
		}
		keys := f.lineageOf(cols)
		apart[q] = make([]bool, nc)
		for k := range c.comps {
			apart[q][k] = true
			for x := range f.lineageOf(c.comps[k].cols) {
				if keys[x] {
					apart[q][k] = false
				}
			}
		}
	}
	// First pass: each pattern's expected matches and the rules finding
	// them; per rule, and per two rules, the expected matches they find.
	type found struct {
		g    []uint8
		mask uint32
		p    float64
	}
	var obs []found
	both := make([][]float64, nr)
	for q := range both {
		both[q] = make([]float64, nr)
	}
	for _, key := range covered.sortedKeys() { // the same sums on every run
		cnt := covered[key]
		g := []uint8(key[:nc])
		w := ws.prior
		swapped := false
		for k, l := range g {
			w += ws.w[k][l]
			cc := &c.comps[k]
			swapped = swapped || (l > 0 && int(l) <= len(cc.levels) && cc.levels[l-1].op == opCross)
		}
		for _, fd := range ws.folds {
			if g[fd.k] == 1 && g[fd.into] == 1 {
				w -= ws.w[fd.k][1]
			}
		}
		if len(ws.deps) > 0 {
			w -= ws.depAdj(c, nil, g, 0, 0, false)
		}
		if c.hasVeto && w >= ws.vetoCap && c.vetoed(g) {
			w = ws.vetoCap
		}
		p := probability(w) * float64(cnt)
		if p < 0.01*float64(cnt) {
			continue
		}
		m := uint32(key[nc]) | uint32(key[nc+1])<<8 | uint32(key[nc+2])<<16 | uint32(key[nc+3])<<24
		m &= 1<<nr - 1
		if m == 0 {
			continue
		}
		n, last := 0, -1
		for q := 0; q < nr; q++ {
			if m&(1<<q) == 0 {
				continue
			}
			n++
			last = q
			per[q] += p
			for r := 0; r < nr; r++ {
				if m&(1<<r) != 0 {
					both[q][r] += p
				}
			}
		}
		if n == 1 {
			only[last] += p
		}
		cov.Matches += p
		if swapped {
			cov.Swapped += p
		}
		obs = append(obs, found{g, m, p})
	}
	// Rules that find nearly the same matches are one capture, not two
	// (nestedRules): a pair both find counts as found once.
	group, nested := nestedRules(per, both, cov.Matches)
	for q := range nr {
		if r, ok := nested[q]; ok {
			cov.Nested = append(cov.Nested, [2]string{bs[q].rule.Name, bs[r].rule.Name})
		}
	}
	groups := map[int]bool{}
	for q := 0; q < nr; q++ {
		if per[q] > 0 {
			groups[group[q]] = true
		}
	}
	cov.Captures = len(groups)
	for _, o := range obs {
		var gm uint64
		apartAll := make([]bool, nc)
		for k := range apartAll {
			apartAll[k] = true
		}
		for q := 0; q < nr; q++ {
			if o.mask&(1<<q) != 0 {
				gm |= 1 << group[q]
				for k := range apartAll {
					apartAll[k] = apartAll[k] && apart[q][k]
				}
			}
		}
		n := bits.OnesCount64(gm)
		cov.ByRules[n-1] += o.p
		if n != 1 {
			continue
		}
		// Found by one capture alone: which comparisons, reading none of
		// its rules' key fields, agree exactly on it.
		for k1 := 0; k1 < nc; k1++ {
			if o.g[k1] != 1 || !apartAll[k1] {
				continue
			}
			together[k1][k1] += o.p
			for k2 := k1 + 1; k2 < nc; k2++ {
				if o.g[k2] == 1 && apartAll[k2] {
					together[k1][k2] += o.p
				}
			}
		}
	}
	for q, b := range bs {
		rc := RuleCoverage{Rule: b.rule.Name}
		if q < nr {
			rc.Matches, rc.Only = per[q], only[q]
		}
		cov.PerRule = append(cov.PerRule, rc)
	}
	f1, f2 := cov.ByRules[0], cov.ByRules[1]
	switch {
	case cov.Captures < 2:
		// One capture: nothing found twice independently, nothing to
		// estimate the missed from.
		cov.Missed, cov.Recall = math.NaN(), math.NaN()
	case f2 > 0:
		cov.Missed = f1 * f1 / (2 * f2)
	default:
		cov.Missed = f1 * math.Max(f1-1, 0) / 2
	}
	if cov.Matches > 0 && cov.Captures >= 2 {
		cov.Recall = cov.Matches / (cov.Matches + cov.Missed)
	}
	cov.Suggest, cov.SuggestMatches, cov.SuggestPairs = suggestRule(f, c, bs, together, cov.ByRules[0], coarse(s.Model))
	cov.Elapsed = time.Since(start)
	return cov
}

// nestedShare: rule q counts with rule r as one capture when r misses,
// of the expected matches q finds, at most this share of what r misses of
// all matches. Rules missing matches independently miss one another's
// about as often as any match (a share near 1); a rule on the same fact
// (an exact e-mail beside its user part, a surname with the postcode
// beside a surname with the city) finds little that the other misses, and
// counting it as a second capture would make every pair it finds look
// found twice — raising the estimate without finding anything.
const nestedShare = 0.25

// nestedRules groups the rules into captures: a rule that misses at most
// nestedShare of its matches of what another rule misses overall is
// nested in it, and counts with the one rule it is nested in whose
// matches most contain its own (per[q]: expected matches rule q finds;
// both[q][r]: those q and r both find). group[q] is the capture of rule
// q; nested[q] the rule q counts with.
//
// A rule counts with that one rule, not with every rule it is nested in:
// a narrow rule (the full name with the birthday) is nested in rules that
// are not nested in each other (the name with the year, the family name
// with the date), and joining all of them made one capture of nine of the
// Vietnamese settings' fourteen rules. One capture that finds nearly every
// match beside a few that find a share each is what Chao's f1²/2f2 reads
// worst: the matches it alone finds are most of f1, and f1²/2f2 is then
// many times what every rule misses. On a generated set of 199,469
// records (issue 9), counting the true pairs by the rules that make them,
// 35 of 160,280 missed, those four captures give 608 missed, the eight
// captures of each rule with its one container 33. And whether one rule
// joined two large captures turned on one share crossing nestedShare: a
// window narrowed on one rule took the estimate at 1M records from 165
// missed to 3,226, with 163 and 171 truly missed.
func nestedRules(per []float64, both [][]float64, total float64) (group []int, nested map[int]int) {
	n := len(per)
	group = make([]int, n)
	for q := range group {
		group[q] = q
	}
	var find func(int) int
	find = func(q int) int {
		for group[q] != q {
			q = group[q]
		}
		return q
	}
	nested = map[int]int{}
	for q := 0; q < n; q++ {
		if per[q] <= 0 || total <= 0 {
			continue
		}
		best := -1.0
		for r := 0; r < n; r++ {
			if r == q || per[r] <= 0 {
				continue
			}
			missed := 1 - both[q][r]/per[q]            // of q's matches, the share r misses
			missedAll := 1 - math.Min(per[r]/total, 1) // of all matches found, the share r misses
			if missed > nestedShare*missedAll+1e-12 {
				continue
			}
			if both[q][r]/per[q] > best {
				best, nested[q] = both[q][r]/per[q], r
			}
		}
	}
	for q := range n {
		r, ok := nested[q]
		if !ok {
			continue
		}
		if a, b := find(q), find(r); a != b {
			group[a] = b
		}
	}
	for q := range group {
		group[q] = find(q)
	}
	return group, nested
}

// minCoverageRecall: below this estimated blocking recall, training warns.
const minCoverageRecall = 0.95

// String prints the estimate, one line per rule.
func (cov *BlockingCoverage) String() string {
	var b strings.Builder
	if cov.Captures < 2 {
		fmt.Fprintf(&b, "blocking coverage: %.0f expected matching pairs among the candidates; the rules find nearly the same matches (one capture), so how many every rule misses cannot be estimated",
			cov.Matches)
	} else {
		fmt.Fprintf(&b, "blocking coverage: %.0f expected matching pairs among the candidates; found by 1, 2, 3+ of %d captures: %.0f, %.0f, %.0f; about %.0f missed by every rule (estimated blocking recall %.4f, assuming the captures miss matches independently)",
			cov.Matches, cov.Captures, cov.ByRules[0], cov.ByRules[1], sumFrom(cov.ByRules, 2), cov.Missed, cov.Recall)
	}
	fmt.Fprintf(&b, "; %v", cov.Elapsed.Round(time.Millisecond))
	b.WriteByte('\n')
	with := map[string]string{}
	for _, n := range cov.Nested {
		with[n[0]] = n[1]
	}
	for _, r := range cov.PerRule {
		fmt.Fprintf(&b, "  rule %-22s finds %.0f expected matches, %.0f of them no other rule finds", r.Rule, r.Matches, r.Only)
		if w := with[r.Rule]; w != "" {
			fmt.Fprintf(&b, "; counted with %s (it finds nearly all of them)", w)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func sumFrom(x []float64, i int) float64 {
	s := 0.0
	for ; i < len(x); i++ {
		s += x[i]
	}
	return s
}

// coverageWarnings says when blocking probably misses matches, and what
// rule would find them.
func coverageWarnings(cov *BlockingCoverage, s *settings.Settings) []string {
	if cov == nil || cov.Matches < 20 {
		return nil
	}
	var out []string
	if cov.Captures < 2 {
		var pairs []string
		for _, n := range cov.Nested {
			pairs = append(pairs, n[0]+" with "+n[1])
		}
		return append(out, fmt.Sprintf("blocking recall cannot be estimated: the rules find nearly the same matches (%s counted as one), so nothing tells how many all of them miss — add a rule keyed on other fields, so that a pair with its keys' fields wrong still meets one",
			strings.Join(pairs, "; ")))
	}
	if cov.Recall < minCoverageRecall {
		var lone []string
		for _, r := range cov.PerRule {
			if r.Only > 0.2*cov.Matches/float64(len(cov.PerRule)) {
				lone = append(lone, fmt.Sprintf("%s (%.0f)", r.Rule, r.Only))
			}
		}
		out = append(out, fmt.Sprintf("blocking probably misses matches: %.0f expected matches are found by one rule (or rules counted together) only (%s), so about %.0f are found by none (estimated blocking recall %.2f < %.2f); add rules whose keys share no field with each other, so that a pair with any one or two fields wrong still meets one — see \"Blocking that finds the matches\" in dancu settings doc",
			cov.ByRules[0], strings.Join(lone, ", "), cov.Missed, cov.Recall, minCoverageRecall))
		switch len(cov.Suggest) {
		case 1:
			if cov.SuggestPairs <= maxSuggestPairs {
				out = append(out, fmt.Sprintf("rule to add: %.0f of the matches one rule alone finds agree exactly on %s, a field that rule does not key on — a rule keyed on its column alone (%s pairs per record here; that grows with the number of records: for a larger population pair it with a coarse part of another field) finds those again and the like of them no rule finds now",
					cov.SuggestMatches, cov.Suggest[0], perRecord(cov.SuggestPairs)))
			} else {
				out = append(out, fmt.Sprintf("rule to add: %.0f of the matches one rule alone finds agree exactly on %s, a field that rule does not key on; its column alone would make %s pairs per record — key a rule on it with a coarse part of another field (a date's year or monthday, a name's soundex or first letters), which finds those again and the like of them no rule finds now",
					cov.SuggestMatches, cov.Suggest[0], perRecord(cov.SuggestPairs)))
			}
		case 2:
			out = append(out, fmt.Sprintf("rule to add: %.0f of the matches one rule alone finds agree exactly on both %s and %s, fields that rule does not key on — a rule keyed on their columns (or a soundex, first letters or year of them) finds those again and the like of them no rule finds now",
				cov.SuggestMatches, cov.Suggest[0], cov.Suggest[1]))
		default:
			out = append(out, "rule to add: none stands out — no comparison (or two) that some rule does not already key on agrees exactly on a tenth of the matches one rule alone finds: those matches differ in most fields (several errors each); pair coarse parts of two fields no rule pairs yet (a name's soundex or first letters with a date's year or monthday, the place with the year), step 6 of \"Blocking that finds the matches\" in dancu settings doc")
		}
	}
	if cov.Swapped >= 0.02*cov.Matches && !hasOrderFreeKey(s) {
		out = append(out, fmt.Sprintf("%.0f expected matches have names in each other's column (a cross level); no blocking rule has a key that ignores the names' order, so such pairs are found only when other fields agree — add a column {join: [FIRST, LAST], transforms: [fold, sorted_words]} and a rule on it",
			cov.Swapped))
	}
	return out
}

// perRecord writes a number of pairs per record: whole above 10, else
// with two significant digits, so a rule that adds 0.41 pairs per record
// does not read as one that adds none ("0 pairs per record", acc18).
func perRecord(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.0f", x)
	}
	return strconv.FormatFloat(x, 'g', 2, 64)
}

// suggestRule picks the comparison, or the two comparisons, whose first
// levels hold on the most of the matches one rule alone finds, away from
// that rule's fields (at least a tenth of those matches), leaving out
// those a rule already covers (its keys' input fields all among theirs:
// a rule on them would add no pair) and those too coarse to key a rule
// (skip[k]: a sex, which half of all people share, agrees on half of
// any matches by chance and would lead the count — acc17). For one
// comparison it also returns
// the pairs per record a rule on its exact column alone would make.
func suggestRule(f *Frame, c *compiled, bs []*blocker, together [][]float64, single float64, skip []bool) ([]string, float64, float64) {
	if single <= 0 {
		return nil, 0, 0
	}
	var ruleInputs []map[string]bool
	for _, b := range bs {
		var cols []int
		for _, p := range b.parts {
			cols = append(cols, p.col)
		}
		ruleInputs = append(ruleInputs, f.lineageOf(cols))
	}
	best, b1, b2 := 0.0, -1, -1
	for k1 := range together {
		for k2 := k1; k2 < len(together); k2++ {
			if together[k1][k2] <= best || k1 < len(skip) && skip[k1] || k2 < len(skip) && skip[k2] {
				continue
			}
			in := map[string]bool{}
			for x := range f.lineageOf(c.comps[k1].ownCols) {
				in[x] = true
			}
			for x := range f.lineageOf(c.comps[k2].ownCols) {
				in[x] = true
			}
			keyed := false
			for _, ri := range ruleInputs {
				all := len(ri) > 0
				for x := range ri {
					all = all && in[x]
				}
				keyed = keyed || all
			}
			if !keyed {
				best, b1, b2 = together[k1][k2], k1, k2
			}
		}
	}
	if b1 < 0 || best < 0.1*single {
		return nil, 0, 0
	}
	if b1 == b2 {
		return []string{c.comps[b1].name}, best, keyPairs(f, c, b1)
	}
	return []string{c.comps[b1].name, c.comps[b2].name}, best, 0
}

// coarse says which comparisons are too coarse to key a blocking rule:
// those whose exact level different people share at least maxKeyU of the
// time (u), so that even paired with a coarse part of another field they
// barely narrow the pairs. Nil without a model.
func coarse(m *settings.Model) []bool {
	if m == nil {
		return nil
	}
	out := make([]bool, len(m.Comparisons))
	for k, cm := range m.Comparisons {
		out[k] = len(cm.U) > 0 && cm.U[0] >= maxKeyU
	}
	return out
}

// maxKeyU: a comparison whose exact level holds among one pair of
// different people in ten or more (a sex, a yes/no) is no blocking key;
// a year of birth holds among about one in eighty.
const maxKeyU = 0.1

// maxSuggestPairs: a suggested one-column rule making more pairs per
// record than this is suggested with a coarse second key (the docs'
// "about 50 pairs per record over all rules is cheap").
const maxSuggestPairs = 50

// keyPairs returns the pairs per record that blocking on the column of
// comparison k's first level alone would make.
func keyPairs(f *Frame, c *compiled, k int) float64 {
	cc := &c.comps[k]
	if len(cc.levels) == 0 || cc.levels[0].col < 0 || f.Len() == 0 {
		return 0
	}
	counts := map[uint32]int64{}
	vals := &f.cols[cc.levels[0].col].vals
	for i := range vals.len() {
		if v := vals.at(i); v != 0 {
			counts[v]++
		}
	}
	var pairs int64
	for _, n := range counts {
		pairs += n * (n - 1) / 2
	}
	return float64(pairs) / float64(f.Len())
}

// hasOrderFreeKey reports whether some blocking rule keys on a column
// whose words are sorted.
func hasOrderFreeKey(s *settings.Settings) bool {
	sorted := map[string]bool{}
	for _, c := range s.Columns {
		for _, t := range c.Transforms {
			if t == "sorted_words" {
				sorted[c.Name] = true
			}
		}
	}
	for _, r := range s.Blocking {
		for _, k := range r.Keys {
			if sorted[k] {
				return true
			}
		}
	}
	return false
}
