package ingest

// The account of a sheet's rows (every physical row accepted, rejected or
// skipped with its kind), the masked previews reports show, and the
// rules that tell a footer or a repeated header from a person's row.

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/vn"
)

// skip counts row num as skipped, of kind, and lists it. Consecutive blank
// rows, and consecutive rows of a sheet without header, make one run.
// preview is called only when the row starts a listed entry.
func (l *Layout) skip(num int, kind SkipKind, preview func() string) {
	l.SkippedRows++
	if l.ByKind == nil {
		l.ByKind = map[SkipKind]int{}
	}
	l.ByKind[kind]++
	if n := len(l.Skips); n > 0 && (kind == SkipBlank || kind == SkipNoHeader) {
		last := &l.Skips[n-1]
		if last.Kind == kind && max(last.To, last.Row) == num-1 {
			last.To = num
			return
		}
	}
	if len(l.Skips) >= MaxListed {
		l.Unlisted++
		return
	}
	run := SkipRun{Row: num, Kind: kind}
	if preview != nil {
		run.Preview = preview()
	}
	l.Skips = append(l.Skips, run)
}

// count adds an item of row r to the account, listing a reject with the
// preview of its row.
func (l *Layout) count(it Item, preview func() string) {
	switch {
	case it.Record != nil:
		l.Accepted++
	case it.Reject != nil:
		l.Rejected++
		if len(l.Rejects) >= MaxListed {
			l.Unlisted++
			return
		}
		rr := RejectedRow{Row: int(it.Reject.Row), Column: it.Reject.Column, Reason: it.Reject.Reason}
		if preview != nil {
			rr.Preview = preview()
		}
		l.Rejects = append(l.Rejects, rr)
	}
}

// previewMax bounds a preview, in runes.
const previewMax = 160

// preview is the text of a row for a report: its non-empty cells joined
// by " | ", with personal names reduced to the family name and initials
// and long numbers masked, so that a report can be read by whoever runs
// the import. person says the row may be a person's (a reject, a row of
// a sheet without header): then the name columns (fields, by column;
// nil when unknown) and any cell of two to five capitalised words are
// masked; otherwise (titles, headers, footers) the cells that read as a
// name (a known family name, then name words). decode decodes a cell of
// column i (nil: as is); date1904 says serial dates count from 1904.
func preview(cells []string, fields []string, decode func(i int, s string) string, person, date1904 bool) string {
	mode := previewText
	if person {
		mode = previewPerson
	}
	return previewAs(cells, fields, decode, mode, date1904)
}

// previewMode says what a preview masks.
type previewMode uint8

const (
	previewText   previewMode = iota // a title or footer: the names written in it (maskNamesIn)
	previewPerson                    // a person's row: also its name columns and name-like cells
	previewHeader                    // a header: no name, it names columns (long numbers still masked)
)

// previewAs is preview, masking as mode says.
func previewAs(cells []string, fields []string, decode func(i int, s string) string, mode previewMode, date1904 bool) string {
	person := mode == previewPerson
	var b strings.Builder
	for i, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if decode != nil {
			c = cleanText(decode(i, c))
		} else {
			c = cellText(c, vn.Unicode) // composed, as classifyCell's
		}
		f := ""
		if i < len(fields) {
			f = fields[i]
		}
		switch {
		case person && (nameField(f) || capitalisedWords(c) && !notAName(strings.Fields(c))):
			c = vn.MaskName(c)
		case serialDate(f, c):
			// An Excel serial under a date header: show the date Excel
			// shows, not 42841.
			if date1904 {
				c = serial1904(c)
			}
			d, _ := vn.ParseDateCell(c, true)
			c = fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
		case placeField(f) && (person || !capitalisedWords(c)):
			// An address is places ("Nghi Xuân, Hà Tĩnh": Hà is a family
			// name too, and the province was "Hà T.": user27). Not a
			// footer's name alone under it: a signature ("Phan Đình Tứ"
			// under "Trưởng thôn" was shown whole: user28).
			c = maskNumbers(c)
		case mode == previewHeader:
			// "QUAN HỆ VỚI CHỦ HỘ" (Quan is a family name) was
			// "Quan H. V. C. H." (user26).
			c = maskNumbers(c)
		default:
			c = maskNumbers(maskNamesIn(c))
		}
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(c)
		if b.Len() > 4*previewMax {
			break
		}
	}
	return truncate(b.String(), previewMax)
}

