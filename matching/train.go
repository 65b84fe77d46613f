package matching

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/matching/settings"
)

// LabelledPair is a pair of record ids known to match or not (for
// example a police review decision).
type LabelledPair struct {
	A, B  string
	Match bool
}

// TrainReport says how a model was estimated.
type TrainReport struct {
	URandomPairs int64
	Sessions     []SessionReport
	UnionPairs   int64
	// Sample: training compared one candidate pair in Sample (a hash
	// sample, Compared pairs), each counted Sample times in the sessions'
	// and the union's counts; 1 when it compared every pair (see
	// maxTrainPairs).
	Sample       uint64
	Compared     int64
	TotalPairs   int64
	Lambda       float64
	LambdaGlobal float64
	Labelled     int // labelled matching pairs used (m)
	// URandomMatches are the random pairs' expected matches, which u
	// leaves out (debiasU).
	URandomMatches float64
	// LabelledNonMatches are the labelled non-matching pairs used (u).
	LabelledNonMatches int
	// LambdaEM is λ (two random records match) from EM over the candidate
	// pairs; LambdaRules the deterministic rules' estimate (0 without
	// rules), from RulePairs pairs at the settings' recall. The model
	// takes LambdaRules when there is one.
	LambdaEM    float64
	LambdaRules float64
	RulePairs   int64
	Recall      float64
	// Records is the number of records trained on.
	Records int
	// NotEstimated are comparisons no session estimated: their m is the
	// starting guess.
	NotEstimated []string
	// Folded are comparisons found to record an earlier one's fact (see
	// Model.Folded); they are also reported as warnings.
	Folded []settings.Fold
	// Dependent are levels whose u is taken given an earlier comparison's
	// level (see Model.Dependent).
	Dependent []settings.Dependence
	// Guards are the year_span and full_date guards as measured on the
	// data (see Model.Guards); a widened or dropped one is also a warning.
	Guards []settings.GuardFit
	// ConfidentPairs are the candidate pairs on the first level of every
	// comparison; ConfidentRecall that rule's recall among matches (from
	// m and the values records lack); LambdaConfident the λ they imply
	// (0 when too few). When EM's λ exceeds it more than maxLambdaRatio
	// times and the settings give no deterministic rules, the model takes
	// it (LambdaBounded).
	ConfidentPairs  int64
	ConfidentRecall float64
	// ConfidentNeed is 0 when the confident pairs are those exact on
	// every comparison; else, where too few matches have every value
	// (blanks), those exact or null on every comparison and exact on
	// ConfidentNeed or more (confidentPresent).
	ConfidentNeed   int
	LambdaConfident float64
	LambdaBounded   bool
	// LambdaStep is λ after one EM step from the bounded one (the
	// expected matches among the candidates plus those blocking misses,
	// over all pairs); the model takes it when it lies between the bound
	// and EM's. 0 when not taken.
	LambdaStep float64
	// Outlying names, per comparison, the sessions whose m lay far from
	// the others' median and was left out of the mean.
	Outlying []string
	// Warnings say why the model may be fooling itself: a session whose
	// match rate exceeds 0.9, sessions that disagree on m, a λ the model
	// takes that implies an implausible number of matching pairs, or EM and the
	// deterministic rules disagreeing on λ. dancu train and link print
	// them and fail on them with --strict.
	Warnings []string
	// Notes are printed but are no fault: an estimate the model did not
	// use (EM's λ when it took a bound), a level weighed as else. --strict
	// does not fail on them.
	Notes []string
	// Coverage estimates the matching pairs blocking never proposes
	// (nil with one rule).
	Coverage *BlockingCoverage
	// EvidenceRecall is the share of matches the model scores at or
	// above the match threshold whichever rule proposes them
	// (evidenceRecall): below it, pairs hold too little evidence for any
	// blocking to make linkable.
	EvidenceRecall float64
	// BlockingWarnings say where blocking misses matches: fields whose
	// errors escape every rule (settings.BlockingEscapes) and a low estimated
	// blocking recall. They are printed, but --strict does not fail on
	// them: a large population may need rules narrower than ideal.
	BlockingWarnings []string
}

// SessionReport is one EM session: the blocking rule whose pairs it used,
// the comparisons it left out (they use the rule's columns), its
// iterations and the match rate it found.
type SessionReport struct {
	Rule       string
	Pairs      int64
	Patterns   int
	Fixed      []string
	Iterations int
	Lambda     float64
	// Agreeing are comparisons also left out because they agree on
	// nearly all of the rule's pairs (maxTopShare): tied to its keys.
	Agreeing []string
	// Skipped is set when fewer than two comparisons were left to
	// estimate: EM cannot separate matches with one.
	Skipped bool
	// M holds the m this session estimated, per comparison (nil for those
	// it left out).
	M [][]float64 `json:"-"`
}

