package matching

import (
	"fmt"
	"sort"

	"github.com/dancu-vn/dancu/matching/compare"
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
	Guard  Guard
	Reason string
}

// Members returns the rows of each cluster, clusters ordered by their
// first row.
func (c *Clusters) Members() [][]int32 {
	byRoot := map[int32][]int32{}
	for i, r := range c.Of {
		byRoot[r] = append(byRoot[r], int32(i))
	}
	out := make([][]int32, 0, len(byRoot))
	for _, m := range byRoot {
		out = append(out, m)
	}
	sort.Slice(out, func(x, y int) bool { return out[x][0] < out[y][0] })
	return out
}

// guardState is what a growing cluster must remember for its guards.
type guardState struct {
	vals   [][]uint32 // per distinct guard: values held
	lo, hi []int      // per year_span guard
}

// Cluster joins rows linked by pairs at or above the match threshold into
// connected components, strongest links first, refusing any link that
// would break a guard (two different valid identification numbers, birth
// years too far apart). The result does not depend on the order of
// pairs: ties are broken by rows.
func Cluster(f *Frame, s *Settings, pairs []Pair) (_ *Clusters, err error) {
	sd := s.withDefaults()
	s = &sd
	n := f.Len()
	var guards []guardCol
	for _, gd := range s.Guards {
		ci, ok := f.byName[gd.Column]
		if !ok {
			return nil, fmt.Errorf("cluster: guard on unknown column %q", gd.Column)
		}
		guards = append(guards, guardCol{gd, ci})
	}
	minW := float32(logit2(s.Thresholds.Match))
	var edges []Pair
	for _, p := range pairs {
		if p.Weight >= minW {
			edges = append(edges, p)
		}
	}
	sort.Slice(edges, func(x, y int) bool {
		if edges[x].Weight != edges[y].Weight {
			return edges[x].Weight > edges[y].Weight
		}
		if edges[x].A != edges[y].A {
			return edges[x].A < edges[y].A
		}
		return edges[x].B < edges[y].B
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
	if s.Clustering.Linkage == AverageLinkage {
		if avg, err = newAverageLinkage(f, s); err != nil {
			return nil, fmt.Errorf("cluster: %w", err)
		}
	}
	states := map[int32]*guardState{}
	state := func(root int32) *guardState {
		if st, ok := states[root]; ok {
			return st
		}
		st := &guardState{vals: make([][]uint32, len(guards)), lo: make([]int, len(guards)), hi: make([]int, len(guards))}
		for gi, gd := range guards {
			v := f.cols[gd.col].vals[root]
			if gd.guard.Kind == "distinct" {
				if v != 0 {
					st.vals[gi] = []uint32{v}
				}
			} else if v != 0 {
				y, _, _ := unpackDate(v)
				st.lo[gi], st.hi[gi] = y, y
			}
		}
		states[root] = st
		return st
	}
	out := &Clusters{Prob: make([]float64, n)}
	for _, e := range edges {
		ra, rb := find(e.A), find(e.B)
		if ra == rb {
			markProb(out.Prob, e)
			continue
		}
		var sa, sb *guardState
		if len(guards) > 0 {
			sa, sb = state(ra), state(rb)
			if gi, why := violates(f, guards, sa, sb); gi >= 0 {
				out.Blocked = append(out.Blocked, BlockedPair{Pair: e, Guard: guards[gi].guard, Reason: why})
				continue
			}
		}
		if avg != nil {
			if mean := avg.mean(ra, rb); mean < s.Thresholds.Match {
				out.Blocked = append(out.Blocked, BlockedPair{Pair: e, Guard: Guard{Kind: AverageLinkage},
					Reason: fmt.Sprintf("mean match probability %.3f of the clusters' %d cross pairs is below %.2f",
						mean, avg.size(ra)*avg.size(rb), s.Thresholds.Match)})
				continue
			}
		}
		if rb < ra {
			ra, rb = rb, ra
			sa, sb = sb, sa
		}
		parent[rb] = ra
		if avg != nil {
			avg.join(ra, rb)
		}
		markProb(out.Prob, e)
		if sa != nil {
			for gi, gd := range guards {
				if gd.guard.Kind == "distinct" {
					for _, v := range sb.vals[gi] {
						if !containsU32(sa.vals[gi], v) {
							sa.vals[gi] = append(sa.vals[gi], v)
						}
					}
				} else if sb.hi[gi] != 0 {
					if sa.hi[gi] == 0 || sb.lo[gi] < sa.lo[gi] {
						sa.lo[gi] = sb.lo[gi]
					}
					if sb.hi[gi] > sa.hi[gi] {
						sa.hi[gi] = sb.hi[gi]
					}
				}
			}
			delete(states, rb)
		}
	}
	out.Of = make([]int32, n)
	for i := range out.Of {
		out.Of[i] = find(int32(i))
	}
	return out, nil
}

type guardCol struct {
	guard Guard
	col   int
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

func containsU32(s []uint32, v uint32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// violates returns the first guard that merging clusters a and b breaks,
// with a reason, or -1.
func violates(f *Frame, guards []guardCol, a, b *guardState) (int, string) {
	for gi, gd := range guards {
		switch gd.guard.Kind {
		case "distinct":
			c := &f.cols[gd.col]
			for _, va := range a.vals[gi] {
				for _, vb := range b.vals[gi] {
					if va == vb {
						continue
					}
					if gd.guard.Max >= 1 && compare.WithinOneEdit(c.dict[va], c.dict[vb]) {
						continue
					}
					return gi, fmt.Sprintf("two different %s values", gd.guard.Column)
				}
			}
		case "year_span":
			if a.hi[gi] == 0 || b.hi[gi] == 0 {
				continue
			}
			lo, hi := min(a.lo[gi], b.lo[gi]), max(a.hi[gi], b.hi[gi])
			if hi-lo > gd.guard.Max {
				return gi, fmt.Sprintf("birth years %d and %d are more than %d apart", lo, hi, gd.guard.Max)
			}
		}
	}
	return -1, ""
}

// averageLinkage scores the cross pairs of two clusters with the model.
type averageLinkage struct {
	f        *Frame
	linkType string
	c        *compiled
	ws       *weights
	g        []uint8
	members  map[int32][]int32 // root → rows, for clusters of more than one row
	// means remembers the mean of two clusters (roots and sizes, which
	// change with every join), so that the many pairs between the same two
	// clusters score their cross pairs once.
	means map[[4]int32]float64
}

func newAverageLinkage(f *Frame, s *Settings) (*averageLinkage, error) {
	if s.Model == nil {
		return nil, fmt.Errorf("average linkage needs a trained model")
	}
	c, err := compile(s, f)
	if err != nil {
		return nil, err
	}
	return &averageLinkage{f: f, linkType: s.LinkType, c: c, ws: newWeights(c, s.Model, s.Training.Prior),
		g: make([]uint8, len(c.comps)), members: map[int32][]int32{}, means: map[[4]int32]float64{}}, nil
}

func (a *averageLinkage) rows(root int32) []int32 {
	if m, ok := a.members[root]; ok {
		return m
	}
	return []int32{root}
}

func (a *averageLinkage) size(root int32) int { return len(a.rows(root)) }

// mean returns the mean match probability over the pairs across the
// clusters of roots ra and rb that the link type compares (1 when there
// are none).
func (a *averageLinkage) mean(ra, rb int32) float64 {
	if rb < ra {
		ra, rb = rb, ra
	}
	key := [4]int32{ra, rb, int32(a.size(ra)), int32(a.size(rb))}
	if m, ok := a.means[key]; ok {
		return m
	}
	m := a.score(ra, rb)
	a.means[key] = m
	return m
}

func (a *averageLinkage) score(ra, rb int32) float64 {
	var sum float64
	n := 0
	for _, x := range a.rows(ra) {
		for _, y := range a.rows(rb) {
			p, q := min(x, y), max(x, y)
			if !a.f.pairAllowed(a.linkType, p, q) {
				continue
			}
			n++
			for k := range a.c.comps {
				a.g[k] = a.c.gamma(a.f, k, p, q)
			}
			sum += Probability(a.ws.score(a.c, a.f, a.g, p, q))
		}
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

// join records that the cluster of rb joined the cluster of ra.
func (a *averageLinkage) join(ra, rb int32) {
	a.members[ra] = append(a.rows(ra), a.rows(rb)...)
	delete(a.members, rb)
}
