package ingest

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// tabular is the Source of spreadsheets and CSV files: it walks the sheets
// of a tableReader, finds each sheet's header and turns data rows into
// records and rejects.
type tabular struct {
	opts    Options
	desc    Description
	prov    provenance
	rd      tableReader
	sh      *sheetState
	layouts []*Layout
	want    map[string]bool
	// legacyBytes: the file's bytes were not UTF-8 and were read as
	// Windows-1252, to be decoded per column.
	legacyBytes bool
	par         *parallel // with Options.Workers: see nextParallel
	ids         sourceIDs // the source record ids of the file's accepted rows
	closed      bool
}

var _ Source = (*tabular)(nil)
var _ Describer = (*tabular)(nil)

func (t *tabular) Describe() Description {
	if p := t.par; p != nil {
		p.mu.Lock()
		defer p.mu.Unlock()
	}
	d := t.desc
	d.Sheets = make([]Layout, len(t.layouts))
	for i, l := range t.layouts {
		d.Sheets[i] = *l
		d.Sheets[i].Columns = append([]ColumnMap(nil), l.Columns...)
	}
	return d
}

func (t *tabular) Close() error {
	t.closeParallel()
	return t.rd.close()
}

func (t *tabular) Next() (Item, error) {
	if t.opts.Workers > 1 {
		if _, ok := t.rd.(*csvReader); ok {
			return t.nextParallel()
		}
	}
	pr, err := t.nextPending()
	if err != nil {
		if err == io.EOF {
			t.endIDs()
		}
		return Item{}, err
	}
	return t.finish(pr, &pr.sh.cols.memo), nil
}

// endIDs warns, once the file is read, of the source record ids used by
// two rows.
func (t *tabular) endIDs() {
	t.ids.report(func(sheet string) *Layout {
		for _, l := range t.layouts {
			if l.Sheet == sheet {
				return l
			}
		}
		return t.layouts[len(t.layouts)-1]
	})
}

// finish returns the item of pr, assembling its record with the text
// memo given, and counts it in its sheet's layout.
func (t *tabular) finish(pr pendingRow, memo *[]columnMemo) Item {
	item := pr.item
	if pr.data {
		item = t.recordOf(pr.sh, pr.r, memo)
	}
	t.account(pr, item)
	pr.r.release() // the record is assembled, the row counted: its cells are read no more
	return item
}

// account counts item, the item of pr, in its sheet's layout.
func (t *tabular) account(pr pendingRow, item Item) {
	if pr.r.hidden && (item.Record != nil || item.Reject != nil) {
		pr.sh.layout.warn(Warning{Kind: WarnHiddenRow, Row: pr.r.num, Message: hiddenRowMessage})
	}
	if item.Record != nil {
		pr.sh.layout.Accepted++ // the common case, without a preview closure
		t.ids.see(item.Record)
	} else {
		pr.sh.layout.count(item, pr.sh.rowPreview(pr.r, true))
	}
}

// pendingRow is a data row of sheet sh read and admitted (see
// admitRow): data says its record is still to be assembled from r
// (recordOf), else item is its item already (an unreadable row).
type pendingRow struct {
	sh   *sheetState
	r    rawRow
	item Item
	data bool
}

// nextPending returns the next data row of the file, every row before it
// that is no data counted in its layout, or io.EOF.
func (t *tabular) nextPending() (pendingRow, error) {
	for {
		if t.sh == nil {
			name, ok, err := t.rd.nextSheet()
			if err != nil {
				return pendingRow{}, fmt.Errorf("read %s: %w", t.desc.File, err)
			}
			if !ok {
				return pendingRow{}, io.EOF
			}
			l := &Layout{Sheet: name}
			if h, ok := t.rd.(interface{ hidden() bool }); ok && h.hidden() {
				// A clerk hides last year's copy, a draft, a lookup list:
				// read as any sheet, but said, as Excel does not show it.
				l.Hidden = true
				l.addNote("the sheet is hidden in the workbook (Excel does not show it) and was read as the others; if it is an old copy or a draft, import the others with --sheet")
			}
			t.layouts = append(t.layouts, l)
			t.sh = &sheetState{name: name, layout: l, date1904: t.prov.date1904}
			if t.want != nil && !t.want[name] {
				l.Skipped = "not among the sheets asked for"
				t.sh.phase = phaseDone
				t.sh = nil
				continue
			}
			t.sh.merged.ranges = t.rd.merges()
		}
		pr, ok, err := t.nextInSheet(t.sh)
		if err != nil {
			where := t.desc.File
			if t.sh.name != "" {
				where += " sheet " + strconv.Quote(t.sh.name)
			}
			return pendingRow{}, fmt.Errorf("read %s: %w", where, err)
		}
		if !ok {
			t.sh.endNoHeader()
			t.sh.dateVerdicts()
			t.sh.endBlankRuns()
			t.sh = nil
			continue
		}
		return pr, nil
	}
}

func (t *tabular) nextInSheet(sh *sheetState) (pendingRow, bool, error) {
	l := sh.layout
	if sh.phase == phaseStart {
		for len(sh.buf) < t.opts.HeaderScan {
			r, ok, err := t.rd.nextRow()
			if err != nil {
				return pendingRow{}, false, err
			}
			if !ok {
				break
			}
			l.Rows++
			sh.buf = append(sh.buf, r)
		}
		if err := t.detect(sh); err != nil {
			return pendingRow{}, false, err
		}
	}
	for {
		var r rawRow
		if len(sh.buf) > 0 {
			r = sh.buf[0]
			sh.buf = sh.buf[1:]
		} else {
			var ok bool
			var err error
			if r, ok, err = t.rd.nextRow(); err != nil {
				return pendingRow{}, false, err
			} else if !ok {
				return pendingRow{}, false, nil
			}
			l.Rows++
		}
		r = sh.fillMerged(r)
		switch sh.phase {
		case phaseDone: // a sheet without header
			if isBlank(r.cells, -1) {
				l.skip(r.num, SkipBlank, nil)
			} else {
				if l.Problem == "" {
					t.noHeader(sh) // content below the rows searched
				}
				l.skip(r.num, SkipNoHeader, sh.rowPreview(r, true))
				sh.observeNoHeader(r)
			}
			r.release() // counted, its preview taken: its cells are read no more
			continue
		case phaseFooter:
			// A footer is a trailing block: a row shaped like a person's
			// (a name and a birth date, number, address or STT number)
			// returns the sheet to data, and the footer-looking rows
			// before it are flagged in the report.
			if r.err == nil && !isBlank(r.cells, -1) && t.personShaped(sh, r) {
				sh.phase = phaseData
				for i := sh.footerFrom; i < len(l.Skips); i++ {
					if l.Skips[i].Kind == SkipFooter {
						l.Skips[i].Note = "footer-looking row followed by data: check it is not a person"
					}
				}
				break
			}
			if isBlank(r.cells, -1) {
				l.skip(r.num, SkipBlank, nil)
			} else {
				l.skip(r.num, SkipFooter, sh.rowPreview(r, false))
			}
			r.release()
			continue
		}
		if item, data, ok := t.admitRow(sh, r); ok {
			if data {
				sh.observeDates(&r)
				sh.carryHousehold(&r)
				if t.desc.Format == "csv" {
					sh.watchBlanks(&r)
				}
			}
			return pendingRow{sh: sh, r: r, item: item, data: data}, true, nil
		}
		r.release() // no data (a section heading, a blank or footer row): counted
	}
}

