package matching

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"strings"
)

// A person's guard summary (clusterSummary) is kept by the registry for
// every person (key space g), so its encoding is paid for once a person
// at every scale (issue 9: the registry's bytes per record). Until reg25
// it was JSON, a hundred bytes of field names, brackets and a person's
// date of birth written three to four times; since reg25 it is the
// binary form below, which decodeSummary reads beside the JSON of the
// stores written before (the first byte tells them apart: JSON starts
// with '{').
//
//	summaryBinary, uvarint n (the guards), then per guard:
//	  uvarint c<<2 | span: c values (below), then the birth years' span:
//	    span 0: none (YearLo = YearHi = MonthDay = 0)
//	    span 1: zig-zag varints YearLo, YearHi − YearLo, MonthDay
//	    span 2, 3: uvarint k: YearLo = YearHi = the year of the k-th value
//	      of the summary (counted over every guard, in order), a date;
//	      MonthDay its month×100 + day (2) or 0 (3)
//	a value: uvarint h, its kind in h's low 3 bits, then
//	  0 text: h>>3 bytes
//	  1 digits: h>>3 decimal digits (1–19, leading zeros kept), as an
//	    integer in as few big-endian bytes as that many digits need
//	  2 date "YYYY-MM-DD" (month ≤ 15, day ≤ 31): 3 bytes, year<<9 |
//	    month<<5 | day
//	  3 the (h>>3)-th value of the summary (an earlier one), again
//	  4 h>>3 parts (each a value of kind 0–3) joined by spaces: a text
//	    ending in a date or a number ("nguyen van an 1985-03-12 79",
//	    the name_birth guard's values), the date usually kind 3
//
// A year span equal to a date the summary holds (a person whose records
// agree on one full date of birth: the year_span guard and the full_date
// guard of the same column) is written as the date's number alone.
const summaryBinary = 0x02

// digitBytes[n] is the number of bytes the integers of n decimal digits
// need (n ≤ 19: below 2⁶⁴).
var digitBytes = func() (nb [20]int) {
	p := uint64(1)
	for n := 1; n < len(nb); n++ {
		p *= 10
		nb[n] = (bits.Len64(p-1) + 7) / 8
	}
	return nb
}()

// Value kinds of the binary summary.
const (
	valText = iota
	valDigits
	valDate
	valRef
	valJoined
)

// appendSummaryBinary appends st in the binary form to b.
func appendSummaryBinary(b []byte, st clusterSummary) []byte {
	n := max(len(st.Values), len(st.YearLo), len(st.YearHi), len(st.MonthDay))
	b = binary.AppendUvarint(append(b, summaryBinary), uint64(n))
	for gi := 0; gi < n; gi++ {
		var vs []string
		if gi < len(st.Values) {
			vs = st.Values[gi]
		}
		lo, hi, md := intAt(st.YearLo, gi), intAt(st.YearHi, gi), intAt(st.MonthDay, gi)
		span, k := 1, 0
		switch {
		case lo == 0 && hi == 0 && md == 0:
			span = 0
		case lo == hi:
			// A date of the summary that says the span (the full_date
			// guard of the same column: a person whose records agree on
			// one date of birth), by its number among all the values.
			i := 0
		find:
			for _, o := range st.Values {
				for _, v := range o {
					if y, m, d, ok := packableDate(v); ok && y == lo && (md == 0 || md == m*100+d) {
						span, k = 2, i
						if md == 0 {
							span = 3
						}
						break find
					}
					i++
				}
			}
		}
		b = binary.AppendUvarint(b, uint64(len(vs))<<2|uint64(span))
		for j, v := range vs {
			b = appendSummaryValue(b, v, st.Values[:gi], vs[:j])
		}
		switch span {
		case 1:
			b = binary.AppendVarint(b, int64(lo))
			b = binary.AppendVarint(b, int64(hi)-int64(lo))
			b = binary.AppendVarint(b, int64(md))
		case 2, 3:
			b = binary.AppendUvarint(b, uint64(k))
		}
	}
	return b
}

