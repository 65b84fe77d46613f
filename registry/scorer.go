package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/bloom"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

// This file is the registry split for scaling out (the score role): a
// Registry that is given a ScoreFunc does not score itself; it hands
// each batch's new records, one Item per blocking key, to the function,
// which routes them by key to Scorers (each the blocking index of some
// keys, in its own Pebble store) and returns their edges. Every pair of
// records that share a block is compared by the one Scorer holding that
// block, whichever instance runs it, so that any number of instances
// give the same edges, hence the same persons.

// Item is one new record under one of its blocking keys: what the block
// role sends to the score role.
type Item struct {
	ID   string // canonical record id
	Blob []byte // the record's captured fields (the registry's encoding)
	Key  matching.RowKey
}

// Edge is a scored pair of records (by id), at or above the review
// threshold.
type Edge struct {
	A, B   string
	Weight float32
}

// ScoreFunc scores a batch's items (in batch order) and returns the
// edges between each item's record and the earlier members of its block.
type ScoreFunc func(ctx context.Context, items []Item) ([]Edge, error)

// Partition returns the partition of a blocking key among n: the score
// instance holding it.
func Partition(k matching.RowKey, n int) int {
	return int((uint64(k.Rule)*0x9e3779b97f4a7c15 ^ k.Hash) % uint64(n))
}

// ScorerConfig configures a Scorer.
type ScorerConfig struct {
	Dir      string             // Pebble store (created when missing)
	Settings *settings.Settings // with a trained model, as the registry's
	// CacheBytes is the size of this Scorer's own block cache. Default
	// (0): one cache of DefaultCacheBytes() shared by the Scorers open in
	// the process (a score instance opens one per partition it scores):
	// a quarter of the soft memory limit when one is set, as a registry's
	// (before: a fixed 64 MB per partition, however large the limit).
	CacheBytes int64
}

// scorerCache is the block cache the Scorers of a process share, while
// any is open.
var scorerCache struct {
	mu   sync.Mutex
	c    *pebble.Cache
	open int
}

// acquireCache returns the block cache for a new Scorer and the function
// that gives it back when the Scorer closes.
func acquireCache(size int64) (*pebble.Cache, func()) {
	if size > 0 {
		c := pebble.NewCache(size)
		return c, c.Unref // the DB holds its own reference
	}
	scorerCache.mu.Lock()
	defer scorerCache.mu.Unlock()
	if scorerCache.c == nil {
		scorerCache.c = pebble.NewCache(DefaultCacheBytes())
	}
	scorerCache.open++
	c := scorerCache.c
	return c, func() {
		scorerCache.mu.Lock()
		defer scorerCache.mu.Unlock()
		if scorerCache.open--; scorerCache.open == 0 {
			scorerCache.c.Unref()
			scorerCache.c = nil
		}
	}
}

// Scorer is the blocking index of the keys routed to it (one partition
// of the blocking topic) with the records they name, in Pebble:
//
//	'r' record id                → the record's captured fields
//	'k' record id 0 rule hash    → arrival number of the record in that block
//	'b' rule hash sort 0 arrival → record id
//	'm' name                     → next arrival number; the input offset; the cluster id
//
// It scores each new item against the members of its block that came
// before it (all of them, or the window of neighbours by sort value when
// the block is larger than the rule's max_block), as Registry.Add does.
// An item it already holds (a redelivery: the cluster role did not keep
// the batch that brought it) is scored again against every other member
// of its block, those that came after it too: their edges to it were
// dropped by a cluster role that did not hold it then.
// An item whose block the set of blocks (blocks.go) does not hold is new
// and alone in its block: neither its entry nor its block is looked up.
type Scorer struct {
	mu   sync.Mutex
	db   *pebble.DB
	reg  *Registry // the settings, fields and key maker (no store of its own)
	next uint64
	// release gives the block cache back (acquireCache).
	release func()
}

