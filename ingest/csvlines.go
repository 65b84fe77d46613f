// The general way of csvLines (readRecord, and readLine's handling of
// line ends) is adapted from Go's encoding/csv (src/encoding/csv/
// reader.go), Copyright 2011 The Go Authors; its BSD-style licence is
// in ingest/LICENSE-go.

package ingest

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"sync/atomic"
)

// csvLines splits delimited text into records as encoding/csv's Reader
// does with LazyQuotes, FieldsPerRecord -1 and no comment character — the
// same fields, the same lines skipped, the same errors — for less work a
// record: a record on one line whose quoted fields hold no quote (what
// nearly every row of a register is) is copied once, as one string its
// fields are cut from, where encoding/csv copies each field into a
// buffer, then the buffer into a string, and keeps every field's
// position; and the rows' cells are cut from blocks of strings
// (cellBlock) instead of allocated a row each, blocks that come back for
// reuse once every row cut from them is released. Records that span lines or
// hold escaped or stray quotes take the general way, encoding/csv's own
// (readRecord, below).
type csvLines struct {
	r     *bufio.Reader
	comma byte
	// max bounds a line, in bytes before its line break (errLineTooLong).
	max int
	// numLine is the number of physical lines read.
	numLine int
	// raw holds a line longer than r's buffer.
	raw []byte
	// recordBuffer and fieldIndexes: the general way's fields, as in
	// encoding/csv.
	recordBuffer []byte
	fieldIndexes []int
	// ends holds the one-line way's fields: start and end of each in the
	// line.
	ends []int32
	// cells is where the next rows' cells are cut from: the rest of
	// block; last is the block the last record's cells were cut from.
	cells []string
	block *cellBlock
	last  *cellBlock
	// free holds the blocks handed back (cellBlock.release), to cut from
	// again.
	free chan *cellBlock
}

// cellBlockLen is the number of cells in a block: ~230 rows of a
// register's ~17 columns.
const cellBlockLen = 4096

// releasedCell is what a released block's cells read until they are cut
// again: a row read after its release reads it, not another row's
// cell, and its record cannot pass for right (TestCellBlocksReused).
const releasedCell = "\x00released cell"

// cellBlock is an array of cells that rows are cut from. Its ownership
// rule: refs counts the rows cut from it that are not released, plus one
// while the reader cuts from it; the holder of a row releases it
// (rawRow.release) once, after its last read of the row's cells, and
// never reads them after that. The block goes back to its reader's free
// list when refs reaches zero, the reader done with it and every row
// released, so a reused block is one no row can still read. Rows that are
// no data are released once counted (nextInSheet), data rows once
// assembled (finish, nextParallel). A row that is never released (the
// title and header rows above the data, a row a test keeps) keeps its
// block from reuse: the garbage collector takes it as it took every block
// before.
type cellBlock struct {
	cells []string
	refs  atomic.Int32
	free  chan *cellBlock // its reader's free list
}

// release drops one reference to b, and hands b back when it was the
// last: its cells are overwritten (releasedCell) and it goes on the free
// list, or to the garbage collector when the list is full.
func (b *cellBlock) release() {
	if b.refs.Add(-1) != 0 {
		return
	}
	for i := range b.cells {
		b.cells[i] = releasedCell
	}
	select {
	case b.free <- b:
	default:
	}
}

// readLine reads one physical line, as encoding/csv's readLine: a line
// ending in \r\n ends in \n, a \r at the end of the input is dropped.
// A line longer than max fails with errLineTooLong, once max bytes of it
// are read.
func (c *csvLines) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.raw = append(c.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(c.raw) > c.max {
				return nil, errLineTooLong
			}
			line, err = c.r.ReadSlice('\n')
			c.raw = append(c.raw, line...)
		}
		line = c.raw
	}
	if len(line)-lengthNL(line) > c.max {
		return nil, errLineTooLong
	}
	readSize := len(line)
	if readSize > 0 && err == io.EOF {
		err = nil
		if line[readSize-1] == '\r' {
			line = line[:readSize-1]
		}
	}
	c.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL is 1 when b ends in \n.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// record returns the next record's fields, the line it starts on and the
// line encoding/csv's FieldPos places its last field on plus the line
// breaks inside that field (the record's last line), or io.EOF. Another
// error from the reader is returned without the record (encoding/csv
// returns both; the caller kept only the error).
func (c *csvLines) record() (fields []string, start, end int, err error) {
	// Read line (skipping past empty lines).
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = c.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue
		}
		break
	}
	if errRead == io.EOF {
		return nil, 0, 0, errRead
	}
	recLine := c.numLine
	if errRead == nil {
		if f, ok := c.oneLine(line); ok {
			return f, recLine, recLine, nil
		}
	}
	f, lastLine, err := c.readRecord(line, errRead)
	if err != nil {
		return nil, 0, 0, err
	}
	last := f[len(f)-1]
	return f, recLine, lastLine + strings.Count(last, "\n"), nil
}

