package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Limits of the worksheet format (Excel's own), enforced so that a
// malicious part cannot grow a row or a cell without bound.
const (
	maxXLSXRows     = 1048576
	maxXLSXCols     = 16384
	maxCellBytes    = 4 * 32767 // 32,767 characters, up to 4 bytes each
	maxTagBytes     = 64 << 10
	maxSharedString = 1 << 24 // shared strings, count
)

// errXML is wrapped by every malformed-worksheet error.
var errXML = errors.New("malformed worksheet XML")

// xmlScanner is a minimal tokenizer for the machine-written XML of
// worksheet and shared-string parts: tags and the text between them, with
// entities decoded, and nothing kept beyond the current tag and text.
// encoding/xml, which excelize's row iterator uses, allocates for every
// token and reads about 5,000 rows of 18 cells per CPU-second here; this
// reads ten times that.
type xmlScanner struct {
	r    *bufio.Reader
	tag  []byte // the current tag, without < and >; valid until the next call
	own  []byte // buffer for tags that span reads
	raw  []byte // buffer for texts that span reads
	text []byte // text before the current tag, entities decoded
}

// next reads the text up to the next tag and the tag itself. Comments,
// processing instructions and DOCTYPEs are skipped; CDATA is text.
func (s *xmlScanner) next() error {
	s.text = s.text[:0]
	// Fast path: the text and a whole plain tag are in the reader's
	// buffer, read in place without the calls, copies and error checks of
	// ReadSlice (a worksheet row has a hundred tags or so).
	if buf, _ := s.r.Peek(s.r.Buffered()); len(buf) > 0 {
		if i := bytes.IndexByte(buf, '<'); i >= 0 {
			if j := bytes.IndexByte(buf[i+1:], '>'); j > 0 {
				tag := buf[i+1 : i+1+j]
				if tag[0] != '!' && tag[0] != '?' && tagComplete(tag) {
					var err error
					if s.text, err = appendText(s.text, buf[:i]); err != nil {
						return err
					}
					if len(s.text) > maxCellBytes {
						return fmt.Errorf("%w: text longer than %d bytes", errXML, maxCellBytes)
					}
					s.tag = tag
					_, _ = s.r.Discard(i + 2 + j) // buffered: cannot fail, and the bytes stay put until the next read
					return nil
				}
			}
		}
	}
scan:
	for {
		chunk, err := s.r.ReadSlice('<')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Text longer than the buffer: gather it whole before decoding,
			// so that an entity split between two reads is read whole.
			s.raw = append(s.raw[:0], chunk...)
			for errors.Is(err, bufio.ErrBufferFull) {
				if len(s.raw) > maxCellBytes {
					return fmt.Errorf("%w: text longer than %d bytes", errXML, maxCellBytes)
				}
				chunk, err = s.r.ReadSlice('<')
				s.raw = append(s.raw, chunk...)
			}
			chunk = s.raw
		}
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if s.text, err = appendText(s.text, chunk[:len(chunk)-1]); err != nil {
			return err
		}
		if len(s.text) > maxCellBytes {
			return fmt.Errorf("%w: text longer than %d bytes", errXML, maxCellBytes)
		}
		// The tag, up to a '>' outside quotes. The common case, a whole
		// tag in the reader's buffer, is used in place: s.tag is valid
		// until the next call.
		if chunk, err := s.r.ReadSlice('>'); err == nil && tagComplete(chunk[:len(chunk)-1]) {
			s.tag = chunk[:len(chunk)-1]
			if s.tag[0] != '!' && s.tag[0] != '?' {
				return nil
			}
		} else if err == nil || errors.Is(err, bufio.ErrBufferFull) {
			s.own = append(s.own[:0], chunk...)
			if err == nil {
				s.own[len(s.own)-1] = '>' // the '>' was inside quotes: keep it, read on
			}
			if err := s.readTag(); err != nil {
				return err
			}
			s.tag = s.own
		} else {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		switch {
		case bytes.HasPrefix(s.tag, []byte("![CDATA[")):
			s.text = append(s.text, s.tag[8:len(s.tag)-2]...)
			continue scan
		case len(s.tag) > 0 && (s.tag[0] == '?' || s.tag[0] == '!'):
			continue scan // comment, processing instruction, DOCTYPE
		}
		return nil
	}
}

// readTag reads the rest of a tag that did not end at the first '>' or
// did not fit the reader's buffer into s.own.
func (s *xmlScanner) readTag() error {
	for {
		if len(s.own) > maxTagBytes {
			return fmt.Errorf("%w: tag longer than %d bytes", errXML, maxTagBytes)
		}
		chunk, err := s.r.ReadSlice('>')
		if errors.Is(err, bufio.ErrBufferFull) {
			s.own = append(s.own, chunk...)
			continue
		}
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		s.own = append(s.own, chunk[:len(chunk)-1]...)
		if tagComplete(s.own) {
			return nil
		}
		s.own = append(s.own, '>')
	}
}

// tagComplete reports whether tag (read up to a '>') is a whole tag: no
// quote left open, a comment ending in "--", a CDATA section in "]]".
func tagComplete(tag []byte) bool {
	if len(tag) > 0 && tag[0] == '!' {
		switch {
		case bytes.HasPrefix(tag, []byte("!--")):
			return len(tag) >= 5 && bytes.HasSuffix(tag, []byte("--"))
		case bytes.HasPrefix(tag, []byte("![CDATA[")):
			return len(tag) >= 10 && bytes.HasSuffix(tag, []byte("]]"))
		}
	}
	// One pass over the tag (most are a few bytes: "c r=\"A2\"", "/t"),
	// cheaper than the calls of bytes.Count and bytes.IndexByte.
	var quote byte
	for _, c := range tag {
		if quote != 0 {
			if c == quote {
				quote = 0
			}
		} else if c == '"' || c == '\'' {
			quote = c
		}
	}
	return quote == 0
}

// appendText appends XML character data with its entities decoded.
func appendText(dst, src []byte) ([]byte, error) {
	for len(src) > 0 {
		i := bytes.IndexByte(src, '&')
		if i < 0 {
			return append(dst, src...), nil
		}
		dst = append(dst, src[:i]...)
		src = src[i:]
		j := bytes.IndexByte(src, ';')
		if j < 0 || j > 12 {
			// A bare '&' (invalid XML, written by some tools): keep it.
			dst = append(dst, '&')
			src = src[1:]
			continue
		}
		ent := src[1:j]
		src = src[j+1:]
		switch string(ent) {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ent) > 1 && ent[0] == '#' {
				var n uint64
				var err error
				if ent[1] == 'x' || ent[1] == 'X' {
					n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
				} else {
					n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
				}
				if err == nil && utf8.ValidRune(rune(n)) {
					dst = utf8.AppendRune(dst, rune(n))
					continue
				}
			}
			return dst, fmt.Errorf("%w: unknown entity &%s;", errXML, ent)
		}
	}
	return dst, nil
}

