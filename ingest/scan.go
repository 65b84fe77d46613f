package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// maxScanLine bounds one JSON line of a scanned-form batch.
const maxScanLine = 1 << 20

// ScannedForm is one line of a scanned-form batch: the output of form
// recognition on one census form (DC01). See schemas/SCANNED_FORMS.md and
// schemas/scanned_form.schema.json.
type ScannedForm struct {
	FormID      string               `json:"form_id"`
	ScanRef     string               `json:"scan_ref"`
	UnitCode    string               `json:"unit_code"`    // 5-digit code of the collecting commune
	CollectedOn string               `json:"collected_on"` // YYYY-MM-DD
	Fields      map[string]ScanField `json:"fields"`       // keyed by schemas.Record ch column name
}

// ScanField is one recognised field: its text and the recogniser's
// confidence in it (0..1).
type ScanField struct {
	Text       string   `json:"text"`
	Confidence *float64 `json:"confidence"`
}

// scanFieldNames are the field keys a form may carry.
var scanFieldNames = [...]string{
	"full_name", "birth_date", "sex", "id_number", "cmnd",
	"ethnicity", "religion", "nationality", "native_place", "birth_reg_place",
	"perm_address", "cur_address", "father_name", "father_id", "mother_name",
	"mother_id", "spouse_name", "spouse_id", "household_head", "relation_to_head",
}

// scanFieldName maps a field key a form may carry to itself (one string
// for every form) and scanFieldIndex to its place in scanFieldNames.
var scanFieldName, scanFieldIndex = func() (map[string]string, map[string]int) {
	n, i := make(map[string]string, len(scanFieldNames)), make(map[string]int, len(scanFieldNames))
	for j, k := range scanFieldNames {
		n[k], i[k] = k, j
	}
	return n, i
}()

// formField is one known field of a decoded form.
type formField struct {
	name    string // a key of scanFieldName
	text    string
	raw     []byte // formFast: the text as the line's bytes, until oneString
	conf    float64
	hasConf bool
}

// scanSource reads a scanned-form batch (JSON lines).
type scanSource struct {
	f    io.Closer
	r    *bufio.Reader
	desc Description
	prov provenance
	line int
	l    Layout
	read atomic.Int64 // bytes of the file read, for Progress
	size int64        // bytes of the file

	fields []formField // a form's fields, reused from line to line
	long   []byte      // a line longer than r's buffer, reused (readLine)
	ids    sourceIDs   // the form ids of the batch's accepted forms
}

var _ Source = (*scanSource)(nil)
var _ Describer = (*scanSource)(nil)

func (s *scanSource) Describe() Description {
	d := s.desc
	d.Sheets = []Layout{s.l}
	return d
}

func (s *scanSource) Close() error { return s.f.Close() }

