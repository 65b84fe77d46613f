package compare

// OSA returns the optimal string alignment distance (Levenshtein with
// adjacent transpositions, each substring edited once) between a and b,
// or max+1 when it exceeds max. It allocates nothing for strings of up to
// 64 bytes; longer ones are compared on their first 64 bytes.
func OSA(a, b string, max int) int {
	if len(a) > maxStack {
		a = a[:maxStack]
	}
	if len(b) > maxStack {
		b = b[:maxStack]
	}
	la, lb := len(a), len(b)
	if d := la - lb; d > max || -d > max {
		return max + 1
	}
	if la == 0 {
		return lb
	}
	if lb == 0 {
		return la
	}
	var r0, r1, r2 [maxStack + 1]int // rows i-2, i-1, i
	for j := 0; j <= lb; j++ {
		r1[j] = j
	}
	for i := 1; i <= la; i++ {
		r2[0] = i
		best := r2[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := r1[j-1] + cost
			if x := r1[j] + 1; x < v {
				v = x
			}
			if x := r2[j-1] + 1; x < v {
				v = x
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if x := r0[j-2] + 1; x < v {
					v = x
				}
			}
			r2[j] = v
			if v < best {
				best = v
			}
		}
		if best > max {
			return max + 1
		}
		r0, r1 = r1, r2
	}
	if r1[lb] > max {
		return max + 1
	}
	return r1[lb]
}

// WithinOneEdit reports whether a and b differ by at most one substitution,
// insertion, deletion or transposition of adjacent bytes: the "one digit
// off" test on identification numbers, in a single pass.
func WithinOneEdit(a, b string) bool {
	la, lb := len(a), len(b)
	if la == lb {
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		if i == la {
			return true
		}
		// substitution at i
		if a[i+1:] == b[i+1:] {
			return true
		}
		// transposition at i, i+1
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	if la-lb == 1 || lb-la == 1 {
		if la < lb {
			a, b = b, a
		}
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return a[i+1:] == b[i:]
	}
	return false
}