// OpenScorer opens (or creates) a Scorer.
func OpenScorer(cfg ScorerConfig) (*Scorer, error) {
	r, err := newRegistry(Config{Settings: cfg.Settings})
	if err != nil {
		return nil, fmt.Errorf("open scorer: %w", err)
	}
	cache, release := acquireCache(cfg.CacheBytes)
	opened := false
	defer func() {
		if !opened {
			release()
		}
	}()
	opts := &pebble.Options{Cache: cache, MemTableSize: 16 << 20, Logger: pebbleLogger{store: "scorer"}, Comparer: comparer}
	opts.Levels = make([]pebble.LevelOptions, 7)
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	db, err := openStore("scorer "+cfg.Dir, cfg.Dir, opts)
	if err != nil {
		return nil, err
	}
	if err := checkFingerprint(db, "scorer "+cfg.Dir, r.s); err != nil {
		db.Close()
		return nil, err
	}
	sc := &Scorer{db: db, reg: r, release: release}
	if sc.next, _, err = getUint64(db, metaKey("next")); err != nil {
		db.Close()
		return nil, fmt.Errorf("open scorer: %w", err)
	}
	// The set of the blocks the store holds (blocks.go), rebuilt in the
	// background as a registry's: sc.reg keeps it, under sc.reg.mu.
	if err := r.startBlockSet(db, nil, false); err != nil {
		db.Close()
		return nil, fmt.Errorf("open scorer: %w", err)
	}
	opened = true
	return sc, nil
}

// Stats returns the Scorer's counts of blocks: BlockReads, BlocksSkipped,
// Blocks, BlockSetReady and BlockSetLoad (the others are zero).
func (sc *Scorer) Stats() Stats {
	r := sc.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	return Stats{BlockReads: r.stats.BlockReads, BlocksSkipped: r.stats.BlocksSkipped,
		Blocks: r.blocks.len(), BlockSetReady: r.blocks != nil, BlockSetLoad: r.stats.BlockSetLoad}
}

// Close closes the store.
func (sc *Scorer) Close() error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.db == nil {
		return nil
	}
	sc.reg.blocksStop.Store(true)
	<-sc.reg.blocksDone
	err := sc.db.Close()
	sc.db = nil
	sc.release()
	return err
}

// Offset returns the input offset stored with the last Score (-1: none).
func (sc *Scorer) Offset() (int64, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	v, ok, err := getUint64(sc.db, metaKey("offset"))
	if err != nil || !ok {
		return -1, err
	}
	return int64(v), nil
}

// scorerClusterKey is the meta key of the Kafka cluster id whose
// partition the store follows (SetCluster).
var scorerClusterKey = metaKey("cluster")

// Cluster returns the Kafka cluster id SetCluster stored; "" when none
// was (a store written before it was kept).
func (sc *Scorer) Cluster() (string, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.db == nil {
		return "", errors.New("scorer: closed")
	}
	v, _, err := getClone(sc.db, scorerClusterKey)
	return string(v), err
}

// SetCluster stores the id of the Kafka cluster whose partition the
// store follows, synced, so that a store is never taken for another
// cluster's: its offsets and blocks mean nothing there.
func (sc *Scorer) SetCluster(id string) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.db == nil {
		return errors.New("scorer: closed")
	}
	if err := sc.db.Set(scorerClusterKey, []byte(id), pebble.Sync); err != nil {
		return fmt.Errorf("scorer: cluster: %w", err)
	}
	return nil
}

func itemKey(id string, k matching.RowKey) []byte {
	b := append([]byte{'k'}, id...)
	b = append(b, 0, byte(k.Rule))
	return binary.BigEndian.AppendUint64(b, k.Hash)
}

