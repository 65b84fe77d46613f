package ingest

import (
	"cmp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// fieldIndex numbers the fields so that a row's values live in a fixed
// array rather than a map (a million-row sheet allocates per row).
var fieldList = []string{FieldSourceRecordID, FieldFullName, FieldFamilyMiddle, FieldGivenName, FieldBirthDate,
	FieldBirthYear, FieldBirthDateMale, FieldBirthDateFem, FieldSex, FieldIDNumber, FieldCMND, FieldIDAny,
	FieldBirthRegPlace, FieldNativePlace, FieldEthnicity, FieldReligion, FieldNationality, FieldPermAddress,
	FieldCurAddress, FieldFatherName, FieldFatherID, FieldMotherName, FieldMotherID, FieldSpouseName,
	FieldSpouseID, FieldHouseholdHead, FieldRelationToHead, FieldCollectingUnit, FieldFormID, FieldScanRef,
	FieldSexMale, FieldSexFem, FieldBirthDay, FieldBirthMonth, FieldRemark, FieldHouseholdNo}

// The fields' indices in fieldList (and rowValues), for the reads of
// assemble: a constant, not a look-up in fieldIndex for every field of
// every row. TestFieldIndexConstants checks they agree with fieldList.
const (
	idxSourceRecordID = iota
	idxFullName
	idxFamilyMiddle
	idxGivenName
	idxBirthDate
	idxBirthYear
	idxBirthDateMale
	idxBirthDateFem
	idxSex
	idxIDNumber
	idxCMND
	idxIDAny
	idxBirthRegPlace
	idxNativePlace
	idxEthnicity
	idxReligion
	idxNationality
	idxPermAddress
	idxCurAddress
	idxFatherName
	idxFatherID
	idxMotherName
	idxMotherID
	idxSpouseName
	idxSpouseID
	idxHouseholdHead
	idxRelationToHead
	idxCollectingUnit
	idxFormID
	idxScanRef
	idxSexMale
	idxSexFem
	idxBirthDay
	idxBirthMonth
	idxRemark
	idxHouseholdNo
)

var fieldIndex = func() map[string]int {
	m := make(map[string]int, len(fieldList))
	for i, f := range fieldList {
		m[f] = i
	}
	return m
}()

// rowValues are the text values of one row by field, with the column
// header each came from (for rejects and notes) and, for spreadsheets,
// whether the cell looked numeric.
type rowValues struct {
	v   [idxHouseholdNo + 1]string
	col [idxHouseholdNo + 1]string
	// monthFirst has bit i set when field i's text date is written
	// month/day/year (a column read month first: chooseDateOrders).
	monthFirst uint64
	// dayShown has bit i set when field i's cell is a number whose format
	// shows a date's day (rawRow.day): a serial in a year column drawn as
	// "27/10/1953" is that date, not a year.
	dayShown uint64
	// dates are the text dates of fields idxBirthDate to idxBirthDateFem
	// as the reader read them (keepDate), when their values are the
	// cells it read.
	dates [idxBirthDateFem - idxBirthDate + 1]textDate
}

// keepDate keeps the text date td read from cell, the text of field i's
// column, for checkDate: when it is field i's value, that need not be
// read again.
func (rv *rowValues) keepDate(i int, td textDate, cell string) {
	if i >= idxBirthDate && i <= idxBirthDateFem && rv.v[i] == cell {
		rv.dates[i-idxBirthDate] = td
	}
}

// keptDate is the text date kept for field i (keepDate), if any.
func (rv *rowValues) keptDate(i int) textDate {
	if i >= idxBirthDate && i <= idxBirthDateFem {
		return rv.dates[i-idxBirthDate]
	}
	return textDate{}
}

func (rv *rowValues) set(field, value, column string) {
	if i, ok := fieldIndex[field]; ok && rv.v[i] == "" {
		rv.v[i], rv.col[i] = value, column
	}
}

// label records the column of a field even when its cell is empty, so a
// reject can name the column that was missing.
func (rv *rowValues) label(field, column string) {
	if i, ok := fieldIndex[field]; ok && rv.col[i] == "" {
		rv.col[i] = column
	}
}

// setAt is set by the field's index in fieldIndex (-1: none).
func (rv *rowValues) setAt(i int, value, column string) {
	if i >= 0 && rv.v[i] == "" {
		rv.v[i], rv.col[i] = value, column
	}
}

// joinAt is setAt, but a value already set is followed by sep and value
// (an address whose levels stand in several columns, joined by ", "; a
// family name and a middle name in two, by " ").
func (rv *rowValues) joinAt(i int, value, column, sep string) {
	switch {
	case i < 0:
	case rv.v[i] == "":
		rv.v[i], rv.col[i] = value, column
	default:
		rv.v[i] += sep + value
	}
}

// labelAt is label by the field's index in fieldIndex (-1: none).
func (rv *rowValues) labelAt(i int, column string) {
	if i >= 0 && rv.col[i] == "" {
		rv.col[i] = column
	}
}

// at returns the value of the field of index i (an idx constant) and
// its column.
func (rv *rowValues) at(i int) (value, column string) {
	return rv.v[i], rv.col[i]
}

// nameTitles are the titles a clerk may write before a name that no
// family name is (Ông is one: "Ông Văn Dũng" is left as it is).
var nameTitles = map[string]bool{"bà": true, "cụ": true, "cháu": true, "chị": true}

// namePrefix returns full without a title before it ("Bà Trần Thị Bình")
// or the list's number typed into the name's cell ("1. Lê Văn Cường"),
// when a name of two words or more, starting with a family name, follows.
func namePrefix(full string) (rest, prefix string, ok bool) {
	first, after, cut := strings.Cut(full, " ")
	if !cut || !mayPrefix(first) {
		return full, "", false // nearly every name: no number, no title
	}
	after = strings.TrimSpace(after)
	if !cut || strings.Count(after, " ") < 1 {
		return full, "", false
	}
	surname, _, _ := strings.Cut(after, " ")
	num := strings.TrimRight(first, ".)")
	switch {
	case len(num) < len(first) && num != "" && strings.Trim(num, "0123456789") == "" && hasLetter(surname):
	case nameTitles[strings.ToLower(first)] && isSurname(surname):
	default:
		return full, "", false
	}
	return after, first, true
}

// mayPrefix reports whether a name's first word (not empty) can be what
// namePrefix leaves out: a number ends in '.' or ')', and every title of
// nameTitles starts with b or c, whose only upper case (the one rune
// strings.ToLower makes b or c of) is B or C. It is false for nearly
// every name, which then is not lowered (an allocation a row).
func mayPrefix(first string) bool {
	if first == "" {
		return false
	}
	switch first[0] {
	case 'b', 'B', 'c', 'C':
		return true
	}
	z := first[len(first)-1]
	return z == '.' || z == ')'
}

// goneCanon and goneFold start a remark saying a person died (chết, mất,
// từ trần, qua đời, tử vong, hy sinh) or moved away (chuyển đi, chuyển
// khẩu, cắt khẩu, xóa thường trú), after "đã" or not; compared with their
// diacritics when the remark has any ("Mát", a nickname, is not mất).
var goneCanon, goneFold = func() (canon, folded []string) {
	for _, p := range []string{"chết", "mất", "từ trần", "qua đời", "tử vong", "hy sinh", "chuyển đi", "chuyển khẩu", "cắt khẩu", "xóa thường trú", "xóa đăng ký thường trú"} {
		canon = append(canon, canonKey(p), canonKey("đã "+p))
		folded = append(folded, fold(p), fold("đã "+p))
	}
	return canon, folded
}()

// whenWords may follow "mất" in a remark that says a death: when or why
// ("mất năm 2019", "mất do tai nạn"). Any other word makes it "lost":
// "mất sức" (the allowance for lost working capacity), "mất CMND" (a
// lost ID card), "mất tích" (missing, not known dead).
var whenWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"năm", "ngày", "tháng", "lúc", "hồi", "từ", "rồi", "do", "vì", "tại", "khi", "cách"} {
		m[canonKey(w)], m[fold(w)] = true, true
	}
	return m
}()

