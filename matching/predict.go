package matching

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Pair is a scored candidate pair (rows of a Frame).
type Pair struct {
	A, B   int32
	Weight float32 // match weight in bits, prior included
	Rule   uint8   // index of the first blocking rule that made it
}

// Probability of the pair.
func (p Pair) Probability() float64 { return probability(float64(p.Weight)) }

// PredictStats count the work of one prediction.
type PredictStats struct {
	Comparisons int64   // candidate pairs scored
	Kept        int64   // pairs at or above the review threshold
	PerRule     []int64 // candidate pairs first made by each rule
	// Reused is set when the pairs' comparison vectors were those
	// training computed (Link), not compared again.
	Reused  bool
	Elapsed time.Duration
}

func logit2(p float64) float64 { return math.Log2(p / (1 - p)) }

// Predict scores every candidate pair of f (the union of the blocking
// rules, each pair once) with the trained model of s and returns those at
// or above the review threshold, sorted by rows.
func Predict(ctx context.Context, f *Frame, s *settings.Settings) ([]Pair, PredictStats, error) {
	return predict(ctx, f, s, nil, nil)
}

// predict is Predict with the blockers of s on f already built (nil:
// build them) and, when vs holds them (ok), the vectors of the candidate
// pairs a pass over the same blockers kept, read instead of comparing
// the pairs again.
func predict(ctx context.Context, f *Frame, s *settings.Settings, bs []*blocker, vs *vectorStore) ([]Pair, PredictStats, error) {
	start := time.Now()
	sd := *s.WithDefaults()
	s = &sd
	if s.Model == nil {
		return nil, PredictStats{}, fmt.Errorf("predict: settings %q have no trained model", s.Name)
	}
	c, err := compile(s, f)
	if err != nil {
		return nil, PredictStats{}, fmt.Errorf("predict: %w", err)
	}
	if bs == nil {
		if bs, err = blockAll(f, s); err != nil {
			return nil, PredictStats{}, fmt.Errorf("predict: %w", err)
		}
	}
	// The vectors kept: of every pair (sample 1), or of the pairs of
	// training's hash sample, the others compared here.
	var vr *vectorReader
	sample := uint64(1)
	if vs != nil && vs.ok {
		vr = vs.reader()
		sample = max(vs.sample, 1)
	}
	// Training's pass chose the same pairs; its marks say which.
	var marks *pairMarks
	if vs != nil && vs.marks.ok {
		marks = &vs.marks
	}
	ws := newWeights(c, s.Model, s.Training.Prior)
	// Compared here, a pair stops as soon as the comparisons left cannot
	// lift it to the review threshold (scorebound.go): the pairs returned,
	// and their weights, are those of the full evaluation. A pass over
	// more pairs than records reads the compared values and the bounds'
	// term-frequency bounds record by record (rowTable, rowUp), and
	// shares one bound between the workers; otherwise each has its own.
	var pb *pairBound
	if vr != nil && sample == 1 {
		ws.tabulateTF(c, f, vs.kept())
	} else if n := proposedPairs(bs); n > int64(f.Len()) {
		ws.tabulateTF(c, f, n)
		c.useRows(f)
		defer c.dropRows()
		pb = newPairBound(c, ws)
		pb.tabulateRows(c, ws, f)
	}
	minW := logit2(s.Thresholds.Review)
	var st PredictStats
	st.PerRule = make([]int64, len(bs))
	out := make([][]Pair, workers)
	cnt := make([]int64, workers)
	bufs := make([][]uint8, workers)
	jws := make([]*jwMemo, workers)
	pbs := make([]*pairBound, workers)
	rests := make([][]float64, workers)
	for w := range bufs {
		bufs[w] = make([]uint8, len(c.comps))
		jws[w] = newJWMemo()
		if vr == nil || sample > 1 {
			if pbs[w] = pb; pb == nil {
				pbs[w] = newPairBound(c, ws)
			}
			rests[w] = make([]float64, len(c.comps))
		}
	}
	for r := range bs {
		if err := ctx.Err(); err != nil {
			return nil, st, err
		}
		for w := range cnt {
			cnt[w] = 0
		}
		var startChunk func(w, ch int)
		if vr != nil {
			startChunk = func(w, ch int) { vr.start(r, ch, w) }
		}
		forMarkedPairChunks(f, bs, r, true, s.LinkType, marks, startChunk, func(w int, i, j int32) {
			cnt[w]++
			var g []uint8
			if vr != nil && (sample == 1 || fitHash(i, j)%sample == 0) {
				g = vr.next(w)
			} else {
				g = bufs[w]
				if !pbs[w].gammas(c, ws, f, g, rests[w], i, j, minW, jws[w]) {
					return // below the review threshold whatever the rest say
				}
			}
			if sc := ws.score(c, f, g, i, j); sc >= minW {
				out[w] = append(out[w], Pair{A: i, B: j, Weight: float32(sc), Rule: uint8(r)})
			}
		})
		for _, v := range cnt {
			st.PerRule[r] += v
			st.Comparisons += v
		}
	}
	if vr != nil && vr.total() != vs.kept() {
		// The pairs came in another order than when they were kept: a
		// bug, never a result scored on the wrong vectors.
		return nil, st, fmt.Errorf("predict: %d candidate pairs read back, %d kept by training", vr.total(), vs.kept())
	}
	st.Reused = vr != nil && sample == 1
	var pairs []Pair
	for _, o := range out {
		pairs = append(pairs, o...)
	}
	sort.Slice(pairs, func(x, y int) bool {
		if pairs[x].A != pairs[y].A {
			return pairs[x].A < pairs[y].A
		}
		return pairs[x].B < pairs[y].B
	})
	st.Kept = int64(len(pairs))
	st.Elapsed = time.Since(start)
	return pairs, st, nil
}