func (r *TrainReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "u from %d random pairs", r.URandomPairs)
	if r.URandomMatches > 0 {
		fmt.Fprintf(&b, ", each weighed by the chance it is a non-match (%.0f expected matches left out)", r.URandomMatches)
	}
	b.WriteString("\n")
	if r.Sample > 1 {
		fmt.Fprintf(&b, "training compared a one-in-%d hash sample of the %d candidate pairs (%d pairs), each counted %d times\n",
			r.Sample, r.UnionPairs, r.Compared, r.Sample)
	}
	for _, s := range r.Sessions {
		fmt.Fprintf(&b, "EM on rule %s: %d pairs, %d patterns, %d iterations, match rate %.4g; not estimated: %s",
			s.Rule, s.Pairs, s.Patterns, s.Iterations, s.Lambda, strings.Join(s.Fixed, ", "))
		if s.Skipped {
			fmt.Fprintf(&b, "; skipped: fewer than %d comparisons left to estimate", minActive)
		}
		if len(s.Agreeing) > 0 {
			fmt.Fprintf(&b, "; also left out, agreeing on nearly every pair: %s", strings.Join(s.Agreeing, ", "))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "λ by EM over %d candidate pairs: %.3g of all %d pairs (%.0f matching pairs)\n",
		r.UnionPairs, r.LambdaEM, r.TotalPairs, r.LambdaEM*float64(r.TotalPairs))
	if r.LambdaRules > 0 {
		fmt.Fprintf(&b, "λ by deterministic rules: %d pairs at recall %.2f: %.3g (%.0f matching pairs); the model takes this one\n",
			r.RulePairs, r.Recall, r.LambdaRules, r.LambdaRules*float64(r.TotalPairs))
	}
	if r.LambdaConfident > 0 {
		which := "every comparison exact"
		if r.ConfidentNeed > 0 {
			which = fmt.Sprintf("every comparison exact or blank, %d or more exact; the different people expected among them taken off", r.ConfidentNeed)
		}
		fmt.Fprintf(&b, "λ by confident pairs (%s): %d pairs at recall %.3g: %.3g (%.0f matching pairs)", which,
			r.ConfidentPairs, r.ConfidentRecall, r.LambdaConfident, r.LambdaConfident*float64(r.TotalPairs))
		if r.LambdaBounded {
			fmt.Fprintf(&b, "; EM's is over %.0f× larger, the model takes this one", maxLambdaRatio)
		}
		b.WriteByte('\n')
	}
	if r.LambdaStep > 0 {
		fmt.Fprintf(&b, "λ after one EM step from the bound (expected matches among the candidates and those blocking misses): %.3g (%.0f matching pairs); the model takes this one\n",
			r.LambdaStep, r.LambdaStep*float64(r.TotalPairs))
	}
	fmt.Fprintf(&b, "λ: %.6g of candidate pairs, %.3g of all pairs, %.2f matching pairs per record\n",
		r.Lambda, r.LambdaGlobal, r.LambdaGlobal*float64(r.TotalPairs)/float64(max(r.Records, 1)))
	for _, o := range r.Outlying {
		fmt.Fprintf(&b, "m of %s\n", o)
	}
	for _, d := range r.Dependent {
		fmt.Fprintf(&b, "dependent: %s %q given %s %q (u %.3g, %.1f× its u overall, among random non-matching pairs): weighed with that u\n",
			d.Comparison, d.Level, d.Given, d.GivenLevel, d.U, d.Lift)
	}
	for _, g := range r.Guards {
		if g.Kind == "full_date" {
			verdict := "kept"
			if g.Fitted < 0 {
				verdict = "dropped"
			}
			fmt.Fprintf(&b, "guard %s on %s: %.2f%% of %.0f matches have full dates that are not one birthday (the upper half by weight of the candidate pairs the comparisons not reading %s call matches, less the strangers EM expects among them); %s\n",
				g.Kind, g.Column, 100*g.Broken, g.Expected, g.Column, verdict)
			continue
		}
		fmt.Fprintf(&b, "guard %s on %s (max %d): broken by %.2f%% of %.0f matches (candidate pairs the comparisons not reading %s call matches, less the strangers among them by their year gaps); applied as max %d\n",
			g.Kind, g.Column, g.Max, 100*g.Broken, g.Expected, g.Column, g.Fitted)
	}
	if r.Labelled > 0 {
		fmt.Fprintf(&b, "m of matching levels also from %d labelled pairs\n", r.Labelled)
	}
	if r.LabelledNonMatches > 0 {
		fmt.Fprintf(&b, "u also from %d labelled non-matching pairs\n", r.LabelledNonMatches)
	}
	if r.Coverage != nil {
		b.WriteString(r.Coverage.String())
	}
	if r.EvidenceRecall > 0 {
		fmt.Fprintf(&b, "evidence: the model scores %.2f of the matches at or above the match threshold, whichever rule proposes them (from m and how often each comparison is blank on either side)", r.EvidenceRecall)
		if r.EvidenceRecall < lowEvidenceRecall {
			b.WriteString("; the others share too few present, agreeing values to link: blocking rules will not raise the recall past that, only more fields or fewer blanks")
		}
		b.WriteByte('\n')
	}
	for _, w := range r.BlockingWarnings {
		fmt.Fprintf(&b, "blocking warning: %s\n", w)
	}
	for _, w := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", w)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}

// patterns counts candidate pairs by their comparison vector.
type patterns map[string]int64

// sortedKeys returns p's vectors in the order of their bytes. Training
// sums floats over patterns (EM's posteriors, u's weighed counts, the
// expected matches of blocking coverage), and floating-point addition is
// not associative: summed in a map's order, which Go draws anew on each
// range, the model differed in its last digits from run to run and its
// version hash with them. In this order the same counts give the same
// bits.
func (p patterns) sortedKeys() []string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// candidateVectors is what one pass over the candidate pairs (the union
// of the blocking rules, each pair once) counts for training: the pairs
// by comparison vector, by vector and the rules that make them (for the
// coverage estimate), and, per EM session, the vectors of the pairs its
// rule makes.
type candidateVectors struct {
	union   patterns
	covered patterns // vector followed by a four-byte mask of the first 32 rules
	sess    []patterns
	sessN   []int64 // pairs per session
	pairs   int64   // candidate pairs, all of them (not only the sample)
	// sample: one candidate pair in about sample was compared (see
	// trainSample), each counted sample times; 1: every pair.
	sample uint64
	// compared are the pairs compared.
	compared int64
}

// maxTrainPairs: above this many candidate pairs, training compares a
// hash sample of about this many of them (one in trainSample) and counts
// each sampled pair for the pairs it stands for, as Splink trains on a
// sample (issue 13: comparing each of a million records' 17.5 million
// candidate pairs was most of training's time). Every count training
// takes from them — EM's patterns per session, λ over the union, the
// confident pairs, blocking coverage's captures — is a sum over pairs
// that the sample estimates (at a million records, one pair in 9: λ
// 2.08e-6 against 2.11e-6 from every pair, the same F1); the year_span
// guards were already fitted on the same sample (the same hash and
// size, maxFitPairs), and read its vectors. Scoring then compares every
// candidate pair, stopping each as soon as it cannot reach the review
// threshold (scorebound.go). Files with fewer candidate pairs compare
// every pair, as before. A variable so that a test can lower it.
var maxTrainPairs int64 = maxFitPairs

// trainSample is one in how many of n candidate pairs training compares:
// 1 up to maxTrainPairs, as fitGuards samples.
func trainSample(n int64) uint64 {
	if n <= maxTrainPairs {
		return 1
	}
	return uint64(n/maxTrainPairs + 1)
}

// collectCandidates compares every candidate pair once and counts its
// vector in the union, in covered (with the mask of the rules that make
// it; when covered is set) and in the session of every rule in sessRules
// that makes it. A session's counts are those of all its rule's pairs,
// as if that rule's pairs had been compared on their own: a pair several
// rules make is compared once instead of once per rule.
//
// When the rules propose more than maxTrainPairs pairs, a first pass
// counts the candidate pairs (noting which rule's they are, the marks
// later passes read), and when they are more than maxTrainPairs only the
// pairs of their hash sample (trainSample, fitHash) are compared, each
// counted for the trainSample pairs it stands for.
//
// With keep set, each compared pair's vector is also kept in it (see
// vectorStore; its sample says which pairs those are).
func (c *compiled) collectCandidates(ctx context.Context, f *Frame, bs []*blocker, sessRules []int, covered bool, keep *vectorStore) (*candidateVectors, error) {
	nc, nr, ns := len(c.comps), len(bs), len(sessRules)
	// Per worker: vectors interned to local ids, counts by id.
	// A packed vector (packs) is looked up in an open-addressing table
	// instead of a map of strings; others take the map.
	packed := c.packs()
	type local struct {
		ids    map[string]int32
		packed u64Table // packed vector → id
		vecs   []string
		union  []int64
		cov    u64Table // id<<32 | rule mask → pairs
		sess   [][]int64
		g      []uint8
		in     []bool
		jw     *jwMemo
	}
	ls := make([]*local, workers)
	for w := range ls {
		ls[w] = &local{ids: map[string]int32{}, sess: make([][]int64, ns),
			g: make([]uint8, nc), in: make([]bool, nr), jw: newJWMemo()}
	}
	keep.begin(bs)
	marks := keep.pairMarks()
	sample, all := uint64(1), int64(-1)
	if proposedPairs(bs) > maxTrainPairs {
		if marks == nil {
			marks = &pairMarks{}
			marks.begin(bs)
		}
		cnt := make([]int64, workers)
		for r := range bs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			forMarkedPairChunks(f, bs, r, true, c.s.LinkType, marks, nil, func(w int, i, j int32) { cnt[w]++ })
		}
		marks.ok = true
		all = 0
		for _, n := range cnt {
			all += n
		}
		sample = trainSample(all)
	}
	if keep != nil {
		keep.sample = sample
	}
	weight := int64(sample)
	for r := range bs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var start func(w, ch int)
		if keep != nil {
			start = func(w, ch int) { keep.mark(r, ch, w) }
		}
		forMarkedPairChunks(f, bs, r, true, c.s.LinkType, marks, start, func(w int, i, j int32) {
			if sample > 1 && fitHash(i, j)%sample != 0 {
				return
			}
			l := ls[w]
			g := l.g
			p := c.rows.pair(f, i, j)
			for k := 0; k < nc; k++ {
				g[k] = c.gammaRows(f, k, &p, l.jw)
			}
			var id int32
			var ok bool
			var slot *int64
			if packed {
				slot, ok = l.packed.find(packVector(g))
				id = int32(*slot)
			} else {
				id, ok = l.ids[string(g)]
			}
			if !ok {
				id = int32(len(l.vecs))
				v := string(g)
				if packed {
					*slot = int64(id)
				} else {
					l.ids[v] = id
				}
				l.vecs = append(l.vecs, v)
				l.union = append(l.union, 0)
				for s := range l.sess {
					l.sess[s] = append(l.sess[s], 0)
				}
			}
			l.union[id] += weight
			if keep != nil {
				keep.add(w, id, i, j)
			}
			// Earlier rules do not make the pair (it would have come
			// with them); later ones may.
			var mask uint32
			cm := coverMask(bs, i, j)
			for q := range l.in {
				l.in[q] = q == r || q > r && (q < 64 && cm&(1<<q) != 0 || q >= 64 && bs[q].covers(i, j))
				if l.in[q] && q < 32 {
					mask |= 1 << q
				}
			}
			if covered {
				n, _ := l.cov.find(uint64(id)<<32 | uint64(mask))
				*n += weight
			}
			for s, q := range sessRules {
				if l.in[q] {
					l.sess[s][id] += weight
				}
			}
		})
	}
	if keep != nil {
		vecs := make([][]string, len(ls))
		for w, l := range ls {
			vecs[w] = l.vecs
		}
		keep.end(vecs, nc)
	}
	out := &candidateVectors{union: patterns{}, covered: patterns{}, sess: make([]patterns, ns), sessN: make([]int64, ns), sample: sample}
	for s := range out.sess {
		out.sess[s] = patterns{}
	}
	key := make([]byte, nc+4)
	for _, l := range ls {
		for id, v := range l.vecs {
			out.union[v] += l.union[id]
			out.pairs += l.union[id]
			out.compared += l.union[id] / weight
			for s := range l.sess {
				if n := l.sess[s][id]; n > 0 {
					out.sess[s][v] += n
					out.sessN[s] += n
				}
			}
		}
		for x, k := range l.cov.keys {
			if k == 0 {
				continue
			}
			k &^= u64Used
			n := l.cov.vals[x]
			mask := uint32(k)
			copy(key, l.vecs[k>>32])
			key[nc], key[nc+1], key[nc+2], key[nc+3] = byte(mask), byte(mask>>8), byte(mask>>16), byte(mask>>24)
			out.covered[string(key)] += n
		}
	}
	if all >= 0 {
		out.pairs = all
	}
	return out, nil
}