// goneRemark reports a remark (the text in brackets after a name) that
// says the person died or moved away.
func goneRemark(remark string) bool {
	key, phrases, mat, da := fold(remark), goneFold, fold("mất"), fold("đã")
	if hasDiacritics(remark) {
		key, phrases, mat, da = canonKey(remark), goneCanon, canonKey("mất"), canonKey("đã")
	}
	if !hasPhrase(key, phrases) {
		return false
	}
	words := strings.Fields(key)
	if words[0] == da {
		words = words[1:]
	}
	if words[0] != mat || len(words) == 1 {
		return true
	}
	return whenWords[words[1]] || words[1][0] >= '0' && words[1][0] <= '9'
}

// markOf is a cell under "Giới tính / Nam" or "/ Nữ" as a mark: a list
// that counts its men and women with SUM writes 1 and 0, and a 0 (or a
// dash) there marks nothing.
func markOf(v string) string {
	switch strings.TrimSpace(v) {
	case "0", "-", "–":
		return ""
	}
	return v
}

// provenance is what every record and reject of a file shares.
type provenance struct {
	kind, file, hash, batch string
	ids                     *schemas.RecordIDs // the ids of hash's rows; nil: schemas.RecordID
	sourceDate              time.Time
	now                     func() time.Time
	strict                  bool
	noNameParts             bool // Options.NoNameParts
	date1904                bool // the workbook's serial dates count from 1904 (see workbook)
}

// rowWord is what a row of the file is called in a reject's reason:
// "line" for scanned forms (one form a line), as RowWord says.
func (p *provenance) rowWord() string {
	if p.kind == schemas.KindScan {
		return RowWord("jsonl")
	}
	return RowWord("")
}

// Earliest plausible year of birth of a living registrant or a parent
// recorded on a form.
const minBirthYear = 1880

