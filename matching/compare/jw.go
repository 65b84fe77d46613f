package compare

// maxStack is the longest string compared with stack buffers only; longer
// strings are truncated to it (names and addresses are far shorter).
const maxStack = 64

// Jaro returns the Jaro similarity of a and b in [0, 1].
// Both empty gives 1; one empty gives 0.
func Jaro(a, b []rune) float64 {
	if len(a) > maxStack {
		a = a[:maxStack]
	}
	if len(b) > maxStack {
		b = b[:maxStack]
	}
	la, lb := len(a), len(b)
	if la == 0 && lb == 0 {
		return 1
	}
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b = b, a
		la, lb = lb, la
	}
	win := lb/2 - 1
	if win < 0 {
		win = 0
	}
	var ma, mb [maxStack]bool
	m := 0
	for i := 0; i < la; i++ {
		lo := i - win
		if lo < 0 {
			lo = 0
		}
		hi := i + win + 1
		if hi > lb {
			hi = lb
		}
		c := a[i]
		for j := lo; j < hi; j++ {
			if b[j] == c && !mb[j] {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t := 0
	k := 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	return (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
}

// JaroWinkler returns the Jaro–Winkler similarity of a and b with the
// usual prefix scale 0.1 over at most 4 common leading runes.
func JaroWinkler(a, b []rune) float64 {
	j := Jaro(a, b)
	if j <= 0.7 {
		return j
	}
	p := 0
	for p < 4 && p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	return j + float64(p)*0.1*(1-j)
}

// JaroWinklerBound returns an upper bound of JaroWinkler(a, b) that costs
// one pass over each string and no comparison of positions: Jaro's
// matches m are at most the runes of the shorter string that occur
// anywhere in the other (a 64-bit set of the other's runes, by rune mod
// 64: a collision only loosens the bound), with no transpositions, and
// the Winkler prefix is counted as JaroWinkler counts it. A caller that
// needs only whether the similarity reaches a threshold can skip the
// comparison when the bound is below it — most pairs of different names
// share too few letters to come near 0.8. Strings longer than the 64
// runes Jaro compares return 1 (no bound).
func JaroWinklerBound(a, b []rune) float64 {
	la, lb := len(a), len(b)
	if la > maxStack || lb > maxStack {
		return 1
	}
	if la == 0 || lb == 0 {
		if la == lb {
			return 1
		}
		return 0
	}
	p := 0
	for p < 4 && p < la && p < lb && a[p] == b[p] {
		p++
	}
	s, l := a, b
	if la > lb {
		s, l = b, a
	}
	var set uint64
	for _, r := range l {
		set |= 1 << (uint32(r) & 63)
	}
	m := 0
	for _, r := range s {
		if set&(1<<(uint32(r)&63)) != 0 {
			m++
		}
	}
	if m == 0 {
		return 0
	}
	fm := float64(m)
	j := (fm/float64(len(s)) + fm/float64(len(l)) + 1) / 3
	if j <= 0.7 {
		return j
	}
	return j + float64(p)*0.1*(1-j)
}