// serialDate reports a cell of a date column that holds an Excel serial
// date of a day (a whole number, not a year).
func serialDate(field, c string) bool {
	switch field {
	case FieldBirthDate, FieldBirthDateMale, FieldBirthDateFem:
	default:
		return false
	}
	if len(c) < 3 || len(c) > 6 || !isNumeric(c) {
		return false
	}
	d, err := vn.ParseDateCell(c, true)
	return err == nil && d.Precision == vn.PrecisionDay
}

// capitalisedWords reports two to five words, each starting with an
// upper-case letter, and no digit, comma or colon: how a name is written
// ("GHI CHÚ:", a label, is none: user26's notes sheet showed "Ghi C.").
func capitalisedWords(s string) bool {
	if strings.ContainsAny(s, "0123456789,:") {
		return false
	}
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// nameField reports the fields that hold a person's name.
func nameField(f string) bool {
	switch f {
	case FieldFullName, FieldFamilyMiddle, FieldGivenName, FieldFatherName, FieldMotherName, FieldSpouseName, FieldHouseholdHead:
		return true
	}
	return false
}

// maskNumbers masks every run of 7 or more digits as an identification
// number is masked in logs ("0010******45"); dates and short numbers stay.
func maskNumbers(s string) string { return maskDigitRuns(s, false) }

// maskDigitRuns is maskNumbers; with whole, only of the runs that are
// words of their own, not glued to a letter ("r3f0011290374a", a hash).
func maskDigitRuns(s string, whole bool) string {
	var out []byte
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i >= 7 && (!whole || (i == 0 || !alnumByte(s[i-1])) && (j == len(s) || !alnumByte(s[j]))) {
			if out == nil {
				out = make([]byte, 0, len(s))
				out = append(out, s[:i]...)
			}
			out = append(out, vn.MaskID(s[i:j])...)
		} else if out != nil {
			out = append(out, s[i:j]...)
		}
		i = j
		if out != nil {
			for i < len(s) && (s[i] < '0' || s[i] > '9') {
				out = append(out, s[i])
				i++
			}
		}
	}
	if out == nil {
		return s
	}
	return string(out)
}

var (
	surnamesOnce sync.Once
	surnames     map[string]bool // canonical (vn.Canon) family names
)

func isSurname(w string) bool {
	surnamesOnce.Do(func() {
		surnames = map[string]bool{}
		if t, err := refdata.Load("names/surnames.csv"); err == nil {
			for _, r := range t.Rows {
				surnames[vn.Canon(r[0])] = true
			}
		}
	})
	return surnames[vn.Canon(w)]
}