// assemble validates the values of one row and returns the record, or a
// reject when the row is unusable. sheet and row locate it.
func (p *provenance) assemble(rv *rowValues, sheet string, row int, rec *schemas.Record) Item {
	rejectf := func(column, value, reason string) Item {
		return Item{Reject: &schemas.Reject{
			RejectID:    schemas.RejectID(p.hash, sheet, row, column),
			SourceFile:  p.file,
			FileHash:    p.hash,
			Sheet:       sheet,
			Row:         uint32(row),
			Column:      column,
			Value:       value,
			Reason:      reason,
			ImportBatch: p.batch,
			RejectedAt:  p.now().UTC(),
		}}
	}
	var notes []Note
	note := func(column, field, value, reason string) {
		notes = append(notes, Note{Column: column, Field: field, Value: value, Reason: reason})
	}

	// Name: the one field without which a row is no one.
	full, fullCol := rv.at(idxFullName)
	noneCol := "" // the column of a name that says none, when it is not fullCol
	if full == "" {
		fam, famCol := rv.at(idxFamilyMiddle)
		giv, givCol := rv.at(idxGivenName)
		full = strings.TrimSpace(fam + " " + giv)
		if givCol != "" {
			fullCol = givCol
		} else if famCol != "" {
			fullCol = famCol
		}
		if giv == "" {
			noneCol = famCol
		}
	}
	if fullCol == "" {
		fullCol = "full_name"
	}
	// A clerk's remark after the name (a nickname, "(đã chết)") is no part
	// of it: left out, and said. One that says the person died or moved
	// away rejects the row: the register has no status to keep it in, and
	// would hold the person as a living resident.
	nameRemark := "" // kept with the record (Record.Remark)
	if i := strings.IndexByte(full, '('); i > 0 && strings.HasSuffix(full, ")") {
		if name := strings.TrimSpace(full[:i]); hasLetter(name) {
			remark := maskNamesIn(truncate(full[i:], 40))
			if goneRemark(full[i+1 : len(full)-1]) {
				return rejectf(fullCol, remark, reasonNameRemarkGone)
			}
			note(fullCol, FieldFullName, remark, NoteNameRemark)
			full, nameRemark = name, strings.TrimSpace(full[i+1:len(full)-1])
		}
	}
	if rest, prefix, ok := namePrefix(full); ok {
		note(fullCol, FieldFullName, prefix, NoteNamePrefix)
		full = rest
	}
	// A relation to the household head or a rank written in the name's
	// cell ("CH Nguyễn Văn Thành", "Vợ: …", "… - CH", "Hạ sĩ …") is no
	// part of the name: left out, and said; a relation is kept as the
	// row's relation to the head when it gives none. "Con bà …" is a
	// child named by its parent (vn.ChildOf), read below.
	relation := ""
	if _, _, child := vn.ChildOf(full); !child {
		if rest, words, rank, ok := nameRelation(full); ok {
			note(fullCol, FieldFullName, words, NoteNameRelation)
			full = rest
			if !rank {
				relation = words
			}
		}
	}
	// Two persons in one cell ("Nguyễn Văn Bình, Nguyễn Thị Cúc", a
	// couple typed on one line) were one person of six words (user26):
	// sent back, each needs a row. A year typed after the name ("Nguyễn
	// Văn An 1985") was part of it: left out, and the year of birth when
	// the row has none.
	if twoNames(full) {
		return rejectf(fullCol, maskNamesIn(truncate(full, 64)), reasonTwoNames)
	}
	if name, year, ok := nameYear(full); ok {
		note(fullCol, FieldFullName, year, NoteNameYear)
		full = name
		if d, _ := rv.at(idxBirthDate); d == "" {
			if y, _ := rv.at(idxBirthYear); y == "" {
				rv.setAt(idxBirthYear, year, fullCol)
			}
		}
	}
	if full == "" {
		return rejectf(fullCol, "", "missing full name")
	}
	// The list's "Ghi chú" saying the person died or moved away ("Đã chết
	// năm 2023", "Chuyển đi") is read as the remark after a name is: the
	// person is no living resident (user27: accepted as one before). Only
	// a remark that starts so: "Vợ đã chết" says nothing of this person.
	if v, col := rv.at(idxRemark); v != "" && goneRemark(v) {
		return rejectf(col, maskNamesIn(truncate(v, 40)), reasonRemarkGone)
	}
	if !hasLetter(full) {
		return rejectf(fullCol, truncate(full, 64), "full name has no letters")
	}
	// A digit left in a typed list's name ("Hồ Văn 3": a given name typed
	// as a number, "Th1" for Thị) was a person of that name (user26): no
	// name holds one, so the row is sent back to be corrected. A year
	// after the name and a number before it are taken out above. On a
	// scanned form the digit is the reader's misreading of a letter ("8ình"
	// for Bình): the record is kept for the matcher, which reads names
	// approximately, as other misread letters are.
	if p.kind != schemas.KindScan && hasASCIIDigit(full) {
		return rejectf(fullCol, truncate(full, 64), "full name holds a digit: a name is written in letters; correct the cell")
	}
	// A word or sign for "none" (NA, KR, N/A, không rõ …: vn.NoName, as
	// the matcher reads it) is no name either: such a row could only be
	// matched on its other fields, and it is sent back to be filled in.
	if vn.NoName(full) {
		return rejectf(cmp.Or(noneCol, fullCol), truncate(full, 64), "missing full name (the cell says none)")
	}
	if len(full) > 120 { // no more runes than bytes: counted only then
		if n := utf8.RuneCountInString(full); n > 120 {
			return rejectf(fullCol, truncate(full, 64), "full name is "+strconv.Itoa(n)+" characters long; the "+p.rowWord()+" looks garbled")
		}
	}

	rec.SchemaVersion = schemas.Version
	if p.ids != nil {
		rec.RecordID = p.ids.ID(sheet, row)
	} else {
		rec.RecordID = schemas.RecordID(p.hash, sheet, row)
	}
	rec.SourceKind = p.kind
	rec.SourceFile = p.file
	rec.FileHash = p.hash
	rec.Sheet = sheet
	rec.Row = uint32(row)
	rec.ImportBatch = p.batch
	if rec.SourceDate.IsZero() {
		rec.SourceDate = p.sourceDate
	}
	rec.FullName = full
	// A newborn written by its parent ("Con bà Nguyễn Thị Lan": a birth
	// register's row before the child is named) has no name of its own
	// yet: the cell is kept as written, its parts left empty (the matcher
	// reads no name, vn.ChildOf), and the parent's name fills the mother's
	// or the father's when the row gives none.
	childParent, childWho, childOf := vn.ChildOf(full)
	if childOf {
		note(fullCol, FieldFullName, maskNamesIn(truncate(full, 40)), NoteChildOf)
	} else if !p.noNameParts {
		rec.FamilyName, rec.MiddleName, rec.GivenName = nameParts(full)
	}
	rec.SourceRecordID, _ = rv.at(idxSourceRecordID)
	if v, _ := rv.at(idxFormID); v != "" {
		rec.FormID = v
	}
	if v, _ := rv.at(idxScanRef); v != "" {
		rec.ScanRef = v
	}
	if v, _ := rv.at(idxCollectingUnit); v != "" {
		rec.CollectingUnit = v
	}

	// Birth date: a date column, a year column, or the Vietnamese layout
	// that writes the date under a "Nam" or a "Nữ" column.
	// after the source's date or this year (read once: vn.AfterThisYear)
	hasSource, sourceYear := !p.sourceDate.IsZero(), 0
	if hasSource {
		sourceYear = p.sourceDate.Year()
	}
	tooLate := func(y int) bool { return hasSource && y > sourceYear || vn.AfterThisYear(y) }
	var bad Item
	// A year's lunar name ("Canh Tý") read in place of a date: read once
	// the row's identification number is (lunarBirthYear).
	lunar, lunarV, lunarCol := -1, "", ""
	// The date kept when its year was written with two digits
	// (writtenTwoDigitYear), its cell and column: its century is read
	// again once the row's numbers are (twoDigitCentury).
	var shortDate date
	shortV, shortCol := "", ""
	checkDate := func(i int) {
		field := fieldList[i]
		v, col := rv.at(i)
		if v == "" || rec.BirthDate != "" {
			return
		}
		// A number in a spreadsheet's date column is an Excel serial (or a
		// year); on a scanned form it is what the reader made of a
		// handwritten date ("7002" for 2002, a 2 read as 7): read as text,
		// so that it is not taken for 3 March 1919.
		// A year column ("Năm sinh") of a list often holds whole dates:
		// typed as text ("27/10/1953", "ngày 5 tháng 3 năm 1978"), the
		// cell shows the date, which is kept whole, as in a date column
		// (until user26 every such date was dropped as impossible). A
		// number there is a year, or an Excel date read as its year below.
		textInYear := field == FieldBirthYear && p.kind != schemas.KindScan && !isNumeric(v)
		numeric := field == FieldBirthYear && !textInYear || p.kind != schemas.KindScan && isNumeric(v)
		monthFirst := !numeric && rv.monthFirst&(1<<i) != 0
		td := rv.keptDate(i)
		if !td.ok && monthFirst {
			td = textDateOf(v)
		}
		var d date
		var ok, yearOfDate bool
		if td.ok && !numeric {
			d, ok = td.date(v, monthFirst)
		} else {
			pv := v
			if numeric && p.date1904 {
				pv = serial1904(v)
			}
			d, ok = parseDate(pv, numeric)
		}
		if ok && d.swapped {
			// 03/25/1990: only a date with day and month exchanged.
			if p.strict {
				if bad.Reject == nil {
					bad = rejectf(col, truncate(v, 64), "impossible date of birth (valid only with day and month exchanged)")
				}
				return
			}
			// Noted kept below, when it is: a date exchanged and then out of
			// range (or a date in a year column) is dropped, and says only that.
		}
		if field == FieldBirthYear && ok && len(d.iso) > 4 && !textInYear {
			// A year column holds a year. An Excel date there (a cell
			// formatted "yyyy": the clerk sees 1985) is read as the year it
			// shows — when it has five digits (from 19 May 1927): a
			// four-digit one is a year mistyped ("7002" for 2002, Excel's
			// day of 1919), a smaller one an age or a count.
			// Only in a workbook (a CSV has no cell formats: "19850" there
			// is 1985 mistyped, not 6 May 1954), and said, as a number
			// typed so in a workbook's year column reads the same.
			// A serial whose cell format shows the day ("dd/mm/yyyy") is
			// the whole date the clerk sees, kept whole (user26: 5 of a
			// VNI list's 20 read as years).
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 10000 && p.kind == schemas.KindSpreadsheet && !d.swapped {
				if rv.dayShown&(1<<i) == 0 {
					d.iso, yearOfDate = d.iso[:4], true
				}
			} else {
				ok = false
			}
		}
		// A two-digit year is read in the 2000s up to vn.TwoDigitYearPivot;
		// one that would then be after the list (or this year) is a year of
		// the 1900s ("5-3-25" in a census of 2024: 1925), not a date to
		// repair. What the row's numbers say of the century is read below.
		twoDigit := ok && !numeric && writtenTwoDigitYear(v)
		if twoDigit && d.year >= 2000 && tooLate(int(d.year)) {
			d = d.withYear(int(d.year) - 100)
			note(col, FieldBirthDate, truncate(v, 64), NoteTwoDigitYear)
		}
		// A date impossible as written, read as far as its one-digit
		// corrections agree (oneDigitDate); not a year column's number,
		// nor under --strict, which rejects it as before.
		repaired := false
		if (!ok || !d.swapped && (int(d.year) < minBirthYear || tooLate(int(d.year)))) && !p.strict && !numeric && field != FieldBirthYear && !approximateDate(v) {
			if r, found := oneDigitDate(v, func(y int) bool { return y >= minBirthYear && !tooLate(y) }); found {
				d, ok, repaired = r, true, true
			}
		}
		switch {
		case !ok && lunar < 0 && field != FieldBirthYear:
			if k, isName := lunarYearName(v); isName {
				lunar, lunarV, lunarCol = k, v, col
				return
			}
			fallthrough
		case !ok:
			reason := "impossible date of birth"
			if approximateDate(v) {
				reason = "approximate date of birth ('khoảng 1950'): not kept"
			}
			if p.strict && bad.Reject == nil {
				bad = rejectf(col, truncate(v, 64), reason)
			}
			note(col, FieldBirthDate, truncate(v, 64), reason)
		case int(d.year) < minBirthYear || tooLate(int(d.year)):
			if p.strict && bad.Reject == nil {
				bad = rejectf(col, truncate(v, 64), "year of birth "+strconv.Itoa(int(d.year))+" out of range")
			}
			note(col, FieldBirthDate, truncate(v, 64), "year of birth "+strconv.Itoa(int(d.year))+" out of range")
		default:
			if d.swapped {
				note(col, FieldBirthDate, truncate(v, 64), NoteDayMonthExchanged)
			}
			if repaired {
				note(col, FieldBirthDate, truncate(v, 64), NoteOneDigitDate)
			}
			if yearOfDate {
				note(col, FieldBirthDate, truncate(v, 64), NoteYearOfDate)
			}
			rec.BirthDate, rec.BirthYear = d.iso, d.year
			if twoDigit {
				shortDate, shortV, shortCol = d, v, col
			}
			switch field {
			case FieldBirthDateMale:
				rec.Sex = "M"
			case FieldBirthDateFem:
				rec.Sex = "F"
			}
		}
	}
	// A date in three columns: day, month and year make it; month and
	// year with the day left blank make a month ("3/1985"), as a clerk
	// who knows no more than the month writes it.
	if m, mcol := rv.at(idxBirthMonth); m != "" {
		d, col := rv.at(idxBirthDay)
		if y, _ := rv.at(idxBirthYear); y != "" {
			if d != "" {
				rv.setAt(idxBirthDate, strings.TrimSpace(d)+"/"+strings.TrimSpace(m)+"/"+strings.TrimSpace(y), col)
			} else {
				rv.setAt(idxBirthDate, strings.TrimSpace(m)+"/"+strings.TrimSpace(y), mcol)
			}
		}
	}
	checkDate(idxBirthDate)
	checkDate(idxBirthDateMale)
	checkDate(idxBirthDateFem)
	// A date under Nam and one under Nữ ("Năm sinh / Nam | Nữ") say no sex:
	// the first is the date, the sex is dropped, as for marks under both.
	if m, col := rv.at(idxBirthDateMale); m != "" {
		if f, _ := rv.at(idxBirthDateFem); f != "" && (rec.Sex == "M" || rec.Sex == "F") {
			rec.Sex = ""
			note(col, FieldSex, truncate(m+" | "+f, 32), "dated under both Nam and Nữ")
		}
	}
	checkDate(idxBirthYear)

	if v, col := rv.at(idxSex); v != "" && rec.Sex == "" {
		if rec.Sex = parseSex(v); rec.Sex == "" {
			note(col, FieldSex, truncate(v, 32), "unknown sex")
		}
	}
	// A mark under "Nam" or under "Nữ".
	if m, col := rv.at(idxSexMale); rec.Sex == "" {
		f, _ := rv.at(idxSexFem)
		m, f = markOf(m), markOf(f)
		switch {
		case m != "" && f != "":
			note(col, FieldSex, truncate(m+" | "+f, 32), "marked both Nam and Nữ")
		case m != "":
			rec.Sex = "M"
		case f != "":
			rec.Sex = "F"
		}
	}

	// Identification numbers: by length, whichever column they sit in.
	for _, i := range [...]int{idxIDNumber, idxCMND, idxIDAny} {
		field := fieldList[i]
		v, col := rv.at(i)
		if v == "" || saysNoNumber(v) {
			continue
		}
		num, kind, reason := cleanNumber(v)
		if kind == "" {
			// "042160001234 (cũ: 183456789)": the number and the old
			// CMND in one cell, as a "Số CCCD/CMND" column holds both
			// (user26: both were dropped, "unexpected characters").
			if id, cmnd, ok := numberAndCMND(v); ok {
				if rec.IDNumber == "" {
					rec.IDNumber = id
				}
				if rec.CMND == "" {
					rec.CMND = cmnd
				}
				note(col, field, maskID(v), NoteNumberAndCMND)
				continue
			}
		}
		switch kind {
		case "id":
			if rec.IDNumber == "" {
				rec.IDNumber = num
			}
		case "cmnd":
			if rec.CMND == "" {
				rec.CMND = num
			}
		default:
			if p.strict && bad.Reject == nil {
				bad = rejectf(col, maskID(v), reason)
			}
			note(col, field, maskID(v), reason)
		}
	}
	for _, i := range [...]int{idxFatherID, idxMotherID, idxSpouseID} {
		v, col := rv.at(i)
		if v == "" || saysNoNumber(v) {
			continue
		}
		num, kind, reason := cleanNumber(v)
		if kind == "" {
			note(col, fieldList[i], maskID(v), reason)
			continue
		}
		switch i {
		case idxFatherID:
			rec.FatherID = num
		case idxMotherID:
			rec.MotherID = num
		default:
			rec.SpouseID = num
		}
	}
	if shortV != "" && rec.BirthDate == shortDate.iso {
		if y, ok := twoDigitCentury(int(shortDate.year), rec.IDNumber, rec.CMND); ok && y >= minBirthYear && !tooLate(y) {
			d := shortDate.withYear(y)
			rec.BirthDate, rec.BirthYear = d.iso, d.year
			note(shortCol, FieldBirthDate, truncate(shortV, 64), NoteTwoDigitYear)
		}
	}
	if lunar >= 0 {
		// The year its 12-digit number encodes, when the name is that
		// year's: the number says the century, the name agrees with the
		// year. Else the name alone says no year (one in 60), as before.
		y := vn.ParseID(rec.IDNumber).BirthYear()
		switch {
		case rec.BirthDate == "" && y >= minBirthYear && !tooLate(y) && lunarYearOf(lunar, y):
			rec.BirthDate, rec.BirthYear = strconv.Itoa(y), uint16(y)
			note(lunarCol, FieldBirthDate, truncate(lunarV, 64), NoteLunarYear)
		default:
			reason := "impossible date of birth (a lunar year's name, not that of the year the identification number encodes)"
			if y == 0 {
				reason = "impossible date of birth (a lunar year's name, and no 12-digit identification number to tell its year)"
			}
			if p.strict && bad.Reject == nil {
				bad = rejectf(lunarCol, truncate(lunarV, 64), reason)
			}
			note(lunarCol, FieldBirthDate, truncate(lunarV, 64), reason)
		}
	}
	if bad.Reject != nil {
		return bad
	}

	rec.BirthRegPlace, _ = rv.at(idxBirthRegPlace)
	rec.NativePlace, _ = rv.at(idxNativePlace)
	rec.Ethnicity, _ = rv.at(idxEthnicity)
	rec.Religion, _ = rv.at(idxReligion)
	rec.Nationality, _ = rv.at(idxNationality)
	rec.PermAddress, _ = rv.at(idxPermAddress)
	rec.CurAddress, _ = rv.at(idxCurAddress)
	// A family member's name that is an identification number (pasted a
	// column across, typed in the wrong cell) is no name: dropped, said.
	// It is not moved to the member's number: which column slipped is not
	// known, and a number of somebody else would link the wrong parent.
	familyName := func(i int) string {
		v, col := rv.at(i)
		if v != "" && numberNotName(v) {
			note(col, fieldList[i], maskID(v), NoteNumberNotName)
			return ""
		}
		return v
	}
	rec.FatherName = familyName(idxFatherName)
	rec.MotherName = familyName(idxMotherName)
	if childOf {
		switch {
		case childWho == vn.Father && rec.FatherName == "":
			rec.FatherName = childParent
		case childWho != vn.Father && rec.MotherName == "":
			rec.MotherName = childParent
		}
	}
	rec.SpouseName = familyName(idxSpouseName)
	rec.HouseholdHead = familyName(idxHouseholdHead)
	rec.RelationToHead, _ = rv.at(idxRelationToHead)
	if rec.RelationToHead == "" && relation != "" {
		rec.RelationToHead = relation
	}
	// The household number ("Số hộ", "Mã hộ", "Sổ hộ khẩu số"), as
	// written: what ties the household's members together on the list
	// (user28: it was read nowhere). A local code, not compared by the
	// shipped model.
	rec.HouseholdNo, _ = rv.at(idxHouseholdNo)
	// A "Ghi chú" that says neither a death nor a move away ("Tạm vắng",
	// "Chuyển đến năm 2021", "Đi làm ăn xa") is kept with the record, as
	// the remark in brackets after a name is, and said, so that a dry run
	// shows it (user28: it was dropped without a word).
	if v, col := rv.at(idxRemark); v != "" {
		rec.Remark = v
		note(col, FieldRemark, maskNamesIn(truncate(v, 40)), NoteRemarkKept)
	}
	if nameRemark != "" {
		if rec.Remark != "" {
			rec.Remark = nameRemark + "; " + rec.Remark
		} else {
			rec.Remark = nameRemark
		}
	}
	return Item{Record: rec, Notes: notes}
}

