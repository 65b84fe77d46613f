package ingest

import (
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// Warning is something read that a data team should look at, though no
// row was refused for it: a source record id already used by an earlier
// row of the file, a date column whose day/month order is in doubt.
type Warning struct {
	Kind    string `json:"kind"`             // WarnDuplicateID, WarnDateOrder
	Row     int    `json:"row,omitempty"`    // 1-based row (CSV: as a spreadsheet shows it; JSON lines: the line)
	Column  string `json:"column,omitempty"` // the column's header
	Value   string `json:"value,omitempty"`  // the value, numbers of 7 digits or more masked
	Message string `json:"message"`
}

// Kinds of warnings.
const (
	// WarnDuplicateID: the row's source record id ("Mã bản ghi", a form's
	// form_id) is that of an earlier row of the same file. Both rows are
	// accepted: the id is the source's own code, not the record's identity
	// (file hash, sheet and row), so neither row replaces the other; the
	// same row pasted twice is joined into one person by the matcher, and
	// a row given another's code by mistake stays its own record.
	WarnDuplicateID = "duplicate source id"
	// WarnDateOrder: a date column's text dates can only be month-first,
	// or mix both orders, or read either way throughout (see dateOrder).
	WarnDateOrder = "date order"
	// WarnHiddenRow: a data row hidden in the workbook (Excel does not
	// show it; a clerk hides the persons who left, or a filter does), read
	// as the others, as a hidden sheet is. Until user26 nothing said so.
	WarnHiddenRow = "hidden row"
)

// hiddenRowMessage is the message of a WarnHiddenRow.
const hiddenRowMessage = "the row is hidden in the workbook (Excel does not show it) and was read as the others; if the hidden rows are persons who left the list, import the file with --skip-hidden-rows"

// warn adds w to the layout's warnings, counted by kind; at most
// MaxListed are listed.
func (l *Layout) warn(w Warning) {
	if l.WarningCounts == nil {
		l.WarningCounts = map[string]int{}
	}
	l.WarningCounts[w.Kind]++
	if len(l.Warnings) >= MaxListed {
		return
	}
	l.Warnings = append(l.Warnings, w)
}

// sourceIDs remembers the source record ids of a file's accepted rows in
// file order, each with a 64-bit hash (32 bytes a row and the id's bytes:
// a map from the hashes cost a tenth of a CSV file's read, its look-ups
// missing the cache), to find those used twice once the file is read
// (report). Both are kept in chunks of a fixed size: a slice grown by
// append to a million rows allocates five times its size (a quarter more
// at each growth, every time copied), 218 MB on the 1M lists' read.
type sourceIDs struct {
	seed   maphash.Seed
	uses   [][]idUse // chunks of usesChunk
	n      int       // the uses
	ids    [][]byte  // chunks of idsChunk bytes: the ids, one after the other
	buf    []byte    // a row's name, birth date and number, hashed
	sheets []string  // the sheets of idUse.sheet
	format string    // the file's Description.Format, for RowWord
}

const (
	usesChunk = 4096    // idUses a chunk (128 KiB)
	idsChunk  = 1 << 16 // bytes of ids a chunk
	// idKept is the most runes of an id kept: one more than the warning
	// shows (truncate(id, 64) tells an id cut from one that is not).
	idKept = 65
)

// idUse is a row's source record id (hashed), the row, and a hash of what
// says who the row is (name, birth date, identification number).
type idUse struct {
	key, content uint64
	row          uint32
	sheet        int32
	off, n       uint32 // the id (its first idKept runes) in sourceIDs.ids: chunk<<16 | offset
}

// see remembers the source record id of rec, accepted from row rec.Row of
// sheet rec.Sheet.
func (s *sourceIDs) see(rec *schemas.Record) {
	if rec.SourceRecordID == "" {
		return
	}
	if s.n == 0 {
		s.seed = maphash.MakeSeed()
	}
	s.buf = append(append(append(append(append(s.buf[:0], rec.FullName...), 0), rec.BirthDate...), 0), rec.IDNumber...)
	content := maphash.Bytes(s.seed, s.buf)
	sheet := len(s.sheets) - 1
	if sheet < 0 || s.sheets[sheet] != rec.Sheet {
		s.sheets = append(s.sheets, rec.Sheet)
		sheet++
	}
	id := rec.SourceRecordID
	key := maphash.String(s.seed, id)
	if len(id) > idKept {
		runes := 0
		for i := range id {
			if runes == idKept {
				id = id[:i]
				break
			}
			runes++
		}
	}
	if len(s.ids) == 0 || len(s.ids[len(s.ids)-1])+len(id) > idsChunk {
		s.ids = append(s.ids, make([]byte, 0, idsChunk))
	}
	c := len(s.ids) - 1
	off := uint32(c)<<16 | uint32(len(s.ids[c]))
	s.ids[c] = append(s.ids[c], id...)
	if s.n%usesChunk == 0 {
		s.uses = append(s.uses, make([]idUse, 0, usesChunk))
	}
	u := &s.uses[len(s.uses)-1]
	*u = append(*u, idUse{key: key, content: content, row: rec.Row, sheet: int32(sheet), off: off, n: uint32(len(id))})
	s.n++
}

// use returns the i-th use.
func (s *sourceIDs) use(i int) idUse { return s.uses[i/usesChunk][i%usesChunk] }

// id returns the id (its first idKept runes) of u.
func (s *sourceIDs) id(u idUse) string {
	c, o := u.off>>16, u.off&(idsChunk-1)
	return string(s.ids[c][o : o+u.n])
}

// report adds, once the file is read, a warning to the layout of each
// row (layout gives a sheet's) whose source record id an earlier row of
// the file used, in file order, and forgets the ids.
func (s *sourceIDs) report(layout func(sheet string) *Layout) {
	defer func() { s.uses, s.ids, s.n = nil, nil, 0 }()
	if s.n < 2 {
		return
	}
	// Most files use each id once: sorting the hashes alone says so.
	keys := make([]uint64, 0, s.n)
	for _, c := range s.uses {
		for _, u := range c {
			keys = append(keys, u.key)
		}
	}
	slices.Sort(keys)
	repeated := map[uint64]int{} // an id used twice → its first use, -1 until seen
	for i := 1; i < len(keys); i++ {
		if keys[i] == keys[i-1] {
			repeated[keys[i]] = -1
		}
	}
	if len(repeated) == 0 {
		return
	}
	type pair struct{ dup, first idUse }
	var pairs []pair
	for i := range s.n { // in file order
		u := s.use(i)
		switch f, ok := repeated[u.key]; {
		case !ok:
		case f < 0:
			repeated[u.key] = i
		default:
			pairs = append(pairs, pair{u, s.use(f)})
		}
	}
	for _, p := range pairs {
		u, first := p.dup, p.first
		sheet := s.sheets[u.sheet]
		l := layout(sheet)
		where := RowWord(s.format) + " " + strconv.Itoa(int(first.row))
		if sh := s.sheets[first.sheet]; sh != sheet {
			where += " of sheet " + strconv.Quote(sh)
		}
		what := "the same person's data again (entered twice?): both kept, the matcher joins them"
		if first.content != u.content {
			what = "another name, birth date or number: both kept as records; check which row's id is wrong"
		}
		l.warn(Warning{Kind: WarnDuplicateID, Row: int(u.row), Column: l.columnOf(FieldSourceRecordID),
			Value:   MaskValue(truncate(s.id(u), 64)),
			Message: "source record id already used by " + where + ", " + what})
	}
}

// RowWord is what an item's Row is called in a message about a file of
// format (Description.Format): "line" for JSON lines (scanned forms, one
// per line, Row their line number), "row" for a sheet or CSV file.
func RowWord(format string) string {
	if format == "jsonl" {
		return "line"
	}
	return "row"
}

// MaskRecordID masks a record id for a print or a log: dancu link's
// record id is the mapping's id column as given, which may be an
// identification number or a name. A run of 7 digits or more that is a
// word of its own is masked as an identification number
// ("0010******45", "dataset.csv:0010******45"); an id of several words is
// text that may hold a name: its words without digits are masked as
// vn.MaskName masks a name's, the first kept and the others reduced to
// their initials. In an id of one word, and in a word of several that
// holds digits, a run of 4 letters or more is taken for a name (a name
// with a number appended, "waller0") and kept to its first letter
// ("w*****0", "L*******"), unless all its letters are a–f (a hexadecimal
// hash's). Codes whose letters come in runs of 3 or fewer (rec-12-dup-0,
// DC01-03826-…), dancu's hashes (r3f00112903…) and a file's prefix
// ("dataset.csv:", link's for an id used by an earlier file) are shown.
func MaskRecordID(id string) string {
	id = maskDigitRuns(id, true)
	prefix := ""
	if i := strings.LastIndexByte(id, ':'); i >= 0 && strings.Contains(id[:i], ".") {
		prefix, id = id[:i+1], id[i+1:]
	}
	if !strings.ContainsFunc(id, unicode.IsSpace) {
		if dancuRecordID(id) {
			return prefix + id
		}
		return prefix + maskLetterRuns(id)
	}
	words := strings.Fields(id)
	named := false
	for i, w := range words {
		if strings.ContainsAny(w, "0123456789") {
			words[i] = maskLetterRuns(w)
			continue
		}
		if strings.Contains(w, "*") || !hasLetter(w) {
			continue
		}
		if named {
			r, _ := utf8.DecodeRuneInString(w)
			words[i] = string(r) + "."
		}
		named = true
	}
	return prefix + strings.Join(words, " ")
}

// dancuRecordID reports the shape of schemas.RecordID's ids: "r" and 24
// lowercase hexadecimal digits.
func dancuRecordID(id string) bool {
	if len(id) != 25 || id[0] != 'r' {
		return false
	}
	for i := 1; i < len(id); i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// maskLetterRuns keeps to its first letter each run of 4 letters or more
// of s that holds a letter other than a–f (A–F): MaskRecordID's name in a
// code.
func maskLetterRuns(s string) string {
	var b strings.Builder
	run := make([]rune, 0, 16)
	flush := func() {
		hex := true
		for _, r := range run {
			hex = hex && (r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F')
		}
		if len(run) >= 4 && !hex {
			b.WriteRune(run[0])
			b.WriteString(strings.Repeat("*", len(run)-1))
		} else {
			b.WriteString(string(run))
		}
		run = run[:0]
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// alnumByte reports an ASCII letter or digit, or a byte of a multi-byte
// UTF-8 character (taken for a letter).
func alnumByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// columnOf returns the header of the column mapped to field, or field.
func (l *Layout) columnOf(field string) string {
	for _, c := range l.Columns {
		if c.Field == field {
			return c.Header
		}
	}
	if field == FieldSourceRecordID && l.Columns == nil {
		return "form_id" // a scanned form's
	}
	return field
}

// MaskText masks the names and long numbers within a free text (a
// remark: "Con ông Nguyễn V. B.") and leaves its other words as written
// ("Tạm vắng", "Chuyển đến năm 2021"), for reports.
func MaskText(v string) string { return maskNumbers(maskNamesIn(v)) }

// The reasons of the rejects whose value the reader masked already, as
// free text (the names in it reduced to initials, its other words as
// written): MaskRejectValue leaves their words as they are.
const (
	reasonNameRemarkGone = "remark after the name says the person died or moved away: not taken as a living resident"
	reasonRemarkGone     = "the remark column says the person died or moved away: not taken as a living resident"
	reasonTwoNames       = "two persons' names in one cell: give each person a row"
)

var maskedAtSource = map[string]bool{reasonNameRemarkGone: true, reasonRemarkGone: true, reasonTwoNames: true}

// MaskRejectValue is a reject's Value as a report may quote it. A
// remark's, or two names' in one cell, was masked as free text when the
// row was read ("Chuyển đi Hà N."): MaskValue would take it, having no
// digit, for one name and mask it again ("Chuyển Đ. H. N."); it is
// masked as text, which leaves masked text as it is. Any other value
// goes through MaskValue.
func MaskRejectValue(r *schemas.Reject) string {
	if maskedAtSource[r.Reason] {
		return MaskText(r.Value)
	}
	return MaskValue(r.Value)
}

// MaskValue hides what identifies a person in a value a report quotes (a
// rejected row's Value, which may hold a garbled name): text without
// digits is taken for a name and reduced to the family name and initials
// (vn.MaskName); in other text the names written in it are, and runs of 7
// digits or more are masked as identification numbers ("0010******45"),
// as the previews of rows are. Dates stay.
func MaskValue(v string) string {
	if !strings.ContainsAny(v, "0123456789") && hasLetter(v) {
		return vn.MaskName(v)
	}
	return maskNumbers(maskNamesIn(v))
}
