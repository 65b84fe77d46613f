package matching

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// regexTransform is a column's regex:PATTERN transform, compiled once for
// the column: the regular expression, and whole when the pattern is one
// whose match is the whole value or nothing and that byte checks decide
// (compileWhole).
type regexTransform struct {
	re    *regexp.Regexp
	whole *wholeMatch
}

// compileRegex compiles the pattern of a regex transform; nil when it
// does not compile (Validate refuses such settings, and the transform
// then makes every value missing, as before).
func compileRegex(pat string) *regexTransform {
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil
	}
	return &regexTransform{re: re, whole: compileWhole(pat)}
}

// extract is the transform of v: the first match of the pattern, or its
// capture group; "" when it does not match.
func (t *regexTransform) extract(v string) string {
	if t == nil {
		return ""
	}
	if w := t.whole; w != nil {
		if !w.match(v) {
			return ""
		}
		if w.group {
			return v[w.from:w.to]
		}
		return v
	}
	m := t.re.FindStringSubmatch(v)
	switch {
	case m == nil:
		return ""
	case len(m) > 1:
		return m[1]
	}
	return m[0]
}

// wholeMatch is a pattern anchored at both ends (^…$), without capture
// group (or with one, of ASCII characters in a pattern without .*: see
// group), made of single characters — literals, classes, . — and at most
// one .* (or .+): such as the Vietnamese settings'
// `^\S.* [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}$`, a name, a full date and
// a province code joined. Its match is the whole value or nothing, and
// whether it matches is told by byte checks: the characters before the .*
// from the value's start, those after it (ASCII ones only) from its end,
// and no line feed between for a . that stops at one. The regexp
// package's backtracking and its match slice, on every record of a column
// (0.72 s of CPU in regexp at a million records of dancu link's read,
// issue 13), are then not needed.
type wholeMatch struct {
	head []charSet // a rune each, from the value's start
	// star is 0 when the pattern has no .*, starNotNL for .* (any rune
	// but \n), starAny for (?s).*.
	star int8
	tail []charSet // a byte each (ASCII classes only), at the value's end
	// group: the pattern has one capture group; its match is bytes
	// [from, to) of the value (a pattern with a group is taken only
	// without .* and with ASCII classes alone, so that each character is
	// a byte at a fixed place: the Vietnamese settings' id_province,
	// `^0([0-9]{2})[0-3][0-9]{8}$`).
	group    bool
	from, to int
}

const (
	starNotNL = 1
	starAny   = 2
)

// charSet is a class of runes: the ASCII ones as a bit set, the others as
// ranges (lo, hi pairs, as syntax.Regexp.Rune holds a class).
type charSet struct {
	ascii [2]uint64
	high  []rune
}

// hasByte reports whether the ASCII byte b is in s; false for b ≥ 0x80.
func (s *charSet) hasByte(b byte) bool {
	return b < utf8.RuneSelf && s.ascii[b/64]&(1<<(b%64)) != 0
}

// hasRune reports whether rune r is in s.
func (s *charSet) hasRune(r rune) bool {
	if r < utf8.RuneSelf {
		return s.hasByte(byte(r))
	}
	for i := 0; i+1 < len(s.high); i += 2 {
		if s.high[i] <= r && r <= s.high[i+1] {
			return true
		}
	}
	return false
}

// setOfRanges makes the charSet of ranges (lo, hi pairs).
func setOfRanges(ranges []rune) charSet {
	var s charSet
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
			s.ascii[r/64] |= 1 << (r % 64)
		}
		if hi >= utf8.RuneSelf {
			s.high = append(s.high, max(lo, utf8.RuneSelf), hi)
		}
	}
	return s
}

// maxWholeRepeat bounds x{n} in a pattern compileWhole takes.
const maxWholeRepeat = 64

