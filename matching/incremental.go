package matching

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dancu-vn/dancu/matching/settings"
)

// This file is the small surface an incremental matcher (package
// registry) needs from the engine: the blocking keys of one record,
// scoring chosen pairs with the one trained model, and frozen term
// frequencies so that a pair's score does not depend on which other
// records happen to be in the frame.

// RowKey is one blocking key of a record: the rule (index in
// Settings.Blocking), the hash of the rule's key values (stable across
// frames and processes: it hashes the values, not interned ids) and the
// record's sort value within the block (the rule's sort_by values joined
// by "\x00", "" when the rule has none).
type RowKey struct {
	Rule int
	Hash uint64
	Sort string
}

// KeyMaker computes the blocking keys of single rows, for an index kept
// outside any frame.
type KeyMaker struct {
	rules []keyRule
}

type keyRule struct {
	rule          settings.BlockingRule
	parts, sortBy []keyPart
	// sameSort is an earlier rule with the same sort_by (its sort value
	// is reused), else -1.
	sameSort int
}

// NewKeyMaker resolves the blocking rules of s against f's columns (any
// frame built from s will do: only column positions are kept).
func NewKeyMaker(f *Frame, s *settings.Settings) (*KeyMaker, error) {
	sd := *s.WithDefaults()
	km := &KeyMaker{}
	for _, r := range sd.Blocking {
		parts, sortBy, err := f.ruleParts(r)
		if err != nil {
			return nil, err
		}
		same := -1
		for q, o := range km.rules {
			if o.sameSort < 0 && slices.Equal(o.sortBy, sortBy) {
				same = q
				break
			}
		}
		km.rules = append(km.rules, keyRule{r, parts, sortBy, same})
	}
	return km, nil
}

// Rule returns blocking rule i (with defaults applied: Window set).
func (km *KeyMaker) Rule(i int) settings.BlockingRule { return km.rules[i].rule }

// Keys appends to dst the keys of row i of f: one per rule whose key
// columns all have a value at i. It hashes with FNV-1a (as hash/fnv's
// New64a, without its allocation) and builds each distinct sort value
// once per row: it runs for every record of every batch.
func (km *KeyMaker) Keys(f *Frame, i int, dst []RowKey) []RowKey {
	var sb []byte
	var sortBuf [16]string
	var madeBuf [16]bool
	sorts, made := sortBuf[:0], madeBuf[:0]
	if len(km.rules) > len(sortBuf) {
		sorts, made = make([]string, 0, len(km.rules)), make([]bool, 0, len(km.rules))
	}
	sorts, made = sorts[:len(km.rules)], made[:len(km.rules)]
	for r := range km.rules {
		kr := &km.rules[r]
		h, ok := kr.hash(f, i)
		if !ok {
			continue
		}
		o := r
		if kr.sameSort >= 0 {
			o = kr.sameSort
		}
		if !made[o] && len(kr.sortBy) > 0 {
			sb = kr.appendSort(f, i, sb[:0])
			sorts[o], made[o] = string(sb), true
		}
		dst = append(dst, RowKey{Rule: r, Hash: h, Sort: sorts[o]})
	}
	return dst
}

// Key returns row i's key of rule r alone, as Keys gives it; false when
// the row has none (a key column without a value). The registry builds
// a block's entries from its members' rows with it (one rule of each,
// not all of them: Keys made the registry's frameWide cost more than
// the store reads it saved, reg17).
func (km *KeyMaker) Key(f *Frame, i, r int) (RowKey, bool) {
	kr := &km.rules[r]
	h, ok := kr.hash(f, i)
	if !ok {
		return RowKey{}, false
	}
	var sb []byte
	if len(kr.sortBy) > 0 {
		sb = kr.appendSort(f, i, make([]byte, 0, 32))
	}
	return RowKey{Rule: r, Hash: h, Sort: string(sb)}, true
}