// totalPairs is the number of pairs the link type allows without blocking.
func totalPairs(f *Frame, linkType string) int64 {
	n := int64(f.Len())
	if linkType != settings.LinkOnly {
		return n * (n - 1) / 2
	}
	per := map[uint16]int64{}
	for _, s := range f.src {
		per[s]++
	}
	same := int64(0)
	for _, c := range per {
		same += c * (c - 1) / 2
	}
	return n*(n-1)/2 - same
}

// Train estimates the model of s on the records of f without labels: u
// from random pairs, m by EM over each training rule's pairs (comparisons
// that use the rule's columns are left out of that session and take their
// m from the other sessions), then λ by EM over all candidate pairs with m
// and u fixed. Labelled pairs, when given, add to the m estimate of the
// levels they reach. s itself is not changed.
func Train(ctx context.Context, f *Frame, s *settings.Settings, labels []LabelledPair) (*settings.Model, *TrainReport, error) {
	return train(ctx, f, s, labels, nil, nil)
}

// train is Train with the blockers of s on f already built (nil: build
// them) and, when keep is not nil, the candidate pairs' vectors kept in
// it for scoring (Link).
func train(ctx context.Context, f *Frame, s *settings.Settings, labels []LabelledPair, bs []*blocker, keep *vectorStore) (*settings.Model, *TrainReport, error) {
	sd := *s.WithDefaults()
	s = &sd
	c, err := compile(s, f)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	// Training's passes over the candidate and random pairs read the
	// compared values record by record; released when it ends.
	c.useRows(f)
	defer c.dropRows()
	if bs == nil {
		if bs, err = blockAll(f, s); err != nil {
			return nil, nil, fmt.Errorf("train: %w", err)
		}
	}
	rep := &TrainReport{TotalPairs: totalPairs(f, s.LinkType)}
	if rep.TotalPairs == 0 {
		return nil, nil, fmt.Errorf("train: no pairs to learn from (%d records)", f.Len())
	}
	u, nu, folds, rpats := estimateU(f, c, s)
	rep.Folded = folds
	rep.URandomPairs = nu
	// A folded comparison (a postcode after its city) does not vote in EM:
	// counted beside its twin it doubles their agreement, and EM takes
	// "same city" for "same person" (m of the city's else near 0). Its m is
	// still learned, from the posteriors the other comparisons give.
	silent := make([]bool, len(c.comps))
	for _, fd := range folds {
		if k := c.compIndex(fd.Comparison); k >= 0 {
			silent[k] = true
		}
	}

	// Starting m.
	m := make([][]float64, len(c.comps))
	for k, sc := range s.Comparisons {
		m[k] = startM(sc)
	}
	sum := make([][]float64, len(c.comps))
	n := make([]int, len(c.comps))
	for k := range sum {
		sum[k] = make([]float64, len(m[k]))
	}
	ruleNames := s.Training.Rules
	if len(ruleNames) == 0 {
		for _, r := range s.Blocking {
			ruleNames = append(ruleNames, r.Name)
		}
	}
	sessRules := make([]int, len(ruleNames))
	for x, name := range ruleNames {
		sessRules[x] = -1
		for i, br := range s.Blocking {
			if br.Name == name {
				sessRules[x] = i
			}
		}
		if sessRules[x] < 0 {
			return nil, nil, fmt.Errorf("train: unknown training rule %q", name)
		}
	}
	// One pass compares every candidate pair once; each session takes the
	// vectors of its rule's pairs from it, and λ those of all.
	cv, err := c.collectCandidates(ctx, f, bs, sessRules, len(bs) >= 2, keep)
	if err != nil {
		return nil, nil, err
	}
	for x, name := range ruleNames {
		r := sessRules[x]
		pats, np := cv.sess[x], cv.sessN[x]
		var ruleCols []int
		for _, p := range bs[r].parts {
			ruleCols = append(ruleCols, p.col)
		}
		ruleInputs := f.lineageOf(ruleCols)
		active := make([]bool, len(c.comps))
		sr := SessionReport{Rule: name, Pairs: np, Patterns: len(pats)}
		for k, cc := range c.comps {
			active[k] = true
			for in := range f.lineageOf(cc.ownCols) {
				if ruleInputs[in] {
					active[k] = false
				}
			}
			if !active[k] {
				sr.Fixed = append(sr.Fixed, cc.name)
			}
		}
		if np == 0 {
			rep.Sessions = append(rep.Sessions, sr)
			continue
		}
		// A comparison that agrees on (nearly) every pair of the rule
		// tells matches from non-matches nothing there, and if left in
		// counts its agreement as evidence: it is functionally tied to the
		// rule's keys (a city when blocking on its postcode) whatever its
		// declared lineage. Leave it out of this session too.
		for k, cc := range c.comps {
			if !active[k] {
				continue
			}
			var top, seen int64
			for g, v := range pats {
				if lv := g[k]; lv > 0 {
					seen += v
					if lv == 1 {
						top += v
					}
				}
			}
			if seen >= minAgreeingPairs && float64(top) >= maxTopShare*float64(seen) {
				active[k] = false
				sr.Agreeing = append(sr.Agreeing, cc.name)
			}
		}
		nActive := 0
		for _, a := range active {
			if a {
				nActive++
			}
		}
		if nActive < minActive {
			// EM cannot tell matches from non-matches with one comparison.
			sr.Skipped = true
			rep.Sessions = append(rep.Sessions, sr)
			continue
		}
		mk := make([][]float64, len(m))
		for k := range m {
			mk[k] = append([]float64(nil), m[k]...)
		}
		lam, it := em(pats, mk, u, active, silent, 0.1, s.Training.MaxIterations, true)
		sr.Iterations, sr.Lambda = it, lam
		sr.M = make([][]float64, len(m))
		for k := range m {
			if active[k] {
				sr.M[k] = mk[k]
				for l := range mk[k] {
					sum[k][l] += mk[k][l]
				}
				n[k]++
			}
		}
		rep.Sessions = append(rep.Sessions, sr)
	}
	for k := range m {
		if n[k] > 0 {
			combineSessions(rep, c.comps[k].name, m[k], sum[k], k, n[k])
		} else {
			rep.NotEstimated = append(rep.NotEstimated, c.comps[k].name)
		}
	}
	for k, sc := range s.Comparisons {
		if note := floorElseM(sc, m[k]); note != "" {
			rep.Notes = append(rep.Notes, note)
		}
	}
	if len(labels) > 0 {
		rep.Labelled = labelledM(f, c, labels, m)
		rep.LabelledNonMatches = labelledU(f, c, labels, u, nu)
	}
	// λ over the union of candidate pairs, m and u fixed.
	union, covered := cv.union, cv.covered
	rep.UnionPairs = cv.pairs
	rep.Sample, rep.Compared = cv.sample, cv.compared
	all := make([]bool, len(c.comps))
	for k := range all {
		all[k] = true
	}
	lam, _ := em(union, m, u, all, silent, 0.1, 100, false)
	rep.Records = f.Len()
	rep.Recall = s.Training.Recall
	rep.LambdaEM = lam * float64(rep.UnionPairs) / float64(rep.TotalPairs)
	rep.Lambda, rep.LambdaGlobal = lam, rep.LambdaEM
	rep.ConfidentPairs, rep.ConfidentRecall, rep.LambdaConfident, rep.ConfidentNeed = confidentLambda(f, c, union, m, u, rep.TotalPairs, folds)
	if len(s.Training.Deterministic) == 0 && rep.LambdaConfident > 0 && rep.LambdaEM > maxLambdaRatio*rep.LambdaConfident {
		// EM over the candidate pairs counts comparisons that are not
		// independent (a city and its postcode) as separate evidence and
		// takes many near pairs for matches: bound λ by what the
		// confident pairs support.
		rep.LambdaBounded = true
		rep.LambdaGlobal = rep.LambdaConfident
		rep.Lambda = clampP(rep.LambdaConfident * float64(rep.TotalPairs) / float64(max(rep.UnionPairs, 1)))
	}
	if len(s.Training.Deterministic) > 0 {
		np, err := deterministicPairs(f, s)
		if err != nil {
			return nil, nil, fmt.Errorf("train: %w", err)
		}
		rep.RulePairs = np
		rep.LambdaRules = clampP(float64(np) / s.Training.Recall / float64(rep.TotalPairs))
		rep.LambdaGlobal = rep.LambdaRules
		rep.Lambda = clampP(rep.LambdaRules * float64(rep.TotalPairs) / float64(max(rep.UnionPairs, 1)))
	}
	rep.Warnings = trainWarnings(rep, c)
	if w := unknownLabels(f, labels); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	model := &settings.Model{Lambda: clampP(rep.Lambda), LambdaGlobal: clampP(rep.LambdaGlobal), Folded: folds}
	for k, sc := range s.Comparisons {
		model.Comparisons = append(model.Comparisons, settings.ComparisonModel{Name: sc.Name, M: m[k], U: u[k]})
	}
	rep.Notes = append(rep.Notes, asElseNotes(s, model)...)
	// In a file small enough that every pair is among the random pairs,
	// every match is too, and the pairs agreeing on two comparisons are
	// largely matches the model does not yet tell apart (fake_1000: dates
	// "depending" on swapped names): dependence is looked for only when
	// the random pairs are a sample of at most half of all pairs.
	if 2*nu <= rep.TotalPairs {
		model.Dependent = findDependence(c, model, rpats, agreeingPatterns(f, c, s))
	}
	rep.Dependent = model.Dependent
	lsrc := fmt.Sprintf("λ by EM over %d candidate pairs", rep.UnionPairs)
	if rep.LambdaRules > 0 {
		lsrc = fmt.Sprintf("λ from %d deterministic-rule pairs at recall %.2f (EM: %.3g)", rep.RulePairs, rep.Recall, rep.LambdaEM)
	}
	// How many matches blocking never proposes, from the pairs it does.
	scored := *s
	scored.Model = model
	rep.Coverage = blockingCoverage(f, c, bs, &scored, covered)
	rep.BlockingWarnings = append(settings.BlockingEscapes(s), coverageWarnings(rep.Coverage, s)...)
	// The confident-pair bound multiplies m of exact levels as if every
	// comparison erred independently; where records carry a few errors
	// each, fewer pairs are exact everywhere than that product says, and
	// λ comes out low. One EM step from it — the expected matches among
	// the candidates under the bounded model, plus those blocking is
	// estimated to miss — corrects that, kept between the bound and EM's
	// own fixed point.
	if cov := rep.Coverage; cov != nil && rep.LambdaBounded {
		if lam := (cov.Matches + cov.Missed) / float64(rep.TotalPairs); lam > rep.LambdaGlobal && lam < rep.LambdaEM {
			rep.LambdaStep = lam
			rep.LambdaGlobal = lam
			rep.Lambda = clampP(lam * float64(rep.TotalPairs) / float64(max(rep.UnionPairs, 1)))
			model.Lambda, model.LambdaGlobal = clampP(rep.Lambda), clampP(rep.LambdaGlobal)
		}
	}
	lw, ln := lambdaWarnings(rep)
	rep.Warnings = append(rep.Warnings, lw...)
	rep.Notes = append(rep.Notes, ln...)
	// u without the random pairs that are matches (labelled non-matches,
	// when given, already corrected u with what the reviewers saw).
	if rep.LabelledNonMatches == 0 {
		rep.URandomMatches = debiasU(c, model, rpats)
		// A dependent level's lift is over the u the model now holds.
		for i := range model.Dependent {
			d := &model.Dependent[i]
			if k := c.compIndex(d.Comparison); k >= 0 {
				for g := range c.comps[k].levels {
					if levelLabel(c, k, g+1) == d.Level {
						d.Lift = math.Round(d.U/model.Comparisons[k].U[g]*10) / 10
					}
				}
			}
		}
	}
	if rep.Coverage != nil {
		model.BlockingRecall = rep.Coverage.Recall
	}
	// Guards the data does not keep to are widened (guards_fit.go).
	model.Guards = fitGuards(f, c, bs, s, model, rep.UnionPairs, keep)
	keep.dropRows()
	rep.Guards = model.Guards
	rep.EvidenceRecall = evidenceRecall(f, c, s, model)
	rep.Warnings = append(rep.Warnings, guardFitWarnings(model.Guards)...)
	model.Trained = fmt.Sprintf("unsupervised: u from %d random pairs, m by EM over %d sessions, %s; %d labelled pairs",
		nu, len(rep.Sessions), lsrc, rep.Labelled+rep.LabelledNonMatches)
	return model, rep, nil
}

