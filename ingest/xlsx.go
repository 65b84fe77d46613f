package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/dancu-vn/dancu/vn"
	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// Bounds on what a workbook may unpack to: worksheets larger than
// xlsxXMLInMemory are spilled by excelize to a temporary file and streamed;
// a workbook whose parts unpack past the caller's MaxFileSize is refused
// (a zip bomb).
const xlsxXMLInMemory = 16 << 20

// maxSharedStrings bounds the shared-string table, which is held in memory
// whole (to a quarter of Options.MaxFileSize when that is lower).
const maxSharedStrings = 512 << 20

// xlsxReader streams the rows of each sheet of a workbook: the sheets and
// styles come from the workbook's metadata (readWorkbook), the rows from
// sheetScanner reading each worksheet part straight from the archive.
// With Options.ExcelizeRows, excelize opens the workbook and its row
// iterator reads the rows instead (ten times slower, and excelize unpacks
// a large worksheet to a temporary file first).
type xlsxReader struct {
	path         string
	f            *excelize.File
	sheets       []string
	hiddenSheets map[string]bool // see workbook.hidden
	si           int
	rows         *excelize.Rows // excelize's iterator, when asked for
	rowNum       int
	useExcel     bool
	zr           *zip.ReadCloser
	part         io.ReadCloser
	scan         *sheetScanner
	ra           *readAhead // unpacks the worksheet part ahead of scan
	sst          []string
	sstRead      bool
	pending      *rawRow           // a row read ahead past a gap of blank rows
	batches      chan rowBatch     // rows scanned ahead by the prefetch goroutine
	stop         chan struct{}     // closed to end the prefetch goroutine
	batch        []rawRow          // rows of the current batch not yet returned
	parts        map[string]string // sheet name -> worksheet part path in the zip
	// styleFont returns the font family of cell style s.
	styleFont func(s int) string
	// fontKinds is workbook.fontKinds, for the sheet scanner.
	fontKinds []cellFont
	// dayStyles is workbook.dayStyles, for the sheet scanner.
	dayStyles []bool
	date1904  bool // see workbook
	// cleanup removes a converted copy (legacy .xls) on close.
	cleanup func()
	// For Progress: the unpacked size of each sheet's worksheet part and
	// of them all, the sizes of the sheets before the current one, and
	// the bytes of the current one unpacked so far.
	sizes  []int64
	total  int64
	before atomic.Int64
	read   atomic.Int64
}

func openXLSX(path string, opts Options) (*xlsxReader, error) {
	if err := checkZip(path, opts.MaxFileSize); err != nil {
		return nil, err
	}
	x := &xlsxReader{path: path, si: -1, useExcel: opts.ExcelizeRows}
	if x.useExcel {
		f, err := excelize.OpenFile(path, excelize.Options{
			UnzipSizeLimit:    opts.MaxFileSize,
			UnzipXMLSizeLimit: min(xlsxXMLInMemory, opts.MaxFileSize),
			TmpDir:            opts.TempDir,
		})
		if err != nil {
			return nil, fmt.Errorf("open workbook: %w", err)
		}
		x.f, x.sheets = f, f.GetSheetList()
		x.styleFont = func(s int) string {
			if st, err := f.GetStyle(s); err == nil && st != nil && st.Font != nil {
				return st.Font.Family
			}
			return ""
		}
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		x.close()
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	// klauspost's inflate is about twice as fast as the standard library's.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	x.zr = zr
	wb, err := readWorkbook(zr)
	if err != nil {
		x.close()
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	x.parts, x.date1904, x.hiddenSheets = wb.parts, wb.date1904, wb.hidden
	if !x.useExcel {
		x.sheets = wb.sheets
		x.styleFont = wb.font
		x.fontKinds = wb.fontKinds()
		x.dayStyles = wb.dayStyles()
	}
	if len(x.sheets) == 0 {
		x.close()
		return nil, errors.New("open workbook: it has no sheets")
	}
	for _, name := range x.sheets {
		var n int64
		if f := x.zipFile(x.parts[name]); f != nil {
			n = int64(f.UncompressedSize64)
		}
		x.sizes = append(x.sizes, n)
		x.total += n
	}
	return x, nil
}

// checkZip refuses a workbook whose declared contents are larger than
// limit or whose shared-string table is larger than maxSharedStrings,
// before anything is unpacked.
func checkZip(path string, limit int64) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("open workbook: not a valid xlsx (zip) file: %w", err)
	}
	defer z.Close()
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if strings.EqualFold(f.Name, "xl/sharedStrings.xml") && f.UncompressedSize64 > uint64(min(maxSharedStrings, limit/4)) {
			return fmt.Errorf("open workbook: shared-string table unpacks to %d bytes (limit %d)", f.UncompressedSize64, min(maxSharedStrings, limit/4))
		}
		if f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > 100 && f.UncompressedSize64 > 64<<20 {
			return fmt.Errorf("open workbook: part %s expands %d times (a zip bomb?)", f.Name, f.UncompressedSize64/f.CompressedSize64)
		}
	}
	if total > uint64(limit) {
		return fmt.Errorf("open workbook: contents unpack to %d bytes (limit %d)", total, limit)
	}
	return nil
}

