package registry

// edgeCache holds the committed edges ('a' keys) of records in memory, by
// sequence number, for the component walk of Add's recluster
// (component): a record's edges were a Pebble seek each, merged over the
// memtables and every level of the store (pipe20: 8% of the recluster in
// BenchmarkRecluster, more at a million records, whose edges are in the
// levels). A record's list is known or not: a record a batch adds gets
// its whole list when the batch commits (a new record has no committed
// edge but the batch's: batchEdges), a stored record's list is read from
// the store the first time the walk needs it and put here, and a known
// list gets the batch's new edges to it at the commit.
//
// It mirrors the store only through Add's commit. Every other writer of
// edges (Decide, Withdraw, Add with a ScoreFunc, whose edges are in wb)
// drops it all before it writes (reset); so does a commit that failed.
// Lists stay in key order (by neighbour): a batch's new records have the
// largest sequence numbers, and its edges come sorted (batchEdges.dir).
type edgeCache struct {
	of    [][]adjEdge // by sequence number; nil: not known
	edges int         // entries held
	slab  []adjEdge   // room the next new lists are cut from
}

// adjEdge is one committed edge of a record: its neighbour and weight.
type adjEdge struct {
	b uint64
	w float32
}

const (
	// edgeCacheRecords bounds the records whose lists are kept (the
	// cache's index is 24 bytes a record): records numbered from there
	// are read from the store every time.
	edgeCacheRecords = 1 << 23
	// edgeCacheEdges bounds the entries (16 bytes each): past it the
	// cache is dropped and filled again from the next batches on.
	edgeCacheEdges = 1 << 24
	// edgeSlab is how many entries a slab holds.
	edgeSlab = 1 << 14
)

// noEdges is a known list with no edge (not nil): cap 0, so that an
// append to it allocates.
var noEdges = make([]adjEdge, 0)

// get returns x's committed edges and whether they are known.
func (c *edgeCache) get(x uint64) ([]adjEdge, bool) {
	if c == nil || x >= uint64(len(c.of)) {
		return nil, false
	}
	l := c.of[x]
	return l, l != nil
}

// room grows the index to hold record x, unless x is past the bound.
func (c *edgeCache) room(x uint64) bool {
	if x >= edgeCacheRecords {
		return false
	}
	if x >= uint64(len(c.of)) {
		n := max(2*len(c.of), int(x)+1, 1024)
		n = min(n, edgeCacheRecords)
		of := make([][]adjEdge, n)
		copy(of, c.of)
		c.of = of
	}
	return true
}

// cut returns a list of n entries cut from the slab, its capacity n:
// an append to it allocates, and leaves the next list alone.
func (c *edgeCache) cut(n int) []adjEdge {
	if n == 0 {
		return noEdges
	}
	if n > len(c.slab) {
		if n > edgeSlab/4 {
			return make([]adjEdge, n)
		}
		c.slab = make([]adjEdge, edgeSlab)
	}
	l := c.slab[:n:n]
	c.slab = c.slab[n:]
	return l
}

// put keeps x's committed edges as read from the store (es; copied).
func (c *edgeCache) put(x uint64, es []adjEdge) {
	if c == nil || !c.room(x) {
		return
	}
	l := c.cut(len(es))
	copy(l, es)
	c.edges += len(l) - len(c.of[x])
	c.of[x] = l
}

// commit applies a committed batch's edges (dir: both ways, sorted by
// record then neighbour; records from on are the batch's own): a new
// record's list is its edges, a known list gets its new ones appended,
// an unknown one stays unknown (read from the store when needed).
func (c *edgeCache) commit(dir []edge, from uint64) {
	if c == nil {
		return
	}
	for i := 0; i < len(dir); {
		a := dir[i].a
		j := i + 1
		for j < len(dir) && dir[j].a == a {
			j++
		}
		run := dir[i:j]
		i = j
		switch {
		case a >= from:
			if !c.room(a) {
				continue
			}
			l := c.cut(len(run))
			for k, e := range run {
				l[k] = adjEdge{e.b, e.w}
			}
			c.edges += len(l) - len(c.of[a])
			c.of[a] = l
		case a < uint64(len(c.of)) && c.of[a] != nil:
			for _, e := range run {
				c.of[a] = append(c.of[a], adjEdge{e.b, e.w})
			}
			c.edges += len(run)
		}
	}
	if c.edges > edgeCacheEdges {
		c.reset()
	}
}

// newRecords marks records from..to-1 (a committed batch's) known with no
// edge where the batch gave them none.
func (c *edgeCache) newRecords(from, to uint64) {
	if c == nil {
		return
	}
	for x := from; x < to; x++ {
		if !c.room(x) {
			return
		}
		if c.of[x] == nil {
			c.of[x] = noEdges
		}
	}
}

// reset forgets every list.
func (c *edgeCache) reset() {
	if c == nil {
		return
	}
	*c = edgeCache{}
}