// hash is rule kr's key hash of row i of f, false when a key column has
// no value there.
func (kr *keyRule) hash(f *Frame, i int) (uint64, bool) {
	h := uint64(fnvOffset)
	for _, p := range kr.parts {
		c := &f.cols[p.col]
		v := c.vals.at(i)
		if c.date {
			v = p.value(v)
		}
		if v == 0 {
			return 0, false
		}
		h = fnvByte(h, byte(p.col))
		if c.date {
			h = fnvByte(fnvByte(fnvByte(fnvByte(h, byte(v>>24)), byte(v>>16)), byte(v>>8)), byte(v))
		} else {
			h = fnvByte(fnvString(h, c.dict.at(v)), 0)
		}
	}
	return h, true
}

// appendSort appends rule kr's sort value of row i of f to sb.
func (kr *keyRule) appendSort(f *Frame, i int, sb []byte) []byte {
	for q, p := range kr.sortBy {
		if q > 0 {
			sb = append(sb, 0)
		}
		sb = f.appendSortValue(sb, p, i)
	}
	return sb
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// ScorePairs scores the given pairs of f's rows with the trained model of
// s, exactly as Predict scores a candidate pair, and returns those at or
// above the review threshold (A < B in each), in the order given. Pairs
// the link type does not compare are skipped.
func ScorePairs(f *Frame, s *settings.Settings, pairs [][2]int32) ([]Pair, error) {
	sd := *s.WithDefaults()
	s = &sd
	if s.Model == nil {
		return nil, fmt.Errorf("score pairs: settings %q have no trained model", s.Name)
	}
	c, err := compile(s, f)
	if err != nil {
		return nil, fmt.Errorf("score pairs: %w", err)
	}
	ws := newWeights(c, s.Model, s.Training.Prior)
	minW := logit2(s.Thresholds.Review)
	g := make([]uint8, len(c.comps))
	rest := make([]float64, len(c.comps))
	pb := newPairBound(c, ws)
	jw := newJWMemo()
	var out []Pair
	for _, p := range pairs {
		a, b := p[0], p[1]
		if a > b {
			a, b = b, a
		}
		if a == b || !f.pairAllowed(s.LinkType, a, b) {
			continue
		}
		if !pb.gammas(c, ws, f, g, rest, a, b, minW, jw) {
			continue // below the review threshold whatever the rest says
		}
		if sc := ws.score(c, f, g, a, b); sc >= minW {
			out = append(out, Pair{A: a, B: b, Weight: float32(sc)})
		}
	}
	return out, nil
}

// MatchWeight returns the match weight (log2 odds) of a probability, the
// unit of Pair.Weight.
func MatchWeight(p float64) float64 { return logit2(p) }

// FreezeTermFrequencies records in s's model the term frequencies of f's
// columns that comparisons adjust on (values seen at least twice; others
// count as seen once), so that frames built from s afterwards score a
// pair the same whatever other records they hold — as an incremental
// registry must, and as every instance sharing the model must.
func FreezeTermFrequencies(f *Frame, s *settings.Settings) error {
	if s.Model == nil {
		return fmt.Errorf("freeze term frequencies: settings %q have no trained model", s.Name)
	}
	n := float64(f.Len())
	if n == 0 {
		return fmt.Errorf("freeze term frequencies: no records")
	}
	tf := map[string]map[string]float64{}
	for _, sc := range s.Comparisons {
		for _, l := range sc.Levels {
			if l.TF == "" {
				continue
			}
			ci, ok := f.byName[l.TF]
			if !ok {
				return fmt.Errorf("freeze term frequencies: unknown column %q", l.TF)
			}
			c := &f.cols[ci]
			if c.date || tf[l.TF] != nil {
				continue
			}
			m := map[string]float64{}
			for id, cnt := range c.counts {
				if id > 0 && cnt >= 2 {
					m[strings.Clone(c.dict.at(uint32(id)))] = float64(cnt) / n
				}
			}
			tf[l.TF] = m
		}
	}
	s.Model.TermFrequencies = tf
	s.Model.TermFloor = 1 / n
	return nil
}