func (x *xlsxReader) nextSheet() (string, bool, error) {
	if x.rows != nil {
		_ = x.rows.Close()
		x.rows = nil
	}
	x.stopPrefetch()
	if x.part != nil {
		_ = x.part.Close()
		x.part, x.scan = nil, nil
	}
	if x.si >= 0 && x.si < len(x.sizes) {
		x.before.Add(x.sizes[x.si])
	}
	x.read.Store(0)
	x.si++
	if x.si >= len(x.sheets) {
		return "", false, nil
	}
	name := x.sheets[x.si]
	if !x.useExcel {
		if !x.sstRead {
			x.sstRead = true
			if f := x.zipFile(x.parts[sstKey]); f != nil {
				rc, err := f.Open()
				if err != nil {
					return "", false, fmt.Errorf("open shared strings: %w", err)
				}
				x.sst, err = readSharedStrings(rc)
				rc.Close()
				if err != nil {
					return "", false, err
				}
			}
		}
		f := x.zipFile(x.parts[name])
		if f == nil {
			return "", false, fmt.Errorf("sheet %q: worksheet part %q missing from the archive", name, x.parts[name])
		}
		rc, err := f.Open()
		if err != nil {
			return "", false, fmt.Errorf("sheet %q: %w", name, err)
		}
		x.ra = newReadAhead(byteCounter{rc, &x.read}, readAheadChunk, 2)
		x.part, x.scan, x.rowNum, x.pending = rc, newSheetScanner(x.ra, x.sst), 0, nil
		x.scan.fonts, x.scan.dayStyles = x.fontKinds, x.dayStyles
		x.startPrefetch()
		return name, true, nil
	}
	rows, err := x.f.Rows(name)
	if err != nil {
		return "", false, fmt.Errorf("sheet %q: %w", name, err)
	}
	x.rows, x.rowNum = rows, 0
	return name, true, nil
}

// sstKey is the key of the shared-string part in parts (not a sheet name:
// sheet names cannot contain ':').
const sstKey = ":sharedStrings"

func (x *xlsxReader) zipFile(name string) *zip.File {
	if name == "" || x.zr == nil {
		return nil
	}
	for _, f := range x.zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (x *xlsxReader) nextRow() (rawRow, bool, error) {
	if x.scan != nil {
		// Rows missing from the XML are blank rows: yield them, as
		// excelize's iterator does, so both readers count alike.
		if x.pending != nil {
			if x.rowNum+1 < x.pending.num {
				x.rowNum++
				return rawRow{num: x.rowNum}, true, nil
			}
			r := *x.pending
			x.pending, x.rowNum = nil, r.num
			return r, true, nil
		}
		r, ok, err := x.fetch()
		if err != nil || !ok {
			return rawRow{}, false, err
		}
		num := r.num
		if num > x.rowNum+1 {
			x.pending = &r
			x.rowNum++
			return rawRow{num: x.rowNum}, true, nil
		}
		x.rowNum = num
		return r, true, nil
	}
	if x.rows == nil || !x.rows.Next() {
		if x.rows != nil {
			if err := x.rows.Error(); err != nil {
				return rawRow{}, false, fmt.Errorf("row %d: %w", x.rowNum+1, err)
			}
		}
		return rawRow{}, false, nil
	}
	x.rowNum++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return rawRow{}, false, fmt.Errorf("row %d: %w", x.rowNum, err)
	}
	return rawRow{num: x.rowNum, cells: cells}, true, nil
}

// prefetchRows is the number of rows the scanning goroutine reads ahead
// in one batch; at most two batches wait, which bounds the memory.
const prefetchRows = 256

// rowBatch is a batch of rows scanned ahead, or the error that ended the
// sheet.
type rowBatch struct {
	rows []rawRow
	err  error
}

