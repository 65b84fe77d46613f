package ingest

import "io"

// readAheadChunk is the size of the chunks a readAhead unpacks ahead.
const readAheadChunk = 256 << 10

// readAhead reads its source in a goroutine, up to n chunks ahead of its
// reader: for a worksheet part this puts the inflating of the zip entry
// on one core and the tokenizing on another. The chunks are recycled, so
// it holds at most n+2 of them.
type readAhead struct {
	ch       chan []byte // filled chunks; closed after the last, err set
	free     chan []byte // chunks the reader is done with
	done     chan struct{}
	finished chan struct{}
	err      error // io.EOF or the source's error; read after ch is closed
	cur      []byte
	last     []byte // chunk cur points into, to recycle
}

func newReadAhead(r io.Reader, size, n int) *readAhead {
	a := &readAhead{
		ch:       make(chan []byte, n),
		free:     make(chan []byte, n+2),
		done:     make(chan struct{}),
		finished: make(chan struct{}),
	}
	go func() {
		defer close(a.finished)
		defer close(a.ch)
		for {
			var b []byte
			select {
			case b = <-a.free:
			default:
				b = make([]byte, size)
			}
			// Not io.ReadFull: it reports a short last chunk as
			// io.ErrUnexpectedEOF, which a truncated deflate stream
			// returns too.
			b = b[:cap(b)]
			k := 0
			var err error
			for k < len(b) && err == nil {
				var m int
				m, err = r.Read(b[k:])
				k += m
			}
			if k > 0 {
				select {
				case a.ch <- b[:k]:
				case <-a.done:
					return
				}
			}
			if err != nil {
				a.err = err
				return
			}
		}
	}()
	return a
}

func (a *readAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.last != nil {
			select {
			case a.free <- a.last:
			default:
			}
			a.last = nil
		}
		b, ok := <-a.ch
		if !ok {
			return 0, a.err
		}
		a.cur, a.last = b, b
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// stop ends the goroutine and waits for it, so that the source can be
// closed. The readAhead must not be read afterwards.
func (a *readAhead) stop() {
	close(a.done)
	<-a.finished
}
