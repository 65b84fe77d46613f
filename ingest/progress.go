package ingest

import (
	"io"
	"sync/atomic"
)

// Progresser is implemented by the Sources Open returns: how far reading
// has got through the file, for a progress bar. Done and total are bytes:
// of the file itself for delimited text and JSON lines, of the unpacked
// worksheets for a workbook (the zip's own directory says how large each
// one unpacks to). Total is 0 when it is not known (a workbook read with
// Options.ExcelizeRows). Progress may be called from any goroutine.
type Progresser interface {
	Progress() (done, total int64)
}

// byteCounter counts the bytes read through it; n is read by Progress
// from another goroutine.
type byteCounter struct {
	r io.Reader
	n *atomic.Int64
}

func (c byteCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progressOf asks a tableReader how far it has read, when it can tell.
func progressOf(rd tableReader) (int64, int64) {
	if p, ok := rd.(interface{ progress() (int64, int64) }); ok {
		return p.progress()
	}
	return 0, 0
}

func (t *tabular) Progress() (int64, int64) { return progressOf(t.rd) }

func (s *scanSource) Progress() (int64, int64) { return s.read.Load(), s.size }

func (c *csvReader) progress() (int64, int64) { return c.read.Load(), c.size }

// progress counts the worksheets before the current one whole (read or
// skipped), and the current one as far as it was unpacked.
func (x *xlsxReader) progress() (int64, int64) {
	if x.useExcel {
		return 0, 0
	}
	return x.before.Load() + x.read.Load(), x.total
}

var (
	_ Progresser = (*tabular)(nil)
	_ Progresser = (*scanSource)(nil)
)
