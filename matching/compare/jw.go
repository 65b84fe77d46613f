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