// noHeader records that a sheet with content has no header.
func (t *tabular) noHeader(sh *sheetState) {
	sh.layout.Skipped = "no header"
	sh.layout.Problem = fmt.Sprintf("no header row found in the first %d rows", t.opts.HeaderScan)
}

// personShaped reports a row with a name and something only a person's
// row has (see sheetState.dataShaped).
func (t *tabular) personShaped(sh *sheetState, r rawRow) bool {
	i, ok := sh.cols.index[FieldFullName]
	if !ok {
		i, ok = sh.cols.index[FieldGivenName]
	}
	if !ok || i >= len(r.cells) || !hasLetter(r.cells[i]) {
		return false
	}
	return sh.dataShaped(r, i, sh.decoder())
}

// decoder decodes a cell of column i with the column's encoding (one
// function per sheet, made once).
func (sh *sheetState) decoder() func(i int, s string) string {
	if sh.decode == nil {
		sh.decode = func(i int, s string) string {
			if i < len(sh.cols.enc) {
				return decodeText(s, sh.cols.enc[i])
			}
			return decodeText(s, vn.Unicode)
		}
	}
	return sh.decode
}

// classifyCell classifies a header cell, trying the legacy encodings when
// the text as read names nothing. It returns the field, the decoded text
// and the encoding that made sense of it.
func classifyCell(raw string) (field, text string, ok bool) {
	// Composed (NFC) as data cells are: LibreOffice gives an Excel 95
	// workbook's Windows-1258 text with its tones as combining marks,
	// which the column table showed as read ("Ho\u0323 va\u0300 tên"),
	// misaligned; the fields were the same (fold and canonKey compose).
	s := cellText(raw, vn.Unicode)
	if f := classifyHeader(s); f != "" {
		return f, s, true
	}
	// Decode before cleaning: TCVN3 writes ư as the byte of a soft hyphen.
	for _, e := range legacyHeaderEncodings {
		d := cellText(raw, e)
		if f := classifyHeader(d); f != "" {
			return f, d, true
		}
	}
	return "", s, false
}

// headerCandidate is a row (or two) read as a header.
type headerCandidate struct {
	rows    []int // indexes into buf
	fields  []string
	texts   []string
	score   int
	hasName bool
}

func candidateOne(row rawRow, i int) headerCandidate {
	c := headerCandidate{rows: []int{i}}
	dec := rowDecoder(row.cells, nil)
	for col, cell := range row.cells {
		f, text := headerCellText(cell, col, dec)
		c.fields = append(c.fields, f)
		c.texts = append(c.texts, text)
	}
	c.score, c.hasName = headerScore(c.fields)
	return c
}

// candidateTwo reads rows i and i+1 as a merged two-row header: a parent
// cell merged across several columns stands over the children below it;
// a cell merged down two rows has its text in the upper row only.
func candidateTwo(top, bottom rawRow, i int) headerCandidate {
	c := headerCandidate{rows: []int{i, i + 1}}
	n := max(len(top.cells), len(bottom.cells))
	// Cells naming no field are decoded by what both rows read as.
	d := rowDecoder(append(append([]string(nil), top.cells...), bottom.cells...), nil)
	var dec func(int, string) string
	if d != nil {
		dec = func(_ int, raw string) string { return d(0, raw) }
	}
	parent := ""
	for col := 0; col < n; col++ {
		var up, down string
		if col < len(top.cells) && strings.TrimSpace(top.cells[col]) != "" {
			up = top.cells[col]
		}
		if col < len(bottom.cells) && strings.TrimSpace(bottom.cells[col]) != "" {
			down = bottom.cells[col]
		}
		if up != "" {
			parent = up
		} else if down == "" {
			parent = ""
		}
		var f, text string
		switch {
		case down == "":
			f, text = headerCellText(up, col, dec)
		default:
			p := up
			if p == "" {
				p = parent
			}
			_, ptext := headerCellText(p, col, dec)
			_, dtext := headerCellText(down, col, dec)
			if ff, _, _ := classifyCell(ptext + " " + dtext); ff != "" && p != "" {
				f, text = ff, ptext+" / "+dtext
				// "Họ và tên" over "Họ và đệm" | "Tên": the parent's prefix
				// names each child the full name; the children are its parts.
				if df, _, _ := classifyCell(dtext); ff == FieldFullName && (df == FieldFamilyMiddle || df == FieldGivenName) {
					f = df
				}
			} else {
				f, text = headerCellText(down, col, dec)
				if p != "" {
					text = ptext + " / " + text
				}
			}
		}
		c.fields = append(c.fields, f)
		c.texts = append(c.texts, text)
	}
	c.score, c.hasName = headerScore(c.fields)
	return c
}

// looksLikeData reports a row that holds a date or a long number — a data
// row, not the lower half of a header.
func looksLikeData(r rawRow) bool {
	for _, c := range r.cells {
		c = strings.TrimSpace(c)
		digits := 0
		for i := 0; i < len(c); i++ {
			if c[i] >= '0' && c[i] <= '9' {
				digits++
			}
		}
		if digits >= 4 {
			return true
		}
	}
	return false
}