// rowError rejects a row its reader could not parse.
func (p *provenance) rowError(sheet string, r rawRow) Item {
	col := ""
	if r.err.Column > 0 {
		col = columnLetter(r.err.Column - 1)
	}
	return Item{Reject: &schemas.Reject{
		RejectID:    schemas.RejectID(p.hash, sheet, r.num, col),
		SourceFile:  p.file,
		FileHash:    p.hash,
		Sheet:       sheet,
		Row:         uint32(r.num),
		Column:      col,
		Reason:      "unreadable row: " + r.err.Err.Error(),
		ImportBatch: p.batch,
		RejectedAt:  p.now().UTC(),
	}}
}

// NoteNumberNotName is the reason of a note dropping a family member's
// name ("Họ tên cha", "Chủ hộ" …) that holds no letter and the digits of an
// identification number.
const NoteNumberNotName = "looks like an identification number, not a name"

// numberNotName reports a name cell that has no letter and 8 digits or
// more: what cleanNumber reads, or could read, as an identification
// number. A dash or "0" (a name left blank) is not one. The letter is
// looked for first: a name's first byte has one, where counting its
// digits reads it all.
func numberNotName(v string) bool {
	return !hasLetter(v) && digitCount(v) >= 8
}

// cleanNumber strips the separators people type into identification
// numbers and classifies the result: kind "id" (12 digits, well formed),
// "cmnd" (9 digits), or "" with the reason it is unusable. A number stored
// as an Excel number loses its leading zeros (every identification number
// starts with 0: province codes are 001–096), so 10- and 11-digit values
// are padded and kept only when the result is well formed, and an 8-digit
// value is padded to a 9-digit CMND — when it does not start with 0.
func cleanNumber(v string) (num, kind, reason string) {
	v = strings.TrimSpace(v)
	if hasEither(v, 'e', 'E') && strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
		// Excel in a Vietnamese locale writes the mantissa with a
		// decimal comma ("7,91234E+10"): read as the point, or the comma
		// is taken for a separator and the digits left make a number of
		// somebody else (a CMND 079123410 from "7,91234E+10")
		if d := strings.Replace(v, ",", ".", 1); isNumeric(d) {
			v = d
		}
	}
	if hasEither(v, 'e', 'E') && isNumeric(v) {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 1e13 {
			// Excel shows a long number in its General format with six
			// significant digits ("7.91234E+10"); saved as text (a CSV
			// saved from Excel, a value typed over) the rest are gone, and
			// padding what is left would make a well-formed number of
			// somebody else.
			n := strconv.FormatFloat(f, 'f', 0, 64)
			if sig := mantissaDigits(v); sig < len(n) {
				return "", "", "unusable identification number: written in scientific notation, " +
					strconv.Itoa(len(n)-sig) + " of its " + strconv.Itoa(len(n)) + " digits lost"
			}
			v = n
		}
	}
	id := vn.ParseID(v) // reads the letters scanners put for digits (O→0, l→1, …)
	if id.Valid {
		switch id.Kind {
		case vn.KindCCCD:
			return id.Number, "id", ""
		case vn.KindCMND:
			return id.Number, "cmnd", ""
		}
	}
	// Only a value that does not start with 0 can have lost its leading
	// zeros to a numeric cell; "0790991379" is a number missing a digit.
	d := id.Number
	if vn.AllDigits(d) && d[0] != '0' {
		switch len(d) {
		case 10, 11:
			if p := vn.ParseID(strings.Repeat("0", 12-len(d)) + d); p.Valid && p.Kind == vn.KindCCCD {
				return p.Number, "id", ""
			}
		case 8:
			if p := vn.ParseID("0" + d); p.Valid && p.Kind == vn.KindCMND {
				return p.Number, "cmnd", ""
			}
		}
	}
	why := id.Error
	if why == "" {
		why = "has " + strconv.Itoa(len(d)) + " digits"
	}
	return "", "", "unusable identification number: " + why
}

