package ingest

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Bounds on what a workbook may unpack to: worksheets larger than
// xlsxXMLInMemory are spilled by excelize to a temporary file and streamed;
// a workbook whose parts unpack past the caller's MaxFileSize is refused
// (a zip bomb).
const xlsxXMLInMemory = 16 << 20

// maxSharedStrings bounds the shared-string table, which excelize holds in
// memory whole (to a quarter of Options.MaxFileSize when that is lower).
const maxSharedStrings = 512 << 20

// xlsxReader streams the rows of each sheet of a workbook. excelize opens
// and checks the workbook and gives its sheets and styles; the rows come
// from sheetScanner reading the worksheet part straight from the archive
// (excelize's row iterator, ten times slower, with Options.ExcelizeRows).
type xlsxReader struct {
	path     string
	f        *excelize.File
	sheets   []string
	si       int
	rows     *excelize.Rows // excelize's iterator, when asked for
	rowNum   int
	useExcel bool
	zr       *zip.ReadCloser
	part     io.ReadCloser
	scan     *sheetScanner
	sst      []string
	sstRead  bool
	pending  *rawRow           // a row read ahead past a gap of blank rows
	parts    map[string]string // sheet name -> worksheet part path in the zip
	styles   map[int]string    // style id -> font family
	// cleanup removes a converted copy (legacy .xls) on close.
	cleanup func()
}

func openXLSX(path string, opts Options) (*xlsxReader, error) {
	if err := checkZip(path, opts.MaxFileSize); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    opts.MaxFileSize,
		UnzipXMLSizeLimit: min(xlsxXMLInMemory, opts.MaxFileSize),
		TmpDir:            opts.TempDir,
	})
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	x := &xlsxReader{path: path, f: f, sheets: f.GetSheetList(), si: -1, styles: map[int]string{}, useExcel: opts.ExcelizeRows}
	if len(x.sheets) == 0 {
		f.Close()
		return nil, errors.New("open workbook: it has no sheets")
	}
	if x.parts, err = sheetParts(path); err != nil && !x.useExcel {
		f.Close()
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	if !x.useExcel {
		if x.zr, err = zip.OpenReader(path); err != nil {
			f.Close()
			return nil, fmt.Errorf("open workbook: %w", err)
		}
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
	if x.part != nil {
		_ = x.part.Close()
		x.part, x.scan = nil, nil
	}
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
		x.part, x.scan, x.rowNum, x.pending = rc, newSheetScanner(rc, x.sst), 0, nil
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
		num, cells, ok, err := x.scan.next()
		if err != nil || !ok {
			return rawRow{}, false, err
		}
		r := rawRow{num: num, cells: append([]string(nil), cells...)}
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

func (x *xlsxReader) close() error {
	if x.rows != nil {
		_ = x.rows.Close()
	}
	if x.part != nil {
		_ = x.part.Close()
	}
	if x.zr != nil {
		_ = x.zr.Close()
	}
	err := x.f.Close()
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
	if x.si < 0 || x.si >= len(x.sheets) || x.parts == nil {
		return nil
	}
	part := x.parts[x.sheets[x.si]]
	if part == "" {
		return nil
	}
	z, err := zip.OpenReader(x.path)
	if err != nil {
		return nil
	}
	defer z.Close()
	var rc io.ReadCloser
	for _, f := range z.File {
		if f.Name == part {
			rc, err = f.Open()
			break
		}
	}
	if rc == nil || err != nil {
		return nil
	}
	defer rc.Close()
	out := map[cellPos]string{}
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
			if font := x.styleFont(s); font != "" {
				out[cellPos{row, col - 1}] = font
			}
		}
	}
}

func (x *xlsxReader) styleFont(s int) string {
	if f, ok := x.styles[s]; ok {
		return f
	}
	font := ""
	if st, err := x.f.GetStyle(s); err == nil && st != nil && st.Font != nil {
		font = st.Font.Family
	}
	x.styles[s] = font
	return font
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// sheetParts maps sheet names to their worksheet part paths, from
// xl/workbook.xml and its relationships.
func sheetParts(file string) (map[string]string, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	read := func(name string, v any) error {
		for _, f := range z.File {
			if f.Name == name {
				rc, err := f.Open()
				if err != nil {
					return err
				}
				defer rc.Close()
				return xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v)
			}
		}
		return fmt.Errorf("no %s", name)
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := read("xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	if err := read("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			out[sstKey] = partPath(r.Target)
		}
	}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rel {
			if r.ID == s.RID {
				out[s.Name] = partPath(r.Target)
			}
		}
	}
	return out, nil
}

// partPath resolves a relationship target of xl/workbook.xml to a path in
// the archive.
func partPath(t string) string {
	if strings.HasPrefix(t, "/") {
		return strings.TrimPrefix(t, "/")
	}
	return path.Join("xl", t)
}