// detect finds the header of a sheet among its first rows, applies the
// mapping and chooses each column's encoding. It leaves sh in phaseData,
// or phaseDone when the sheet has no header. A mapping naming a column the
// sheet's header does not have is an error (ErrMapping), not left unread
// without a word.
func (t *tabular) detect(sh *sheetState) error {
	m := t.opts.Mapping
	var best, nameOnly headerCandidate
	found := false
	if m != nil && len(m.HeaderRows) > 0 {
		var idx []int
		for _, want := range m.HeaderRows {
			for i, r := range sh.buf {
				if r.num == want {
					idx = append(idx, i)
				}
			}
		}
		if len(idx) == len(m.HeaderRows) {
			found = true
			if len(idx) == 2 {
				best = candidateTwo(sh.buf[idx[0]], sh.buf[idx[1]], idx[0])
			} else {
				best = candidateOne(sh.buf[idx[0]], idx[0])
			}
		}
	} else {
		single := make([]headerCandidate, len(sh.buf))
		for i, r := range sh.buf {
			single[i] = candidateOne(r, i)
		}
		for i, r := range sh.buf {
			if isBlank(r.cells, -1) {
				continue
			}
			c := single[i]
			// Two rows make a header only when the upper one is already
			// part of it and together they name more than either alone.
			if i+1 < len(sh.buf) && c.score >= 1 && !looksLikeData(sh.buf[i+1]) && !isBlank(sh.buf[i+1].cells, -1) {
				if c2 := candidateTwo(r, sh.buf[i+1], i); c2.hasName && (c2.score > c.score || c2.score == c.score && levelsRow(sh.buf[i+1])) &&
					c2.score > single[i+1].score {
					c = c2
				}
			}
			if c.hasName && c.score >= 2 && c.score > best.score {
				best, found = c, true
			}
			if c.hasName && c.score == 1 && nameOnly.rows == nil {
				nameOnly = c
			}
		}
		// A list of names only ("Họ và tên" over a column of names) is
		// read as such when no row names more columns.
		if !found && nameOnly.rows != nil {
			best, found = nameOnly, true
			sh.layout.addNote("the header names only a name column: records carry names only")
		}
	}

	// Columns from the header, then the mapping's overrides.
	n := 0
	for _, r := range sh.buf {
		n = max(n, len(r.cells))
	}
	fields := make([]string, n)
	texts := make([]string, n)
	var idNotes map[int]string // columns read as the identification number by their cells
	if found {
		copy(fields, best.fields)
		copy(texts, best.texts)
		dayMonthYear(fields, texts)
		yearsByNamNu(fields, texts)
		sexByNamNu(fields, texts)
		idNotes = idsByContent(fields, texts, sh.buf[best.rows[len(best.rows)-1]+1:])
	}
	if m != nil {
		names := make([]string, 0, len(m.Columns))
		for f := range m.Columns {
			names = append(names, f)
		}
		sort.Strings(names)
		var wrong []string
		for _, f := range names {
			col := m.Columns[f]
			if strings.TrimSpace(col) == FieldIgnore {
				// field: "-" leaves the column detection gave the field unread.
				for i := range fields {
					if fields[i] == f {
						fields[i] = ""
					}
				}
				continue
			}
			idx, why := mappedColumn(col, texts, n, found)
			if why != "" {
				wrong = append(wrong, fmt.Sprintf("columns: %s: %q: %s", f, col, why))
				continue
			}
			for idx >= len(fields) {
				fields = append(fields, "")
				texts = append(texts, "")
			}
			for i := range fields {
				if fields[i] == f {
					fields[i] = ""
				}
			}
			fields[idx] = f
			if texts[idx] == "" {
				texts[idx] = columnLetter(idx)
			}
		}
		if len(wrong) > 0 {
			return fmt.Errorf("the mapping names what this sheet does not have (%s); the header (row %s) has %s: "+
				"name each column by its header text as written there or by its letter: %w",
				strings.Join(wrong, "; "), headerRowNums(sh, best.rows), headerColumns(texts), ErrMapping)
		}
	}
	// Said of the columns read by their cells that the mapping left so.
	for i := range n {
		if note, ok := idNotes[i]; ok && fields[i] == FieldIDAny {
			sh.layout.addNote(note)
		}
	}
	if found {
		for i := range n {
			if fields[i] == "" && texts[i] == "" {
				if note := unnamedColumnNote(i, sh.buf[best.rows[len(best.rows)-1]+1:]); note != "" {
					sh.layout.addNote(note)
				}
			}
		}
	}
	// First column wins when two name the same field.
	seen := map[string]bool{}
	for i, f := range fields {
		if f == FieldIgnore {
			fields[i] = ""
			continue
		}
		if f != "" && seen[f] && !addressLevel(fields, texts, i) && !familyParts(fields, i) {
			fields[i] = ""
		}
		seen[f] = true
	}
	// Levels side by side are the permanent address when no column names
	// it (with one, they are left as they are: which is meant is not
	// guessed); their cells are joined as addressLevel's are.
	if a, b, ok := levelRun(fields, texts); ok && !seen[FieldPermAddress] {
		for i := a; i <= b; i++ {
			fields[i] = FieldPermAddress
		}
		seen[FieldPermAddress] = true
		sh.layout.addNote("columns " + columnLetter(a) + "–" + columnLetter(b) + ", an address's levels side by side, joined as the permanent address")
	}
	// A lone "Tên" column is the full name.
	if seen[FieldGivenName] && !seen[FieldFamilyMiddle] && !seen[FieldFullName] {
		for i, f := range fields {
			if f == FieldGivenName {
				fields[i] = FieldFullName
			}
		}
	}
	score, hasName := headerScore(fields)
	start := 0 // index in buf of the first data row
	switch {
	case found:
		start = best.rows[len(best.rows)-1] + 1
		for _, i := range best.rows {
			sh.layout.HeaderRows = append(sh.layout.HeaderRows, sh.buf[i].num)
		}
	case m != nil && len(m.Columns) > 0:
		// Mapped by letters with no header row: data from data_start, or row 1.
	}
	if m != nil && m.DataStart > 0 {
		for i, r := range sh.buf {
			if r.num >= m.DataStart {
				start = i
				break
			}
			start = len(sh.buf)
		}
	}
	// Rows above the data: titles, the header, blank rows.
	headerAt := map[int]bool{}
	for _, n := range sh.layout.HeaderRows {
		headerAt[n] = true
	}
	firstHeader := 0
	if len(sh.layout.HeaderRows) > 0 {
		firstHeader = sh.layout.HeaderRows[0]
	}
	// The fonts of the cells read so far: they tell the encodings of the
	// title and header rows here, of the data columns below.
	lastRow := 0
	if len(sh.buf) > 0 {
		lastRow = sh.buf[len(sh.buf)-1].num
	}
	fonts := t.rd.fonts(lastRow)
	if found {
		capitalHeaders(texts, sh.buf, best.rows, fonts)
	}
	for _, r := range sh.buf[:start] {
		// Titles and header rows are previewed decoded, by their fonts and
		// text (rowDecoder): no column encoding covers them.
		pv := func() string {
			return preview(r.cells, nil, rowDecoder(r.cells, func(col int) string { return fonts[cellPos{r.num, col}] }), false, false)
		}
		header := func() string {
			return previewAs(r.cells, nil, rowDecoder(r.cells, func(col int) string { return fonts[cellPos{r.num, col}] }), previewHeader, false)
		}
		switch {
		case headerAt[r.num]:
			sh.layout.skip(r.num, SkipHeader, header)
		case isBlank(r.cells, -1):
			sh.layout.skip(r.num, SkipBlank, nil)
		case firstHeader == 0 || r.num < firstHeader:
			sh.layout.skip(r.num, SkipTitle, pv)
		default:
			sh.layout.skip(r.num, SkipHeader, pv)
		}
	}
	sh.buf = sh.buf[start:]

	if !hasName || score < 1 {
		sh.phase = phaseDone
		sh.noHeaderFonts, sh.noHeaderEnc = fonts, sheetFontEncodings(sh.buf, fonts)
		if isBlankRows(sh.buf) && sh.layout.SkippedRows == sh.layout.ByKind[SkipBlank] {
			sh.layout.Skipped = "empty sheet"
		} else {
			t.noHeader(sh)
		}
		return nil
	}

	// Encodings per column, from the font of the first data cells and
	// samples of their text.
	var blind []int // text columns with ASCII samples only and no legacy font
	sh.cols = columns{field: fields, enc: make([]vn.Encoding, len(fields)), index: map[string]int{}}
	for i, f := range fields {
		cm := ColumnMap{Index: i, Letter: columnLetter(i), Header: texts[i], Field: f}
		if f != "" {
			sh.cols.index[f] = i
			if textField(f) {
				var samples []string
				fontCount := map[string]int{}
				for _, r := range sh.buf {
					if i < len(r.cells) && strings.TrimSpace(r.cells[i]) != "" && len(samples) < 200 {
						samples = append(samples, r.cells[i])
					}
					if ft := fonts[cellPos{r.num, i}]; ft != "" {
						fontCount[ft]++
					}
				}
				cm.Font = mostCommon(fontCount)
				enc := detectEncoding(samples, cm.Font, t.legacyBytes)
				if m != nil {
					if e, ok := m.Encodings[f]; ok {
						enc = encodingNames[strings.ToLower(e)]
					}
				}
				sh.cols.enc[i] = enc
				cm.Encoding = enc.String()
				forced := false
				if m != nil {
					_, forced = m.Encodings[f]
				}
				if !forced && enc == vn.Unicode && isASCIIAll(samples) {
					if _, named := vn.FontEncoding(cm.Font); !named {
						blind = append(blind, i)
					}
				}
			}
		}
		sh.layout.Columns = append(sh.layout.Columns, cm)
	}
	// A text column whose first cells are plain ASCII ("Kinh", "Con")
	// under no legacy font name says nothing of how it was typed; in a
	// sheet whose other text columns read as TCVN3 or VNI, its later cells
	// ("Tµy") are typed the same way. ASCII reads the same in either.
	if fam := legacyFamily(sh.cols.enc); fam != vn.Unicode {
		for _, i := range blind {
			sh.cols.enc[i] = fam
			sh.layout.Columns[len(sh.layout.Columns)-len(fields)+i].Encoding = fam.String()
		}
	}
	for i, f := range fields {
		switch f {
		case FieldBirthDate, FieldBirthDateMale, FieldBirthDateFem:
			if usLocaleDates(sh.buf, i) {
				if sh.cols.usDates == nil {
					sh.cols.usDates = make([]bool, len(fields))
				}
				sh.cols.usDates[i] = true
				sh.layout.addNote("column " + columnLetter(i) + ": dates typed day/month that Excel took for month/day (its text dates all have a day over 12); its serial dates are read with day and month exchanged")
			}
		}
	}
	t.chooseDateOrders(sh, sh.buf)
	if i, ok := sh.cols.index[FieldFullName]; ok && found {
		sh.headerFold, sh.headerCanon = fold(texts[i]), canonKey(texts[i])
	}
	sh.first = true
	sh.phase = phaseData
	return nil
}

