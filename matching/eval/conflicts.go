package eval

import (
	"fmt"
	"sort"
	"strings"
)

// ConflictRef is a conflict reduced to what evaluation compares: kind,
// numbers and records.
type ConflictRef struct {
	Kind    string
	Numbers []string
	Records []string
}

// ConflictMetrics are per-kind recall and precision of found conflicts
// against planted ones.
type ConflictMetrics struct {
	Kinds []KindMetrics
	// Recall and Precision over all planted kinds.
	Planted, Found, Predicted, Correct int
}

// KindMetrics are one kind's figures.
type KindMetrics struct {
	Kind               string
	Planted, Found     int // planted conflicts, and those found
	Predicted, Correct int // predicted conflicts, and those matching a planted one
}

func (m ConflictMetrics) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %8s %6s %7s %10s %8s %9s\n", "kind", "planted", "found", "recall", "predicted", "correct", "precision")
	for _, k := range m.Kinds {
		fmt.Fprintf(&b, "%-16s %8d %6d %7.3f %10d %8d %9.3f\n", k.Kind, k.Planted, k.Found, ratio(int64(k.Found), int64(k.Planted)),
			k.Predicted, k.Correct, ratio(int64(k.Correct), int64(k.Predicted)))
	}
	fmt.Fprintf(&b, "%-16s %8d %6d %7.3f %10d %8d %9.3f\n", "all planted kinds", m.Planted, m.Found, ratio(int64(m.Found), int64(m.Planted)),
		m.Predicted, m.Correct, ratio(int64(m.Correct), int64(m.Predicted)))
	return b.String()
}

// Conflicts matches predicted conflicts to planted ones: a pair
// matches when the kinds are equal and they share a number or a record.
// Kinds never planted (grey_zone) are left out of precision.
func Conflicts(planted, predicted []ConflictRef) ConflictMetrics {
	kinds := map[string]*KindMetrics{}
	get := func(k string) *KindMetrics {
		if kinds[k] == nil {
			kinds[k] = &KindMetrics{Kind: k}
		}
		return kinds[k]
	}
	overlap := func(a, b ConflictRef) bool {
		if a.Kind != b.Kind {
			return false
		}
		for _, x := range a.Numbers {
			for _, y := range b.Numbers {
				if x != "" && x == y {
					return true
				}
			}
		}
		set := map[string]bool{}
		for _, r := range a.Records {
			set[r] = true
		}
		for _, r := range b.Records {
			if set[r] {
				return true
			}
		}
		return false
	}
	for _, p := range planted {
		k := get(p.Kind)
		k.Planted++
		for _, q := range predicted {
			if overlap(p, q) {
				k.Found++
				break
			}
		}
	}
	for _, q := range predicted {
		k, ok := kinds[q.Kind]
		if !ok {
			continue
		}
		k.Predicted++
		for _, p := range planted {
			if overlap(p, q) {
				k.Correct++
				break
			}
		}
	}
	var m ConflictMetrics
	for _, k := range kinds {
		m.Kinds = append(m.Kinds, *k)
		m.Planted += k.Planted
		m.Found += k.Found
		m.Predicted += k.Predicted
		m.Correct += k.Correct
	}
	sort.Slice(m.Kinds, func(a, b int) bool { return m.Kinds[a].Kind < m.Kinds[b].Kind })
	return m
}