// saysNoNumber reports an identification number's cell that says there is
// none, read as a blank cell: one of vn.MissingValues ("-", "không có",
// "N/A" …), words without a digit starting "chưa" or "không" ("Chưa
// cấp", "chưa có CCCD", "Không có số"; "chua cap" without marks), or
// zeros alone ("0"). A list writes them for a child not yet given a
// number; they were dropped as unusable numbers — "unexpected
// characters", masked past reading, "1 digits" for "0" — and --strict
// rejected the row (user30).
func saysNoNumber(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	if strings.Trim(v, "0") == "" {
		return true
	}
	if hasASCIIDigit(v) {
		return false
	}
	for _, m := range vn.MissingValues {
		if strings.EqualFold(v, m) {
			return true
		}
	}
	first, _, _ := strings.Cut(strings.ToLower(norm.NFC.String(v)), " ")
	switch first {
	case "chưa", "chua", "không", "khong":
		return true
	}
	return false
}

// mantissaDigits counts the significant digits written before the
// exponent of a number in scientific notation ("7.91234E+10": 6).
func mantissaDigits(s string) int {
	n, lead := 0, true
	for i := 0; i < len(s) && s[i] != 'e' && s[i] != 'E'; i++ {
		switch c := s[i]; {
		case c == '0' && lead:
		case c >= '0' && c <= '9':
			n, lead = n+1, false
		}
	}
	return n
}