// ambiguousIDHeaders are the folded header texts ("ID", "Mã", "Mã số",
// "Số") that name a source's own record id as often as a person's
// identification number: their cells tell which (idsByContent).
var ambiguousIDHeaders = map[string]bool{"id": true, "ma": true, "ma so": true, "so": true}

// idsByContent reads a column under an ambiguous header (ambiguousIDHeaders)
// by its cells in data, the rows below the header read so far: when 9 in
// 10 of them or more are well-formed identification numbers (12 digits, or
// a 9-digit CMND; cleanNumber), and they are not a running count (a
// record id numbered 100000001, 100000002, …), the column is the
// identification number (FieldIDAny: either, by length); else "ID", "Mã"
// and "Mã số" stay the source's record id and "Số" stays unread. Only
// when no other column names an identification number: with one, the
// header is taken at its word. Headers that say which ("Mã bản ghi",
// "Số định danh") are not ambiguous and are not read here. It returns a
// note for each column it changes, by index.
func idsByContent(fields, texts []string, data []rawRow) (notes map[int]string) {
	for _, f := range fields {
		if f == FieldIDNumber || f == FieldCMND || f == FieldIDAny {
			return nil
		}
	}
	for i, f := range fields {
		if f != FieldSourceRecordID && f != "" || !ambiguousIDHeaders[fold(texts[i])] {
			continue
		}
		cells, valid, twelve, counting, prev := 0, 0, 0, 0, int64(-1)
		for _, r := range data {
			if i >= len(r.cells) || strings.TrimSpace(r.cells[i]) == "" {
				continue
			}
			if cells++; cells > 200 {
				break
			}
			num, kind, _ := cleanNumber(r.cells[i])
			if kind == "" {
				prev = -1
				continue
			}
			valid++
			if kind == "id" {
				twelve++
			}
			n, _ := strconv.ParseInt(num, 10, 64)
			if prev >= 0 && n == prev+1 {
				counting++
			}
			prev = n
		}
		cells = min(cells, 200)
		if cells == 0 || valid*10 < cells*9 || counting*2 > valid {
			continue
		}
		fields[i] = FieldIDAny
		what := "9-digit CMND numbers"
		switch {
		case twelve == valid:
			what = "12-digit identification numbers"
		case twelve > 0:
			what = "identification numbers (12 digits, or 9 for a CMND)"
		}
		not := ", not as the source's record id (a mapping's \"source_record_id: " + columnLetter(i) + "\" says otherwise)"
		if f == "" {
			not = ""
		}
		if notes == nil {
			notes = map[int]string{}
		}
		notes[i] = fmt.Sprintf("column %s (%q): its cells are %s, read as the identification number%s",
			columnLetter(i), texts[i], what, not)
	}
	return notes
}

// unnamedColumnNote says of column i, under a blank header cell and named
// by no mapping, that it holds values it does not read, when 3 or more of
// the data rows read so far (data, up to 200 with a value) give it one and
// a tenth of them or more; "" otherwise. Such a column is left out of the
// mapping listed, and its values were dropped without a word (user30: the
// identification numbers of a column whose header cell a clerk cleared).
func unnamedColumnNote(i int, data []rawRow) string {
	rows, cells, ids := 0, 0, 0
	for _, r := range data {
		if isBlank(r.cells, -1) {
			continue
		}
		rows++
		if i >= len(r.cells) || strings.TrimSpace(r.cells[i]) == "" || cells >= 200 {
			continue
		}
		cells++
		if _, kind, _ := cleanNumber(r.cells[i]); kind != "" {
			ids++
		}
	}
	if cells < 3 || cells*10 < min(rows, 200) {
		return ""
	}
	what, field := "values", "FIELD"
	if ids*10 >= cells*9 {
		what, field = "identification numbers", "id_any"
	}
	return fmt.Sprintf("column %s has no header but holds %s (%d of the first %d rows): not read; give it a header, or name it in a mapping file (--mapping, columns: %s: %s)",
		columnLetter(i), what, cells, min(rows, 200), field, columnLetter(i))
}