// lambdaWarnings checks λ against the number of records once the model
// has taken its λ: the model's own λ implying more than
// maxMatchesPerRecord matching pairs per record is a warning (--strict
// fails on it); an estimate the model did not take (EM's, when the model
// took the confident-pair bound or the deterministic rules') is only a
// note, naming the λ the model took instead.
func lambdaWarnings(rep *TrainReport) (warnings, notes []string) {
	n := float64(max(rep.Records, 1))
	perRecord := func(lam float64) float64 { return lam * float64(rep.TotalPairs) / n }
	took := "EM"
	switch {
	case rep.LambdaRules > 0:
		took = "deterministic rules"
	case rep.LambdaStep > 0:
		took = "one EM step from the confident-pair bound"
	case rep.LambdaBounded:
		took = "confident-pair bound"
	}
	if pr := perRecord(rep.LambdaGlobal); pr > maxMatchesPerRecord {
		warnings = append(warnings, fmt.Sprintf("λ (%s, the one the model takes) %.3g implies %.0f matching pairs for %d records (%.1f per record > %.0f): implausible",
			took, rep.LambdaGlobal, pr*n, rep.Records, pr, maxMatchesPerRecord))
	}
	if took != "EM" && perRecord(rep.LambdaEM) > maxMatchesPerRecord {
		pr := perRecord(rep.LambdaEM)
		notes = append(notes, fmt.Sprintf("λ (EM) %.3g would imply %.0f matching pairs for %d records (%.1f per record > %.0f); the model does not use it: it takes λ (%s) %.3g, %.2f per record",
			rep.LambdaEM, pr*n, rep.Records, pr, maxMatchesPerRecord, took, rep.LambdaGlobal, perRecord(rep.LambdaGlobal)))
	}
	return warnings, notes
}

// asElseNotes names the levels the model weighs as else (m near 0: their
// log2 m/u lies below else's, settings.ComparisonModel.Weights).
func asElseNotes(s *settings.Settings, model *settings.Model) []string {
	var out []string
	for k, cm := range model.Comparisons {
		levels, raw := cm.AsElse()
		for i, l := range levels {
			if k >= len(s.Comparisons) || l >= len(s.Comparisons[k].Levels) {
				continue
			}
			w := cm.Weights()
			out = append(out, fmt.Sprintf("comparison %s, level %q: m %.4f, u %.6f — log2 m/u %+.2f would count against a pair more than else (%+.2f); it is weighed as else. The data holds almost no matches on it (an earlier level takes its pairs, or matches here never differ that way): keep it only for data that will have such pairs, else drop it",
				s.Comparisons[k].Name, s.Comparisons[k].Levels[l].Label, cm.M[l], cm.U[l], raw[i], w[len(w)-1]))
		}
	}
	return out
}

// confidentLambda estimates λ from the confident candidate pairs — every
// comparison on its first level (exact), none null — over that rule's
// recall among matches: the product, over comparisons, of m of the first
// level and the chance that neither record lacks the comparison's values
// (matches lack values as often as any record). It returns 0 for λ when
// fewer than minConfidentPairs pairs are confident or the recall is below
// minConfidentRecall: too few to say anything.
func confidentLambda(f *Frame, c *compiled, union patterns, m, u [][]float64, total int64, folds []settings.Fold) (n int64, recall, lambda float64, need int) {
	isFolded := map[string]bool{}
	for _, fd := range folds {
		isFolded[fd.Comparison] = true
	}
	for g, v := range union {
		all := true
		for i := 0; i < len(g); i++ {
			if g[i] != 1 {
				all = false
				break
			}
		}
		if all {
			n += v
		}
	}
	recall = 1
	for k, cc := range c.comps {
		q := lackingShare(f, &c.comps[k])
		recall *= (1 - q) * (1 - q)
		if !isFolded[cc.name] {
			// A folded comparison agrees whenever its twin does.
			recall *= m[k][0]
		}
	}
	if n < minConfidentPairs || recall < minConfidentRecall || total == 0 {
		if n2, r2, need, ok := confidentPresent(f, c, union, m, u, total, isFolded); ok && total > 0 {
			return n2, r2, clampP(float64(n2) / r2 / float64(total)), need
		}
		return n, recall, 0, 0
	}
	return n, recall, clampP(float64(n) / recall / float64(total)), 0
}

// confidentPresent is the confident pairs where values are often blank
// (acc17: a third of every field blank leaves a match every comparison
// present in (4/9)^6 of cases, under minConfidentRecall, and nothing
// bounded EM's λ: 22 matching pairs per record, 0.28 true). A pair is
// confident when every comparison is exact or null and at least need of
// them (the folded ones aside) exact. need is the smallest, from half the
// comparisons, at which different people so rarely land there — by u and
// how often each comparison lacks values, over all pairs — that they make
// at most a tenth of the confident pairs; those expected are taken off n.
// recall is the chance a match lands there, comparisons erring and lacking
// values independently. ok is false when no need is precise enough or
// there are too few such pairs to say anything.
func confidentPresent(f *Frame, c *compiled, union patterns, m, u [][]float64, total int64, isFolded map[string]bool) (n int64, recall float64, need int, ok bool) {
	// distM[j], distU[j]: the chance that a match, a non-match, has j
	// comparisons exact and the others null.
	distM, distU := []float64{1}, []float64{1}
	for k, cc := range c.comps {
		if isFolded[cc.name] {
			continue
		}
		q := lackingShare(f, &c.comps[k])
		both := (1 - q) * (1 - q)
		distM = addComparison(distM, both*m[k][0], 1-both)
		distU = addComparison(distU, both*u[k][0], 1-both)
	}
	counted := len(distM) - 1
	for need := max((counted+1)/2, 1); need <= counted; need++ {
		var found int64
		for g, v := range union {
			exact, fits := 0, true
			for i := 0; i < len(g); i++ {
				switch {
				case g[i] > 1:
					fits = false
				case g[i] == 1 && !isFolded[c.comps[i].name]:
					exact++
				}
			}
			if fits && exact >= need {
				found += v
			}
		}
		var rm, ru float64
		for j := need; j <= counted; j++ {
			rm += distM[j]
			ru += distU[j]
		}
		others := ru * float64(total)
		if found < minConfidentPairs || others > 0.25*float64(found) {
			continue
		}
		n = found - int64(math.Round(others))
		return n, rm, need, rm >= minConfidentRecall
	}
	return 0, 0, 0, false
}