// isNumeric reports whether s is a plain decimal number (what a numeric
// spreadsheet cell reads as).
func isNumeric(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if len(s) <= 18 && vn.AllDigits(s) {
		return true // a row number, a year: what ParseFloat reads, at once
	}
	// Only these bytes can make a number that ParseFloat reads and that
	// has no "x" or "n" (hex, Inf, NaN; ParseFloat takes "1_000" too):
	// refuse the rest without the error ParseFloat would allocate (dates
	// and names come here on every row).
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '_') {
			return false
		}
		// a sign only leads the number or its exponent ("19-08-1989" is
		// refused here, not by an error ParseFloat allocates)
		if c := s[i]; (c == '+' || c == '-') && i > 0 && s[i-1] != 'e' && s[i-1] != 'E' {
			return false
		}
	}
	if strings.Count(s, ".") > 1 { // 19.08.1989: one decimal point at most
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && !strings.ContainsAny(s, "xXnN")
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// truncate shortens s to at most n runes for a reject's value.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// hasASCIIDigit is strings.ContainsAny(s, "0123456789") without the set
// ContainsAny builds at each call and reads each byte through (a name's
// test, once a row).
func hasASCIIDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i]-'0' < 10 {
			return true
		}
	}
	return false
}

// hasEither is strings.ContainsAny(s, string(a)+string(b)) for two ASCII
// bytes a and b, as two IndexByte scans (ContainsAny builds its set at
// each call and reads s a byte at a time through it: ~260 instructions
// for a name in callgrind).
func hasEither(s string, a, b byte) bool {
	return strings.IndexByte(s, a) >= 0 || strings.IndexByte(s, b) >= 0
}