// ErrMapping is returned (wrapped) when a mapping names a column a sheet's
// header does not have, or a letter past the sheet's last column.
var ErrMapping = errors.New("the mapping does not fit the sheet")

// mappedColumn finds the column a mapping's value names among a sheet's
// header texts (texts; found: a header was found) and n columns: the
// header text as written (or, under a two-row header, its lower part),
// before a column letter, since "ID", "DOB" or "STT" are words of headers
// as well as letters. why says what is wrong when there is no such column.
func mappedColumn(col string, texts []string, n int, found bool) (idx int, why string) {
	if found {
		want := fold(col)
		for i, h := range texts {
			if h != "" && fold(h) == want {
				return i, ""
			}
		}
		for i, h := range texts {
			if j := strings.LastIndex(h, " / "); j >= 0 && fold(h[j+3:]) == want {
				return i, ""
			}
		}
	}
	idx, ok := letterIndex(col)
	switch {
	case !ok && found:
		return -1, "no column of the header reads so"
	case !ok:
		return -1, "no header row was found to find it in (give header_rows, or the column's letter)"
	case found && idx >= n:
		return -1, fmt.Sprintf("no header text reads so, and as a letter it is past the sheet's last column, %s", columnLetter(n-1))
	}
	return idx, ""
}

// headerRowNums gives the header's row numbers ("4", "6–7"); "none" when
// no header was found.
func headerRowNums(sh *sheetState, rows []int) string {
	var nums []string
	for _, i := range rows {
		nums = append(nums, strconv.Itoa(sh.buf[i].num))
	}
	if len(nums) == 0 {
		return "none found"
	}
	return strings.Join(nums, "–")
}

// headerColumns lists a header's columns by letter and text (A "STT", B
// "Họ và tên", …), or says there are none.
func headerColumns(texts []string) string {
	var cols []string
	for i, h := range texts {
		if h != "" {
			cols = append(cols, fmt.Sprintf("%s %q", columnLetter(i), h))
		}
	}
	if len(cols) == 0 {
		return "no column text"
	}
	return strings.Join(cols, ", ")
}

// addNote adds note to how the sheet was read, after any note it has.
func (l *Layout) addNote(note string) {
	if l.Note != "" {
		note = l.Note + "; " + note
	}
	l.Note = note
}

// capitalHeaders writes in capitals the column names typed in .VnTimeH
// (TCVN3 drawn in capitals; an ASCII name too, "stt"): their bytes are
// those of the lower-case letters, under ASCII capitals, so the header, read before the fonts are
// known, decodes as "Số địNH DANH Cá NHâN" — and "Sè CMND" reads "Số
// CMND" in .VnTime, "SỐ CMND" in .VnTimeH: only the font tells. texts are
// the columns' names ("parent / child" under a two-row header), rows the
// header's indexes in buf.
func capitalHeaders(texts []string, buf []rawRow, rows []int, fonts map[cellPos]string) {
	for _, ri := range rows {
		r := buf[ri]
		for col, raw := range r.cells {
			if e, _ := vn.FontEncoding(fonts[cellPos{r.num, col}]); e != vn.TCVN3Upper {
				continue
			}
			// An ASCII name ("stt", "dan toc") is drawn in capitals too.
			lower, upper := cellText(raw, vn.TCVN3), cellText(raw, vn.TCVN3Upper)
			if isASCII(raw) {
				lower, upper = cleanText(raw), strings.ToUpper(cleanText(raw))
			}
			if lower == upper {
				continue
			}
			for i, t := range texts {
				for _, part := range strings.Split(t, " / ") {
					if part == lower {
						texts[i] = strings.Replace(texts[i], lower, upper, 1)
						break
					}
				}
			}
		}
	}
}

// dayMonthYear reads a date of birth in three columns. With a month
// column, the column under "Năm" is the year (not "Nam", male: told by
// its diacritics, or, written without, by there being no "Nữ" column),
// and a "Ngày sinh" column beside "Tháng sinh" the day.
func dayMonthYear(fields, texts []string) {
	if !slices.Contains(fields, FieldBirthMonth) {
		return
	}
	female := slices.Contains(fields, FieldBirthDateFem)
	day := slices.Contains(fields, FieldBirthDay)
	for i, f := range fields {
		switch f {
		case FieldBirthDateMale:
			child := texts[i]
			if j := strings.LastIndex(child, " / "); j >= 0 {
				child = child[j+3:]
			}
			if canonKey(child) == canonKey("năm") || !hasDiacritics(child) && !female {
				fields[i] = FieldBirthYear
			}
		case FieldBirthDate:
			if !day {
				fields[i], day = FieldBirthDay, true
			}
		}
	}
}

// yearsByNamNu reads "Năm sinh" over "Nam" | "Nữ", the layout of the
// commune lists where a man's year (or date) of birth is written under Nam
// and a woman's under Nữ: the column under "Năm sinh / Nam" folds as
// "nam sinh nam", a year column's name, and was read as a year without the
// sex it says. With no month column (dayMonthYear's "Năm", the year, has
// one) and a column under Nữ beside it, a child "Nam" written without
// diacritics (Năm has a breve) is the men's column.
func yearsByNamNu(fields, texts []string) {
	if slices.Contains(fields, FieldBirthMonth) || !slices.Contains(fields, FieldBirthDateFem) {
		return
	}
	for i, f := range fields {
		if f != FieldBirthYear {
			continue
		}
		parent, child, two := strings.Cut(texts[i], " / ")
		if two && fold(parent) == "nam sinh" && fold(child) == "nam" && !hasDiacritics(child) {
			fields[i] = FieldBirthDateMale
		}
	}
}

// sexByNamNu reads a header's "Nam" | "Nữ" side by side, each a column of
// its own with no parent ("Giới tính" over them is read already), as the
// marks of a man and a woman ("x", "Nam", "Nữ") when the header has the
// date or year of birth elsewhere and no sex column: user27's Hộ Độ list
// ("Ngày sinh | Tháng sinh | Năm sinh | Nam | Nữ") lost every person's
// sex, both columns left unread. Under a "Năm sinh" parent they are the
// years of men and women (yearsByNamNu), not marks.
func sexByNamNu(fields, texts []string) {
	birth := false
	for _, f := range fields {
		switch f {
		case FieldSex, FieldSexMale, FieldSexFem, FieldBirthDateMale, FieldBirthDateFem:
			return
		case FieldBirthDate, FieldBirthYear, FieldBirthDay:
			birth = true
		}
	}
	if !birth {
		return
	}
	for i := 0; i+1 < len(fields); i++ {
		if fields[i] == "" && fields[i+1] == "" && canonKey(texts[i]) == "nam" {
			if nu := canonKey(texts[i+1]); nu == "nữ" || nu == "nu" {
				fields[i], fields[i+1] = FieldSexMale, FieldSexFem
				return
			}
		}
	}
}

