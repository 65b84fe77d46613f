package address

// editCost is the cost of typing b as a, in half edits, or max+1 when it
// is more than max. A plain insertion, deletion, substitution or swap of
// neighbours costs 2; what people and OCR do most costs 1: a key next to
// the right one on a QWERTY keyboard, letters OCR confuses (m/n, i/l,
// u/n, h/b, c/e), a letter doubled, a space dropped or added. Both are
// folded keys (ASCII, single spaces). It does not allocate.
func editCost(a, b string, max int) int {
	const n = 48
	if len(a) > n {
		a = a[:n]
	}
	if len(b) > n {
		b = b[:n]
	}
	la, lb := len(a), len(b)
	if d := la - lb; d > max || -d > max {
		return max + 1
	}
	var r0, r1, r2 [n + 1]int32
	var ins [n + 1]int32
	for j := 1; j <= lb; j++ {
		ins[j] = int32(insCost(b[j-1]))
		r1[j] = r1[j-1] + ins[j]
	}
	m := int32(max)
	for i := 1; i <= la; i++ {
		ai := a[i-1]
		dc := int32(delCost(a, i-1))
		r2[0] = r1[0] + dc
		best := r2[0]
		for j := 1; j <= lb; j++ {
			bj := b[j-1]
			v := r1[j-1]
			if ai != bj {
				if x, y := ai-'a', bj-'a'; x < 26 && y < 26 && near[x]&(1<<y) != 0 {
					v++
				} else {
					v += 2
				}
			}
			if x := r1[j] + dc; x < v {
				v = x
			}
			if x := r2[j-1] + ins[j]; x < v {
				v = x
			}
			if i > 1 && j > 1 && ai == b[j-2] && a[i-2] == bj {
				if x := r0[j-2] + 2; x < v {
					v = x
				}
			}
			r2[j] = v
			if v < best {
				best = v
			}
		}
		if best > m {
			return max + 1
		}
		r0, r1, r2 = r1, r2, r0
	}
	if r1[lb] > m {
		return max + 1
	}
	return int(r1[lb])
}

func insCost(c byte) int {
	if c == ' ' {
		return 1
	}
	return 2
}

// delCost is the cost of a character of a that b does not have: cheap
// for a space or a letter typed twice.
func delCost(a string, i int) int {
	if a[i] == ' ' || i > 0 && a[i] == a[i-1] {
		return 1
	}
	return 2
}

func subCost(x, y byte) int {
	switch {
	case x == y:
		return 0
	case x == ' ' || y == ' ':
		return 2
	case 'a' <= x && x <= 'z' && 'a' <= y && y <= 'z' && near[x-'a']&(1<<(y-'a')) != 0:
		return 1
	}
	return 2
}

// near[x] has bit y set when typing y for x is a common slip: keys next
// to each other on a QWERTY keyboard, letters OCR confuses.
var near = func() (t [26]uint32) {
	pairs := []string{
		"qw", "we", "er", "rt", "ty", "yu", "ui", "io", "op", "as", "sd", "df", "fg", "gh", "hj", "jk", "kl",
		"zx", "xc", "cv", "vb", "bn", "nm", "qa", "ws", "ed", "rf", "tg", "yh", "uj", "ik", "ol", "az", "sx",
		"dc", "fv", "gb", "hn", "jm", "wa", "es", "rd", "tf", "yg", "uh", "ij", "ok", "pl",
		"mn", "il", "un", "hb", "ce", "uv", "ao", "ec", "rn",
	}
	for _, p := range pairs {
		x, y := p[0]-'a', p[1]-'a'
		t[x] |= 1 << y
		t[y] |= 1 << x
	}
	return t
}()
