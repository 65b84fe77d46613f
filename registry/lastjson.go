package registry

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/schemas"
)

// marshalLastOutput returns json.Marshal(lastOutputOf(out)), the same
// bytes, with the output's persons and links (nearly all of its rows: a
// batch of 20,000 records has 20,000 links and about as many persons)
// written without reflection: through encoding/json they were 0.41 s of
// Add's 8.2 s of CPU in the last 8 batches of 20,000 at 200k records,
// half of it each row's time.Time marshalled and its output checked
// again. The other fields, few rows, go through encoding/json as before
// (lastRest). TestMarshalLastOutput compares the two on every field.
func marshalLastOutput(out *Output) ([]byte, error) {
	l := lastOutputOf(out)
	rest, err := json.Marshal(lastRest{l.Conflicts, l.Events, l.Deltas, l.RecordDeltas, l.PersonDeltaSums, l.Withdrawn, l.Refused, l.AlreadyWithdrawn, l.RecordBatches, l.PersonBatches})
	if err != nil {
		return nil, err
	}
	e := jsonEnc{b: make([]byte, 0, 400*len(l.Persons)+200*len(l.Links)+len(rest)+32)}
	e.b = append(e.b, `{"Persons":`...)
	jsonList(&e, l.Persons, e.person)
	e.b = append(e.b, `,"Links":`...)
	jsonList(&e, l.Links, e.link)
	if e.err != nil {
		return nil, e.err
	}
	// rest is {"Conflicts":…}: Conflicts has no omitempty.
	e.b = append(e.b, ',')
	return append(e.b, rest[1:]...), nil
}

// lastRest is the fields of lastOutput after Persons and Links, in its
// order and with its tags (Output's RecordDeltas is hidden by
// lastOutput's).
type lastRest struct {
	Conflicts        []schemas.Conflict
	Events           []schemas.PersonEvent
	Deltas           []schemas.PersonDelta
	RecordDeltas     []schemas.RecordDelta    `json:",omitempty"`
	PersonDeltaSums  []schemas.PersonDeltaSum `json:",omitempty"`
	Withdrawn        []string                 `json:",omitempty"`
	Refused          []Refusal                `json:",omitempty"`
	AlreadyWithdrawn []Refusal                `json:",omitempty"`
	RecordBatches    []string                 `json:",omitempty"`
	PersonBatches    []string                 `json:",omitempty"`
}

// jsonList appends rows as a JSON list, nil as null.
func jsonList[T any](e *jsonEnc, rows []T, row func(*T)) {
	if rows == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i := range rows {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		row(&rows[i])
	}
	e.b = append(e.b, ']')
}

// jsonEnc appends values as encoding/json writes them. A batch's rows
// share one time (the batch's), so the last time's encoding is kept.
type jsonEnc struct {
	b     []byte
	err   error
	t     time.Time
	tjson []byte
}

func (e *jsonEnc) key(k string) {
	e.b = append(e.b, k...) // k is `"Name":` or `,"Name":`
}

func (e *jsonEnc) str(k, s string) {
	e.key(k)
	e.b = appendJSONString(e.b, s)
}

func (e *jsonEnc) uint(k string, u uint64) {
	e.key(k)
	e.b = strconv.AppendUint(e.b, u, 10)
}

// float64 as encoding/json's floatEncoder writes it; NaN and the
// infinities are errors there and here.
func (e *jsonEnc) float(k string, f float64) {
	e.key(k)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		if e.err == nil {
			_, e.err = json.Marshal(f)
		}
		e.b = append(e.b, '0')
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(e.b); n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
			e.b[n-2] = e.b[n-1]
			e.b = e.b[:n-1]
		}
	}
}

func (e *jsonEnc) time(k string, t time.Time) {
	e.key(k)
	if e.tjson == nil || t != e.t {
		js, err := t.MarshalJSON()
		if err != nil {
			if e.err == nil {
				e.err = fmt.Errorf("json: error calling MarshalJSON for type time.Time: %w", err)
			}
			js = []byte("null")
		}
		e.t, e.tjson = t, js
	}
	e.b = append(e.b, e.tjson...)
}

func (e *jsonEnc) person(p *schemas.Person) {
	e.str(`{"PersonID":`, p.PersonID)
	e.str(`,"IDNumber":`, p.IDNumber)
	e.str(`,"IDStatus":`, p.IDStatus)
	e.str(`,"FullName":`, p.FullName)
	e.str(`,"BirthDate":`, p.BirthDate)
	e.uint(`,"BirthYear":`, uint64(p.BirthYear))
	e.str(`,"Sex":`, p.Sex)
	e.str(`,"ProvinceCode":`, p.ProvinceCode)
	e.str(`,"NewProvinceCode":`, p.NewProvinceCode)
	e.str(`,"CommuneCode":`, p.CommuneCode)
	e.str(`,"NewCommuneCode":`, p.NewCommuneCode)
	e.uint(`,"RecordCount":`, uint64(p.RecordCount))
	e.str(`,"MergedInto":`, p.MergedInto)
	e.uint(`,"Version":`, p.Version)
	e.time(`,"UpdatedAt":`, p.UpdatedAt)
	e.str(`,"CMND":`, p.CMND)
	e.b = append(e.b, '}')
}

func (e *jsonEnc) link(l *schemas.Link) {
	e.str(`{"RecordID":`, l.RecordID)
	e.str(`,"PersonID":`, l.PersonID)
	e.float(`,"MatchProbability":`, l.MatchProbability)
	e.str(`,"MatchRule":`, l.MatchRule)
	e.uint(`,"Version":`, l.Version)
	e.time(`,"LinkedAt":`, l.LinkedAt)
	e.b = append(e.b, '}')
}

const jsonHex = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json writes a string
// (HTML's <, > and & escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029
// escaped).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
