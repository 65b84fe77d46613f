package ingest

// oneDigitDate reads a date of birth that is impossible as written (day
// 38, month 18, year 2814, a year after the list) by the readings with
// one of its digits changed: each that parses as a full or partial date
// without exchanging day and month and whose year plausible accepts is a
// candidate. Where every candidate is one date, that date; else the month,
// or the year, every candidate shares (the day, or day and month, left
// unknown); else nothing. The readings are all ten digits at every place,
// not a table of what OCR confuses, so a typist's slip is read as an
// OCR's. A date two digits off has no one-digit reading and is dropped as
// before.
func oneDigitDate(v string, plausible func(year int) bool) (date, bool) {
	if len(v) > 40 {
		return date{}, false
	}
	var cands []date
	b := []byte(v)
	for i := range b {
		c := b[i]
		if c < '0' || c > '9' {
			continue
		}
		for x := byte('0'); x <= '9'; x++ {
			if x == c {
				continue
			}
			b[i] = x
			d, ok := parseDate(string(b), false)
			if ok && !d.swapped && plausible(int(d.year)) {
				cands = append(cands, d)
			}
		}
		b[i] = c
	}
	if len(cands) == 0 {
		return date{}, false
	}
	// The longest prefix of the ISO form ("1985-05-08", "1985-05",
	// "1985") every candidate shares, cut at a field's end.
	common := cands[0].iso
	for _, d := range cands[1:] {
		n := 0
		for n < len(common) && n < len(d.iso) && common[n] == d.iso[n] {
			n++
		}
		common = common[:n]
	}
	switch {
	case len(common) >= 10:
		return date{iso: common[:10], year: cands[0].year}, true
	case len(common) >= 7:
		return date{iso: common[:7], year: cands[0].year}, true
	case len(common) >= 4:
		return date{iso: common[:4], year: cands[0].year}, true
	}
	return date{}, false
}