func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// maskNamesIn masks every name written in a text: a known family name
// followed by capitalised words (up to five words in all) is reduced to
// the family name and initials — a signature under a footer, "Hộ ông
// Nguyễn Văn An" as a section heading. A title in capitals whose first
// word is also a family name ("DANH SÁCH …") is masked too: the preview
// errs on the side of hiding. Two words after a unit's word ("xã Hồng
// Lộc", "HUYỆN LỘC HÀ") are a place's name, not a person's, and are
// shown, as is "Công an" before a unit (user27: a title read "Công A. XÃ
// Hồng L. - HUYỆN Lộc H.", a data team could not tell which list it
// was); three or more ("Chủ tịch UBND xã Nguyễn Văn An"), or two after
// an office ("Trưởng thôn Lê Bình"), are masked as before; so are the
// last two words of a place of three after its unit's word ("xã Thạnh Phú
// Đông": placeTail).
func maskNamesIn(s string) string {
	words := strings.Fields(s)
	changed := false
	for i := 0; i+1 < len(words); i++ {
		if !capitalised(strings.TrimLeft(words[i], "(")) || !capitalised(words[i+1]) || !isSurname(strings.Trim(words[i], ".,:;()")) || endsRun(words[i]) {
			continue
		}
		j := i + 1
		for j < len(words) && j-i < 5 && capitalised(words[j]) && !unitWords[canonKey(words[j])] {
			j++
			if endsRun(words[j-1]) {
				break // "Nguyễn Văn An, Trưởng thôn": the name ends at its comma
			}
		}
		if j-i < 2 || notAName(words[i:j]) || police(words[i:j]) || j-i == 2 && (afterUnit(words, i) || placeTail(words, i)) || dateLinePlace(words, j) {
			// "BAN NHÂN DÂN", "DANH SÁCH NHÂN KHẨU": the words of a
			// title, not a person (Ban and Danh are family names too).
			i = j - 1
			continue
		}
		// The brackets and punctuation around the name stay as written
		// ("(Nguyễn V. A.)", "Nguyễn V. A.,"): MaskName drops them.
		name := strings.Join(words[i:j], " ")
		core := strings.TrimRight(strings.TrimLeft(name, "("), ".,:;)")
		lead, trail := name[:strings.Index(name, core)], name[strings.Index(name, core)+len(core):]
		m := vn.MaskName(core)
		if strings.HasSuffix(m, ".") {
			trail = strings.TrimPrefix(trail, ".")
		}
		m = lead + m + trail
		words = append(words[:i], append([]string{m}, words[j:]...)...)
		changed = true
	}
	if !changed {
		return s
	}
	return strings.Join(words, " ")
}

// endsRun reports a word after which a name cannot go on: it ends with
// a comma, semicolon, colon or closing bracket (user30: "Nguyễn Văn An,
// Trưởng thôn" was masked as one name, "Nguyễn V. A. T. thôn").
func endsRun(w string) bool {
	return strings.HasSuffix(w, ",") || strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":") || strings.HasSuffix(w, ")")
}

// unitWords name administrative units and end a name-like run of words
// written after them ("… NHÂN DÂN XÃ TÂN AN" stops at XÃ). Compared with
// their diacritics (canonKey): Huyện is a district, Huyền a given name.
var unitWords = map[string]bool{"xã": true, "thôn": true, "huyện": true, "tỉnh": true, "phường": true, "quận": true, "ấp": true, "xóm": true}

// afterUnit reports words[i] following a unit's word ("xã", "HUYỆN",
// "thị trấn") that no office precedes ("Trưởng thôn", "Phó Chủ tịch
// xã"): the first word of a place's name.
func afterUnit(words []string, i int) bool {
	if i == 0 {
		return false
	}
	prev := canonKey(words[i-1])
	if !unitWords[prev] && !(prev == "trấn" && i >= 2 && canonKey(words[i-2]) == "thị") {
		return false
	}
	if prev == "trấn" {
		i--
	}
	return i < 2 || !officeWords[canonKey(words[i-2])]
}

// placeTail reports words[i] following the first word of a place's name
// of three ("XÃ THẠNH PHÚ ĐÔNG", "ấp Tân Phú Trung"): one capitalised
// word, itself after a unit's word (afterUnit), stands before it. The two
// words from words[i] are then the rest of the place's name, not a person
// (user30: a title read "XÃ THẠNH Phú Đ."); a person of three words after a
// unit's word starts at the unit and is masked as before.
func placeTail(words []string, i int) bool {
	return i >= 2 && capitalised(words[i-1]) && !strings.ContainsAny(words[i-1], ",.;:()") && afterUnit(words, i-1)
}