// readLine returns the next line without its end, failing on a line longer
// than maxScanLine (the rest of that line is skipped). The line is valid
// until the next call: a line that fits the reader's buffer, as forms
// do, is returned from it, and a longer one from s.long, reused (a new
// slice for every line was a tenth of the bytes an import of scanned
// forms allocated).
func (s *scanSource) readLine() ([]byte, bool, error) {
	chunk, err := s.r.ReadSlice('\n')
	if err == nil || err == io.EOF && len(chunk) > 0 {
		return bytes.TrimRight(chunk, "\r\n"), false, nil
	}
	buf := s.long[:0]
	tooLong := false
	for {
		if !tooLong {
			buf = append(buf, chunk...)
			if len(buf) > maxScanLine {
				tooLong, buf = true, buf[:0]
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			chunk, err = s.r.ReadSlice('\n')
			continue
		}
		s.long = buf[:0]
		if err == io.EOF && len(buf) == 0 && !tooLong {
			return nil, false, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, false, err
		}
		return bytes.TrimRight(buf, "\r\n"), tooLong, nil
	}
}

func (s *scanSource) Next() (Item, error) {
	for {
		b, tooLong, err := s.readLine()
		if err == io.EOF {
			s.ids.report(func(string) *Layout { return &s.l })
			return Item{}, io.EOF
		}
		if err != nil {
			return Item{}, fmt.Errorf("read %s line %d: %w", s.desc.File, s.line+1, err)
		}
		s.line++
		if s.line == 1 {
			b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		}
		if tooLong {
			s.l.Rows++
			it := s.reject("", "", fmt.Sprintf("line longer than %d bytes", maxScanLine))
			s.l.count(it, nil)
			return it, nil
		}
		s.l.Rows++
		if len(bytes.TrimSpace(b)) == 0 {
			s.l.skip(s.line, SkipBlank, nil)
			continue
		}
		it := s.form(b)
		s.l.count(it, func() string { return scanPreview(b) })
		if it.Record != nil {
			s.ids.see(it.Record)
		}
		return it, nil
	}
}

func (s *scanSource) reject(column, value, reason string) Item {
	return Item{Reject: &schemas.Reject{
		RejectID:    schemas.RejectID(s.prov.hash, "", s.line, column),
		SourceFile:  s.prov.file,
		FileHash:    s.prov.hash,
		Row:         uint32(s.line),
		Column:      column,
		Value:       value,
		Reason:      reason,
		ImportBatch: s.prov.batch,
		RejectedAt:  s.prov.now().UTC(),
	}}
}

// form turns one JSON line into an item. A line may also be a flat object
// of ch column names to strings (a typed list exported as JSON lines).
func (s *scanSource) form(b []byte) Item {
	if it, ok := s.formFast(b); ok {
		return it
	}
	return s.formJSON(b)
}

// formJSON is form through encoding/json, for every line.
func (s *scanSource) formJSON(b []byte) Item {
	if !utf8.Valid(b) {
		// encoding/json would put U+FFFD for each byte and cleanText drop
		// it: a name in TCVN3 bytes, "Nguy\xd3n V\xa8n An", would be
		// accepted as "Nguyn Vn An".
		at := 0
		for r, n := utf8.DecodeRune(b); r != utf8.RuneError || n > 1; r, n = utf8.DecodeRune(b[at:]) {
			at += n
		}
		return s.reject("", badLineValue(b), fmt.Sprintf("byte %d of the line (0x%02X) is not UTF-8: a batch must be UTF-8 (text in TCVN3, VNI or Windows-1258 bytes?)", at+1, b[at]))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return s.reject("", badLineValue(b), badLineReason(b, err))
	}
	if _, ok := raw["fields"]; !ok {
		var rv rowValues
		rec := &schemas.Record{}
		// Flat record.
		for k, v := range raw {
			var str string
			if json.Unmarshal(v, &str) != nil {
				var n json.Number
				if json.Unmarshal(v, &n) != nil {
					continue
				}
				str = n.String()
			}
			if k == "record_id" || k == "source_record_id" {
				k = FieldSourceRecordID
			}
			rv.set(k, cellText(str, vn.Unicode), k)
		}
		return s.prov.assemble(&rv, "", s.line, rec)
	}
	// A form decoded part by part, not into ScannedForm, so that a value
	// of the wrong JSON type (an ID as a number, a confidence as a
	// string) is named in the reject, or taken as text, instead of
	// rejecting the form with encoding/json's message.
	var top [4]string
	for i, k := range [...]string{"form_id", "scan_ref", "unit_code", "collected_on"} {
		v, ok := jsonText(raw[k])
		if !ok {
			return s.reject(k, "", fmt.Sprintf("%s is %s, not text", k, jsonKind(raw[k])))
		}
		top[i] = v
	}
	var fs map[string]json.RawMessage
	if json.Unmarshal(raw["fields"], &fs) != nil {
		return s.reject("fields", "", fmt.Sprintf("fields is %s, not an object of fields", jsonKind(raw["fields"])))
	}
	fields := s.fields[:0]
	for k, v := range fs {
		name, ok := scanFieldName[k]
		if !ok {
			continue
		}
		ff := formField{name: name}
		if text, ok := jsonText(v); ok {
			// A bare value: the text, without a confidence.
			ff.text = text
			fields = append(fields, ff)
			continue
		}
		var fld map[string]json.RawMessage
		if json.Unmarshal(v, &fld) != nil {
			return s.reject(k, "", fmt.Sprintf("field %s is %s, not an object of text and confidence", k, jsonKind(v)))
		}
		if ff.text, ok = jsonText(fld["text"]); !ok {
			return s.reject(k, "", fmt.Sprintf("text of field %s is %s, not text", k, jsonKind(fld["text"])))
		}
		if c := fld["confidence"]; jsonKind(c) == "a number" {
			if err := json.Unmarshal(c, &ff.conf); err != nil {
				return s.reject(k, truncate(string(c), 32), fmt.Sprintf("confidence of field %s is not a number: %v", k, err))
			}
			ff.hasConf = true
		} else if jsonKind(c) != "null" {
			return s.reject(k, truncate(strings.ToValidUTF8(string(c), "?"), 32), fmt.Sprintf("confidence of field %s is %s, not a number", k, jsonKind(c)))
		}
		fields = append(fields, ff)
	}
	s.fields = fields
	return s.formItem(top[0], top[1], top[2], top[3], fields)
}

// formItem assembles a scanned form's record from its decoded parts
// (fields: the known ones, in any order).
func (s *scanSource) formItem(formID, scanRef, unitCode, collectedOn string, fields []formField) Item {
	var rv rowValues
	rec := &schemas.Record{}
	rv.set(FieldSourceRecordID, cleanText(formID), "form_id")
	rv.set(FieldFormID, cleanText(formID), "form_id")
	rv.set(FieldScanRef, cleanText(scanRef), "scan_ref")
	rv.set(FieldCollectingUnit, cleanText(unitCode), "unit_code")
	if collectedOn != "" {
		t, err := time.Parse("2006-01-02", collectedOn)
		if err != nil {
			return s.reject("collected_on", truncate(collectedOn, 32), "collected_on is not a YYYY-MM-DD date")
		}
		if s.prov.sourceDate.IsZero() {
			rec.SourceDate = t
		}
	}
	for _, fld := range fields {
		k := fld.name
		text := cellText(fld.text, vn.Unicode)
		if text == "" {
			continue
		}
		switch k {
		case FieldBirthDate:
			text = scannedDateDigits(text)
		case FieldFullName, FieldFamilyMiddle, FieldGivenName, FieldFatherName, FieldMotherName, FieldSpouseName, FieldHouseholdHead:
			text = scannedNameLetters(text)
		}
		rv.set(k, text, k)
		if fld.hasConf {
			c := fld.conf
			if math.IsNaN(c) || c < 0 || c > 1 {
				return s.reject(k, "", fmt.Sprintf("confidence %v of field %s is outside 0..1", c, k))
			}
			if rec.OCRConfidence == nil {
				rec.OCRConfidence = make(map[string]float32, len(fields))
			}
			rec.OCRConfidence[k] = float32(c)
		}
	}
	return s.prov.assemble(&rv, "", s.line, rec)
}

// scanPreview describes a rejected form line without its values (they
// are names and numbers): its form id and the fields it has.
func scanPreview(b []byte) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Sprintf("(%d bytes, not a JSON object)", len(b))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var id string
	_ = json.Unmarshal(m["form_id"], &id)
	return truncate(fmt.Sprintf("form %s: %s", truncate(id, 32), strings.Join(keys, ", ")), previewMax)
}