// intAt is xs[i], 0 past its end.
func intAt(xs []int, i int) int {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

// appendSummaryValue appends value v of a summary; the values before it
// are the guards' before (before) and its own guard's (own).
func appendSummaryValue(b []byte, v string, before [][]string, own []string) []byte {
	if b2, ok := appendValuePart(b, v, before, own); ok {
		return b2
	}
	// A text ending in dates and numbers ("nguyen van an 1985-03-12
	// 79"): the text, then each of them.
	cut, parts := len(v), 1
	for {
		sp := strings.LastIndexByte(v[:cut], ' ')
		if sp < 0 || !compactPart(v[sp+1:cut], before, own) {
			break
		}
		cut, parts = sp, parts+1
	}
	if parts == 1 {
		return appendText(b, v)
	}
	b = binary.AppendUvarint(b, uint64(parts)<<3|valJoined)
	b = appendText(b, v[:cut])
	for cut < len(v) {
		end := len(v)
		if j := strings.IndexByte(v[cut+1:], ' '); j >= 0 {
			end = cut + 1 + j
		}
		b, _ = appendValuePart(b, v[cut+1:end], before, own)
		cut = end
	}
	return b
}

// refOf returns the number in the summary of an earlier value equal to
// v: among the guards' before and its own guard's.
func refOf(v string, before [][]string, own []string) (int, bool) {
	i := 0
	for _, vs := range before {
		for _, o := range vs {
			if o == v {
				return i, true
			}
			i++
		}
	}
	for _, o := range own {
		if o == v {
			return i, true
		}
		i++
	}
	return 0, false
}

// compactPart reports whether a part of a value is written shorter than
// as text: an earlier value, a number or a date (appendValuePart).
func compactPart(t string, before [][]string, own []string) bool {
	if _, ok := refOf(t, before, own); ok {
		return true
	}
	if _, _, _, ok := packableDate(t); ok {
		return true
	}
	_, ok := digits(t)
	return ok
}

// appendValuePart appends v as an earlier value, a number or a date, and
// reports whether it is one.
func appendValuePart(b []byte, v string, before [][]string, own []string) ([]byte, bool) {
	if i, ok := refOf(v, before, own); ok {
		return binary.AppendUvarint(b, uint64(i)<<3|valRef), true
	}
	if y, m, d, ok := packableDate(v); ok {
		x := y<<9 | m<<5 | d
		return append(b, valDate, byte(x>>16), byte(x>>8), byte(x)), true
	}
	if x, ok := digits(v); ok {
		b = binary.AppendUvarint(b, uint64(len(v))<<3|valDigits)
		for i := digitBytes[len(v)] - 1; i >= 0; i-- {
			b = append(b, byte(x>>(8*i)))
		}
		return b, true
	}
	return b, false
}

func appendText(b []byte, v string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))<<3|valText), v...)
}

// digits returns v's value when v is 1 to 19 decimal digits.
func digits(v string) (uint64, bool) {
	if len(v) == 0 || len(v) >= len(digitBytes) {
		return 0, false
	}
	var x uint64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + uint64(c-'0')
	}
	return x, true
}

// packableDate reads v as "YYYY-MM-DD" with a month up to 15 and a day up
// to 31 (what a date value's 3 bytes hold).
func packableDate(v string) (y, m, d int, ok bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return 0, 0, 0, false
	}
	yy, ok1 := digits(v[:4])
	mm, ok2 := digits(v[5:7])
	dd, ok3 := digits(v[8:])
	if !ok1 || !ok2 || !ok3 || mm > 15 || dd > 31 {
		return 0, 0, 0, false
	}
	return int(yy), int(mm), int(dd), true
}

// errSummary is a binary summary cut short or malformed.
var errSummary = errors.New("guard summary: malformed")

// decodeSummary reads a guard summary in either form: JSON (stores
// written before reg25) or binary (appendSummaryBinary).
func decodeSummary(enc []byte) (clusterSummary, error) {
	var st clusterSummary
	if len(enc) > 0 && enc[0] == '{' {
		err := json.Unmarshal(enc, &st)
		return st, err
	}
	if len(enc) == 0 || enc[0] != summaryBinary {
		return st, fmt.Errorf("guard summary: neither JSON nor binary (%d bytes)", len(enc))
	}
	d := summaryDecoder{b: enc[1:]}
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		return st, errSummary
	}
	if n == 0 {
		return st, nil
	}
	st.Values, st.YearLo, st.YearHi = make([][]string, n), make([]int, n), make([]int, n)
	var md []int
	type derived struct{ gi, k, span int }
	var later []derived
	for gi := range int(n) {
		h := d.uvarint()
		c := h >> 2
		if d.err != nil || c > uint64(len(d.b)) {
			return st, errSummary
		}
		for range c {
			v := d.value(false)
			if d.err != nil {
				return st, d.err
			}
			st.Values[gi] = append(st.Values[gi], v)
			d.refs = append(d.refs, v)
		}
		switch h & 3 {
		case 1:
			lo, span, m := d.varint(), d.varint(), d.varint()
			st.YearLo[gi], st.YearHi[gi] = int(lo), int(lo+span)
			if m != 0 {
				if md == nil {
					md = make([]int, n)
				}
				md[gi] = int(m)
			}
		case 2, 3:
			later = append(later, derived{gi, int(d.uvarint()), int(h & 3)})
		}
		if d.err != nil {
			return st, d.err
		}
	}
	for _, x := range later {
		if x.k >= len(d.refs) {
			return st, errSummary
		}
		y, m, dd, ok := packableDate(d.refs[x.k])
		if !ok {
			return st, errSummary
		}
		st.YearLo[x.gi], st.YearHi[x.gi] = y, y
		if x.span == 2 && m*100+dd != 0 {
			if md == nil {
				md = make([]int, n)
			}
			md[x.gi] = m*100 + dd
		}
	}
	if len(d.b) != 0 {
		return st, errSummary
	}
	st.MonthDay = md
	return st, nil
}

