package synth

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sink writes the records of one source file.
type sink interface {
	write(rec *record) error
	close() error
}

type csvFile struct {
	f  *os.File
	bw *bufio.Writer
	w  *rowWriter
}

// rowWriter writes CSV rows exactly as encoding/csv does (comma, LF,
// quoting only where needed), without its per-field overhead.
type rowWriter struct {
	bw  *bufio.Writer
	buf []byte
}

// csvSpecial marks the bytes that force quoting anywhere in a field.
var csvSpecial = [256]bool{',': true, '"': true, '\r': true, '\n': true}

func fieldNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		if csvSpecial[f[i]] {
			return true
		}
	}
	if c := f[0]; c < utf8.RuneSelf {
		return c == ' ' || c == '\t' || c == '\v' || c == '\f'
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

func (w *rowWriter) Write(row []string) error {
	b := w.buf[:0]
	for i, f := range row {
		if i > 0 {
			b = append(b, ',')
		}
		if !fieldNeedsQuotes(f) {
			b = append(b, f...)
			continue
		}
		b = append(b, '"')
		for j := 0; j < len(f); j++ {
			c := f[j]
			switch c {
			case '"':
				b = append(b, '"', '"')
			default:
				b = append(b, c)
			}
		}
		b = append(b, '"')
	}
	b = append(b, '\n')
	w.buf = b
	_, err := w.bw.Write(b)
	return err
}

func createCSV(path string, header []string) (*csvFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	c := &csvFile{f: f, bw: bw, w: &rowWriter{bw: bw}}
	if err := c.w.Write(header); err != nil {
		f.Close()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return c, nil
}

func (c *csvFile) close() error {
	if err := c.bw.Flush(); err != nil {
		c.f.Close()
		return fmt.Errorf("write %s: %w", c.f.Name(), err)
	}
	if err := c.f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", c.f.Name(), err)
	}
	return nil
}

// csvSink writes a spreadsheet as UTF-8 CSV with the Vietnamese headers.
type csvSink struct {
	*csvFile
	row []string
	n   int
}

func newCSVSink(path string) (*csvSink, error) {
	c, err := createCSV(path, Headers)
	if err != nil {
		return nil, err
	}
	return &csvSink{csvFile: c, row: make([]string, len(Headers))}, nil
}

func (s *csvSink) write(rec *record) error {
	s.n++
	s.row[0] = strconv.Itoa(s.n)
	s.row[1] = rec.id
	copy(s.row[2:], rec.fields[:])
	if err := s.w.Write(s.row); err != nil {
		return fmt.Errorf("write %s: %w", s.f.Name(), err)
	}
	return nil
}

// xlsxSink writes a spreadsheet as XLSX through excelize's StreamWriter,
// starting a new sheet when one is full.
type xlsxSink struct {
	path  string
	f     *excelize.File
	sw    *excelize.StreamWriter
	sheet int
	row   int // rows written on the current sheet, header included
	n     int
	vals  []any
}

const xlsxMaxRows = 1048576

func newXLSXSink(path string) (*xlsxSink, error) {
	s := &xlsxSink{path: path, f: excelize.NewFile(), vals: make([]any, len(Headers))}
	if err := s.newSheet(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *xlsxSink) newSheet() error {
	if s.sw != nil {
		if err := s.sw.Flush(); err != nil {
			return fmt.Errorf("write %s: %w", s.path, err)
		}
	}
	s.sheet++
	name := "DanhSach"
	if s.sheet > 1 {
		name = fmt.Sprintf("DanhSach%d", s.sheet)
	}
	if s.sheet == 1 {
		if err := s.f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("write %s: %w", s.path, err)
		}
	} else if _, err := s.f.NewSheet(name); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	s.sw = sw
	hdr := make([]any, len(Headers))
	for i, h := range Headers {
		hdr[i] = h
	}
	s.row = 1
	if err := sw.SetRow("A1", hdr); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	return nil
}

func (s *xlsxSink) write(rec *record) error {
	if s.row >= xlsxMaxRows {
		if err := s.newSheet(); err != nil {
			return err
		}
	}
	s.n++
	s.row++
	s.vals[0] = s.n
	s.vals[1] = rec.id
	for i, v := range rec.fields {
		s.vals[2+i] = v
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	if err := s.sw.SetRow(cell, s.vals); err != nil {
		return fmt.Errorf("write %s row %d: %w", s.path, s.row, err)
	}
	return nil
}

func (s *xlsxSink) close() error {
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	// excelize's SaveAs builds the whole zip in memory; hand it a zip
	// writer on the file instead, so the sheet streams from its temporary
	// file to the output.
	out, err := os.Create(s.path)
	if err != nil {
		return fmt.Errorf("save %s: %w", s.path, err)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	s.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(bw) })
	if err := s.f.Write(io.Discard); err != nil {
		out.Close()
		return fmt.Errorf("save %s: %w", s.path, err)
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return fmt.Errorf("save %s: %w", s.path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("save %s: %w", s.path, err)
	}
	return s.f.Close()
}

// jsonlSink writes scanned-form recognition results, one form per line.
type jsonlSink struct {
	f   *os.File
	bw  *bufio.Writer
	buf []byte
}

func newJSONLSink(path string) (*jsonlSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &jsonlSink{f: f, bw: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (s *jsonlSink) write(rec *record) error {
	b := s.buf[:0]
	unit := rec.person.Cur.c.Code
	if !rec.date.Before(reformDate) {
		unit = rec.person.Cur.newUnit().CommuneCode
	}
	b = append(b, `{"form_id":`...)
	b = appendJSONString(b, rec.id)
	b = append(b, `,"scan_ref":`...)
	b = appendJSONString(b, "scans/"+rec.date.Format("20060102")+"/"+unit+"/"+rec.id+".png")
	b = append(b, `,"unit_code":`...)
	b = appendJSONString(b, unit)
	b = append(b, `,"collected_on":`...)
	b = appendJSONString(b, rec.date.Format("2006-01-02"))
	b = append(b, `,"fields":{`...)
	first := true
	for i, v := range rec.fields {
		if v == "" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, FieldKeys[i])
		b = append(b, `:{"text":`...)
		b = appendJSONString(b, v)
		b = append(b, `,"confidence":`...)
		b = strconv.AppendFloat(b, float64(rec.conf[i]), 'f', 2, 32)
		b = append(b, '}')
	}
	b = append(b, "}}\n"...)
	s.buf = b
	if _, err := s.bw.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", s.f.Name(), err)
	}
	return nil
}

func (s *jsonlSink) close() error {
	if err := s.bw.Flush(); err != nil {
		s.f.Close()
		return fmt.Errorf("write %s: %w", s.f.Name(), err)
	}
	if err := s.f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", s.f.Name(), err)
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, keeping UTF-8 as is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func sinkFor(dir string, s *source) (sink, error) {
	p := filepath.Join(dir, s.File)
	switch s.Format {
	case "csv":
		return newCSVSink(p)
	case "xlsx":
		return newXLSXSink(p)
	case "jsonl":
		return newJSONLSink(p)
	}
	return nil, fmt.Errorf("open sink %s: unknown format %q", p, s.Format)
}