// cleanText trims, collapses inner white space and drops control
// characters and invalid UTF-8 (vn.Clean).
func cleanText(s string) string { return vn.Clean(s) }

// approximateDate reports a date written as an estimate — "khoảng 1950",
// "khoảng năm 1950", "ước 1950", "tầm 1950", "~1950", "k. 1950" (the elderly whose
// birth was never registered) — which is not a date of birth to match on;
// it is left out, noted as what it is rather than as impossible.
func approximateDate(v string) bool {
	if !strings.ContainsAny(v, "0123456789") {
		return false
	}
	if strings.HasPrefix(strings.TrimSpace(v), "~") {
		return true
	}
	k := fold(v) // punctuation as spaces: "k. 1950" is "k 1950"
	for _, p := range []string{"khoang ", "uoc ", "k ", "tam ", "chung "} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// twoNames reports a cell holding two persons' names apart by a comma or
// a semicolon, each of two words or more and starting with a known
// family name ("Nguyễn Văn Bình, Nguyễn Thị Cúc"); "Nguyễn, Văn An" and
// a name wrapped over two lines are one.
func twoNames(full string) bool {
	if !hasEither(full, ',', ';') {
		return false
	}
	parts := strings.FieldsFunc(full, func(r rune) bool { return r == ',' || r == ';' })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		w := strings.Fields(p)
		if len(w) < 2 || !isSurname(w[0]) || !hasLetter(w[len(w)-1]) {
			return false
		}
	}
	return true
}