// summaryDecoder reads a binary summary; err is its first error.
type summaryDecoder struct {
	b    []byte
	refs []string
	err  error
}

func (d *summaryDecoder) uvarint() uint64 {
	x, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return x
}

func (d *summaryDecoder) varint() int64 {
	x, k := binary.Varint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return x
}

func (d *summaryDecoder) fail() {
	if d.err == nil {
		d.err = errSummary
	}
	d.b = nil
}

// value reads a value; part says it is a part of a joined value (which
// holds no joined value).
func (d *summaryDecoder) value(part bool) string {
	h := d.uvarint()
	if d.err != nil {
		return ""
	}
	x := h >> 3
	switch h & 7 {
	case valText:
		if x > uint64(len(d.b)) {
			d.fail()
			return ""
		}
		v := string(d.b[:x])
		d.b = d.b[x:]
		return v
	case valDigits:
		if x == 0 || x >= uint64(len(digitBytes)) || digitBytes[x] > len(d.b) {
			d.fail()
			return ""
		}
		var n uint64
		for _, c := range d.b[:digitBytes[x]] {
			n = n<<8 | uint64(c)
		}
		d.b = d.b[digitBytes[x]:]
		var buf [19]byte
		for i := int(x) - 1; i >= 0; i-- {
			buf[i] = byte('0' + n%10)
			n /= 10
		}
		if n != 0 {
			d.fail() // more digits than it says
			return ""
		}
		return string(buf[:x])
	case valDate:
		if x != 0 || len(d.b) < 3 {
			d.fail()
			return ""
		}
		p := int(d.b[0])<<16 | int(d.b[1])<<8 | int(d.b[2])
		d.b = d.b[3:]
		y, m, dd := p>>9, p>>5&15, p&31
		if y > 9999 {
			d.fail()
			return ""
		}
		b := [10]byte{'0' + byte(y/1000), '0' + byte(y/100%10), '0' + byte(y/10%10), '0' + byte(y%10), '-',
			'0' + byte(m/10), '0' + byte(m%10), '-', '0' + byte(dd/10), '0' + byte(dd%10)}
		return string(b[:])
	case valRef:
		if x >= uint64(len(d.refs)) {
			d.fail()
			return ""
		}
		return d.refs[x]
	case valJoined:
		if part || x < 2 || x > uint64(len(d.b)) {
			d.fail()
			return ""
		}
		var sb strings.Builder
		for i := range x {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(d.value(true))
			if d.err != nil {
				return ""
			}
		}
		return sb.String()
	}
	d.fail()
	return ""
}

// PersonGuardsJSON returns a person's guard summary (EncodePersonGuards,
// binary since reg25; JSON as stores written before keep it) as JSON: the
// values of each guard in the settings' order ("values"), and the birth
// years' span of each year_span guard ("year_lo", "year_hi", "month_day":
// month×100 + day when every record dated to the day agrees, −1 when they
// differ), for reading one.
func PersonGuardsJSON(enc []byte) ([]byte, error) {
	st, err := decodeSummary(enc)
	if err != nil {
		return nil, err
	}
	return json.Marshal(st)
}

// CompactPersonGuards returns a person's guard summary in the binary form
// EncodePersonGuards writes since reg25, from either form: a registry
// rewrites the JSON its store kept before with it.
func CompactPersonGuards(enc []byte) ([]byte, error) {
	st, err := decodeSummary(enc)
	if err != nil {
		return nil, err
	}
	return appendSummaryBinary(nil, st), nil
}