// tagName returns the local name of the current tag (namespace prefix
// dropped), and whether it is an end tag or self-closing.
func (s *xmlScanner) tagName() (name []byte, end, empty bool) {
	t := s.tag
	if len(t) > 0 && t[0] == '/' {
		end = true
		t = t[1:]
	}
	if len(t) > 0 && t[len(t)-1] == '/' {
		empty = true
		t = t[:len(t)-1]
	}
	i := 0
	for i < len(t) && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r' {
		i++
	}
	name = t[:i]
	if k := bytes.IndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return name, end, empty
}

// attr returns the raw value of attribute key of the current tag.
func (s *xmlScanner) attr(key string) []byte {
	t := s.tag
	for {
		i := bytes.Index(t, []byte(key))
		if i < 0 {
			return nil
		}
		rest := t[i+len(key):]
		if i > 0 && (t[i-1] == ' ' || t[i-1] == '\t' || t[i-1] == '\n' || t[i-1] == '\r' || t[i-1] == ':') && len(rest) >= 2 && rest[0] == '=' && (rest[1] == '"' || rest[1] == '\'') {
			q := rest[1]
			rest = rest[2:]
			if j := bytes.IndexByte(rest, q); j >= 0 {
				return rest[:j]
			}
			return nil
		}
		t = t[i+len(key):]
	}
}