// officeWords end the name of an office held in a unit ("Trưởng thôn",
// "Chủ tịch xã", "Bí thư xã", "Cán bộ xã"): a name after the unit is its
// holder's. "Công an xã" is the commune's police, not an office: the
// words after it are the commune's name.
var officeWords = map[string]bool{"trưởng": true, "phó": true, "tịch": true, "thư": true, "bộ": true, "viên": true}

// dateLinePlace reports a run of words ending before words[j] that is the
// place of a place-and-date line ("Thạch Kim, ngày 20 tháng 11 năm 2024").
func dateLinePlace(words []string, j int) bool {
	return j < len(words) && strings.HasSuffix(words[j-1], ",") && canonKey(words[j]) == "ngày"
}

// police reports a run of words that starts "Công an" (Công is also a
// family name): the police of the unit named after it.
func police(words []string) bool {
	return len(words) >= 2 && canonKey(words[0]+" "+words[1]) == "công an"
}

// notANamePhrases are phrases of titles that read like names to
// maskNamesIn — a family name followed by capitalised words — and are no
// person's name. Compared with their diacritics (canonKey), so that a
// name written alike without them (Hồ Gia Định, not hộ gia đình) is
// still masked; text written without diacritics is masked whole.
var notANamePhrases = []string{"ban nhân dân", "danh sách", "nhân khẩu", "hộ gia đình", "thường trú", "tạm trú", "hội đồng", "ghi chú"}

// notAName reports a run of words holding one of notANamePhrases.
func notAName(words []string) bool {
	k := " " + canonKey(strings.Join(words, " ")) + " "
	for _, p := range notANamePhrases {
		if strings.Contains(k, " "+p+" ") {
			return true
		}
	}
	return false
}

// canonKey is vn.Canon (lower case, diacritics kept, one tone-mark
// placement) with punctuation read as a space: "TM. UBND xã" → "tm ubnd xã".
func canonKey(s string) string {
	c := vn.Canon(s)
	if canonKeyClean(c) {
		return c // what FieldsFunc and Join would give back, without them
	}
	return strings.Join(strings.FieldsFunc(c, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x80 && r != '\u00a0')
	}), " ")
}

