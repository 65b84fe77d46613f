package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxCSVLine bounds one physical line of a CSV file, so that a file with
// no line breaks cannot make the reader buffer all of it.
const maxCSVLine = 1 << 20

// csvReader reads a delimited text file as a single sheet named "".
// Rows are numbered as a spreadsheet shows the file: one row per record
// and one per blank line (which encoding/csv skips), so that every
// physical row is accounted for and row numbers match what a clerk sees.
type csvReader struct {
	f       io.Closer
	r       csvLines
	started bool
	done    bool
	n       int    // rows yielded (records and blank lines)
	recs    int    // records read
	line    int    // next physical line expected (1-based)
	gap     int    // blank lines still to yield before pending
	pending rawRow // the row read, yielded after the gap, when hasPend
	hasPend bool
	read    atomic.Int64 // bytes of the file read, for Progress
	size    int64        // bytes of the file
}

// sniffText detects the text encoding of a CSV file from its first bytes and
// returns a reader that yields UTF-8, with the encoding's name.
func sniffText(br *bufio.Reader) (io.Reader, string) {
	head, _ := br.Peek(64 << 10)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, "utf-8-bom"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), "utf-16le"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), "utf-16be"
	}
	// UTF-16 without a byte-order mark: ASCII text has a zero in every
	// other byte.
	if len(head) >= 64 {
		even, odd := 0, 0
		for i := 0; i+1 < len(head); i += 2 {
			if head[i] == 0 {
				even++
			}
			if head[i+1] == 0 {
				odd++
			}
		}
		half := len(head) / 2
		if odd > half*3/10 && even < half/20 {
			return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()), "utf-16le"
		}
		if even > half*3/10 && odd < half/20 {
			return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()), "utf-16be"
		}
	}
	// Valid UTF-8 (ignoring a rune cut at the end of the sample) is UTF-8;
	// anything else is read as Windows-1258, the Vietnamese ANSI code page.
	check := head
	if len(check) == 64<<10 {
		for i := 0; i < utf8.UTFMax && len(check) > 0 && !utf8.RuneStart(check[len(check)-1]); i++ {
			check = check[:len(check)-1]
		}
		if len(check) > 0 {
			check = check[:len(check)-1]
		}
	}
	if utf8.Valid(check) {
		return br, "utf-8"
	}
	return transform.NewReader(br, charmap.Windows1252.NewDecoder()), "windows-1258"
}

// sniffDelimiter picks the delimiter that occurs most in the first lines.
func sniffDelimiter(head []byte) rune {
	lines := bytes.SplitN(head, []byte{'\n'}, 20)
	best, bestN := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		n := 0
		for _, l := range lines {
			n += bytes.Count(l, []byte(string(d)))
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// errLineTooLong stops the read of a text with a line longer than
// maxCSVLine bytes.
var errLineTooLong = errors.New("line longer than 1 MiB: not a delimited text file")

func newCSVReader(f io.ReadCloser, size int64) (*csvReader, string, error) {
	c := &csvReader{f: f, size: size}
	br := bufio.NewReaderSize(byteCounter{f, &c.read}, 64<<10)
	text, enc := sniffText(br)
	tb, ok := text.(*bufio.Reader) // UTF-8: br itself, read line by line
	if !ok {
		tb = bufio.NewReaderSize(text, 64<<10)
	}
	head, _ := tb.Peek(16 << 10)
	if err := lettersLost(head); err != nil {
		return nil, enc, err
	}
	c.r = csvLines{r: tb, comma: byte(sniffDelimiter(head)), max: maxCSVLine}
	return c, enc, nil
}

// ErrLettersLost: a CSV file whose Vietnamese letters were replaced by
// '?' when it was saved (lettersLost).
var ErrLettersLost = errors.New("Vietnamese letters replaced by '?' when the file was saved")

// lettersLost refuses a text whose words hold '?' where letters were
// ("H? và tên", "Nguy?n V?n An"): a list saved as CSV in a code page
// without Vietnamese letters (Excel's "CSV (Comma delimited)" on a
// Western Windows, LibreOffice's default "Western Europe") has them
// replaced for good. Read, its header was not found, or worse its names
// were accepted garbled (user28: LibreOffice's CSV of a commune's list,
// "no header row found"). head is the first bytes, as UTF-8; a '?'
// ending a word of three letters or more ("rõ?") is a question.
func lettersLost(head []byte) error {
	words, lost := 0, 0
	var examples []string
	for _, w := range strings.FieldsFunc(string(head), func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '\t' || r == '\n' || r == '\r' || r == '|' || r == '"'
	}) {
		if !hasLetter(w) {
			continue
		}
		words++
		i := strings.IndexByte(w, '?')
		if i < 0 || i == len(w)-1 && utf8.RuneCountInString(w) > 3 {
			continue
		}
		lost++
		if len(examples) < 3 {
			examples = append(examples, strconv.Quote(w))
		}
	}
	if lost < 5 || lost*20 < words {
		return nil
	}
	return fmt.Errorf("%w: %d of the first %d words hold '?' where a letter was (%s): the list was saved as CSV in a code page "+
		"without Vietnamese letters (Excel's \"CSV (Comma delimited)\", LibreOffice's default \"Western Europe\"), which cannot be undone; "+
		"save it again from the workbook as \"CSV UTF-8 (Comma delimited)\" (Excel) or with the character set \"Unicode (UTF-8)\" "+
		"(LibreOffice), or import the workbook itself", ErrLettersLost, lost, words, strings.Join(examples, ", "))
}

func (c *csvReader) nextSheet() (string, bool, error) {
	if c.started {
		return "", false, nil
	}
	c.started = true
	return "", true, nil
}

func (c *csvReader) nextRow() (rawRow, bool, error) {
	if c.gap > 0 {
		c.gap--
		c.n++
		return rawRow{num: c.n}, true, nil
	}
	if c.hasPend {
		r := c.pending
		c.pending, c.hasPend = rawRow{}, false
		c.n++
		r.num = c.n
		if r.err != nil {
			r.err.Row = c.n
		}
		return r, true, nil
	}
	if c.done {
		return rawRow{}, false, nil
	}
	if c.line == 0 {
		c.line = 1
	}
	rec, start, end, err := c.r.record()
	c.recs++
	if err == io.EOF {
		c.done = true
		return rawRow{}, false, nil
	}
	if err != nil {
		return rawRow{}, false, fmt.Errorf("record %d: %w", c.recs, err)
	}
	for i, s := range rec {
		// ="042192004321": the form tools write a number in so that Excel
		// keeps its leading zero, read as the text it shows (user26: an
		// identification number so written was dropped, "unexpected
		// characters").
		if len(s) >= 3 && s[0] == '=' && s[1] == '"' && s[len(s)-1] == '"' && strings.IndexByte(s[2:len(s)-1], '"') < 0 {
			rec[i] = s[2 : len(s)-1]
		}
	}
	c.queue(start, end, rawRow{cells: rec, blk: c.r.last})
	return c.nextRow()
}

// queue holds r, read from lines start..end, behind the blank lines
// between the previous record and it.
func (c *csvReader) queue(start, end int, r rawRow) {
	if start > c.line {
		c.gap = start - c.line
	}
	c.line = max(end, start) + 1
	c.pending, c.hasPend = r, true
}

func (c *csvReader) fonts(int) map[cellPos]string { return nil }

func (c *csvReader) merges() []cellRange { return nil }
func (c *csvReader) close() error        { return c.f.Close() }