// legacyFamily is the legacy encoding a sheet's text columns were typed
// in — TCVN3 (whatever the columns' fonts drew in capitals) or VNI — or
// Unicode when there is none, or both.
func legacyFamily(encs []vn.Encoding) vn.Encoding {
	fam := vn.Unicode
	for _, e := range encs {
		switch e {
		case vn.TCVN3Upper:
			e = vn.TCVN3
		case vn.TCVN3, vn.VNI:
		default:
			continue
		}
		if fam != vn.Unicode && fam != e {
			return vn.Unicode
		}
		fam = e
	}
	return fam
}

func isASCIIAll(ss []string) bool {
	for _, s := range ss {
		if !isASCII(s) {
			return false
		}
	}
	return true
}

// textField reports whether a field holds free text that may be in a
// legacy font encoding.
func textField(f string) bool {
	switch f {
	case FieldSTT, FieldSourceRecordID, FieldBirthDate, FieldBirthYear, FieldBirthDateMale, FieldBirthDateFem,
		FieldIDNumber, FieldCMND, FieldIDAny, FieldFatherID, FieldMotherID, FieldSpouseID, FieldCollectingUnit,
		FieldSexMale, FieldSexFem, FieldBirthDay, FieldBirthMonth:
		return false
	}
	return true
}

func mostCommon(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

// addressLevel reports column i of a two-row header as a level of the
// address of the column before it: "Nơi thường trú" over "Thôn/Xóm | Xã |
// Huyện | Tỉnh" names the permanent address four times, and each row's
// cells there are joined in column order ("Thôn Đông, Tân Minh, Sóc Sơn,
// Hà Nội", which the address resolver reads as it reads a written one)
// instead of the first column alone being read.
func addressLevel(fields, texts []string, i int) bool {
	f := fields[i]
	if i == 0 || !placeField(f) || fields[i-1] != f {
		return false
	}
	p, _, ok := strings.Cut(texts[i], " / ")
	q, _, ok2 := strings.Cut(texts[i-1], " / ")
	return ok && ok2 && p == q
}

// familyParts reports column i as the middle name of the family name's
// column before it ("Họ | Chữ đệm | Tên"): each row's cells there are
// joined with a space, as the family and middle names of one person.
func familyParts(fields []string, i int) bool {
	return i > 0 && fields[i] == FieldFamilyMiddle && fields[i-1] == FieldFamilyMiddle
}

// placeField reports the addresses and places whose levels a list may
// give in several columns (addressLevel).
func placeField(f string) bool {
	switch f {
	case FieldPermAddress, FieldCurAddress, FieldNativePlace, FieldBirthRegPlace:
		return true
	}
	return false
}

// levelWords name the levels of an address (folded), as the lower row of
// a header spells them under "Nơi thường trú": "Thôn/Xóm", "Xã/Phường",
// "Huyện", "Tỉnh/TP", "Số nhà".
var levelWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("thon xom ap ban to khu pho duong so nha xa phuong thi tran huyen quan thanh tinh tp tx tt dan cum lang") {
		levelWords[w] = true
	}
}

// levelsRow reports a row of two or more cells that all name levels of an
// address: the lower row of a header whose upper row names the address
// over them, which adds columns but no field (so it is taken as part of
// the header on this ground). No data row is made of such words alone.
func levelsRow(r rawRow) bool {
	dec := rowDecoder(r.cells, nil)
	n := 0
	for i, c := range r.cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if dec != nil {
			c = dec(i, c)
		}
		if !levelCell(c) {
			return false
		}
		n++
	}
	return n >= 2
}

// levelCell reports a header cell made of level words only ("Thôn/Xóm",
// "Xã/Phường", "Tỉnh/Thành phố").
func levelCell(c string) bool {
	words := strings.Fields(fold(c))
	for _, w := range words {
		if !levelWords[w] {
			return false
		}
	}
	return len(words) > 0
}

// upperLevelWords name a commune, district or province (folded): "Xã",
// "Phường", "Thị trấn", "Huyện", "Quận", "Thị xã", "Tỉnh", "Thành phố".
var upperLevelWords = map[string]bool{"xa": true, "phuong": true, "tran": true, "tt": true, "huyen": true, "quan": true, "tx": true, "tinh": true, "thanh": true, "tp": true}

// levelRun finds the columns of a single-row header that give an
// address's levels side by side under no parent ("Thôn/Xóm | Xã/Phường |
// Huyện/Quận | Tỉnh/Thành phố"), which name no field: the run of two or
// more adjacent unnamed level columns, one of them a commune, district or
// province. ok is false unless there is exactly one such run (two could be
// the permanent and the current address: which is which is not guessed).
func levelRun(fields, texts []string) (first, last int, ok bool) {
	runs := 0
	for i := 0; i < len(fields); {
		j, upper := i, false
		for j < len(fields) && fields[j] == "" && levelCell(texts[j]) {
			for _, w := range strings.Fields(fold(texts[j])) {
				upper = upper || upperLevelWords[w]
			}
			j++
		}
		if j-i >= 2 && upper {
			first, last = i, j-1
			runs++
		}
		i = max(j, i+1)
	}
	return first, last, runs == 1
}