// lackingShare is the share of records that lack every null column of
// comparison cc (so that it lands on its null level against any record).
func lackingShare(f *Frame, cc *cComparison) float64 {
	rows, lacking := f.Len(), 0
	for i := 0; i < rows; i++ {
		has := false
		for _, ci := range cc.null {
			if f.cols[ci].vals.at(i) != 0 {
				has = true
				break
			}
		}
		if !has {
			lacking++
		}
	}
	return float64(lacking) / float64(max(rows, 1))
}

// addComparison adds one comparison to dist (the chance of j exact
// comparisons, the others null): exact with chance pe, null with pn.
func addComparison(dist []float64, pe, pn float64) []float64 {
	next := make([]float64, len(dist)+1)
	for j, d := range dist {
		next[j] += d * pn
		next[j+1] += d * pe
	}
	return next
}

// combineSessions sets m to the sessions' estimates of comparison k
// combined. With three sessions or more, a session whose m lies more
// than maxSessionDisagreement (total variation) from the sessions'
// per-level median is left out of the mean and named in the report: one
// session fooled by a rule whose pairs share more than its keys
// (siblings under their parents' names, agreeing on family name and
// address) cannot move m. Otherwise m is the mean (sum/n).
func combineSessions(rep *TrainReport, name string, m, sum []float64, k, n int) {
	for l := range m {
		m[l] = sum[l] / float64(n)
	}
	if n < 3 {
		return
	}
	var ms [][]float64
	var rules []string
	for _, sr := range rep.Sessions {
		if k < len(sr.M) && sr.M[k] != nil {
			ms, rules = append(ms, sr.M[k]), append(rules, sr.Rule)
		}
	}
	ref := make([]float64, len(m))
	vals := make([]float64, len(ms))
	for l := range ref {
		for i, x := range ms {
			vals[i] = x[l]
		}
		sort.Float64s(vals)
		if h := len(vals) / 2; len(vals)%2 == 1 {
			ref[l] = vals[h]
		} else {
			ref[l] = (vals[h-1] + vals[h]) / 2
		}
	}
	norm(ref)
	kept := make([]float64, len(m))
	nk := 0
	var out []string
	for i, x := range ms {
		d := 0.0
		for l := range x {
			d += math.Abs(x[l] - ref[l])
		}
		if d/2 > maxSessionDisagreement {
			out = append(out, rules[i])
			continue
		}
		for l := range x {
			kept[l] += x[l]
		}
		nk++
	}
	if len(out) == 0 {
		return
	}
	if nk == 0 {
		copy(m, ref)
	} else {
		for l := range m {
			m[l] = kept[l] / float64(nk)
		}
	}
	rep.Outlying = append(rep.Outlying, fmt.Sprintf("%s: m from %d sessions, leaving out %s (total variation from the sessions' median > %.1f)",
		name, nk, strings.Join(out, ", "), maxSessionDisagreement))
}

// startM returns starting m values: the settings' own, else most mass on
// the first level, decreasing, 5% on else.
func startM(sc settings.Comparison) []float64 {
	L := len(sc.Levels)
	m := make([]float64, L+1)
	rest := 0.95
	for l, lv := range sc.Levels {
		if lv.M > 0 {
			m[l] = lv.M
		} else if l == 0 {
			m[l] = 0.7
		} else {
			m[l] = 0.25 / float64(L-1)
		}
		rest -= m[l]
	}
	m[L] = math.Max(rest+0.05, 0.01)
	norm(m)
	return m
}

func norm(p []float64) {
	s := 0.0
	for _, v := range p {
		s += v
	}
	if s > 0 {
		for i := range p {
			p[i] /= s
		}
	}
}

// packs says whether every comparison vector of c packs into a word
// (packVector): at most 15 comparisons of at most 14 levels.
func (c *compiled) packs() bool {
	ok := len(c.comps) <= 15
	for _, cc := range c.comps {
		ok = ok && len(cc.levels)+1 < 16
	}
	return ok
}

// packVector packs a comparison vector into a word, four bits a level.
func packVector(g []uint8) uint64 {
	var key uint64
	for k, v := range g {
		key |= uint64(v) << (4 * k)
	}
	return key
}

// unpackVector writes the vector key packs into g (its length: the
// comparisons).
func unpackVector(key uint64, g []uint8) {
	for k := range g {
		g[k] = uint8(key>>(4*k)) & 15
	}
}

// estimateU counts levels over random pairs (all pairs when few), on
// all workers.
func estimateU(f *Frame, c *compiled, s *settings.Settings) ([][]float64, int64, []settings.Fold, patterns) {
	n := f.Len()
	var pairs [][2]int32
	total := totalPairs(f, s.LinkType)
	if total <= int64(s.Training.URandomPairs) {
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if f.pairAllowed(s.LinkType, int32(i), int32(j)) {
					pairs = append(pairs, [2]int32{int32(i), int32(j)})
				}
			}
		}
	} else {
		rng := rand.New(rand.NewSource(s.Training.Seed))
		for len(pairs) < s.Training.URandomPairs {
			i, j := int32(rng.Intn(n)), int32(rng.Intn(n))
			if i == j || !f.pairAllowed(s.LinkType, i, j) {
				continue
			}
			pairs = append(pairs, [2]int32{i, j})
		}
		pairs = byFirstRow(pairs, n)
	}
	nc := len(c.comps)
	packed := c.packs()
	counts := make([][][]float64, workers)
	both := make([][]int64, workers) // both[w][i*nc+j]: i and j on their first level
	pats := make([]patterns, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		pats[w] = patterns{}
		counts[w] = make([][]float64, nc)
		for k, cc := range c.comps {
			counts[w][k] = make([]float64, len(cc.levels)+1)
		}
		both[w] = make([]int64, nc*nc)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			g := make([]uint8, nc)
			jw := newJWMemo()
			var tab u64Table // packed vectors' counts, when they pack
			for p := w; p < len(pairs); p += workers {
				pv := c.rows.pair(f, pairs[p][0], pairs[p][1])
				for k := range c.comps {
					g[k] = c.gammaRows(f, k, &pv, jw)
					if g[k] > 0 {
						counts[w][k][g[k]-1]++
					}
				}
				if packed {
					n, _ := tab.find(packVector(g))
					*n++
				} else {
					pats[w][string(g)]++
				}
				// Dependence is measured on non-matches: pairs some
				// comparison disagrees on. The random pairs that match
				// (sharing a number, agreeing on everything) would make
				// every comparison look tied to the number.
				differs := false
				for k, cc := range c.comps {
					differs = differs || int(g[k]) == len(cc.levels)+1
				}
				for i := range g {
					if !differs || g[i] != 1 {
						continue
					}
					for j := range g {
						if g[j] == 1 {
							both[w][i*nc+j]++
						}
					}
				}
			}
			for x, key := range tab.keys {
				if key != 0 {
					unpackVector(key&^u64Used, g)
					pats[w][string(g)] += tab.vals[x]
				}
			}
		}(w)
	}
	wg.Wait()
	for w := 1; w < workers; w++ {
		for x, v := range both[w] {
			both[0][x] += v
		}
	}
	folds := findFolds(c, counts, both[0])
	u := make([][]float64, len(c.comps))
	for k := range c.comps {
		cs := counts[0][k]
		for w := 1; w < workers; w++ {
			for l, v := range counts[w][k] {
				cs[l] += v
			}
		}
		u[k] = make([]float64, len(cs))
		tot := 0.0
		for _, v := range cs {
			tot += v
		}
		for l, v := range cs {
			// Half a pair of pseudo count keeps unseen levels finite.
			u[k][l] = (v + 0.5) / (tot + 0.5*float64(len(cs)))
		}
	}
	return u, int64(len(pairs)), folds, sumPatterns(pats)
}

