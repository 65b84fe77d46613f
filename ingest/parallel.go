package ingest

import (
	"io"
	"sync"
)

// parChunkRows is how many rows a worker assembles at a time.
const parChunkRows = 256

// parChunk is a run of data rows in file order, assembled by one worker;
// err, set on the last chunk, is what Next returns after its rows.
type parChunk struct {
	rows  []pendingRow
	items []Item
	err   error
	done  chan struct{}
}

// parallel is the state of a tabular source read with Options.Workers:
// one goroutine (produce) reads the rows, sorts out those that are no
// data and sends the data rows in chunks both to the workers, which
// assemble their records, and, in file order, to Next, which waits for
// each chunk, counts its items in the layouts and returns them.
type parallel struct {
	mu    sync.Mutex // the layouts, written by produce and by Next
	out   chan *parChunk
	stop  chan struct{}
	ended chan struct{} // produce and the workers have returned
	cur   *parChunk
	k     int
	err   error // returned once the last chunk is done
	// free holds chunks Next is done with, for produce to fill again:
	// fresh rows and items for every chunk were a twentieth of the bytes
	// dancu link's read allocated.
	free chan *parChunk
}

// nextParallel is Next with Options.Workers goroutines.
func (t *tabular) nextParallel() (Item, error) {
	if t.closed {
		return Item{}, io.EOF
	}
	p := t.par
	if p == nil {
		p = t.startParallel()
	}
	for p.cur == nil || p.k == len(p.cur.rows) {
		if p.err != nil {
			if p.err == io.EOF {
				p.mu.Lock()
				t.endIDs()
				p.mu.Unlock()
			}
			return Item{}, p.err
		}
		if p.cur != nil {
			select { // its rows and items were cleared as Next returned them
			case p.free <- p.cur:
			default:
			}
		}
		c := <-p.out // closed only after the chunk with err
		<-c.done
		p.cur, p.k = c, 0
		if c.err != nil {
			p.err = c.err
		}
	}
	pr, item := p.cur.rows[p.k], p.cur.items[p.k]
	p.cur.rows[p.k], p.cur.items[p.k] = pendingRow{}, Item{}
	p.k++
	p.mu.Lock()
	t.account(pr, item)
	p.mu.Unlock()
	pr.r.release() // assembled by a worker, counted: its cells are read no more
	return item, nil
}

func (t *tabular) startParallel() *parallel {
	n := t.opts.Workers
	p := &parallel{out: make(chan *parChunk, n+2), stop: make(chan struct{}), ended: make(chan struct{}), free: make(chan *parChunk, 4)}
	t.par = p
	work := make(chan *parChunk, n+2)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			memos := map[*sheetState]*[]columnMemo{} // this worker's text memos
			for c := range work {
				for i, pr := range c.rows {
					if pr.data {
						m := memos[pr.sh]
						if m == nil {
							m = new([]columnMemo)
							memos[pr.sh] = m
						}
						c.items[i] = t.recordOf(pr.sh, pr.r, m)
					} else {
						c.items[i] = pr.item
					}
				}
				close(c.done)
			}
		}()
	}
	go func() {
		defer func() {
			close(work)
			wg.Wait()
			close(p.out)
			close(p.ended)
		}()
		for {
			var c *parChunk
			select {
			case c = <-p.free:
				c.rows, c.err, c.done = c.rows[:0], nil, make(chan struct{})
			default:
				c = &parChunk{rows: make([]pendingRow, 0, parChunkRows), done: make(chan struct{})}
			}
			for len(c.rows) < parChunkRows {
				p.mu.Lock() // row by row: Next counts the rows it returns meanwhile
				pr, err := t.nextPending()
				p.mu.Unlock()
				if err != nil {
					c.err = err
					break
				}
				c.rows = append(c.rows, pr)
			}
			if cap(c.items) >= len(c.rows) {
				c.items = c.items[:len(c.rows)] // cleared by Next
			} else {
				c.items = make([]Item, len(c.rows))
			}
			// to a worker first, then to Next: Next waits for done
			select {
			case work <- c:
			case <-p.stop:
				return
			}
			select {
			case p.out <- c:
			case <-p.stop:
				return
			}
			if c.err != nil {
				return
			}
		}
	}()
	return p
}

// closeParallel stops the goroutines of a parallel read and waits for
// them, so that the reader can be closed.
func (t *tabular) closeParallel() {
	t.closed = true
	p := t.par
	if p == nil {
		return
	}
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	// drain what was sent, so that no worker is left holding a chunk
	for range p.out {
	}
	<-p.ended
}