// readSharedStrings reads a shared-string table: the text of each <si>,
// phonetic runs left out.
func readSharedStrings(r io.Reader) ([]string, error) {
	s := &xmlScanner{r: bufio.NewReaderSize(r, 64<<10)}
	var out []string
	var cur []byte
	inSI, inT, inRPh := false, false, false
	for {
		err := s.next()
		if err == io.ErrUnexpectedEOF && !inSI {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read shared strings: %w", err)
		}
		if inT && !inRPh {
			cur = append(cur, s.text...)
			if len(cur) > maxCellBytes {
				return nil, fmt.Errorf("read shared strings: string %d: %w: longer than %d bytes", len(out), errXML, maxCellBytes)
			}
		}
		name, end, empty := s.tagName()
		switch string(name) {
		case "si":
			if end || empty {
				out = append(out, string(cur))
				if len(out) > maxSharedString {
					return nil, fmt.Errorf("read shared strings: more than %d", maxSharedString)
				}
				inSI = false
			} else {
				cur, inSI = cur[:0], true
			}
		case "t":
			inT = !end && !empty
		case "rPh":
			inRPh = !end && !empty
		case "sst":
			if end {
				return out, nil
			}
		}
	}
}

// sheetScanner streams the rows of one worksheet part.
type sheetScanner struct {
	s      xmlScanner
	sst    []string
	inData bool
	done   bool
	lastR  int
	cells  []string
	val    []byte
	// fonts, when set, tells what each cell style's font says
	// (workbook.fontKinds); plainMask and upperMask then mark the current
	// row's text cells (bit i: 0-based column i < 64) in a font that is no
	// legacy one, and in a TCVN3 capitals font.
	fonts                []cellFont
	plainMask, upperMask uint64
	tcvnMask, vniMask    uint64 // cells in a TCVN3 font, in a VNI font (rawRow.tcvn, rawRow.vni)
	// rowHidden says the last row returned is hidden in Excel (the row's
	// hidden="1": the clerk hid it, or a filter did).
	rowHidden bool
	// dayStyles (workbook.dayStyles) marks the styles whose number format
	// shows a date's day; dayMask then marks the current row's number
	// cells (bit i: 0-based column i < 64) drawn so.
	dayStyles []bool
	dayMask   uint64
}

func newSheetScanner(r io.Reader, sst []string) *sheetScanner {
	return &sheetScanner{s: xmlScanner{r: bufio.NewReaderSize(r, 256<<10)}, sst: sst}
}