// byFirstRow returns pairs (rows below n) ordered by their first row, in
// their order within one first row (a counting sort: two passes, no
// comparisons). Drawn at random, the pairs read two records each from
// anywhere in the row table; in this order the first record of each is
// read in turn, one cache miss a pair instead of two once the table is
// bigger than the cache (a million records: ~100 MB, the machine's L3
// 32 MB). Every count estimateU and pairPatterns take from them is a sum
// of whole numbers, the same in any order: the model is the same.
func byFirstRow(pairs [][2]int32, n int) [][2]int32 {
	start := make([]int32, n+1)
	for _, p := range pairs {
		start[p[0]+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	out := make([][2]int32, len(pairs))
	for _, p := range pairs {
		out[start[p[0]]] = p
		start[p[0]]++
	}
	return out
}

// Dependence limits (not tuned on labels): a level is taken to depend on
// an earlier comparison's level when, among the random pairs the model
// calls non-matches, the two hold together in at least minDependentPairs
// pairs and the level holds depLift times more often given the earlier
// one than overall; depRounds rounds let the pairs the dependence itself
// made look like matches count as the non-matches they are.
const (
	minDependentPairs = 5
	depLift           = 2.0
	depRounds         = 1
)

// agreeSample is the number of pairs agreeingPatterns samples per
// comparison (all of them when there are fewer): a dependence lifting a
// level's u to 7e-4 among pairs agreeing on a name (an email's user part
// given the surname; under 1e-4 overall) shows in about 35 of them
// whatever the file's size, where 1,000,000 random pairs hold it in
// about 2 (fixed before it was first run at this size; 20,000 missed
// that one on two of three development sets, 100,000 cost five times
// the CPU).
const agreeSample = 50_000

// agreeingPatterns returns, for each comparison but the last whose first
// level is an exact agreement on one column, the comparison vectors of
// pairs drawn at random among the pairs agreeing on that column (all of
// them when there are at most agreeSample). findDependence counts a
// later level's u given that agreement on them. The random pairs u is
// counted on agree exactly on a name in a few pairs of a thousand,
// whatever the file's size, and a dependence among those few was seen
// or missed by chance: on fake_1000's profile at 20,000 records, missing
// the email's user part given the first name made thousands of false
// links; at 5,000 records it makes sixteen times fewer (the non-matches
// sharing both grow with the square of the records, the matches with
// the records), so the same chance decided more the bigger the file
// (issue 12: a result that does not depend on size).
func agreeingPatterns(f *Frame, c *compiled, s *settings.Settings) map[int]patterns {
	out := map[int]patterns{}
	nc := len(c.comps)
	for i, cc := range c.comps[:max(nc-1, 0)] {
		if len(cc.levels) == 0 || cc.levels[0].op != opExact && cc.levels[0].op != opDateExact {
			continue
		}
		// Rows sorted by value: each run of one value makes its pairs.
		vals := &f.cols[cc.levels[0].col].vals
		vr := make([]uint64, 0, vals.len())
		for r := range vals.len() {
			if v := vals.at(r); v != 0 {
				vr = append(vr, uint64(v)<<32|uint64(r))
			}
		}
		slices.Sort(vr)
		type run struct{ start, n int }
		var runs []run  // runs of at least two rows
		var cum []int64 // pairs in the runs up to each
		var total int64
		for a := 0; a < len(vr); {
			b := a + 1
			for b < len(vr) && vr[b]>>32 == vr[a]>>32 {
				b++
			}
			if n := b - a; n > 1 {
				total += int64(n) * int64(n-1) / 2
				runs = append(runs, run{a, n})
				cum = append(cum, total)
			}
			a = b
		}
		if total == 0 {
			continue
		}
		row := func(x int) int32 { return int32(uint32(vr[x])) }
		var pairs [][2]int32
		if total <= agreeSample {
			for _, r := range runs {
				for a := r.start; a < r.start+r.n; a++ {
					for b := a + 1; b < r.start+r.n; b++ {
						pairs = append(pairs, [2]int32{row(a), row(b)})
					}
				}
			}
		} else {
			rng := rand.New(rand.NewSource(s.Training.Seed + int64(i) + 1))
			for range agreeSample {
				x, _ := slices.BinarySearch(cum, rng.Int63n(total)+1)
				r := runs[x]
				a, b := rng.Intn(r.n), rng.Intn(r.n-1)
				if b >= a {
					b++
				}
				ra, rb := row(r.start+a), row(r.start+b)
				pairs = append(pairs, [2]int32{min(ra, rb), max(ra, rb)})
			}
			pairs = byFirstRow(pairs, f.Len())
		}
		if ps := pairPatterns(f, c, s.LinkType, pairs); len(ps) > 0 {
			out[i] = ps
		}
	}
	return out
}

// pairPatterns counts the comparison vectors of the pairs the link type
// allows among pairs, on every core.
func pairPatterns(f *Frame, c *compiled, linkType string, pairs [][2]int32) patterns {
	nc := len(c.comps)
	pats := make([]patterns, workers)
	var wg sync.WaitGroup
	for w := range workers {
		pats[w] = patterns{}
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			g := make([]uint8, nc)
			jw := newJWMemo()
			for p := w; p < len(pairs); p += workers {
				a, b := min(pairs[p][0], pairs[p][1]), max(pairs[p][0], pairs[p][1])
				if !f.pairAllowed(linkType, a, b) {
					continue
				}
				pv := c.rows.pair(f, a, b)
				for k := range c.comps {
					g[k] = c.gammaRows(f, k, &pv, jw)
				}
				pats[w][string(g)]++
			}
		}(w)
	}
	wg.Wait()
	return sumPatterns(pats)
}

// sumPatterns adds the workers' counts into the first's and returns it.
func sumPatterns(pats []patterns) patterns {
	for _, p := range pats[1:] {
		for k, v := range p {
			pats[0][k] += v
		}
	}
	return pats[0]
}

// findDependence finds levels that hold far more often among non-matching
// random pairs when an earlier comparison lands on a given level than
// overall: an email's user part made of the first name, agreeing for
// different people who share a first name. Independence would count that
// agreement as fresh evidence each time. Each random pattern is weighed
// as a non-match by one minus the model's posterior (folds and the
// dependences found so far applied); for each pair of comparisons (i
// earlier, j later) the level's u given i's level is kept when it lifts
// u depLift times or more. Folded levels (j into i, both first) and else
// levels (disagreeing is no evidence of one fact) are left out.
func findDependence(c *compiled, m *settings.Model, rpats patterns, agree map[int]patterns) []settings.Dependence {
	nc := len(c.comps)
	if nc < 2 || len(rpats) == 0 {
		return nil
	}
	folded := map[[2]int]bool{}
	for _, fd := range m.Folded {
		folded[[2]int{c.compIndex(fd.Into), c.compIndex(fd.Comparison)}] = true
	}
	type key struct{ i, gi, j, gj int }
	type pat struct {
		g []uint8
		n float64
	}
	ps := make([]pat, 0, len(rpats))
	for _, k := range rpats.sortedKeys() {
		ps = append(ps, pat{[]uint8(k), float64(rpats[k])})
	}
	// The pairs agreeing exactly on comparison i's column, sampled apart
	// (agreeingPatterns): a level's u given i exact is counted on them,
	// not on the few random pairs that agree.
	type agreeSet struct {
		i  int
		ps []pat
	}
	var sets []agreeSet
	for i := 0; i < nc; i++ {
		if ap, ok := agree[i]; ok {
			as := agreeSet{i: i}
			for _, k := range ap.sortedKeys() {
				as.ps = append(as.ps, pat{[]uint8(k), float64(ap[k])})
			}
			sets = append(sets, as)
		}
	}
	var out []settings.Dependence
	for round := 0; round < depRounds; round++ {
		mm := *m
		mm.Dependent = out
		ws := newWeights(c, &mm, "global")
		joint := map[key]float64{}
		marg := map[[3]int]float64{} // i, gi, j: pairs with j not null
		nonMatch := func(p pat) float64 {
			total := ws.prior
			for k, l := range p.g {
				total += ws.w[k][l]
			}
			for _, fd := range ws.folds {
				if ws.sameFact(fd, p.g) {
					total -= ws.w[fd.k][p.g[fd.k]]
				}
			}
			if len(ws.deps) > 0 {
				total -= ws.depAdj(c, nil, p.g, 0, 0, false)
			}
			return p.n * (1 - probability(total))
		}
		count := func(p pat, non float64, i int) {
			gi := int(p.g[i])
			if gi == 0 || gi == len(ws.w[i])-1 {
				return
			}
			for j := i + 1; j < nc; j++ {
				gj := int(p.g[j])
				if gj == 0 {
					continue
				}
				marg[[3]int{i, gi, j}] += non
				if gj != len(ws.w[j])-1 {
					joint[key{i, gi, j, gj}] += non
				}
			}
		}
		// An agreeing sample most of whose pairs the model takes for
		// matches (a date of birth agreeing exactly) is not used: the few
		// matches it misjudges would outnumber the non-matches on a rare
		// level (an email agreeing), and a level would seem to depend on
		// the agreement that only matches share.
		used := make([]bool, nc)
		for _, as := range sets {
			var all, non float64
			for _, p := range as.ps {
				if p.g[as.i] == 1 {
					all += p.n
					non += nonMatch(p)
				}
			}
			if all > 0 && 2*non >= all {
				used[as.i] = true
				for _, p := range as.ps {
					if p.g[as.i] == 1 {
						count(p, nonMatch(p), as.i)
					}
				}
			}
		}
		for _, p := range ps {
			non := nonMatch(p)
			for i := 0; i < nc; i++ {
				if used[i] && p.g[i] == 1 {
					continue // counted on the agreeing sample
				}
				count(p, non, i)
			}
		}
		out = out[:0:0]
		// In the keys' order, and sorted stably below: two levels of
		// one label (settings may repeat one) keep one order too.
		keys := make([]key, 0, len(joint))
		for k := range joint {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b key) int {
			return cmp.Or(cmp.Compare(a.j, b.j), cmp.Compare(a.gj, b.gj), cmp.Compare(a.i, b.i), cmp.Compare(a.gi, b.gi))
		})
		for _, k := range keys {
			v := joint[k]
			if v < minDependentPairs || folded[[2]int{k.i, k.j}] && k.gi == 1 && k.gj == 1 {
				continue
			}
			uc := v / marg[[3]int{k.i, k.gi, k.j}]
			u := m.Comparisons[k.j].U[k.gj-1]
			if lift := uc / u; lift >= depLift {
				out = append(out, settings.Dependence{Comparison: c.comps[k.j].name, Level: levelLabel(c, k.j, k.gj),
					Given: c.comps[k.i].name, GivenLevel: levelLabel(c, k.i, k.gi), U: uc, Lift: math.Round(lift*10) / 10})
			}
		}
	}
	sort.SliceStable(out, func(x, y int) bool {
		a, b := out[x], out[y]
		if a.Comparison != b.Comparison {
			return c.compIndex(a.Comparison) < c.compIndex(b.Comparison)
		}
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		if a.Given != b.Given {
			return c.compIndex(a.Given) < c.compIndex(b.Given)
		}
		return a.GivenLevel < b.GivenLevel
	})
	return out
}

