package matching

import (
	"fmt"
	"strings"

	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/vn"
)

// GuardPossibleMatch is the guard kind of the links Cluster does not make
// because they rest on a common name and a birthday alone (possibleRule):
// the two records are kept apart and Summarise raises the pair as a
// possible_match conflict.
const GuardPossibleMatch = "possible_match"

// possibleRule tells a possible match from a link (acc53, acc54): a
// national register does not merge two citizens on a common name and a
// birthday alone. A pair of records of the Vietnamese adapter is one when
//
//   - its address comparison lands on else (no province in common, and
//     no number naming the other's province),
//   - its identification numbers do not agree (the id_number comparison
//     at none of its levels but a CMND on one side and a number on the
//     other, or null) and one record has no valid 12-digit number (two
//     valid numbers are the guards' to part or join),
//   - its parents' names do not agree (the parents comparison at none of
//     its exact levels), and
//   - the register is expected to hold at least Thresholds.Namesakes
//     other persons of each record's full name, sex and one birth date
//     (vn.Namesakes).
//
// Whatever its weight, such a link cannot tell the person from his
// namesakes: Cluster does not make it (the records may still be one
// person through other records' stronger links) and Summarise raises the
// pair, when its persons stay apart and the guards would let them be
// one, as a possible_match conflict: visible and reviewable on demand,
// not a mandatory review item. The rule reads only the pair's two
// records, so the streaming registry, clustering a batch's components
// with Cluster, decides it as dancu link does.
type possibleRule struct {
	c                          *compiled
	addr, id, par              int    // comparison indices
	addrElse                   uint8  // the address comparison's else level
	idAgree, parAgree          []bool // levels on which numbers, parents agree
	valid                      int    // the frame's valid 12-digit number column
	family, middle, given, sex int    // the frame's name and sex columns
	min                        float64
	lam                        map[int32]float64 // λ of the rows asked, by row
}

// newPossibleRule returns the rule of s on f, compiled as c (nil: compiled
// here), or nil when s turns it off (Thresholds.Namesakes < 0) or f and s
// lack the columns and comparisons it reads.
func newPossibleRule(f *Frame, s *settings.Settings, c *compiled) (*possibleRule, error) {
	min := s.Thresholds.Namesakes
	if min == 0 {
		min = 1
	}
	if min < 0 {
		return nil, nil
	}
	col := func(n string) int {
		if i, ok := f.byName[n]; ok {
			return i
		}
		return -1
	}
	r := &possibleRule{valid: col("id_valid"), family: col("family"), middle: col("middle"), given: col("given"), sex: col("sex"), min: min}
	if r.valid < 0 || r.family < 0 || r.middle < 0 || r.given < 0 || r.sex < 0 {
		return nil, nil
	}
	r.addr, r.id, r.par = -1, -1, -1
	for k, sc := range s.Comparisons {
		switch sc.Name {
		case "address":
			r.addr = k
		case "id_number":
			r.id = k
		case "parents":
			r.par = k
		}
	}
	if r.addr < 0 || r.id < 0 || r.par < 0 {
		return nil, nil
	}
	if c == nil {
		var err error
		if c, err = compile(s, f); err != nil {
			return nil, err
		}
	}
	r.c = c
	r.addrElse = uint8(len(s.Comparisons[r.addr].Levels) + 1)
	agree := func(sc settings.Comparison, yes func(op string) bool) []bool {
		set := make([]bool, len(sc.Levels)+2)
		for li, lv := range sc.Levels {
			set[li+1] = yes(lv.Op)
		}
		return set
	}
	r.idAgree = agree(s.Comparisons[r.id], func(op string) bool { return op != "disjoint" })
	r.parAgree = agree(s.Comparisons[r.par], func(op string) bool { return strings.HasPrefix(op, "exact") })
	r.lam = map[int32]float64{}
	return r, nil
}

// holds reports whether the link of rows a and b is a possible match.
func (r *possibleRule) holds(f *Frame, a, b int32) bool {
	v := &f.cols[r.valid].vals
	if v.at(int(a)) != 0 && v.at(int(b)) != 0 {
		return false
	}
	if r.c.gamma(f, r.addr, a, b) != r.addrElse {
		return false
	}
	if r.idAgree[r.c.gamma(f, r.id, a, b)] || r.parAgree[r.c.gamma(f, r.par, a, b)] {
		return false
	}
	return r.namesakes(f, a) >= r.min && r.namesakes(f, b) >= r.min
}

// namesakes is vn.Namesakes of row i's name and sex, remembered.
func (r *possibleRule) namesakes(f *Frame, i int32) float64 {
	if l, ok := r.lam[i]; ok {
		return l
	}
	text := func(ci int) string { c := &f.cols[ci]; return c.dict.at(c.vals.at(int(i))) }
	l := vn.Namesakes(text(r.family), text(r.middle), text(r.given), strings.HasPrefix(strings.ToUpper(text(r.sex)), "F"))
	r.lam[i] = l
	return l
}

// why is the reason a possible match is not joined, for Blocked and the
// conflict's explanation.
func (r *possibleRule) why(f *Frame, a, b int32) string {
	return fmt.Sprintf("a full name and a birthday alone (addresses in no common province, no number or parent agreeing), a name and day the national register holds %.1f times: a possible match, not a merge",
		min(r.namesakes(f, a), r.namesakes(f, b)))
}