// startPrefetch scans the current worksheet in a goroutine, so that
// unpacking and tokenizing run beside the validation of the rows.
func (x *xlsxReader) startPrefetch() {
	ch := make(chan rowBatch, 1)
	done := make(chan struct{})
	x.batches, x.stop, x.batch = ch, done, nil
	scan := x.scan
	go func() {
		defer close(ch)
		b := make([]rawRow, 0, prefetchRows)
		send := func(rb rowBatch) bool {
			select {
			case ch <- rb:
				return true
			case <-done:
				return false
			}
		}
		for {
			num, cells, ok, err := scan.next()
			if err != nil {
				if len(b) > 0 && !send(rowBatch{rows: b}) {
					return
				}
				send(rowBatch{err: err})
				return
			}
			if !ok {
				if len(b) > 0 {
					send(rowBatch{rows: b})
				}
				return
			}
			b = append(b, rawRow{num: num, cells: append([]string(nil), cells...), plain: scan.plainMask, upper: scan.upperMask, tcvn: scan.tcvnMask, vni: scan.vniMask, day: scan.dayMask, hidden: scan.rowHidden})
			if len(b) == prefetchRows {
				if !send(rowBatch{rows: b}) {
					return
				}
				b = make([]rawRow, 0, prefetchRows)
			}
		}
	}()
}

// fetch returns the next prefetched row.
func (x *xlsxReader) fetch() (rawRow, bool, error) {
	for len(x.batch) == 0 {
		rb, ok := <-x.batches
		if !ok {
			return rawRow{}, false, nil
		}
		if rb.err != nil {
			return rawRow{}, false, rb.err
		}
		x.batch = rb.rows
	}
	r := x.batch[0]
	x.batch = x.batch[1:]
	return r, true, nil
}

// stopPrefetch ends the scanning goroutine and waits for it, so that the
// worksheet part can be closed.
func (x *xlsxReader) stopPrefetch() {
	if x.stop == nil {
		return
	}
	close(x.stop)
	for range x.batches {
	}
	x.stop, x.batches, x.batch = nil, nil, nil
	if x.ra != nil {
		x.ra.stop()
		x.ra = nil
	}
}

func (x *xlsxReader) close() error {
	x.stopPrefetch()
	if x.rows != nil {
		_ = x.rows.Close()
	}
	if x.part != nil {
		_ = x.part.Close()
	}
	if x.zr != nil {
		_ = x.zr.Close()
	}
	var err error
	if x.f != nil {
		err = x.f.Close()
	}
	if x.cleanup != nil {
		x.cleanup()
	}
	return err
}

