package synth

// rates are the probabilities of each kind of noise, per record (or per
// letter where said). defaultRates are the rates at noise level 1; scale
// multiplies them for other levels, and level 0 gives clean records.
type rates struct {
	zero bool

	nameNoDiacritics float64 // full name without diacritics
	toneFlip         float64 // other tone-mark style (hòa ↔ hoà)
	nfd              float64 // text in NFD
	upper            float64 // whole name in upper case (spreadsheets; scans are always upper)
	nameTypo         float64 // one typing error in the name
	middleOmitted    float64 // middle name left out
	ocrRecord        float64 // share of scanned records that carry OCR errors
	ocrLetter        float64 // per letter, in those records
	ocrDigits        float64 // one digit misread in a number (scans)
	yearOnly         float64 // date of birth written as the year only
	swapDayMonth     float64 // day and month swapped (only when both ≤ 12)
	idMissing        float64 // identification number left blank
	idTypo           float64 // one serial digit mistyped or two swapped
	cmndMissing      float64 // CMND left blank although the person has one
	sexMissing       float64
	parentMissing    float64 // father's or mother's name left blank
	addrAbbrev       float64 // unit types abbreviated
	addrDropLevel    float64 // district or province left out
	addrDropDetail   float64 // house number / village left out
	addrNoDiacritics float64
}

func defaultRates() rates {
	return rates{
		nameNoDiacritics: 0.06,
		toneFlip:         0.30,
		nfd:              0.04,
		upper:            0.10,
		nameTypo:         0.03,
		middleOmitted:    0.04,
		ocrRecord:        0.50,
		ocrLetter:        0.02,
		ocrDigits:        0.03,
		yearOnly:         0.04,
		swapDayMonth:     0.02,
		idMissing:        0.12,
		idTypo:           0.02,
		cmndMissing:      0.40,
		sexMissing:       0.01,
		parentMissing:    0.25,
		addrAbbrev:       0.40,
		addrDropLevel:    0.15,
		addrDropDetail:   0.15,
		addrNoDiacritics: 0.06,
	}
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// scale returns the rates multiplied by level (clamped to [0,1]).
func (r rates) scale(level float64) rates {
	if level <= 0 {
		return rates{zero: true}
	}
	s := func(x float64) float64 { return clamp01(x * level) }
	return rates{
		nameNoDiacritics: s(r.nameNoDiacritics), toneFlip: s(r.toneFlip), nfd: s(r.nfd), upper: s(r.upper),
		nameTypo: s(r.nameTypo), middleOmitted: s(r.middleOmitted), ocrRecord: s(r.ocrRecord), ocrLetter: s(r.ocrLetter),
		ocrDigits: s(r.ocrDigits), yearOnly: s(r.yearOnly), swapDayMonth: s(r.swapDayMonth), idMissing: s(r.idMissing),
		idTypo: s(r.idTypo), cmndMissing: s(r.cmndMissing), sexMissing: s(r.sexMissing), parentMissing: s(r.parentMissing),
		addrAbbrev: s(r.addrAbbrev), addrDropLevel: s(r.addrDropLevel), addrDropDetail: s(r.addrDropDetail),
		addrNoDiacritics: s(r.addrNoDiacritics),
	}
}