// jsonText reads a JSON value where text is expected: a string, or a
// number as written (an ID the vendor wrote as a number: it is then
// checked as any ID is, and dropped with a note if its leading zero was
// lost), or "" for null or nothing. It reports false for any other value.
func jsonText(v json.RawMessage) (string, bool) {
	switch jsonKind(v) {
	case "null":
		return "", true
	case "a number":
		return string(bytes.TrimSpace(v)), true
	case "text":
		var s string
		err := json.Unmarshal(v, &s)
		return s, err == nil
	}
	return "", false
}

// jsonKind names the kind of a JSON value for a data clerk: "null" (also
// for no value), "text", "a number", "true or false", "a list", "an
// object".
func jsonKind(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "null"
	}
	switch c := v[0]; {
	case c == 'n':
		return "null"
	case c == '"':
		return "text"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	case c == 't' || c == 'f':
		return "true or false"
	case c == '[':
		return "a list"
	}
	return "an object"
}

// badLineReason says why a line is not a JSON object, for a data clerk:
// where it breaks and, for the usual causes, what they are.
func badLineReason(b []byte, err error) string {
	t := bytes.TrimSpace(b)
	var syn *json.SyntaxError
	switch {
	case len(t) > 0 && t[0] == '[':
		return "a JSON list, not one form: the batch must have one form (a JSON object) per line"
	case len(t) > 0 && t[0] != '{':
		return "the line does not start with {: a form split over two lines, or not a form"
	case errors.As(err, &syn) && syn.Offset >= int64(len(b)) || err.Error() == "unexpected end of JSON input":
		return fmt.Sprintf("the line ends at byte %d before its form does: a cut-off upload, or a form split over two lines", len(b))
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d of %d: %s", syn.Offset, len(b), syn.Error())
	}
	return "invalid JSON: " + err.Error()
}