// fonts reads the style of the cells of rows 1..maxRow of the current
// sheet straight from its XML (excelize's row iterator gives values only,
// and its GetCellStyle loads the whole sheet), and maps each style to its
// font family.
func (x *xlsxReader) fonts(maxRow int) map[cellPos]string {
	if x.si < 0 || x.si >= len(x.sheets) || x.styleFont == nil {
		return nil
	}
	f := x.zipFile(x.parts[x.sheets[x.si]])
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	out := map[cellPos]string{}
	cache := map[int]string{}
	dec := xml.NewDecoder(io.LimitReader(rc, 256<<20))
	row := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			row++
			if r, err := strconv.Atoi(attr(se, "r")); err == nil {
				row = r
			}
			if row > maxRow {
				return out
			}
		case "c":
			s, err := strconv.Atoi(attr(se, "s"))
			if err != nil {
				continue
			}
			col, _, err := excelize.CellNameToCoordinates(attr(se, "r"))
			if err != nil {
				continue
			}
			font, ok := cache[s]
			if !ok {
				font = x.styleFont(s)
				cache[s] = font
			}
			if font != "" {
				out[cellPos{row, col - 1}] = font
			}
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// workbook is what dancu needs of a workbook's metadata: its sheets in
// order, the archive path of each worksheet (and of the shared strings,
// under sstKey) and the font of each cell style.
type workbook struct {
	// date1904: the workbook counts serial dates from 1 January 1904
	// (workbookPr date1904), as Excel for Mac did by default.
	date1904 bool
	sheets   []string
	hidden   map[string]bool // sheets hidden in Excel (state="hidden" or "veryHidden")
	parts    map[string]string
	fonts    []string // by font id
	xfFont   []int    // cell style id -> font id
	xfDay    []bool   // cell style id -> its number format shows a date's day (formatShowsDay)
}

func (w *workbook) font(s int) string {
	if s < 0 || s >= len(w.xfFont) || w.xfFont[s] < 0 || w.xfFont[s] >= len(w.fonts) {
		return ""
	}
	return w.fonts[w.xfFont[s]]
}

// cellFont is what the font of a cell style says of a text cell in a
// column typed in a legacy font (rawRow.plain, rawRow.upper).
type cellFont uint8

const (
	fontOther cellFont = iota // a legacy font, or none named
	// fontPlain: a named font that is no legacy font ("Times New Roman",
	// "Arial"): in a column typed in .VnTime or VNI-Times, a cell in such
	// a font was pasted from a Unicode source, and its clerk saw Unicode.
	fontPlain
	// fontUpper: a TCVN3 capitals font (.VnTimeH): a cell typed in it
	// within a .VnTime column is drawn, and read, in capitals.
	fontUpper
	// fontTCVN3, fontVNI: a TCVN3 (.VnTime) or VNI font: a cell in one
	// within a column typed in the other was copied from another file
	// (rawRow.tcvn, rawRow.vni; user27).
	fontTCVN3
	fontVNI
)

// fontKinds gives, by cell style id, what each style's font says
// (cellFont); nil when no font of the workbook is a legacy one: a Unicode
// workbook's rows then carry no marks.
func (w *workbook) fontKinds() []cellFont {
	legacy := false
	for _, f := range w.fonts {
		if _, ok := vn.FontEncoding(f); ok {
			legacy = true
			break
		}
	}
	if !legacy {
		return nil
	}
	kinds := make([]cellFont, len(w.xfFont))
	for s := range kinds {
		f := w.font(s)
		switch e, isLegacy := vn.FontEncoding(f); {
		case !isLegacy && strings.TrimSpace(f) != "":
			kinds[s] = fontPlain
		case e == vn.TCVN3Upper:
			kinds[s] = fontUpper
		case e == vn.TCVN3:
			kinds[s] = fontTCVN3
		case e == vn.VNI:
			kinds[s] = fontVNI
		}
	}
	return kinds
}

// readWorkbook reads xl/workbook.xml, its relationships and xl/styles.xml.
func readWorkbook(z *zip.ReadCloser) (*workbook, error) {
	read := func(name string, v any, required bool) error {
		for _, f := range z.File {
			if f.Name == name {
				rc, err := f.Open()
				if err != nil {
					return err
				}
				defer rc.Close()
				if err := xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v); err != nil {
					return fmt.Errorf("read %s: %w", name, err)
				}
				return nil
			}
		}
		if required {
			return fmt.Errorf("not a valid xlsx: no %s", name)
		}
		return nil
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			RID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	var styles struct {
		Fonts []struct {
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
		} `xml:"fonts>font"`
		Xfs []struct {
			FontID   int `xml:"fontId,attr"`
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
	}
	if err := read("xl/workbook.xml", &wb, true); err != nil {
		return nil, err
	}
	if err := read("xl/_rels/workbook.xml.rels", &rels, true); err != nil {
		return nil, err
	}
	if err := read("xl/styles.xml", &styles, false); err != nil {
		return nil, err
	}
	w := &workbook{parts: map[string]string{}, hidden: map[string]bool{}, date1904: wb.Pr.Date1904 == "1" || strings.EqualFold(wb.Pr.Date1904, "true")}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			w.parts[sstKey] = partPath(r.Target)
		}
	}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rel {
			if r.ID == s.RID && strings.HasSuffix(r.Type, "/worksheet") {
				w.sheets = append(w.sheets, s.Name)
				w.parts[s.Name] = partPath(r.Target)
				w.hidden[s.Name] = s.State == "hidden" || s.State == "veryHidden"
			}
		}
	}
	for _, f := range styles.Fonts {
		w.fonts = append(w.fonts, f.Name.Val)
	}
	codes := map[int]string{}
	for _, n := range styles.NumFmts {
		codes[n.ID] = n.Code
	}
	for _, x := range styles.Xfs {
		w.xfFont = append(w.xfFont, x.FontID)
		w.xfDay = append(w.xfDay, formatShowsDay(x.NumFmtID, codes[x.NumFmtID]))
	}
	return w, nil
}

// partPath resolves a relationship target of xl/workbook.xml to a path in
// the archive.
func partPath(t string) string {
	if strings.HasPrefix(t, "/") {
		return strings.TrimPrefix(t, "/")
	}
	return path.Join("xl", t)
}

