package ingest

// A sheet of a workbook whose header was not found is either a list whose
// header dancu does not know (the import must fail, never drop it) or a
// sheet that holds no list of persons at all: a cover ("ỦY BAN NHÂN DÂN
// XÃ …", a title, a signature block), a "Tổng hợp" of counts. Real
// communes' workbooks have both beside their lists (testdata/user17), and
// failing on the cover made the workbook the commune sent unimportable as
// it is. So the rows of a sheet without header are looked at: when none
// looks like a person's record, the sheet is not a list and its rows are
// skipped, kind "not a list".

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SkipNotList is the kind of every non-blank row of a workbook's sheet
// that has no header and holds no person (a cover, a summary of counts):
// see Layout.Skipped, "not a list: cover".
const SkipNotList SkipKind = "not a list"

// NotAList starts Layout.Skipped for a sheet with no list of persons,
// followed by what it seems to be: NotAList + "cover" (text alone:
// titles, places, signatures) or "summary" (a cell holds a number: counts,
// or a list of codes).
const NotAList = "not a list: "

// listedPersonRows bounds the person-looking rows a sheet without header
// keeps to name in its error.
const listedPersonRows = 5

// namesMakeAList is how many rows of a sheet without header that hold a
// full name, and nothing else of a person's, make it a list all the same
// (a list of names and nothing else must not be dropped): a cover has a
// signature or two, a summary no names. Three, not five (rv8): three
// names with their ages, or with their relation to the head of the
// household, were skipped as a summary or a cover.
const namesMakeAList = 3

// noListState is what the rows of a sheet without header showed.
type noListState struct {
	persons  []SkipRun // rows that look like a person's, masked (at most listedPersonRows)
	nPersons int       // all of them
	names    int       // rows holding a full name
	numRows  int       // rows with a numeric cell (counts)
}

// observeNoHeader looks at a non-blank row of a sheet without header.
func (sh *sheetState) observeNoHeader(r rawRow) {
	st := &sh.noList
	dec := rowDecoder(r.cells, nil)
	texts := make([]string, len(r.cells))
	name, nums := -1, 0
	for i, c := range r.cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if dec != nil {
			c = dec(i, c)
		}
		s := cleanText(c)
		texts[i] = s
		if isNumeric(s) {
			nums++
		}
		if name < 0 && fullNameText(s) {
			name = i
		}
	}
	if nums > 0 {
		st.numRows++
	}
	if name < 0 {
		return
	}
	st.names++
	if personRow(texts, name, nums) {
		st.nPersons++
		if len(st.persons) < listedPersonRows {
			st.persons = append(st.persons, SkipRun{Row: r.num, Kind: SkipNoHeader, Preview: sh.rowPreview(r, true)()})
		}
	}
}

// personRow reports a row (its cells decoded, nums of them numbers) with
// a full name in cell name that holds, in another cell, what a person's
// record holds beside a name (personValue). A number alone (a year, an
// Excel serial date) counts as a birth only in a row of two numbers at
// most (an STT and the year), or as the year of three numbers in a row
// that make a day, a month and a year: a summary's row of counts beside
// a hamlet named like a person ("Đoàn Kết | 410 | 1987 | 990") is none.
// A name after a row number with no other number in the row ("3 | Nguyễn
// Văn Bình", "1 | Nguyễn Văn An | Chủ hộ | Kinh") is a list's row: a
// cover numbers no signature, and a summary's row beside a hamlet named
// like a person holds its counts (rv8: a list of three such rows was
// skipped as a summary).
func personRow(texts []string, name, nums int) bool {
	if nums == 1 && rowNumberBefore(texts, name) {
		return true
	}
	for i, s := range texts {
		if i == name || s == "" {
			continue
		}
		if m, _ := footerText(s); m {
			continue // "(Ký, ghi rõ họ tên)" beside a signature
		}
		if !isNumeric(s) {
			if personValue(s) {
				return true
			}
			continue
		}
		if idDigits(s) {
			return true
		}
		if !plausibleBirth(s) {
			continue
		}
		if nums <= 2 || i >= 2 && dayMonth(texts[i-2], texts[i-1]) {
			return true
		}
	}
	return false
}