// canonKeyClean reports a canonical form that canonKey's split and join
// would return unchanged: words of a–z, 0–9 and bytes ≥ 0x80 other than
// U+00A0 (C2 A0), separated by single spaces, none at either end. Most
// cells it is given (a name starting with H, checked against a repeated
// header) are so.
func canonKeyClean(c string) bool {
	if c == "" || c[0] == ' ' || c[len(c)-1] == ' ' {
		return false
	}
	for i := 0; i < len(c); i++ {
		switch b := c[i]; {
		case b >= 'a' && b <= 'z' || b >= '0' && b <= '9':
		case b == ' ':
			if c[i-1] == ' ' {
				return false
			}
		case b >= utf8.RuneSelf:
			if b == 0xC2 && i+1 < len(c) && c[i+1] == 0xA0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// hasDiacritics reports whether s has a letter that is not plain ASCII —
// text that carries its diacritics and must be compared with them.
func hasDiacritics(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// footerPhrases start a footer cell: signatures and their captions,
// totals. Written with their diacritics and compared with them: Tống
// (a family name) is not Tổng ("total"), Tô Trường not tổ trưởng, Chu
// Tích not chủ tịch, Cấn Bộ not cán bộ.
var footerPhrases = []string{
	"người lập", "người ghi", "người kiểm tra", "người duyệt", "người tổng hợp",
	"ký tên", "ký ghi rõ", "ký và ghi", "ký họ tên", "ký xác nhận", "ký đóng dấu",
	"xác nhận", "trưởng thôn", "trưởng ấp", "trưởng bản", "trưởng xóm", "trưởng khu", "trưởng ban",
	"trưởng công an", "tổ trưởng", "chủ tịch", "phó chủ tịch", "cán bộ", "thủ trưởng",
	"tm ubnd", "tm uỷ ban", "tm ban", "t m ubnd", "kt chủ tịch",
	"tổng cộng", "tổng số",
}

// footerKeys are footerPhrases as canonKey and as fold, longest first.
var footerCanon, footerFold = func() ([]string, []string) {
	var c, f []string
	for _, p := range footerPhrases {
		c = append(c, canonKey(p))
		f = append(f, fold(p))
	}
	return c, f
}()

var (
	// A place-and-date line: "Đông Anh, ngày 15 tháng 5 năm 2024".
	dateLineCanon = regexp.MustCompile(`(^|\s)ngày [0-9. ]*tháng [0-9. ]*năm( [0-9]+)?$`)
	dateLineFold  = regexp.MustCompile(`(^|\s)ngay [0-9. ]*thang [0-9. ]*nam( [0-9]+)?$`)
)

// hasPhrase reports whether key is one of phrases or starts with one
// followed by a space.
func hasPhrase(key string, phrases []string) bool {
	for _, p := range phrases {
		if strings.HasPrefix(key, p) && (len(key) == len(p) || key[len(p)] == ' ') {
			return true
		}
	}
	return false
}

// footerText reports whether a cell reads as the start of a footer.
// folded is set when the match needed folding: the cell is written
// without any diacritics, as some lists are, and the row must then also
// look like a footer everywhere else (see tabular.dataShaped).
func footerText(s string) (match, folded bool) {
	// Folded first: most cells match nothing even folded, and folding is
	// cheaper than the canonical form.
	k := fold(s)
	if !hasPhrase(k, footerFold) && !dateLineFold.MatchString(k) && !totalsCell(k, totalsFold, false) && !countFold.MatchString(k) &&
		!totalsCount(k, totalsFold) {
		return false, false
	}
	if hasDiacritics(s) {
		k = canonKey(s)
		return hasPhrase(k, footerCanon) || dateLineCanon.MatchString(k) || totalsCell(k, totalsCanon, false) ||
			countCanon.MatchString(k) || totalsCount(k, totalsCanon), false
	}
	return true, true
}

// totalsCanon and totalsFold begin the totals row of a list: "Cộng",
// "Tổng", before a count anywhere ("Cộng: 17 người", "Tổng 17"), alone in
// the STT column (see stt) — alone elsewhere it may be a given name, and
// "Cộng Hòa" is a commune; Tống, a family name, differs by its diacritics.
var totalsCanon, totalsFold = []string{canonKey("cộng"), canonKey("tổng")}, []string{"cong", "tong"}

// countCanon and countFold are a count of people alone, the totals of a
// list with no STT column where "Cộng" would stand ("3 người", "17 nhân
// khẩu", "5 hộ"): no name starts with a number.
var (
	countCanon = regexp.MustCompile(`^[0-9]+ (người|nhân khẩu|khẩu|hộ)$`)
	countFold  = regexp.MustCompile(`^[0-9]+ (nguoi|nhan khau|khau|ho)$`)
)

// totalsCell reports whether key (canonKey or fold) is one of words
// followed by a number, or, when alone is set, the word alone.
func totalsCell(key string, words []string, alone bool) bool {
	for _, w := range words {
		if !strings.HasPrefix(key, w) {
			continue
		}
		if len(key) == len(w) {
			return alone
		}
		if key[len(w)] == ' ' && len(key) > len(w)+1 && key[len(w)+1] >= '0' && key[len(w)+1] <= '9' {
			return true
		}
	}
	return false
}

// totalsCount reports whether key (canonKey or fold) is a totals word,
// other words, then a count: "Cộng tạm trú: 2 người", "Tổng số nhân khẩu
// 45" (user26: the first was read as a person "Cộng Tạm Trú 2 Người").
// No name holds a digit.
func totalsCount(key string, words []string) bool {
	for _, w := range words {
		if len(key) > len(w)+1 && strings.HasPrefix(key, w) && key[len(w)] == ' ' && strings.ContainsAny(key[len(w):], "0123456789") {
			return true
		}
	}
	return false
}

// totalsText is footerText for a cell of the STT column, which holds no
// name: "Cộng" or "Tổng" alone starts the totals row too.
func totalsText(s string) (match, folded bool) {
	if !totalsCell(fold(s), totalsFold, true) {
		return false, false
	}
	if hasDiacritics(s) {
		return totalsCell(canonKey(s), totalsCanon, true), false
	}
	return true, true
}

// totalsName reports a name cell (raw, of column i) that reads as the
// totals of a list — "Cộng: 20 nhân khẩu", "Tổng cộng", "Tổng số 20" —
// in a row whose STT column holds a number: the count of the list, or a
// formula's (=COUNT(A6:A30)), where a person's number would stand. No
// name starts with a totals word before a number, and "Tổng cộng" is
// compared with its diacritics (Tống is a family name).
func totalsName(raw string, i int, decode func(i int, s string) string) bool {
	// Cheap tests first, as this is asked of every numbered row: a totals
	// word starts with C or T in any font, and a number or a second word
	// starting with C or S (Tổng cộng, Tổng số) follows it.
	t := strings.TrimLeft(raw, " ")
	if t == "" || !strings.ContainsRune("CcTt", rune(t[0])) {
		return false
	}
	if !strings.ContainsAny(t, "0123456789") {
		sp := strings.IndexByte(t, ' ')
		if sp < 0 || sp+1 >= len(t) || !strings.ContainsRune("CcSs", rune(t[sp+1])) {
			return false
		}
	}
	s := decode(i, raw)
	if hasDiacritics(s) {
		k := canonKey(s)
		return totalsCell(k, totalsCanon, false) || hasPhrase(k, totalsPhrases)
	}
	return totalsCell(fold(s), totalsFold, false)
}

// totalsPhrases are the footerPhrases of a totals row (canonKey).
var totalsPhrases = []string{canonKey("tổng cộng"), canonKey("tổng số")}

// sectionWords start a section heading in a list (canonKey): the units a
// commune's list is grouped by.
var sectionWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"thôn", "xóm", "ấp", "bản", "tổ", "khu", "đội", "làng", "hộ", "khóm", "buôn", "sóc", "cụm", "tdp", "phường", "xã"} {
		m[canonKey(w)] = true
	}
	return m
}()

// sectionText reports a heading such as "Thôn Đông", "TỔ 3", "Hộ ông
// Nguyễn Văn An": two words or more, the first a section word with its
// diacritics (none is a family name; folded, "To" could be Tô).
func sectionText(s string) bool {
	if !hasDiacritics(s) {
		return false
	}
	words := strings.Fields(canonKey(s))
	return len(words) >= 2 && sectionWords[words[0]]
}

// headingTitle reports a title in a name column: two words or more,
// with diacritics (folded, a family name cannot be told), the first no
// known family name.
func headingTitle(s string) bool {
	words := strings.Fields(s)
	return len(words) >= 2 && hasDiacritics(s) && !isSurname(strings.Trim(words[0], ".,:;()"))
}

// addressWords mark a cell as an address (canonKey words).
var addressWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"xã", "phường", "thôn", "huyện", "tỉnh", "quận", "tp", "thị", "trấn", "ấp", "bản", "xóm",
		"tổ", "khu", "phố", "đường", "số", "kp", "tt", "tx", "thành"} {
		m[canonKey(w)] = true
		m[fold(w)] = true
	}
	return m
}()