// admitRow decides what one row below the header is: ok is false for rows
// that are not data (blank, footer, repeated header, column numbers,
// section headings), which are counted in the layout; else data says the
// row's record is to be assembled (recordOf), or item is its item (an
// unreadable row).
func (t *tabular) admitRow(sh *sheetState, r rawRow) (item Item, data, ok bool) {
	stt := -1
	if i, ok := sh.cols.index[FieldSTT]; ok {
		stt = i
	}
	if r.err != nil {
		return t.prov.rowError(sh.name, r), false, true
	}
	l := sh.layout
	if mergedOnly(r, stt) {
		// A member's row emptied under the household's merged cells
		// (user27: "missing full name" before).
		l.skip(r.num, SkipBlank, nil)
		return Item{}, false, false
	}
	if isBlank(r.cells, stt) {
		kind := SkipBlank
		if stt >= 0 && stt < len(r.cells) && hasLetter(r.cells[stt]) && len(strings.Fields(r.cells[stt])) >= 2 {
			// A heading typed in the STT column ("Thôn Đông" above its
			// villagers' numbers), as in any column but the name's —
			// unless it is the totals ("Cộng: 3").
			kind = SkipSection
			if sh.isFooter(r, sh.decoder()) {
				sh.phase = phaseFooter
				sh.footerFrom = len(l.Skips)
				kind = SkipFooter
			}
		}
		l.skip(r.num, kind, sh.rowPreview(r, false))
		return Item{}, false, false
	}
	if sh.first && isColumnNumbers(r.cells) {
		l.skip(r.num, SkipColumnNumbers, sh.rowPreview(r, false))
		return Item{}, false, false
	}
	if r.hidden && t.opts.SkipHiddenRows {
		// Asked for: the rows the clerk hid (the persons who left) are
		// counted and listed, not read.
		l.skip(r.num, SkipHidden, sh.rowPreview(r, true))
		return Item{}, false, false
	}
	cell := func(i int) string {
		if i < 0 || i >= len(r.cells) {
			return ""
		}
		return r.cells[i]
	}
	decode := sh.decoder()
	nameIdx, hasFull := sh.cols.index[FieldFullName]
	if !hasFull {
		nameIdx = sh.cols.index[FieldGivenName]
	}
	if sh.headerFold != "" {
		// Cheap test first: a header word starts the cell ("Họ", "HỌ", "Ho").
		if v := cell(nameIdx); v != "" && len(v) <= 3*len(sh.headerFold)+8 && maybeHeader(v, sh.headerFold) {
			// The header again, compared with its diacritics (Hồ Tên, a
			// person, is not Họ tên); folded only for a cell written
			// without any, in a row with nothing of a person's data.
			text := decode(nameIdx, v)
			if canonKey(text) == sh.headerCanon ||
				!hasDiacritics(text) && fold(text) == sh.headerFold && !sh.dataShaped(r, nameIdx, decode) {
				l.skip(r.num, SkipRepeatedHeader, sh.rowPreview(r, false))
				return Item{}, false, false
			}
		}
	}
	if s := strings.TrimSpace(cell(stt)); stt < 0 || !isNumeric(s) || totalsName(cell(nameIdx), nameIdx, decode) {
		if sh.isFooter(r, decode) {
			sh.phase = phaseFooter
			sh.footerFrom = len(l.Skips)
			l.skip(r.num, SkipFooter, sh.rowPreview(r, false))
			return Item{}, false, false
		}
	}
	// A section heading ("Thôn Đông", "Tổ 3") sits alone in a row, outside
	// the name columns — or in the name column when it starts with the
	// word of a village, hamlet or group, written with its diacritics
	// (Thôn, Xóm, Tổ, Hộ: no family name is written so).
	nonEmpty, where, marked := 0, -1, false
	for i, c := range r.cells {
		if i == stt && sectionMark(c) {
			marked = true
			continue // "II | Thôn Tây": the section's number, not a person's
		}
		if !isBlankCell(c) {
			nonEmpty++
			if nonEmpty == 2 {
				break // not a heading: the rest need not be looked at
			}
			where = i
		}
	}
	if nonEmpty == 1 && where < len(sh.cols.field) {
		f := sh.cols.field[where]
		if f != FieldFullName && f != FieldGivenName && f != FieldFamilyMiddle && hasLetter(r.cells[where]) &&
			len(strings.Fields(r.cells[where])) >= 2 {
			l.skip(r.num, SkipSection, sh.rowPreview(r, false))
			return Item{}, false, false
		}
		if (f == FieldFullName || f == FieldGivenName) && sectionText(decode(where, r.cells[where])) {
			l.skip(r.num, SkipSection, sh.rowPreview(r, false))
			return Item{}, false, false
		}
		// "I | THƯỜNG TRÚ", "II | TẠM TRÚ": a section numbered as such,
		// its title where names stand, alone in its row and starting
		// with no family name (user26: read as persons "Thường Trú" and
		// "Tạm Vắng"); "a | Nguyễn Văn An" is still a person.
		if f == FieldFullName && marked && headingTitle(decode(where, r.cells[where])) {
			l.skip(r.num, SkipSection, sh.rowPreview(r, false))
			return Item{}, false, false
		}
	}
	sh.first = false
	sh.cols.slots() // made here, read by recordOf on any goroutine
	return Item{}, true, true
}

// sectionMark reports an STT cell that numbers a section, not a person: a
// Roman numeral or one letter ("I", "IV.", "B)"), as lists grouped by
// hamlet number their headings.
func sectionMark(c string) bool {
	c = strings.TrimRight(strings.TrimSpace(c), ".)")
	if c == "" || len(c) > 6 {
		return false
	}
	if len(c) == 1 && (c[0] >= 'A' && c[0] <= 'Z' || c[0] >= 'a' && c[0] <= 'z') {
		return true
	}
	return strings.Trim(c, "IVXLC") == ""
}

// pastedUnicode reports whether a cell of column i drawn in a font that is
// no legacy font (rawRow.plain) is read as Unicode: the column is typed in
// TCVN3 or VNI and its cells' font says so (.VnTime, VNI-Times), so a cell
// in Times New Roman or Arial was pasted from a Unicode source — "Lê Bá
// Tý", whose letters are all Latin-1 and each a TCVN3 byte too, reads "Lờ
// Bỏ Tý" in TCVN3, and its clerk saw it right on screen. A column read as
// legacy by its text alone (no legacy font) keeps its encoding for every
// cell: there the font tells nothing.
func (sh *sheetState) pastedUnicode(i int) bool {
	if i >= len(sh.cols.enc) || i >= len(sh.layout.Columns) {
		return false
	}
	switch sh.cols.enc[i] {
	case vn.TCVN3, vn.TCVN3Upper, vn.VNI:
		_, named := vn.FontEncoding(sh.layout.Columns[i].Font)
		return named
	}
	return false
}

// cellFont is the encoding of the cell of column i of row r when its own
// font says it differs from its column's (own): Unicode for a cell pasted
// from a Unicode source (pastedUnicode), TCVN3Upper for one typed in
// capitals in .VnTimeH within a .VnTime column, VNI for a VNI-Times cell
// in a .VnTime column and TCVN3 for a .VnTime cell in a VNI one, as its
// text agrees (vn.DetectEncoding). recordOf and a reject's
// preview (rowPreview) both read a cell so. A cell whose style font is no
// legacy one but whose text shows the column's legacy typing (a capital
// inside a word, ¨ « §: vn.DetectEncoding) is its column's: its text
// carries its own font (a rich-text run in .VnTime, pasted from a Word
// document), which the style does not tell, and read as Unicode it was
// "NguyÔn V¨n Hïng".
func (sh *sheetState) cellFont(r rawRow, i int) (enc vn.Encoding, own bool) {
	switch {
	case r.plain>>i&1 != 0 && sh.pastedUnicode(i) && (i >= len(r.cells) || vn.DetectEncoding(r.cells[i:i+1], sh.layout.Columns[i].Font) == vn.Unicode):
		return vn.Unicode, true
	case r.upper>>i&1 != 0 && i < len(sh.cols.enc) && sh.cols.enc[i] == vn.TCVN3:
		return vn.TCVN3Upper, true
	case r.vni>>i&1 != 0 && i < len(sh.cols.enc) && (sh.cols.enc[i] == vn.TCVN3 || sh.cols.enc[i] == vn.TCVN3Upper) && sh.pastedUnicode(i) && i < len(r.cells):
		// A row copied from a VNI file into a .VnTime one keeps its
		// VNI-Times cells: read in VNI when the text agrees, or as
		// Unicode when it is ("Hoaứng Ngoùc AÙnh" was Hoàng Ngọc Ánh read
		// as TCVN3: user27).
		return vn.DetectEncoding(r.cells[i:i+1], "VNI-Times"), true
	case r.tcvn>>i&1 != 0 && i < len(sh.cols.enc) && sh.cols.enc[i] == vn.VNI && sh.pastedUnicode(i) && i < len(r.cells):
		return vn.DetectEncoding(r.cells[i:i+1], ".VnTime"), true
	}
	return vn.Unicode, false
}