// compileWhole returns the wholeMatch of pat, or nil when pat is not of
// that form (the regexp package then matches it).
func compileWhole(pat string) *wholeMatch {
	re, err := syntax.Parse(pat, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return nil
	}
	var items []charSet
	star, starAt := int8(0), -1
	group, gFrom, gTo := false, 0, 0
	// one is the charSet of a pattern matching exactly one rune.
	one := func(r *syntax.Regexp) (charSet, bool) {
		switch r.Op {
		case syntax.OpLiteral:
			if len(r.Rune) == 1 && r.Flags&syntax.FoldCase == 0 {
				return setOfRanges([]rune{r.Rune[0], r.Rune[0]}), true
			}
		case syntax.OpCharClass:
			return setOfRanges(r.Rune), true
		case syntax.OpAnyCharNotNL:
			return setOfRanges([]rune{0, '\n' - 1, '\n' + 1, utf8.MaxRune}), true
		case syntax.OpAnyChar:
			return setOfRanges([]rune{0, utf8.MaxRune}), true
		}
		return charSet{}, false
	}
	var add func(r *syntax.Regexp) bool
	add = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpConcat:
			for _, s := range r.Sub {
				if !add(s) {
					return false
				}
			}
			return true
		case syntax.OpEmptyMatch:
			return true
		case syntax.OpCapture:
			if group {
				return false // a second group
			}
			from := len(items)
			if !add(r.Sub[0]) {
				return false
			}
			group, gFrom, gTo = true, from, len(items)
			return true
		case syntax.OpLiteral:
			if r.Flags&syntax.FoldCase != 0 {
				return false
			}
			for _, x := range r.Rune {
				items = append(items, setOfRanges([]rune{x, x}))
			}
			return true
		case syntax.OpRepeat:
			s, ok := one(r.Sub[0])
			if !ok || r.Min != r.Max || r.Max > maxWholeRepeat {
				return false
			}
			for range r.Max {
				items = append(items, s)
			}
			return true
		case syntax.OpStar, syntax.OpPlus:
			if starAt >= 0 {
				return false // a second .*: where each ends is not fixed
			}
			switch r.Sub[0].Op {
			case syntax.OpAnyCharNotNL:
				star = starNotNL
			case syntax.OpAnyChar:
				star = starAny
			default:
				return false
			}
			if r.Op == syntax.OpPlus {
				s, _ := one(r.Sub[0])
				items = append(items, s)
			}
			starAt = len(items)
			return true
		}
		s, ok := one(r)
		if ok {
			items = append(items, s)
		}
		return ok
	}
	for _, s := range re.Sub[1 : len(re.Sub)-1] {
		if !add(s) {
			return nil
		}
	}
	if group {
		if starAt >= 0 {
			return nil // where the group lies would depend on the .*
		}
		for _, s := range items {
			if len(s.high) > 0 {
				return nil // each character a byte: ASCII only
			}
		}
	}
	w := &wholeMatch{head: items, star: star, group: group, from: gFrom, to: gTo}
	if starAt >= 0 {
		w.head, w.tail = items[:starAt], items[starAt:]
		for _, s := range w.tail {
			if len(s.high) > 0 {
				return nil // matched from the end a byte each: ASCII only
			}
		}
	}
	return w
}

// match reports whether the pattern matches the whole of v, as the
// regexp package would: runes decoded as it decodes them (an invalid
// byte is U+FFFD, one byte long).
func (w *wholeMatch) match(v string) bool {
	i := 0
	for k := range w.head {
		if i >= len(v) {
			return false
		}
		if b := v[i]; b < utf8.RuneSelf {
			if !w.head[k].hasByte(b) {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(v[i:])
		if !w.head[k].hasRune(r) {
			return false
		}
		i += n
	}
	if w.star == 0 {
		return i == len(v)
	}
	// The tail's characters are ASCII, each a byte of its own wherever it
	// is (no byte of a longer rune is below 0x80): they are the last
	// len(tail) bytes, and the .* holds what lies between.
	j := len(v) - len(w.tail)
	if j < i {
		return false
	}
	for k := range w.tail {
		if !w.tail[k].hasByte(v[j+k]) {
			return false
		}
	}
	return w.star == starAny || strings.IndexByte(v[i:j], '\n') < 0
}