// looksAddress reports a cell that reads as an address: a comma, a digit
// or an address word.
func looksAddress(s string) bool {
	if !hasLetter(s) {
		return false
	}
	if strings.ContainsAny(s, ",0123456789") {
		return true
	}
	var k string
	if hasDiacritics(s) {
		k = canonKey(s)
	} else {
		k = fold(s)
	}
	for _, w := range strings.Fields(k) {
		if addressWords[w] {
			return true
		}
	}
	return false
}

// plausibleBirth reports a date cell that parses to a birth date. A
// small number (a count in a totals row) is not a date serial.
func plausibleBirth(s string) bool {
	num := isNumeric(s)
	if num {
		if f, err := strconv.ParseFloat(s, 64); err != nil || f < 1000 {
			return false
		}
	}
	d, ok := parseDate(s, num)
	return ok && int(d.year) >= minBirthYear && !vn.AfterThisYear(int(d.year))
}

// digitCount counts the ASCII digits of s.
func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// dataShaped reports whether row r holds what a person's row holds and a
// footer does not, in a column other than except: an STT number, a birth
// date, an identification number, an address or a sex.
func (sh *sheetState) dataShaped(r rawRow, except int, decode func(i int, s string) string) bool {
	for i, c := range r.cells {
		if i == except || i >= len(sh.cols.field) || strings.TrimSpace(c) == "" || sh.cols.field[i] == "" {
			continue
		}
		if m, _ := footerText(decode(i, c)); m {
			continue // "Trưởng thôn" under a signature is no address
		}
		switch f := sh.cols.field[i]; f {
		case FieldSTT:
			if isNumeric(c) {
				return true
			}
		case FieldBirthDate, FieldBirthYear, FieldBirthDateMale, FieldBirthDateFem:
			if plausibleBirth(strings.TrimSpace(c)) {
				return true
			}
		case FieldIDNumber, FieldCMND, FieldIDAny:
			if digitCount(c) >= 8 {
				return true
			}
		case FieldPermAddress, FieldCurAddress, FieldNativePlace, FieldBirthRegPlace:
			// A person's name there is a signature under the footer
			// ("Nguyễn Văn Thành": Thành is also an address word; user27).
			if d := decode(i, c); looksAddress(d) && !fullNameText(cleanText(d)) {
				return true
			}
		case FieldSex:
			if parseSex(decode(i, c)) != "" {
				return true
			}
		}
	}
	return false
}