// rowNumberBefore reports a row number (1 to 99999, or "3.") as the
// first cell of texts that is not blank, before cell name.
func rowNumberBefore(texts []string, name int) bool {
	for _, s := range texts[:name] {
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(s, ".")) // "3."
		return err == nil && n >= 1 && n <= 99999
	}
	return false
}

// dayMonth reports a day and a month written as numbers (1–31, 1–12).
func dayMonth(d, m string) bool {
	dd, err1 := strconv.Atoi(d)
	mm, err2 := strconv.Atoi(m)
	return err1 == nil && err2 == nil && dd >= 1 && dd <= 31 && mm >= 1 && mm <= 12
}

// isList reports whether the rows of a sheet without header make it a
// list all the same: a row that looks like a person's, or namesMakeAList
// rows holding a name.
func (st *noListState) isList() bool {
	return st.nPersons > 0 || st.names >= namesMakeAList
}

// kind is what a sheet that is not a list seems to be.
func (st *noListState) kind() string {
	if st.numRows > 0 {
		return "summary"
	}
	return "cover"
}

// fullNameText reports a cell (decoded) that reads as a person's full
// name: two to five words of letters alone, the first a known family
// name, the first two capitalised, neither a title's words ("BAN NHÂN DÂN", "DANH SÁCH …") nor a
// unit's ("Hồ Xã …") nor a footer's.
func fullNameText(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 5 || !isSurname(words[0]) || !capitalised(words[0]) || !capitalised(words[1]) {
		return false // "Công dân" is a header; a TCVN3 capital may be lost in the given name ("Nguyễn Thị ánh")
	}
	for _, w := range words {
		for _, r := range w {
			if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
				return false
			}
		}
		if unitWords[canonKey(w)] {
			return false
		}
	}
	if notAName(words) {
		return false
	}
	m, _ := footerText(s)
	return !m
}

// personValue reports a cell (decoded) that holds what a person's record
// holds beside a name and a cover or a summary does not: a birth date or
// year, an identification number, a sex, an address. It errs towards a
// person: a sheet taken for a list fails the import, as before, and names
// the way out, while one taken for no list is skipped.
func personValue(s string) bool {
	s = strings.TrimSpace(s)
	switch {
	case plausibleBirth(s):
		return true
	case idDigits(s):
		return true
	case parseSex(s) != "":
		return true
	case looksAddress(s) && !fullNameText(s):
		return true // a second name beside a signature is no address
	}
	return false
}

// idDigits reports an identification number: 8 digits or more, with
// nothing else but spaces, dots and dashes.
func idDigits(s string) bool {
	if digitCount(s) < 8 {
		return false
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r >= '0' && r <= '9' || r == ' ' || r == '.' || r == '-') {
			return false
		}
		i += n
	}
	return true
}

// endNoHeader decides, at the end of a workbook's sheet without header,
// whether it is a list (its Problem stands, with the rows that look like
// persons) or not: then its rows are relabelled "not a list" and the
// Problem withdrawn. A CSV or JSON file is one list: it keeps its
// Problem.
func (sh *sheetState) endNoHeader() {
	l := sh.layout
	if l.Problem == "" || sh.name == "" {
		return
	}
	st := &sh.noList
	if st.isList() {
		l.PersonRows = st.persons
		l.PersonRowCount = st.nPersons
		if st.nPersons == 0 {
			l.Problem += fmt.Sprintf("; %d of its rows hold a name", st.names)
		}
		return
	}
	l.Problem = ""
	l.Skipped = NotAList + st.kind()
	l.addNote("no header, and no row reads as a person's record (a name beside a birth date, an identification number, a sex or an address)")
	if n := l.ByKind[SkipNoHeader]; n > 0 {
		delete(l.ByKind, SkipNoHeader)
		l.ByKind[SkipNotList] += n
	}
	for i := range l.Skips {
		if l.Skips[i].Kind == SkipNoHeader {
			l.Skips[i].Kind = SkipNotList
		}
	}
}
