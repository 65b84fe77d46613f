package matching

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Explanation is the waterfall of one pair's match weight: the prior, then
// each comparison's level and weight, then the total.
type Explanation struct {
	A, B        string
	Prior       float64
	Steps       []Step
	Total       float64
	Probability float64
	Err         error
}

// Step is one comparison's contribution.
type Step struct {
	Comparison string
	Level      string
	ValueA     string
	ValueB     string
	Weight     float64 // log2(m/u), scaled by OCR confidence
	TF         float64 // term-frequency adjustment
}

// ExplainPair explains rows a and b of f under the trained settings s.
func ExplainPair(f *Frame, s *settings.Settings, a, b int32) *Explanation {
	x, err := newExplainer(f, s)
	if err != nil {
		return &Explanation{A: f.ID(int(a)), B: f.ID(int(b)), Err: err}
	}
	return x.explain(a, b)
}

// explainer explains many pairs of one frame.
type explainer struct {
	f  *Frame
	s  *settings.Settings
	c  *compiled
	ws *weights
}

func newExplainer(f *Frame, s *settings.Settings) (*explainer, error) {
	if s.Model == nil {
		return nil, fmt.Errorf("explain: settings have no trained model")
	}
	c, err := compile(s, f)
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	return &explainer{f: f, s: s, c: c, ws: newWeights(c, s.Model, s.Training.Prior)}, nil
}

func (x *explainer) explain(a, b int32) *Explanation {
	f, s, c, ws := x.f, x.s, x.c, x.ws
	e := &Explanation{A: f.ID(int(a)), B: f.ID(int(b))}
	e.Prior = ws.prior
	e.Total = ws.prior
	gs := make([]uint8, len(s.Comparisons))
	for k := range gs {
		gs[k] = c.gamma(f, k, a, b)
	}
	void := c.bonusVoid(gs)
	for k, sc := range s.Comparisons {
		g := gs[k]
		st := Step{Comparison: sc.Name}
		switch {
		case g == 0:
			st.Level = "null"
			if once := c.countedIn(f, k, a, b); once >= 0 {
				st.Level += " (counted in " + s.Comparisons[once].Name + ")"
			}
		case int(g) <= len(sc.Levels):
			st.Level = sc.Levels[g-1].Label
		default:
			st.Level = "else"
		}
		col := sc.NullColumns[0]
		st.ValueA, st.ValueB = f.Value(col, int(a)), f.Value(col, int(b))
		st.Weight, st.TF = ws.weight(c, f, k, g, a, b)
		if tf := noBonus(st.TF, void); tf != st.TF {
			st.Level += " (no term-frequency bonus: no_tf_bonus_when)"
			st.TF = tf
		}
		if ws.foldedOut(k, gs) {
			st.Level += " (folded: counted in its twin)"
			st.Weight, st.TF = 0, 0
		} else if adj, given := ws.depOf(k, gs); given >= 0 {
			if cc := &c.comps[k]; cc.conf >= 0 {
				adj *= math.Min(f.confidence(cc.conf, int(a)), f.confidence(cc.conf, int(b)))
			}
			st.Level += " (u given " + s.Comparisons[given].Name + ")"
			st.Weight -= adj
		}
		e.Total += st.Weight + st.TF
		e.Steps = append(e.Steps, st)
	}
	e.Probability = probability(e.Total)
	return e
}

// String prints the waterfall. Values are shown as the engine holds them
// (normalised); callers printing at info level should mask them.
func (e *Explanation) String() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	// The comparison and level columns are as wide as their longest
	// entries: fixed at 20 and 38, a level of 46 characters ("another
	// province, the number names the other's", or one with "(u given
	// …)") pushed its row's weights out of their columns, on the desk
	// too; and the lines stay short enough for the desk's box at 1280 px
	// (user31).
	cw, lw := utf8.RuneCountInString("comparison"), utf8.RuneCountInString("level")
	for _, s := range e.Steps {
		cw = max(cw, utf8.RuneCountInString(s.Comparison))
		lw = max(lw, utf8.RuneCountInString(s.Level))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s ↔ %s\n", e.A, e.B)
	fmt.Fprintf(&b, "%-*s %-*s %8s %8s %9s\n", cw, "comparison", lw, "level", "weight", "tf adj", "running")
	run := e.Prior
	fmt.Fprintf(&b, "%-*s %-*s %+8.2f %8s %+9.2f\n", cw, "prior (λ)", lw, "", e.Prior, "", run)
	for _, s := range e.Steps {
		run += s.Weight + s.TF
		tf := ""
		if s.TF != 0 {
			tf = fmt.Sprintf("%+8.2f", s.TF)
		}
		fmt.Fprintf(&b, "%-*s %-*s %+8.2f %8s %+9.2f   %q | %q\n", cw, s.Comparison, lw, s.Level, s.Weight, tf, run, s.ValueA, s.ValueB)
	}
	fmt.Fprintf(&b, "%-*s %-*s %+8.2f %8s %9s\n", cw, "total", lw, "", e.Total, "", "")
	fmt.Fprintf(&b, "match probability %.6f\n", e.Probability)
	return b.String()
}

// Short lists the comparisons that weigh most, for conflict explanations.
func (e *Explanation) Short() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	var parts []string
	for _, s := range e.Steps {
		w := s.Weight + s.TF
		if math.Abs(w) >= 1 {
			parts = append(parts, fmt.Sprintf("%s %s %+.1f", s.Comparison, s.Level, w))
		}
	}
	return strings.Join(parts, ", ")
}