// isFooter reports a signature, place-and-date or totals row: one of its
// first three non-empty cells starts with a footer phrase (or a totals
// word before a count, or alone in the STT column), compared with
// diacritics — or, for a cell written without any, folded, and then only
// when nothing else in the row is shaped like a person's data.
func (sh *sheetState) isFooter(r rawRow, decode func(i int, s string) string) bool {
	seen := 0
	for i, c := range r.cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if match, folded := footerText(decode(i, c)); match {
			return !folded || !sh.dataShaped(r, i, decode)
		}
		// The STT column, or one left unread ("Hộ số": user27's lists had
		// "Tæng céng" there, the count under the name), has no encoding
		// of its own: its text is read in the sheet's.
		// So has the household number's ("Hộ số", read since user28):
		// its cells are numbers, which tell no encoding.
		if (i >= len(sh.cols.field) || sh.cols.field[i] == FieldSTT || sh.cols.field[i] == "" || sh.cols.field[i] == FieldHouseholdNo) && !isNumeric(c) {
			if match, folded := sh.totalsSTT(i, c, decode); match {
				return !folded || !sh.dataShaped(r, i, decode)
			}
		}
		if seen == 0 && i < len(sh.cols.field) && nameColumn(sh.cols.field[i]) && sh.unnumbered(r) {
			// "Cộng" alone where a name stands, the counts beside it ("Cộng
			// | 3 | 2" under "Năm sinh / Nam | Nữ"), in a row left out of
			// the list's numbering: the totals, when nothing else in the
			// row is a person's (a year, a number, an address, a sex). In
			// a list with no STT column it may be a person's name; so may
			// it after a family name ("Nguyễn Văn | Cộng", a household's
			// member left unnumbered): the totals word starts its row.
			if match, _ := totalsText(decode(i, c)); match {
				return !sh.dataShaped(r, i, decode)
			}
		}
		if seen++; seen == 3 {
			break
		}
	}
	return false
}

