package ingest

import (
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// formFast decodes a scanned-form line of the usual shape without
// encoding/json: one object with form_id, scan_ref, unit_code,
// collected_on (strings) and fields (an object of known field keys, each
// an object of text, a string, and confidence, a number), each key once,
// written exactly so, strings without escapes, control characters or
// invalid UTF-8. It reports false for any other line (a flat record, a
// key in other case or unknown, a duplicate, an escape, a syntax error,
// a null where a string is), which form then decodes with encoding/json
// as before; for the lines it takes, the result is what encoding/json's
// decoding gives (TestFormFastAsEncodingJSON).
//
// encoding/json decoded each form twice (a map of raw values to tell a
// form from a flat record, then the form) by reflection into a map of
// fields: 5.5% of the CPU of a 50,000-person demo.
func (s *scanSource) formFast(b []byte) (Item, bool) {
	p := formParser{b: b}
	var formID, scanRef, unitCode, collectedOn string
	var seen uint8 // form_id, scan_ref, unit_code, collected_on, fields
	fields := s.fields[:0]
	p.ws()
	if !p.byte('{') {
		return Item{}, false
	}
	for {
		p.ws()
		key, ok := p.str()
		if !ok {
			return Item{}, false
		}
		p.ws()
		if !p.byte(':') {
			return Item{}, false
		}
		p.ws()
		var bit uint8
		var dst *string
		switch string(key) {
		case "form_id":
			bit, dst = 1, &formID
		case "scan_ref":
			bit, dst = 2, &scanRef
		case "unit_code":
			bit, dst = 4, &unitCode
		case "collected_on":
			bit, dst = 8, &collectedOn
		case "fields":
			bit = 16
		default:
			return Item{}, false
		}
		if seen&bit != 0 {
			return Item{}, false
		}
		seen |= bit
		if dst != nil {
			v, ok := p.str()
			if !ok {
				return Item{}, false
			}
			*dst = bytesString(v) // the line's bytes, until oneString copies them
		} else if fields, ok = p.fields(fields); !ok {
			return Item{}, false
		}
		p.ws()
		if p.byte(',') {
			continue
		}
		if !p.byte('}') {
			return Item{}, false
		}
		break
	}
	p.ws()
	if p.i != len(p.b) || seen&16 == 0 {
		return Item{}, false
	}
	s.fields = fields
	formID, scanRef, unitCode, collectedOn = p.oneString(fields, formID, scanRef, unitCode, collectedOn)
	return s.formItem(formID, scanRef, unitCode, collectedOn, fields), true
}

// oneString copies the texts of a form read by formFast — its four
// top values (given as the line's bytes, through unsafe strings) and
// each field's raw text — into one new string, and returns the four and
// sets each field's text as parts of it: one allocation a form where
// there was one a value (twenty-odd: a fifth of the allocations of an
// import of scanned forms). The parts keep the whole string alive as
// long as one of them is; a record's values live as long as one another.
func (p *formParser) oneString(fields []formField, top ...string) (string, string, string, string) {
	n := 0
	for _, t := range top {
		n += len(t)
	}
	for i := range fields {
		n += len(fields[i].raw)
	}
	var b strings.Builder
	b.Grow(n)
	for _, t := range top {
		b.WriteString(t)
	}
	for i := range fields {
		b.Write(fields[i].raw)
	}
	all, at := b.String(), 0
	part := func(k int) string {
		v := all[at : at+k]
		at += k
		return v
	}
	var out [4]string
	for i, t := range top {
		out[i] = part(len(t))
	}
	for i := range fields {
		fields[i].text, fields[i].raw = part(len(fields[i].raw)), nil
	}
	return out[0], out[1], out[2], out[3]
}

// formParser reads a JSON line byte by byte; every method reports false
// for what formFast leaves to encoding/json.
type formParser struct {
	b []byte
	i int
}

func (p *formParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c if it is next.
func (p *formParser) byte(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string without escapes, control characters or invalid
// UTF-8 and returns its bytes (part of the line).
func (p *formParser) str() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start, ascii := p.i, true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			v := p.b[start:p.i]
			p.i++
			if !ascii && !utf8.Valid(v) {
				return nil, false
			}
			return v, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= 0x80:
			ascii = false
		}
		p.i++
	}
	return nil, false
}

// null consumes the literal null if it is next.
func (p *formParser) null() bool {
	if len(p.b)-p.i >= 4 && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

// number reads a JSON number as encoding/json reads one into a float64.
func (p *formParser) number() (float64, bool) {
	start := p.i
	p.byte('-')
	switch {
	case p.byte('0'):
	case p.i < len(p.b) && p.b[p.i] >= '1' && p.b[p.i] <= '9':
		p.digits()
	default:
		return 0, false
	}
	if p.byte('.') && !p.digits() {
		return 0, false
	}
	if p.byte('e') || p.byte('E') {
		if !p.byte('+') {
			p.byte('-')
		}
		if !p.digits() {
			return 0, false
		}
	}
	n := p.b[start:p.i]
	f, err := strconv.ParseFloat(unsafe.String(&n[0], len(n)), 64)
	return f, err == nil
}

// digits consumes one or more digits.
func (p *formParser) digits() bool {
	start := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}

// fields reads the object of a form's fields, appending each to fs.
func (p *formParser) fields(fs []formField) ([]formField, bool) {
	if !p.byte('{') {
		return fs, false
	}
	p.ws()
	if p.byte('}') {
		return fs, true
	}
	var seen uint32 // by scanFieldIndex
	for {
		key, ok := p.str()
		if !ok {
			return fs, false
		}
		j, ok := scanFieldIndex[string(key)]
		if !ok || seen&(1<<j) != 0 {
			return fs, false
		}
		seen |= 1 << j
		p.ws()
		if !p.byte(':') {
			return fs, false
		}
		p.ws()
		f := formField{name: scanFieldNames[j]}
		if !p.field(&f) {
			return fs, false
		}
		fs = append(fs, f)
		p.ws()
		if p.byte(',') {
			p.ws()
			continue
		}
		return fs, p.byte('}')
	}
}

// field reads one field's object: text and confidence, each at most once,
// either null.
func (p *formParser) field(f *formField) bool {
	if !p.byte('{') {
		return false
	}
	p.ws()
	if p.byte('}') {
		return true
	}
	var text, conf bool
	for {
		key, ok := p.str()
		if !ok {
			return false
		}
		p.ws()
		if !p.byte(':') {
			return false
		}
		p.ws()
		switch string(key) {
		case "text":
			if text {
				return false
			}
			text = true
			if !p.null() {
				v, ok := p.str()
				if !ok {
					return false
				}
				f.raw = v // copied by oneString
			}
		case "confidence":
			if conf {
				return false
			}
			conf = true
			if !p.null() {
				c, ok := p.number()
				if !ok {
					return false
				}
				f.conf, f.hasConf = c, true
			}
		default:
			return false
		}
		p.ws()
		if p.byte(',') {
			p.ws()
			continue
		}
		return p.byte('}')
	}
}

// bytesString is b as a string without a copy: valid while b's bytes are
// neither changed nor reused.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