// recordOf assembles the record (or reject) of data row r of sheet sh,
// remembering decoded cells in memo (one per goroutine: see columns.text).
func (t *tabular) recordOf(sh *sheetState, r rawRow, memo *[]columnMemo) Item {
	var rv rowValues
	var exchanged, errNotes []Note
	var nameErr string
	slots := sh.cols.slots()
	kinds := sh.cols.kind[:len(sh.cols.field)]
	// the cells whose own font cellFont may read them in (none in a CSV
	// file): every other cell's is its column's, without the call
	fonts := r.plain | r.upper | r.vni | r.tcvn
	for i, f := range sh.cols.field {
		kind := kinds[i]
		if kind&colName != 0 {
			rv.labelAt(slots[i], sh.layout.Columns[i].Header)
		}
		if kind&colSkip != 0 || i >= len(r.cells) {
			continue
		}
		v := r.cells[i]
		if v == "" {
			continue
		}
		if i < len(sh.cols.usDates) && sh.cols.usDates[i] && isNumeric(v) {
			if d, ok := exchangedSerial(v, sh.date1904); ok {
				exchanged = append(exchanged, Note{Column: sh.layout.Columns[i].Header, Field: FieldBirthDate, Value: v,
					Reason: NoteSerialExchanged})
				v = d
			}
		}
		if excelError(v) {
			// A formula's error ("#N/A" of a lookup that found nothing)
			// holds no value: missing, with a note (or, for the name, the
			// reject's reason) saying so.
			if kind&colName != 0 {
				nameErr = strings.TrimSpace(v)
			} else {
				errNotes = append(errNotes, Note{Column: sh.layout.Columns[i].Header, Field: f, Value: strings.TrimSpace(v),
					Reason: "the cell held an Excel error value, read as missing"})
			}
			continue
		}
		if fonts>>i&1 == 0 {
			v = sh.cols.textIn(memo, i, v)
		} else if enc, own := sh.cellFont(r, i); own {
			v = cellText(v, enc) // not through the memo: its raw text may be a legacy cell's too
		} else {
			v = sh.cols.textIn(memo, i, v)
		}
		if v == "" {
			continue
		}
		if kind&colPlace != 0 {
			// Its levels may stand in several columns (addressLevel).
			rv.joinAt(slots[i], v, sh.layout.Columns[i].Header, ", ")
		} else if f == FieldFamilyMiddle {
			// The family name and the middle name may stand apart (familyParts).
			rv.joinAt(slots[i], v, sh.layout.Columns[i].Header, " ")
		} else {
			rv.setAt(slots[i], v, sh.layout.Columns[i].Header)
			if i < len(sh.cols.monthFirst) && sh.cols.monthFirst[i] && slots[i] >= 0 {
				rv.monthFirst |= 1 << slots[i]
			}
			if i < 64 && r.day>>i&1 != 0 && slots[i] >= 0 {
				rv.dayShown |= 1 << slots[i]
			}
		}
	}
	for k, d := range sh.dates {
		if k < len(r.dates) && r.dates[k].ok && d.col < len(slots) {
			rv.keepDate(slots[d.col], r.dates[k], r.cells[d.col])
		}
	}
	var rec *schemas.Record
	if t.opts.NewRecord != nil {
		rec = t.opts.NewRecord()
	} else {
		rec = &schemas.Record{}
	}
	it := t.prov.assemble(&rv, sh.name, r.num, rec)
	if it.Record != nil && len(exchanged)+len(errNotes) > 0 {
		it.Notes = append(append(it.Notes, exchanged...), errNotes...)
	}
	if it.Reject != nil && nameErr != "" && it.Reject.Value == "" {
		it.Reject.Value = nameErr
		it.Reject.Reason += ": the cell held an Excel error value"
	}
	return it
}

// excelErrors are the values Excel shows for a formula that failed.
var excelErrors = []string{"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
	"#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"}

// excelError reports a cell holding one of Excel's error values (the
// formula's result, as a workbook stores it and a CSV saved from it keeps).
func excelError(v string) bool {
	if v == "" || v[0] != '#' && v[0] != ' ' {
		return false
	}
	v = strings.TrimSpace(v)
	for _, e := range excelErrors {
		if strings.EqualFold(v, e) {
			return true
		}
	}
	return false
}

// usLocaleDates reports a date column typed day/month in Excel set to
// month/day formats (United States): "05/03/1978" became the serial of 3
// May, and "13/03/1980", no month 13, stayed text. So the column holds
// serials whose day is never over 12 (it was typed as the month), and
// text dates whose first number is always over 12 (none of 12 or less,
// which Excel would have taken, nor a second over 12) — at least three
// text dates and eight dates in all, so that a column typed under
// Vietnamese formats with a few text dates among its serials passes for
// one by chance about once in a hundred at worst. Judged on the rows read
// while looking for the header.
func usLocaleDates(rows []rawRow, col int) bool {
	serials, dayFirst := 0, 0
	for _, r := range rows {
		if col >= len(r.cells) {
			continue
		}
		c := strings.TrimSpace(r.cells[col])
		if isNumeric(c) {
			if f, err := strconv.ParseFloat(c, 64); err == nil && f >= 1000 && (f != math.Trunc(f) || f < vn.MinYear || f > vn.MaxYear) {
				if d, err := vn.ParseDateCell(c, true); err != nil || d.Day > 12 {
					return false
				}
				serials++
			}
			continue
		}
		td := textDateOf(c)
		if !td.ok {
			continue
		}
		if td.a <= 12 || td.b > 12 {
			return false
		}
		dayFirst++
	}
	return serials > 0 && dayFirst >= 3 && serials+dayFirst >= 8
}

// exchangedSerial turns a serial date cell into the text of the date with
// its day and month exchanged ("day/month/year" of the serial's month,
// day and year); ok is false for a serial of no whole day.
func exchangedSerial(v string, date1904 bool) (string, bool) {
	if date1904 {
		v = serial1904(v)
	}
	d, err := vn.ParseDateCell(v, true)
	if err != nil || d.Precision != vn.PrecisionDay {
		return "", false
	}
	return strconv.Itoa(d.Month) + "/" + strconv.Itoa(d.Day) + "/" + strconv.Itoa(d.Year), true
}

// maybeHeader reports whether cell could fold to the folded header h: its
// first letter, lower-cased and stripped of marks, is h's. Legacy-encoded
// cells (first byte not a letter) are always checked.
func maybeHeader(cell, h string) bool {
	c := cell[0]
	if c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	if c >= 'a' && c <= 'z' {
		return c == h[0]
	}
	return c >= 0x80
}