// totalsSTT is totalsText for the cell c of the STT column i, which has
// no text encoding of its own: in a sheet typed in TCVN3 or VNI, "Cộng"
// there is typed in the font of the sheet's text columns.
func (sh *sheetState) totalsSTT(i int, c string, decode func(i int, s string) string) (match, folded bool) {
	if match, folded = totalsText(decode(i, c)); match {
		return match, folded
	}
	for j, e := range sh.cols.enc {
		if e != vn.Unicode && slices.Index(sh.cols.enc, e) == j {
			// "Tổng cộng: 8 người" merged across STT and name, typed in
			// .VnTime: "Tæng céng: 8 ngêi" as the STT column reads it.
			d := decodeText(c, e)
			if match, folded = totalsText(d); match {
				return match, folded
			}
			if match, folded = footerText(d); match {
				return match, folded
			}
		}
	}
	return false, false
}

// nameColumn reports a column of the person's own name (whole or split).
func nameColumn(f string) bool {
	return f == FieldFullName || f == FieldFamilyMiddle || f == FieldGivenName
}

// unnumbered reports whether row r holds no number in its sheet's STT
// column; false when the sheet has none.
func (sh *sheetState) unnumbered(r rawRow) bool {
	i, ok := sh.cols.index[FieldSTT]
	return ok && (i >= len(r.cells) || !isNumeric(strings.TrimSpace(r.cells[i])))
}

// rowPreview is the masked preview of a row of sh; person says the row
// may be a person's (see preview).
func (sh *sheetState) rowPreview(r rawRow, person bool) func() string {
	return func() string {
		family := legacyFamily(sh.cols.enc)
		dec := func(i int, s string) string {
			if enc, own := sh.cellFont(r, i); own {
				return decodeText(s, enc)
			}
			if i < len(sh.cols.enc) && i < len(sh.cols.field) && sh.cols.field[i] != "" && !textField(sh.cols.field[i]) && family != vn.Unicode && !isASCII(s) {
				// A mark under Nam | Nữ ("Nöõ") has no text encoding of its
				// own: it is typed in the sheet's (user27).
				return decodeText(s, family)
			}
			if i < len(sh.cols.enc) {
				return decodeText(s, sh.cols.enc[i])
			}
			return s
		}
		if !person || len(sh.cols.enc) == 0 {
			// A footer or heading is often typed in another font than the
			// column it sits in ("TM. ỦY BAN NHÂN DÂN" in .VnTimeH under a
			// .VnTime column): its own text decides when it can. So it
			// does in a sheet whose header was not found (a cover, a
			// summary: "Tæng hîp"), where no column has an encoding; there
			// the cells' fonts tell what the text alone cannot ("Ghi chó:"
			// reads as Unicode too: user26's notes sheet).
			var fontOf func(col int) string
			switch {
			case sh.noHeaderFonts != nil:
				fontOf = func(col int) string { return sh.noHeaderFonts[cellPos{r.num, col}] }
			case family == vn.VNI:
				// A VNI sheet's footer ("Coäng") is VNI, which its text
				// alone may not tell from TCVN3 ("Coọng": user27).
				fontOf = func(int) string { return "VNI-Times" }
			}
			if d := rowDecoder(r.cells, fontOf); d != nil {
				dec = d
			}
			if len(sh.noHeaderEnc) > 0 {
				byRow := dec
				dec = func(i int, s string) string {
					if enc, ok := sh.noHeaderEnc[fontOf(i)]; ok && !isASCII(s) {
						return decodeText(s, enc)
					}
					return byRow(i, s)
				}
			}
		}
		return preview(r.cells, sh.cols.field, dec, person, sh.date1904)
	}
}