// next returns the next row with its 1-based number; ok is false after the
// last row.
func (sc *sheetScanner) next() (num int, cells []string, ok bool, err error) {
	if sc.done {
		return 0, nil, false, nil
	}
	s := &sc.s
	var (
		inRow, inCell, inV, inIS, inT, inRPh bool
		col, lastCol                         int
		typ                                  []byte
		typBuf                               [16]byte
	)
	for {
		if err := s.next(); err != nil {
			if err == io.ErrUnexpectedEOF && !inRow && !sc.inData {
				sc.done = true
				return 0, nil, false, nil
			}
			return 0, nil, false, fmt.Errorf("row %d: %w", sc.lastR+1, err)
		}
		if inV || (inT && inIS && !inRPh) {
			sc.val = append(sc.val, s.text...)
			if len(sc.val) > maxCellBytes {
				return 0, nil, false, fmt.Errorf("row %d: %w: cell longer than 32,767 characters", num, errXML)
			}
		}
		name, end, empty := s.tagName()
		switch string(name) {
		case "sheetData":
			if end || empty {
				sc.done = true
				if inRow {
					return num, sc.cells, true, nil
				}
				return 0, nil, false, nil
			}
			sc.inData = true
		case "row":
			if !sc.inData {
				continue
			}
			if end {
				sc.lastR = num
				return num, sc.cells, true, nil
			}
			num = sc.lastR + 1
			if r := s.attr("r"); r != nil {
				n, err := strconv.Atoi(string(r))
				if err != nil || n < 1 {
					return 0, nil, false, fmt.Errorf("row %d: %w: row number %q", num, errXML, r)
				}
				num = n
			}
			if num > maxXLSXRows || num <= sc.lastR {
				return 0, nil, false, fmt.Errorf("row %d: %w: row number out of order or past %d", num, errXML, maxXLSXRows)
			}
			sc.cells = sc.cells[:0]
			sc.plainMask, sc.upperMask, sc.tcvnMask, sc.vniMask, sc.dayMask = 0, 0, 0, 0, 0
			h := s.attr("hidden")
			sc.rowHidden = len(h) == 1 && h[0] == '1' || string(h) == "true"
			lastCol = 0
			if empty {
				sc.lastR = num
				return num, sc.cells, true, nil
			}
			inRow = true
		case "c":
			if !inRow {
				continue
			}
			if end {
				if err := sc.setCell(col, typ); err != nil {
					return 0, nil, false, fmt.Errorf("row %d column %s: %w", num, columnLetter(col-1), err)
				}
				inCell = false
				continue
			}
			col = lastCol + 1
			if r := s.attr("r"); r != nil {
				c, ok := refColumn(r)
				if !ok {
					return 0, nil, false, fmt.Errorf("row %d: %w: cell reference %q", num, errXML, r)
				}
				col = c
			}
			if col > maxXLSXCols || col <= lastCol {
				return 0, nil, false, fmt.Errorf("row %d: %w: column %d out of order or past %d", num, errXML, col, maxXLSXCols)
			}
			lastCol = col
			typ = append(typBuf[:0], s.attr("t")...)
			if sc.fonts != nil && col <= 64 && len(typ) > 0 && (typ[0] == 's' || typ[0] == 'i') { // text ("s", "str", "inlineStr"): a number needs no font
				if st := styleIndex(s.attr("s")); st >= 0 && st < len(sc.fonts) {
					switch sc.fonts[st] {
					case fontPlain:
						sc.plainMask |= 1 << (col - 1)
					case fontUpper:
						sc.upperMask |= 1 << (col - 1)
					case fontTCVN3:
						sc.tcvnMask |= 1 << (col - 1)
					case fontVNI:
						sc.vniMask |= 1 << (col - 1)
					}
				}
			}
			if sc.dayStyles != nil && col <= 64 && (len(typ) == 0 || typ[0] == 'n') {
				if st := styleIndex(s.attr("s")); st >= 0 && st < len(sc.dayStyles) && sc.dayStyles[st] {
					sc.dayMask |= 1 << (col - 1)
				}
			}
			sc.val = sc.val[:0]
			inCell = !empty
		case "v":
			inV = inCell && !end && !empty
		case "is":
			inIS = inCell && !end && !empty
		case "t":
			inT = inIS && !end && !empty
		case "rPh":
			inRPh = inIS && !end && !empty
		}
	}
}

// setCell stores the current cell's value at 1-based column col.
func (sc *sheetScanner) setCell(col int, typ []byte) error {
	var v string
	switch string(typ) {
	case "e":
		// An error value (#N/A, #REF!) is kept as its text, as a CSV saved
		// from the workbook keeps it: the row's assembly reads it as
		// missing and says so (excelError), where an empty cell would say
		// nothing.
		v = string(bytes.TrimSpace(sc.val))
		if v == "" {
			return nil
		}
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(sc.val)))
		if err != nil || i < 0 || i >= len(sc.sst) {
			return fmt.Errorf("%w: shared string index %q out of range (%d strings)", errXML, sc.val, len(sc.sst))
		}
		v = sc.sst[i]
	default:
		if len(sc.val) == 0 {
			return nil
		}
		v = string(sc.val)
	}
	if v == "" {
		return nil
	}
	for len(sc.cells) < col-1 {
		sc.cells = append(sc.cells, "")
	}
	sc.cells = append(sc.cells, v)
	return nil
}

// styleIndex reads a cell's style index (its s attribute), -1 when there
// is none or it is not a number.
func styleIndex(b []byte) int {
	if len(b) == 0 || len(b) > 9 {
		return -1
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// refColumn reads the 1-based column of a cell reference ("AB12").
func refColumn(r []byte) (int, bool) {
	n, i := 0, 0
	for i < len(r) && i < 4 {
		c := r[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		n = n*26 + int(c-'A'+1)
		i++
	}
	if i == 0 {
		return 0, false
	}
	for _, c := range r[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return n, true
}