// maxMergeScan bounds the worksheet parts merges reads through: the
// merged ranges follow the rows in the part, so finding them unpacks the
// part a second time (about 15% more CPU on a sheet of `dancu gen`
// rows). A commune's list of households is well under 1 MB unpacked; a
// part larger than this (some 45,000 rows) is read without looking for
// merged ranges.
const maxMergeScan = 16 << 20

// merges returns the current sheet's ranges merged over several rows,
// sorted by first row (see sheetState.fillMerged).
// hidden reports whether the current sheet is hidden in Excel.
func (x *xlsxReader) hidden() bool {
	return x.si >= 0 && x.si < len(x.sheets) && x.hiddenSheets[x.sheets[x.si]]
}

func (x *xlsxReader) merges() []cellRange {
	if x.si < 0 || x.si >= len(x.sheets) {
		return nil
	}
	var refs []string
	if x.useExcel {
		mc, err := x.f.GetMergeCells(x.sheets[x.si])
		if err != nil {
			return nil
		}
		for _, m := range mc {
			refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
		}
	} else {
		f := x.zipFile(x.parts[x.sheets[x.si]])
		if f == nil || f.UncompressedSize64 > maxMergeScan {
			return nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil
		}
		defer rc.Close()
		refs = scanMergeRefs(io.LimitReader(rc, maxMergeScan))
	}
	var out []cellRange
	for _, ref := range refs {
		a, b, ok := strings.Cut(ref, ":")
		if !ok {
			continue
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(a)
		c2, r2, err2 := excelize.CellNameToCoordinates(b)
		if err1 != nil || err2 != nil || r2 <= r1 || c2 < c1 {
			continue
		}
		out = append(out, cellRange{r1: r1, r2: r2, c1: c1 - 1, c2: c2 - 1})
	}
	slices.SortStableFunc(out, func(a, b cellRange) int { return a.r1 - b.r1 })
	return out
}

// scanMergeRefs returns the ref attributes of the <mergeCell> elements of
// a worksheet part.
func scanMergeRefs(r io.Reader) []string {
	const tag, attr = "<mergeCell ", `ref="`
	var refs []string
	buf := make([]byte, 0, 256<<10)
	chunk := make([]byte, 256<<10)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for {
			i := bytes.Index(buf, []byte(tag))
			if i < 0 {
				break
			}
			end := bytes.IndexByte(buf[i:], '>')
			if end < 0 {
				break // the tag goes on in the next chunk
			}
			el := buf[i : i+end]
			if j := bytes.Index(el, []byte(attr)); j >= 0 {
				if k := bytes.IndexByte(el[j+len(attr):], '"'); k >= 0 {
					refs = append(refs, string(el[j+len(attr):j+len(attr)+k]))
				}
			}
			buf = buf[i+end:]
		}
		// Keep only a tag the chunk's end may have cut: from the last '<'
		// (no '<' stands inside a tag).
		if i := bytes.LastIndexByte(buf, '<'); i >= 0 {
			buf = append(buf[:0], buf[i:]...)
		} else {
			buf = buf[:0]
		}
		if err != nil {
			return refs
		}
	}
}

// formatShowsDay says whether a cell number format (its id, and its code
// when the workbook defines it) shows a date's day: the built-in short
// dates (14 "m/d/yyyy", which Excel draws in the computer's order, 15
// "d-mmm-yy", 16 "d-mmm", 22 "m/d/yy h:mm") or a code with a "d" outside
// quoted text, brackets and escaped characters ("dd/mm/yyyy", not "yyyy"
// or "[Red]0"). A serial so shown in a "Năm sinh" column is a whole date
// the clerk sees, not a year (row.go, checkDate).
func formatShowsDay(id int, code string) bool {
	switch id {
	case 14, 15, 16, 22:
		return true
	}
	if code == "" {
		return false
	}
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				return false
			}
		case '[':
			if j := strings.IndexByte(code[i+1:], ']'); j >= 0 {
				i += j + 1
			} else {
				return false
			}
		case '\\', '_', '*':
			i++ // the next character is shown as is, or is padding
		case 'd', 'D':
			return true
		}
	}
	return false
}

// dayStyles gives, by cell style id, whether its number format shows a
// date's day (formatShowsDay); nil when no style's does.
func (w *workbook) dayStyles() []bool {
	if !slices.Contains(w.xfDay, true) {
		return nil
	}
	return w.xfDay
}