// badLineValue is the start of a line that is not JSON, with its names
// and numbers masked (the line may start in the middle of a form).
func badLineValue(b []byte) string {
	v := truncate(strings.ToValidUTF8(string(b), "?"), 64)
	return maskNamesIn(maskNumbers(strings.ReplaceAll(v, `"`, `" `)))
}

// scannedDateDigits reads, in a recognised date written in digits alone
// ("1O/S/1989", "l2-08-l975"), the letters a form reader puts for digits as
// the digits they stand for — the same letters an identification number's
// are read as (vn.ParseID: O/o/D/Q→0, l/I/i/|→1, S/s→5, B→8, Z/z→2, G/b→6).
// A date holding any other letter ("ngày 5 tháng 3 năm 1987", "khoảng
// 1950") is left as written (acc52: 8.5–11% of eighthpop's true pairs
// whose census date carried such a letter were missed, the date dropped as
// impossible).
func scannedDateDigits(s string) string {
	digits, letters := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '/' || r == '-' || r == '.' || r == ' ':
		case strings.ContainsRune("OoDQlIi|SsBZzGb", r):
			letters++
		default:
			return s
		}
	}
	if letters == 0 || digits < 2 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case 'O', 'o', 'D', 'Q':
			return '0'
		case 'l', 'I', 'i', '|':
			return '1'
		case 'S', 's':
			return '5'
		case 'B':
			return '8'
		case 'Z', 'z':
			return '2'
		case 'G', 'b':
			return '6'
		}
		return r
	}, s)
}

// scannedNameLetters reads, in a recognised name, the digits a form reader
// puts for letters as those letters where the name tables leave one
// reading (vn.NameDigitsAsLetters: "N6UYỄN" NGUYỄN, "T0ÁN" TOÁN; "8ình",
// Bình or Đình, kept as read). vn's OCR key repaired such a word only
// where it was no syllable, and the model's weight for agreeing on that key
// alone is negative, so eighthpop's census names with a digit were missed
// 2.4–3.4% of their true pairs against ~0.7% (acc55).
func scannedNameLetters(s string) string {
	if !hasASCIIDigit(s) {
		return s
	}
	return vn.NameDigitsAsLetters(s)
}