// oneLine splits line when it holds the whole record and each of its
// quoted fields ends at its first quote after the opening one, before a
// comma or the end of the line: the fields are then pieces of the line
// as they stand. ok is false for any other line (left to readRecord).
func (c *csvLines) oneLine(line []byte) (fields []string, ok bool) {
	body := line[:len(line)-lengthNL(line)]
	ends := c.ends[:0]
	for pos := 0; ; {
		rest := body[pos:]
		if len(rest) > 0 && rest[0] == '"' {
			i := bytes.IndexByte(rest[1:], '"')
			if i < 0 {
				return nil, false // goes on to the next line, or ends unquoted
			}
			after := pos + 1 + i + 1 // past the closing quote
			ends = append(ends, int32(pos+1), int32(pos+1+i))
			if after == len(body) {
				break
			}
			if body[after] != c.comma {
				return nil, false // "" or a stray quote
			}
			pos = after + 1
			continue
		}
		i := bytes.IndexByte(rest, c.comma)
		if i < 0 {
			ends = append(ends, int32(pos), int32(len(body)))
			break
		}
		ends = append(ends, int32(pos), int32(pos+i))
		pos += i + 1
	}
	c.ends = ends
	s := string(body)
	fields = c.cut(len(ends) / 2)
	for k := range fields {
		fields[k] = s[ends[2*k]:ends[2*k+1]]
	}
	return fields, true
}

// cut returns room for n cells, cut from c.block (c.last, which counts
// the row among its references: see cellBlock).
func (c *csvLines) cut(n int) []string {
	if len(c.cells) < n {
		if c.block != nil {
			c.block.release() // the reader's own reference
		}
		c.block = c.newBlock(n)
		c.cells = c.block.cells
	}
	f := c.cells[:n:n]
	c.cells = c.cells[n:]
	c.block.refs.Add(1)
	c.last = c.block
	return f
}

// newBlock returns a block of at least n cells, one handed back if any,
// holding the reader's reference.
func (c *csvLines) newBlock(n int) *cellBlock {
	if c.free == nil {
		c.free = make(chan *cellBlock, 16)
	}
	if n <= cellBlockLen {
		select {
		case b := <-c.free:
			b.refs.Store(1)
			return b
		default:
		}
	}
	b := &cellBlock{cells: make([]string, max(n, cellBlockLen)), free: c.free}
	if n > cellBlockLen {
		b.free = nil // a row this wide is rare: its block is not reused
	}
	b.refs.Store(1)
	return b
}

// readRecord is encoding/csv's Reader.readRecord with LazyQuotes set, no
// comment character and leading spaces kept, from the record's first
// line (read, with errRead, by record). It returns the fields, the line
// the last field starts on and the error, which, with lazy quotes, can
// only be the reader's.
func (c *csvLines) readRecord(line []byte, errRead error) ([]string, int, error) {
	const quoteLen = len(`"`)
	const commaLen = 1
	c.recordBuffer = c.recordBuffer[:0]
	c.fieldIndexes = c.fieldIndexes[:0]
	posLine := c.numLine
	lastLine := posLine
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// Non-quoted string field
			lastLine = posLine
			i := bytes.IndexByte(line, c.comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			c.recordBuffer = append(c.recordBuffer, field...)
			c.fieldIndexes = append(c.fieldIndexes, len(c.recordBuffer))
			if i >= 0 {
				line = line[i+commaLen:]
				continue parseField
			}
			break parseField
		} else {
			// Quoted string field
			fieldLine := posLine
			line = line[quoteLen:]
			for {
				i := bytes.IndexByte(line, '"')
				if i >= 0 {
					// Hit next quote.
					c.recordBuffer = append(c.recordBuffer, line[:i]...)
					line = line[i+quoteLen:]
					switch {
					case len(line) > 0 && line[0] == '"':
						// `""` sequence (append quote).
						c.recordBuffer = append(c.recordBuffer, '"')
						line = line[quoteLen:]
					case len(line) > 0 && line[0] == c.comma:
						// `",` sequence (end of field).
						line = line[commaLen:]
						c.fieldIndexes = append(c.fieldIndexes, len(c.recordBuffer))
						lastLine = fieldLine
						continue parseField
					case lengthNL(line) == len(line):
						// `"\\n` sequence (end of line).
						c.fieldIndexes = append(c.fieldIndexes, len(c.recordBuffer))
						lastLine = fieldLine
						break parseField
					default:
						// `"` sequence (bare quote).
						c.recordBuffer = append(c.recordBuffer, '"')
					}
				} else if len(line) > 0 {
					// Hit end of line (copy all data so far).
					c.recordBuffer = append(c.recordBuffer, line...)
					if errRead != nil {
						break parseField
					}
					line, errRead = c.readLine()
					if len(line) > 0 {
						posLine++
					}
					if errRead == io.EOF {
						errRead = nil
					}
				} else {
					// Abrupt end of file (EOF or error).
					c.fieldIndexes = append(c.fieldIndexes, len(c.recordBuffer))
					lastLine = fieldLine
					break parseField
				}
			}
		}
	}
	if errRead != nil {
		return nil, 0, errRead
	}
	str := string(c.recordBuffer)
	dst := c.cut(len(c.fieldIndexes))
	var preIdx int
	for i, idx := range c.fieldIndexes {
		dst[i] = str[preIdx:idx]
		preIdx = idx
	}
	return dst, lastLine, nil
}