// levelLabel is the label of level g (1-based) of comparison k.
func levelLabel(c *compiled, k, g int) string {
	return c.s.Comparisons[k].Levels[g-1].Label
}

// findFolds finds comparisons that record the same fact as an earlier
// one: among random pairs where comparison i agrees on its first level
// (at least minFoldPairs of them), j does too in at least foldShare of
// them, foldLift times more often than j agrees overall (pairs that some
// comparison disagrees on only, so that matches do not count). Such a j (a
// postcode after its city) counts as independent evidence what i already
// counted; Model.Folded leaves its weight out when both agree. counts
// are the per-worker level counts (null left out), both the pairs on both
// first levels (i*nc+j).
func findFolds(c *compiled, counts [][][]float64, both []int64) []settings.Fold {
	nc := len(c.comps)
	top := make([]float64, nc)
	seen := make([]float64, nc)
	for k := 0; k < nc; k++ {
		top[k] = float64(both[k*nc+k])
		for w := range counts {
			for _, v := range counts[w][k] {
				seen[k] += v
			}
		}
	}
	var out []settings.Fold
	folded := make([]bool, nc)
	for j := 0; j < nc; j++ {
		for i := 0; i < nc; i++ {
			if i == j || folded[i] || top[i] < minFoldPairs || seen[j] == 0 {
				continue
			}
			// A later comparison folds into an earlier one; an earlier
			// one only into a later one that does not imply it back.
			if i > j && float64(both[j*nc+i]) >= foldShare*top[j] {
				continue
			}
			share := float64(both[i*nc+j]) / top[i]
			lift := share / (top[j] / seen[j])
			if share >= foldShare && lift >= foldLift {
				out = append(out, settings.Fold{Comparison: c.comps[j].name, Into: c.comps[i].name, Lift: math.Round(lift*10) / 10})
				folded[j] = true
				break
			}
		}
	}
	return out
}

// em runs expectation–maximisation over pattern counts with u fixed. It
// updates m of the active comparisons (when updateM) and returns λ, the
// share of matches among the pairs, and the iterations run. A silent
// comparison (nil: none) has its m updated but does not vote on the
// posteriors.
func em(pats patterns, m, u [][]float64, active, silent []bool, lambda float64, maxIter int, updateM bool) (float64, int) {
	type pat struct {
		g []byte
		n float64
	}
	ps := make([]pat, 0, len(pats))
	var total float64
	for _, k := range pats.sortedKeys() {
		v := pats[k]
		ps = append(ps, pat{[]byte(k), float64(v)})
		total += float64(v)
	}
	acc := make([][]float64, len(m))
	for k := range m {
		acc[k] = make([]float64, len(m[k]))
	}
	it := 0
	for it = 1; it <= maxIter; it++ {
		for k := range acc {
			for l := range acc[k] {
				acc[k][l] = 0
			}
		}
		var sumPost float64
		for _, p := range ps {
			lbf := 0.0
			for k, g := range p.g {
				if g == 0 || !active[k] || (silent != nil && silent[k]) {
					continue
				}
				lbf += math.Log(clampP(m[k][g-1])) - math.Log(clampP(u[k][g-1]))
			}
			prior := math.Log(lambda / (1 - lambda))
			post := 1 / (1 + math.Exp(-(lbf + prior)))
			w := post * p.n
			sumPost += w
			for k, g := range p.g {
				if g > 0 {
					acc[k][g-1] += w
				}
			}
		}
		newLambda := clampP(sumPost / total)
		change := math.Abs(newLambda - lambda)
		lambda = newLambda
		if updateM {
			for k := range m {
				if !active[k] {
					continue
				}
				s := 0.0
				for _, v := range acc[k] {
					s += v
				}
				if s == 0 {
					continue
				}
				for l := range m[k] {
					nv := (acc[k][l] + 1e-6) / (s + 1e-6*float64(len(m[k])))
					if d := math.Abs(nv - m[k][l]); d > change {
						change = d
					}
					m[k][l] = nv
				}
			}
		}
		if change < 1e-6 {
			break
		}
	}
	return lambda, it
}

// labelledCounts counts, per comparison and level, the labelled pairs
// whose Match is match (pairs naming records the frame does not hold are
// left out), and returns how many pairs it counted.
func labelledCounts(f *Frame, c *compiled, labels []LabelledPair, match bool, levels [][]float64) ([][]float64, int) {
	counts := make([][]float64, len(levels))
	for k := range levels {
		counts[k] = make([]float64, len(levels[k]))
	}
	used := 0
	for _, lp := range labels {
		a, ok1 := f.Index(lp.A)
		b, ok2 := f.Index(lp.B)
		if !ok1 || !ok2 || lp.Match != match {
			continue
		}
		used++
		for k := range c.comps {
			if g := c.gamma(f, k, int32(a), int32(b)); g > 0 {
				counts[k][g-1]++
			}
		}
	}
	return counts, used
}

// mixCounts replaces each comparison's distribution p[k] by the mix of
// its labelled level counts with p[k] taken as weight(k) observations;
// comparisons no labelled pair reached are left as they are.
func mixCounts(p, counts [][]float64, weight float64, clamp func(float64) float64) {
	for k := range p {
		tot := 0.0
		for _, v := range counts[k] {
			tot += v
		}
		if tot == 0 {
			continue
		}
		for l := range p[k] {
			p[k][l] = clamp((counts[k][l] + weight*p[k][l]) / (tot + weight))
		}
	}
}