// nameYear splits a name followed by a year of birth ("Nguyễn Văn An
// 1985", "Lê Thị Bình - 1990"): four digits from 1900 to this year after
// two words or more.
func nameYear(full string) (name, year string, ok bool) {
	i := strings.LastIndexByte(full, ' ')
	if i < 0 || len(full)-i-1 != 4 || !vn.AllDigits(full[i+1:]) {
		return full, "", false
	}
	y, _ := strconv.Atoi(full[i+1:])
	if y < 1900 || vn.AfterThisYear(y) {
		return full, "", false
	}
	name = strings.TrimRight(full[:i], " -–,.(:")
	if len(strings.Fields(name)) < 2 || !hasLetter(name) {
		return full, "", false
	}
	return name, full[i+1:], true
}

// numberAndCMND reads a cell holding a 12-digit identification number and
// a 9-digit CMND apart ("042160001234 (cũ: 183456789)", "CCCD
// 042160001234 / CMND 183456789"): exactly two runs of digits, one of
// each, each well formed.
func numberAndCMND(v string) (id, cmnd string, ok bool) {
	var runs []string
	for i := 0; i < len(v); {
		if v[i] < '0' || v[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if runs = append(runs, v[i:j]); len(runs) > 2 {
			return "", "", false
		}
		i = j
	}
	if len(runs) != 2 {
		return "", "", false
	}
	for _, r := range runs {
		switch x := vn.ParseID(r); {
		case !x.Valid:
			return "", "", false
		case x.Kind == vn.KindCCCD && id == "":
			id = x.Number
		case x.Kind == vn.KindCMND && cmnd == "":
			cmnd = x.Number
		default:
			return "", "", false
		}
	}
	return id, cmnd, true
}
