package settings

import (
	"fmt"
	"strings"
)

// keyInputs returns the input fields a blocking key depends on: the
// column's lineage, or for the year (the birthday) of a date built from
// parts, the year field (the month and day fields) alone.
func keyInputs(s *Settings, key string) []string {
	base, part, _ := strings.Cut(key, ".")
	for _, c := range s.Columns {
		if c.Name != base {
			continue
		}
		if p := c.DateParts; p != nil {
			switch part {
			case "year":
				return []string{p.Year}
			case "monthday":
				var out []string
				for _, f := range []string{p.Month, p.Day} {
					if f != "" {
						out = append(out, f)
					}
				}
				return out
			}
		}
		return Lineage(c)
	}
	return nil
}

// BlockingEscapes lists, as warnings, the sets of one or two input fields
// whose errors escape every blocking rule: each rule keys on one of them,
// so a matching pair differing in them (two typos, first and last name
// swapped, a blank and a typo) is never compared. It reads the settings
// only; dancu settings check and dancu train print it.
func BlockingEscapes(s *Settings) []string {
	if len(s.Blocking) == 0 {
		return nil
	}
	sd := *s.WithDefaults()
	rules := make([]map[string]bool, len(sd.Blocking))
	var fields []string
	seen := map[string]bool{}
	for i, r := range sd.Blocking {
		rules[i] = map[string]bool{}
		for _, k := range r.Keys {
			for _, in := range keyInputs(&sd, k) {
				rules[i][in] = true
				if !seen[in] {
					seen[in] = true
					fields = append(fields, in)
				}
			}
		}
	}
	hits := func(set ...string) bool {
		for _, r := range rules {
			any := false
			for _, f := range set {
				any = any || r[f]
			}
			if !any {
				return false
			}
		}
		return true
	}
	var out []string
	single := map[string]bool{}
	for _, f := range fields {
		if hits(f) {
			single[f] = true
			out = append(out, fmt.Sprintf("every rule keys on %s: a match with %s blank or mistyped is never compared — add a rule without it", f, f))
		}
	}
	var pairs []string
	for x := 0; x < len(fields); x++ {
		for y := x + 1; y < len(fields); y++ {
			if !single[fields[x]] && !single[fields[y]] && hits(fields[x], fields[y]) {
				pairs = append(pairs, fields[x]+" and "+fields[y])
			}
		}
	}
	if len(pairs) > 0 {
		out = append(out, fmt.Sprintf("every rule keys on one of %s: a match differing in both (two typos, first and last name swapped, a blank and a typo) is never compared — add rules on other fields (one that ignores the names' order: a column {join: [FIRST, LAST], transforms: [fold, sorted_words]}), see \"Blocking that finds the matches\" in dancu settings doc",
			strings.Join(pairs, "; ")))
	}
	return out
}