// unknownLabels says how many labelled pairs name a record the frame
// does not hold (they are not used), with the first such id: a label file
// written with the sources' own codes instead of the records' ids would
// otherwise change nothing without a word. "" when every pair is known.
func unknownLabels(f *Frame, labels []LabelledPair) string {
	n, first := 0, ""
	for _, lp := range labels {
		for _, id := range []string{lp.A, lp.B} {
			if _, ok := f.Index(id); !ok {
				if n == 0 {
					first = id
				}
				n++
				break
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d labelled pairs name a record not in the input (the first: %q) and were not used: labels name records by their record_id, as dancu link writes it, not by a source's own codes", n, len(labels), first)
}

// labelledM mixes the level counts of labelled matching pairs into m,
// weighted by evidence: EM's m counts as 10 pseudo pairs. It returns the
// pairs used.
func labelledM(f *Frame, c *compiled, labels []LabelledPair, m [][]float64) int {
	counts, used := labelledCounts(f, c, labels, true, m)
	if used > 0 {
		mixCounts(m, counts, 10, func(x float64) float64 { return x })
	}
	return used
}

// labelledU adds the level counts of labelled non-matching pairs (review
// decisions "different persons") to u, each pair one more observation
// beside the nr random pairs u was estimated from: the levels such pairs
// reach become likelier among non-matches and weigh less. u[k] sums to
// one over the levels a random pair reached (null left out), like the
// counts, so the two mix as counts. It returns the pairs used.
func labelledU(f *Frame, c *compiled, labels []LabelledPair, u [][]float64, nr int64) int {
	counts, used := labelledCounts(f, c, labels, false, u)
	if used > 0 {
		mixCounts(u, counts, float64(nr), clampP)
	}
	return used
}

// deterministicPairs counts the distinct pairs (link type applied) that
// agree on every key of some deterministic rule of s.
func deterministicPairs(f *Frame, s *settings.Settings) (int64, error) {
	var bs []*blocker
	for _, r := range s.Training.Deterministic {
		b, err := newBlocker(f, settings.BlockingRule{Name: r.Name, Keys: r.Keys})
		if err != nil {
			return 0, fmt.Errorf("deterministic rule: %w", err)
		}
		bs = append(bs, b)
	}
	var total int64
	for r := range bs {
		cnt := make([]int64, workers)
		forPairs(f, bs, r, true, s.LinkType, func(w int, i, j int32) { cnt[w]++ })
		for _, v := range cnt {
			total += v
		}
	}
	return total, nil
}

// Limits of the training checks (not tuned on any labels: they say when
// an unsupervised estimate cannot be right).
const (
	// maxTopShare: a comparison at its first level on this share of a
	// session's pairs (and at least minAgreeingPairs of them) is tied to
	// the rule's keys and left out of the session.
	maxTopShare      = 0.98
	minAgreeingPairs = 20
	// minActive comparisons must remain in a session for EM to run.
	minActive = 2
	// maxSessionMatchRate: a session in which nearly every pair matches
	// has no non-matches to tell m from u — its blocking rule shares an
	// input with a comparison still in it.
	maxSessionMatchRate = 0.9
	// maxSessionDisagreement is the largest total-variation distance
	// between two sessions' m of one comparison.
	maxSessionDisagreement = 0.3
	// maxMatchesPerRecord: more matching pairs than this per record means
	// every person would have a dozen records.
	maxMatchesPerRecord = 5.0
	// minFoldPairs, foldShare, foldLift: a comparison agreeing in
	// foldShare of the random pairs where another agrees (at least
	// minFoldPairs), foldLift times its own rate, records the same fact.
	minFoldPairs = 20
	foldShare    = 0.9
	foldLift     = 5.0
	// minConfidentPairs and minConfidentRecall: below these, the
	// confident pairs do not bound λ.
	minConfidentPairs  = 20
	minConfidentRecall = 0.005
	// maxLambdaRatio: EM and the deterministic rules may differ by this
	// factor before they are said to disagree.
	maxLambdaRatio = 3.0
)

// trainWarnings checks a finished estimate for the ways unsupervised
// training fools itself.
func trainWarnings(rep *TrainReport, c *compiled) []string {
	var out []string
	for _, name := range rep.NotEstimated {
		out = append(out, fmt.Sprintf("comparison %s was estimated by no EM session (each left it out: it shares an input with the rule's keys, agrees on nearly all its pairs, or too few comparisons were left): its m is the starting guess — add a blocking rule on other fields or list sessions in training.rules", name))
	}
	for _, fd := range rep.Folded {
		out = append(out, fmt.Sprintf("comparisons %s and %s record one fact (among random pairs where %s agrees, %s agrees %.0f× more often than overall): %s is counted once, in %s, when both agree — write them as one comparison",
			fd.Into, fd.Comparison, fd.Into, fd.Comparison, fd.Lift, fd.Comparison, fd.Into))
	}
	// A precise rule (an identification number) matches nearly all its
	// pairs legitimately: a session is said to fool itself only when the
	// matches it claims outnumber those of the whole model.
	matches := rep.LambdaGlobal * float64(rep.TotalPairs)
	for _, s := range rep.Sessions {
		if s.Pairs > 0 && !s.Skipped && s.Lambda > maxSessionMatchRate && s.Lambda*float64(s.Pairs) > matches {
			out = append(out, fmt.Sprintf("EM session %s: match rate %.3f > %.1f, %.0f matching pairs where the model has %.0f — a comparison left in it probably shares an input with the rule's keys (declare it in the column's inputs)",
				s.Rule, s.Lambda, maxSessionMatchRate, s.Lambda*float64(s.Pairs), matches))
		}
	}
	for k, cc := range c.comps {
		worst, wa, wb := 0.0, "", ""
		for x := range rep.Sessions {
			for y := x + 1; y < len(rep.Sessions); y++ {
				a, b := rep.Sessions[x].M, rep.Sessions[y].M
				if a == nil || b == nil || a[k] == nil || b[k] == nil {
					continue
				}
				d := 0.0
				for l := range a[k] {
					d += math.Abs(a[k][l] - b[k][l])
				}
				if d/2 > worst {
					worst, wa, wb = d/2, rep.Sessions[x].Rule, rep.Sessions[y].Rule
				}
			}
		}
		if worst > maxSessionDisagreement {
			out = append(out, fmt.Sprintf("EM sessions %s and %s disagree on m of %s (total variation %.2f > %.1f)",
				wa, wb, cc.name, worst, maxSessionDisagreement))
		}
	}
	if rep.LambdaRules > 0 && rep.LambdaEM > 0 {
		if r := rep.LambdaEM / rep.LambdaRules; r > maxLambdaRatio || r < 1/maxLambdaRatio {
			out = append(out, fmt.Sprintf("λ by EM (%.3g) and by deterministic rules (%.3g) differ %.1f×", rep.LambdaEM, rep.LambdaRules, math.Max(r, 1/r)))
		}
	}
	return out
}

// uRounds is the number of times debiasU weighs the random pairs (the
// second round, with the sharper u of the first, moves u little more:
// fake_1000's profile at 1,000–20,000 records, F1 within 0.003 of one
// round and of three).
const uRounds = 2

// debiasU takes the matches out of u. The random pairs u is counted on
// are all pairs in a file of up to URandomPairs pairs' worth of records,
// and a sample otherwise: either way a share λ of them are matches, which
// agree like matches do. Counted as non-matches they make agreement look
// commoner among strangers than it is — at 1,000 records by far (issue
// 12: the model under-confident there, half its pairs at posterior
// 0.1–0.3 true matches) and on the levels matches hold (an exact email).
// Each random pair's levels are counted weighed by the chance the model
// gives it of being a non-match (folds and dependences applied), and u
// counted again, uRounds times; λ enters only through those posteriors,
// so an over-estimated λ takes out a few more borderline pairs rather
// than λ × m from every level (tried first: with λ twice the truth it
// made u of agreeing levels far too small and joined strangers). It
// returns the random pairs' expected matches in the last round.
func debiasU(c *compiled, model *settings.Model, rpats patterns) float64 {
	keys := rpats.sortedKeys()
	var matches float64
	for round := 0; round < uRounds; round++ {
		matches = 0
		ws := newWeights(c, model, "global")
		counts := make([][]float64, len(c.comps))
		for k := range counts {
			counts[k] = make([]float64, len(model.Comparisons[k].U))
		}
		for _, key := range keys {
			n, g := rpats[key], []uint8(key)
			total := ws.prior
			for k, l := range g {
				total += ws.w[k][l]
			}
			for _, fd := range ws.folds {
				if ws.sameFact(fd, g) {
					total -= ws.w[fd.k][g[fd.k]]
				}
			}
			if len(ws.deps) > 0 {
				total -= ws.depAdj(c, nil, g, 0, 0, false)
			}
			non := float64(n) * (1 - probability(total))
			matches += float64(n) - non
			for k, l := range g {
				if l > 0 {
					counts[k][l-1] += non
				}
			}
		}
		for k, cs := range counts {
			tot := 0.0
			for _, v := range cs {
				tot += v
			}
			u := make([]float64, len(cs))
			for l, v := range cs {
				// Half a pair of pseudo count, as estimateU.
				u[l] = (v + 0.5) / (tot + 0.5*float64(len(cs)))
			}
			model.Comparisons[k].U = u
		}
	}
	return matches
}

// floorElseM raises m's else level (its last) to the comparison's
// else_m_min, and each level with m_min to it, when EM left it below,
// scaling the levels not raised down so that m still sums to 1, and says
// so ("" when nothing changed).
func floorElseM(sc settings.Comparison, m []float64) string {
	last := len(m) - 1
	if last < 1 {
		return ""
	}
	floor := func(l int) float64 {
		if l == last {
			return sc.ElseMMin
		}
		if l < len(sc.Levels) {
			return sc.Levels[l].MMin
		}
		return 0
	}
	raised := make([]bool, len(m))
	some := false
	total, rest := 0.0, 0.0
	for l, v := range m {
		if f := floor(l); f > 0 && v < f {
			raised[l], some = true, true
			total += f
		} else {
			rest += v
		}
	}
	if !some || rest <= 0 || total >= 1 {
		return ""
	}
	var notes []string
	for l := range m {
		if raised[l] {
			continue
		}
		m[l] *= (1 - total) / rest
	}
	for l := range m {
		if !raised[l] {
			continue
		}
		was := m[l]
		m[l] = floor(l)
		if l == last {
			notes = append(notes, fmt.Sprintf("%s: else's m raised to else_m_min %g (EM over the training records: %.3g)", sc.Name, sc.ElseMMin, was))
		} else {
			notes = append(notes, fmt.Sprintf("%s: level %q's m raised to m_min %g (EM over the training records: %.3g)", sc.Name, sc.Levels[l].Label, m[l], was))
		}
	}
	return strings.Join(notes, "; ")
}