// AnalyseBlocking counts, for each rule of s, the pairs it makes, the new
// ones (not made by an earlier rule) and its largest blocks, without
// comparing anything.
func AnalyseBlocking(f *Frame, s *settings.Settings, top int) (*BlockingStats, error) {
	sd := *s.WithDefaults()
	s = &sd
	bs, err := blockAll(f, s)
	if err != nil {
		return nil, fmt.Errorf("analyse blocking: %w", err)
	}
	st := &BlockingStats{TotalPairs: totalPairs(f, s.LinkType)}
	for r, b := range bs {
		rs := RuleStats{Name: b.rule.Name, Blocks: len(b.blocks)}
		type bk struct{ k, n int }
		var sizes []bk
		for k, br := range b.blocks {
			rs.Pairs += b.blockPairs(k)
			if br.split {
				rs.Split++
			}
			sizes = append(sizes, bk{k, int(br.end - br.start)})
		}
		cnt := make([]int64, workers)
		forPairs(f, bs, r, true, s.LinkType, func(w int, i, j int32) { cnt[w]++ })
		for _, v := range cnt {
			rs.New += v
		}
		st.Candidates += rs.New
		sort.Slice(sizes, func(x, y int) bool { return sizes[x].n > sizes[y].n })
		for _, sz := range sizes[:min(top, len(sizes))] {
			row := int(b.order[b.blocks[sz.k].start])
			key := ""
			for q, p := range b.parts {
				if q > 0 {
					key += " | "
				}
				v := f.sortValue(p, row)
				if p.year && len(v) >= 4 {
					v = v[:4]
				}
				if p.monthday && len(v) >= 10 {
					v = v[5:]
				}
				key += v
			}
			rs.Largest = append(rs.Largest, BlockSize{Key: key, Records: sz.n})
		}
		st.Rules = append(st.Rules, rs)
	}
	return st, nil
}

// Completeness is the share of true pairs that blocking makes candidates
// (pairs completeness), overall and per rule.
type Completeness struct {
	TruePairs int64
	Covered   int64
	PerRule   []int64 // true pairs each rule makes (a pair may count for several)
	// Only are the true pairs each rule alone makes: what blocking loses
	// without it.
	Only []int64
}

// PairsCompleteness measures blocking against a truth (record id →
// entity) without comparing anything: the true pairs the union of the
// rules makes. Records missing from truth are ignored.
func PairsCompleteness(f *Frame, s *settings.Settings, truth map[string]string) (*Completeness, error) {
	sd := *s.WithDefaults()
	bs, err := blockAll(f, &sd)
	if err != nil {
		return nil, fmt.Errorf("pairs completeness: %w", err)
	}
	groups := map[string][]int32{}
	for i := 0; i < f.Len(); i++ {
		if e, ok := truth[f.ID(i)]; ok {
			groups[e] = append(groups[e], int32(i))
		}
	}
	c := &Completeness{PerRule: make([]int64, len(bs)), Only: make([]int64, len(bs))}
	for _, rows := range groups {
		for x := 0; x < len(rows); x++ {
			for y := x + 1; y < len(rows); y++ {
				a, b := rows[x], rows[y]
				if !f.pairAllowed(sd.LinkType, a, b) {
					continue
				}
				c.TruePairs++
				n, last := 0, 0
				for r, bl := range bs {
					if bl.covers(a, b) {
						c.PerRule[r]++
						n++
						last = r
					}
				}
				if n > 0 {
					c.Covered++
				}
				if n == 1 {
					c.Only[last]++
				}
			}
		}
	}
	return c, nil
}