// Score indexes the items and returns their edges; offset (the input
// position the items came from) is stored with the state in one atomic
// write, so that a restarted score instance resumes after it.
func (sc *Scorer) Score(ctx context.Context, items []Item, offset int64) ([]Edge, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.db == nil {
		return nil, errors.New("scorer: closed")
	}
	r := sc.reg
	r.mu.Lock() // the set of blocks (loadBlocks takes it to install the set)
	defer r.mu.Unlock()
	wb := sc.db.NewIndexedBatch()
	defer wb.Close()
	f := matching.NewFrame(r.s)
	rowOf := map[string]int32{}
	addRecord := func(id string, blob []byte) error {
		if _, ok := rowOf[id]; ok {
			return nil
		}
		b, err := decodeBlob(blob, len(r.fields), len(r.confs))
		if err != nil {
			return fmt.Errorf("record %s: %w", id, err)
		}
		if b.ID != id {
			return fmt.Errorf("record %s: its fields name record %s", id, b.ID)
		}
		if err := r.addToFrame(f, b); err != nil {
			return fmt.Errorf("record %s: %w", id, err)
		}
		rowOf[id] = int32(f.Len() - 1)
		return nil
	}
	type cand struct{ a, b string }
	var cands []cand
	seen := map[[2]string]bool{}
	for _, it := range items {
		if err := addRecord(it.ID, it.Blob); err != nil {
			return nil, fmt.Errorf("scorer: %w", err)
		}
		if it.Key.Rule < 0 || it.Key.Rule >= len(r.s.Blocking) {
			return nil, fmt.Errorf("scorer: record %s: blocking rule %d, the settings have %d", it.ID, it.Key.Rule, len(r.s.Blocking))
		}
		rule := r.km.Rule(it.Key.Rule)
		// A block the set of blocks does not hold is neither in the
		// store nor in this batch (each block written is added first):
		// the item is new and has no member before it, and nothing is
		// looked up. While the set is built, every block is looked up and
		// noted.
		var arrival uint64
		var known, fresh bool
		switch {
		case r.blocks == nil:
			r.noteBlock(it.Key.Rule, it.Key.Hash)
		case !r.blocks.has(it.Key.Rule, it.Key.Hash):
			r.blocks.add(it.Key.Rule, it.Key.Hash)
			fresh = true
		}
		if fresh {
			r.stats.BlocksSkipped++
		} else {
			r.stats.BlockReads++
			var err error
			if arrival, known, err = getUint64(wb, itemKey(it.ID, it.Key)); err != nil {
				return nil, fmt.Errorf("scorer: %w", err)
			}
		}
		if !known {
			arrival = sc.next
			sc.next++
			wb.Set(itemKey(it.ID, it.Key), u64(arrival), nil)
			wb.Set(blockKey(it.Key, arrival), []byte(it.ID), nil)
			if _, c, err := wb.Get(append([]byte{kRecord}, it.ID...)); err == nil {
				c.Close()
			} else if errors.Is(err, pebble.ErrNotFound) {
				wb.Set(append([]byte{kRecord}, it.ID...), it.Blob, nil)
			} else {
				return nil, fmt.Errorf("scorer: %w", err)
			}
		}
		if fresh {
			continue
		}
		before, newer, err := sc.before(wb, it.Key, arrival, known, rule)
		if err != nil {
			return nil, fmt.Errorf("scorer: %w", err)
		}
		for i, m := range before {
			// A pair is seen under the newer one's id first, as when the
			// newer one came: a redelivered item and a newer member of
			// its block in the same batch make it once.
			k := [2]string{it.ID, m}
			if newer != nil && newer[i] {
				k = [2]string{m, it.ID}
			}
			if !seen[k] {
				seen[k] = true
				cands = append(cands, cand{it.ID, m})
			}
		}
	}
	// The members' records, in key order.
	var need []string
	for _, c := range cands {
		if _, ok := rowOf[c.b]; !ok {
			rowOf[c.b] = -1
			need = append(need, c.b)
		}
	}
	sort.Strings(need)
	it, err := wb.NewIter(&pebble.IterOptions{LowerBound: []byte{kRecord}, UpperBound: []byte{kRecord + 1}})
	if err != nil {
		return nil, fmt.Errorf("scorer: %w", err)
	}
	for _, id := range need {
		k := append([]byte{kRecord}, id...)
		if !it.SeekGE(k) || !bytes.Equal(it.Key(), k) {
			it.Close()
			return nil, fmt.Errorf("scorer: block member %s has no record", id)
		}
		delete(rowOf, id)
		if err := addRecord(id, it.Value()); err != nil {
			it.Close()
			return nil, fmt.Errorf("scorer: %w", err)
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("scorer: %w", err)
	}
	pairs := make([][2]int32, len(cands))
	for i, c := range cands {
		pairs[i] = [2]int32{rowOf[c.a], rowOf[c.b]}
	}
	scored, err := scorePairs(f, r.s, pairs)
	if err != nil {
		return nil, fmt.Errorf("scorer: %w", err)
	}
	edges := make([]Edge, len(scored))
	for i, p := range scored {
		edges[i] = Edge{A: f.ID(int(p.A)), B: f.ID(int(p.B)), Weight: p.Weight}
	}
	wb.Set(metaKey("next"), u64(sc.next), nil)
	if offset >= 0 {
		wb.Set(metaKey("offset"), u64(uint64(offset)), nil)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := commitSorted(sc.db, wb, nil, nil, pebble.NoSync); err != nil {
		return nil, fmt.Errorf("scorer: %w", err)
	}
	return edges, nil
}

// Local returns a ScoreFunc over n Scorers in this process (partition p
// of the keys to scorers[p]), for tests and one-process runs.
func Local(scorers []*Scorer) ScoreFunc {
	return func(ctx context.Context, items []Item) ([]Edge, error) {
		parts := make([][]Item, len(scorers))
		for _, it := range items {
			p := Partition(it.Key, len(scorers))
			parts[p] = append(parts[p], it)
		}
		var out []Edge
		for p, its := range parts {
			if len(its) == 0 {
				continue
			}
			e, err := scorers[p].Score(ctx, its, -1)
			if err != nil {
				return nil, err
			}
			out = append(out, e...)
		}
		return out, nil
	}
}

// before returns the members of key's block that came before the item
// whose entry is at arrival: all of them when they are at most the
// rule's max_block, else the window of neighbours on each side by sort
// value (sideWindow). A new item's block is read up to max_block+1 members, then
// windowed by seeks around its entry; a known one (a redelivery) reads
// the block whole, keeping every other member (the window around it
// when the block is larger than max_block).
//
// newer says, for a known item, which of them came after it (nil for a
// new item: none did).
func (sc *Scorer) before(wb *pebble.Batch, key matching.RowKey, arrival uint64, known bool, rule settings.BlockingRule) (out []string, newer []bool, err error) {
	prefix := blockPrefix(key.Rule, key.Hash)
	it, err := wb.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return nil, nil, err
	}
	defer it.Close()
	if !known {
		// Every entry but its own is older: this batch's later items are
		// not indexed yet.
		for ok := it.First(); ok; ok = it.Next() {
			if seqOfBlockKey(it.Key()) == arrival {
				continue
			}
			out = append(out, string(it.Value()))
			if rule.MaxBlock > 0 && len(out) > rule.MaxBlock {
				break
			}
		}
		if err := it.Error(); err != nil {
			return nil, nil, err
		}
		if rule.MaxBlock <= 0 || len(out) <= rule.MaxBlock {
			return out, nil, nil
		}
		out = out[:0]
		me := blockKey(key, arrival)
		side := sideWindow(rule)
		k := 0
		for ok := it.SeekGE(me); ok && k < side; ok = it.Next() {
			if seqOfBlockKey(it.Key()) != arrival {
				out = append(out, string(it.Value()))
				k++
			}
		}
		k = 0
		for ok := it.SeekLT(me); ok && k < side; ok = it.Prev() {
			out = append(out, string(it.Value()))
			k++
		}
		return out, nil, it.Error()
	}
	// A known item is one this store holds and the cluster role did not
	// keep (it was killed before its commit): a member that came after
	// it was scored against it then, and that edge was dropped, the
	// cluster role not holding the item. So the item is scored against
	// the newer members too (chaos6); the cluster role keeps an edge
	// once.
	pos := -1
	for ok := it.First(); ok; ok = it.Next() {
		a := seqOfBlockKey(it.Key())
		if a == arrival {
			pos = len(out)
			continue
		}
		out = append(out, string(it.Value()))
		newer = append(newer, a > arrival)
	}
	if err := it.Error(); err != nil {
		return nil, nil, err
	}
	if rule.MaxBlock > 0 && len(out) > rule.MaxBlock && pos >= 0 {
		lo, hi := max(0, pos-sideWindow(rule)), min(len(out), pos+sideWindow(rule))
		out, newer = out[lo:hi], newer[lo:hi]
	}
	return out, newer, nil
}

// scorePairs is matching.ScorePairs over consecutive parts of pairs on
// every core, the parts' pairs joined in order: the same pairs in the
// same order as one call. The frame is only read while it scores (each
// part compiles its own comparisons and keeps its own buffers, as the
// offline scoring's workers do over one frame).
func scorePairs(f *matching.Frame, s *settings.Settings, pairs [][2]int32) ([]matching.Pair, error) {
	scored := make([][]matching.Pair, parts(len(pairs), minPairsPerWorker))
	err := inParts(len(pairs), minPairsPerWorker, func(k, lo, hi int) error {
		var err error
		scored[k], err = matching.ScorePairs(f, s, pairs[lo:hi])
		return err
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(scored...), nil
}
