package registry

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/cockroachdb/pebble"
	"github.com/klauspost/compress/s2"

	"github.com/dancu-vn/dancu/matching"
)

// Keys in the Pebble store. Every key starts with one byte naming its
// kind; sequence numbers are 5 bytes big-endian in keys, so that they
// sort (10¹² records), and varints in values.
//
//	'm' name              → meta value (next sequence, batch counter, settings fingerprint)
//	'i' record id         → sequence of the record (varint), then its coverage state (idValue), derived from 'r' where it can be (coverage_derived.go)
//	'k' seq               → the coverage key of the batch whose new records are numbered from seq on (coverage_derived.go)
//	'r' seq               → the record's captured fields (recordBlob)
//	'p' seq               → person id of the record
//	'b' rule hash sort 0 seq → (empty): blocking index, rule 1 byte, hash 8 bytes (a Scorer's
//	                           store, scorer.go; a registry's until reg22, format 5: now in memory, blocks.go)
//	'a' seq seq           → float32 match weight of an edge (both directions)
//	'L'                   → the last batch's output, for an identical re-flush (encodeLast; its coverage rows by batch key, lastOutput)
//	'c', 'q', 'n'         → open conflicts raised, by id and by person; records by valid number (conflicts.go)
const (
	kMeta   = 'm'
	kID     = 'i'
	kRecord = 'r'
	kPerson = 'p'
	kBlock  = 'b'
	kAdj    = 'a'
	kLast   = 'L'
)

// blockPrefixLen is the length of a block's prefix: kind, rule, hash.
const blockPrefixLen = 10

// comparer orders keys as bytes and splits a blocking-index key after
// its block (kind, rule, hash), every other key at its end: the stores'
// Bloom filters are then built over blocks, so that looking up a block
// no table holds (most of a batch's new keys) costs a filter probe per
// table instead of a seek (Iterator.SeekPrefixGE). Its name is recorded
// in the store, which Pebble refuses to open with another comparer.
var comparer = func() *pebble.Comparer {
	c := *pebble.DefaultComparer
	c.Split = func(k []byte) int {
		if len(k) >= blockPrefixLen && k[0] == kBlock {
			return blockPrefixLen
		}
		return len(k)
	}
	c.Name = "dancu.registry.v2"
	return &c
}()

// seqLen is the width of a sequence number in keys: 8 bytes made 13
// blocking keys, two edge keys and three record keys per record 3 bytes
// longer each (issue 9: the state's bytes per record).
const seqLen = 5

// maxSeq is the largest sequence number a key holds.
const maxSeq = 1<<(8*seqLen) - 1

func appendSeq(k []byte, seq uint64) []byte {
	return append(k, byte(seq>>32), byte(seq>>24), byte(seq>>16), byte(seq>>8), byte(seq))
}

func getSeq(b []byte) uint64 {
	_ = b[4]
	return uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
}

func seqKey(kind byte, seq uint64) []byte {
	return appendSeq(append(make([]byte, 0, 1+seqLen), kind), seq)
}

func idKey(id string) []byte { return append([]byte{kID}, id...) }

func metaKey(name string) []byte { return append([]byte{kMeta}, name...) }

func adjKey(a, b uint64) []byte { return appendAdjKey(make([]byte, 0, 1+2*seqLen), a, b) }

func appendAdjKey(dst []byte, a, b uint64) []byte {
	return appendSeq(appendSeq(append(dst, kAdj), a), b)
}

// blockPrefix is the prefix of a block's entries.
func blockPrefix(rule int, hash uint64) []byte {
	k := make([]byte, blockPrefixLen, blockPrefixLen+16+seqLen)
	k[0] = kBlock
	k[1] = byte(rule)
	binary.BigEndian.PutUint64(k[2:], hash)
	return k
}

func blockKey(rk matching.RowKey, seq uint64) []byte { return appendBlockKey(nil, rk, seq) }

func appendBlockKey(dst []byte, rk matching.RowKey, seq uint64) []byte {
	dst = append(dst, kBlock, byte(rk.Rule))
	dst = binary.BigEndian.AppendUint64(dst, rk.Hash)
	dst = append(dst, rk.Sort...)
	dst = append(dst, 0)
	return appendSeq(dst, seq)
}

func seqOfBlockKey(k []byte) uint64 { return getSeq(k[len(k)-seqLen:]) }

// prefixEnd returns the first key after every key with prefix p.
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

func getUint64(r pebble.Reader, key []byte) (uint64, bool, error) {
	return getValue(r, key, func(v []byte) (uint64, error) {
		if len(v) != 8 {
			return 0, fmt.Errorf("value of %d bytes, want 8", len(v))
		}
		return binary.BigEndian.Uint64(v), nil
	})
}

// getSeqValue reads the sequence number of a record id's key (idValue:
// a varint, followed by the record's coverage state since round 7).
func getSeqValue(r pebble.Reader, key []byte) (uint64, bool, error) {
	return getValue(r, key, func(v []byte) (uint64, error) {
		seq, _, err := parseIDValue(v)
		return seq, err
	})
}

// getValue reads key and parses its value; false when it is absent.
func getValue(r pebble.Reader, key []byte, parse func([]byte) (uint64, error)) (uint64, bool, error) {
	v, c, err := r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer c.Close()
	x, err := parse(v)
	if err != nil {
		return 0, false, fmt.Errorf("key %q: %w", key, err)
	}
	return x, true, nil
}

// lastS2 marks the last output compressed (S2, a Snappy successor);
// an output written before it starts with '{' (JSON as it is).
const lastS2 = 1

// encodeLast is the value of the last output: the batch's token, then
// its JSON compressed. The output of a batch is about 680 bytes of JSON
// a record (persons, links, coverage deltas) against 700 bytes of state:
// stored as it is, it was half of what the write-ahead log, the memtable,
// its flushes and the first compactions carried; S2 packs it 4 to 5
// times for about 5 µs a record (issue 9: compactions).
func encodeLast(token, js []byte) []byte {
	out := make([]byte, 0, len(token)+1+s2.MaxEncodedLen(len(js)))
	out = append(append(out, token...), lastS2)
	return append(out, s2.Encode(nil, js)...)
}

// decodeLast reads the output after the token (encodeLast, or JSON as
// written before it).
func decodeLast(v []byte, out any) error {
	if len(v) > 0 && v[0] == lastS2 {
		js, err := s2.Decode(nil, v[1:])
		if err != nil {
			return fmt.Errorf("last output: %w", err)
		}
		v = js
	}
	return json.Unmarshal(v, out)
}

func u64(x uint64) []byte { return binary.BigEndian.AppendUint64(nil, x) }

func f32(w float32) []byte { return binary.BigEndian.AppendUint32(nil, math.Float32bits(w)) }

// recordBlob is a record as the registry keeps it: the input fields the
// settings read (in the order of Registry.fields), their OCR confidences
// as bytes (255 = 1.0), the source index and the record id.
type recordBlob struct {
	ID     string
	Source int
	Fields []string
	Conf   []int16 // -1 = none, else 0..255
}

func (b *recordBlob) encode() []byte {
	return b.appendTo(make([]byte, 0, b.encodedLen()))
}

// encodedLen is the length of the record's encoding (appendTo), so that
// it is written in one allocation, or into a buffer kept for a batch's
// records, instead of one grown by doubling from nothing.
func (b *recordBlob) encodedLen() int {
	n := uvarintLen(uint64(len(b.ID))) + len(b.ID) + uvarintLen(uint64(b.Source))
	for _, f := range b.Fields {
		n += uvarintLen(uint64(len(f))) + len(f)
	}
	for _, c := range b.Conf {
		if c < 0 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// uvarintLen is the length of x as binary.AppendUvarint writes it.
func uvarintLen(x uint64) int {
	n := 1
	for ; x >= 0x80; x >>= 7 {
		n++
	}
	return n
}

// appendConf appends the record's OCR confidences, as both of its forms
// end: 0 for none, else 1 and the confidence's byte.
func (b *recordBlob) appendConf(out []byte) []byte {
	for _, c := range b.Conf {
		if c < 0 {
			out = append(out, 0)
		} else {
			out = append(out, 1, byte(c))
		}
	}
	return out
}

// appendTo appends the record's encoding (decodeBlob reads it) to out.
func (b *recordBlob) appendTo(out []byte) []byte {
	out = binary.AppendUvarint(out, uint64(len(b.ID)))
	out = append(out, b.ID...)
	out = binary.AppendUvarint(out, uint64(b.Source))
	for _, f := range b.Fields {
		out = binary.AppendUvarint(out, uint64(len(f)))
		out = append(out, f...)
	}
	return b.appendConf(out)
}

// compactMark starts a record in the store's form of reg25
// (appendCompact): a uvarint that binary.AppendUvarint never writes (0
// in two bytes), so that no record of the form before (appendTo: the
// id's length first) starts with it.
var compactMark = [2]byte{0x80, 0x00}

// appendCompact appends the record in the form the store keeps since
// reg25 (issue 9: the registry's bytes per record; decodeBlob reads it and
// appendTo's): compactMark; the id, as uvarint k<<1|1 and k bytes when it
// is "r" and 2k lowercase hexadecimal digits (RecordID's ids: 12 bytes
// instead of 25), else uvarint len<<1 and its bytes; the source; each
// field as uvarint len<<1 and its bytes, or, when it equals an earlier
// non-empty field of the record (a name's key and its OCR key, a number
// and the same number valid, a commune's codes of both eras …), uvarint
// i<<1|1 for the i-th; the confidences as appendTo writes them. At
// 100,000 records (dancu bench registry) the records' values are 67
// bytes a record shorter (175 against 243), 10 on disk (80 against 90).
func (b *recordBlob) appendCompact(out []byte) []byte {
	out = append(out, compactMark[:]...)
	if k, ok := hexID(b.ID); ok {
		out = binary.AppendUvarint(out, uint64(k)<<1|1)
		for i := 1; i < len(b.ID); i += 2 {
			out = append(out, unhex(b.ID[i])<<4|unhex(b.ID[i+1]))
		}
	} else {
		out = binary.AppendUvarint(out, uint64(len(b.ID))<<1)
		out = append(out, b.ID...)
	}
	out = binary.AppendUvarint(out, uint64(b.Source))
fields:
	for i, f := range b.Fields {
		if f != "" {
			for j, e := range b.Fields[:i] {
				if e == f {
					out = binary.AppendUvarint(out, uint64(j)<<1|1)
					continue fields
				}
			}
		}
		out = binary.AppendUvarint(out, uint64(len(f))<<1)
		out = append(out, f...)
	}
	return b.appendConf(out)
}

// compactLen bounds the length of appendCompact's encoding: appendTo's
// and the mark, and a byte more for each field of 64 bytes and more.
func (b *recordBlob) compactLen() int {
	n := b.encodedLen() + len(compactMark) + 1
	for _, f := range b.Fields {
		if len(f) >= 64 {
			n++
		}
	}
	return n
}

// hexID returns k when id is "r" and 2k lowercase hexadecimal digits.
func hexID(id string) (int, bool) {
	if len(id) < 3 || len(id)%2 == 0 || id[0] != 'r' {
		return 0, false
	}
	for i := 1; i < len(id); i++ {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, false
		}
	}
	return len(id) / 2, true
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}

// decodeBlob decodes a stored record (either form: appendCompact's or
// appendTo's). Its strings share one allocation
// (the value copied once): a record read from the store is 1 allocation
// for its text instead of one per field (issue 9: garbage collection was
// 12% of the CPU at a million records, reading candidates most of it).
// A frame that keeps one of the strings (the id, a value new to it)
// keeps the whole record's text: about 200 bytes a row of a frame,
// which Config.FrameRows bounds.
func decodeBlob(v []byte, nFields, nConf int) (*recordBlob, error) {
	if len(v) >= 2 && v[0] == compactMark[0] && v[1] == compactMark[1] {
		return decodeCompact(v, nFields, nConf)
	}
	b := &recordBlob{Fields: make([]string, nFields), Conf: make([]int16, nConf)}
	all := string(v)
	pos := 0
	str := func() (string, error) {
		n, k := binary.Uvarint(v[pos:])
		if k <= 0 || uint64(len(v)-pos-k) < n {
			return "", errors.New("truncated record")
		}
		s := all[pos+k : pos+k+int(n)]
		pos += k + int(n)
		return s, nil
	}
	var err error
	if b.ID, err = str(); err != nil {
		return nil, err
	}
	src, k := binary.Uvarint(v[pos:])
	if k <= 0 {
		return nil, errors.New("truncated record")
	}
	pos += k
	b.Source = int(src)
	for i := range b.Fields {
		if b.Fields[i], err = str(); err != nil {
			return nil, err
		}
	}
	return b, decodeConf(b, v[pos:])
}

// decodeCompact decodes a record of appendCompact's form; its strings
// share one allocation, the id's text first, then the record's bytes.
func decodeCompact(v []byte, nFields, nConf int) (*recordBlob, error) {
	b := &recordBlob{Fields: make([]string, nFields), Conf: make([]int16, nConf)}
	pos := len(compactMark)
	h, k := binary.Uvarint(v[pos:])
	if k <= 0 {
		return nil, errors.New("truncated record")
	}
	pos += k
	n := h >> 1
	if uint64(len(v)-pos) < n {
		return nil, errors.New("truncated record")
	}
	var sb strings.Builder
	idLen := int(n)
	if h&1 == 1 {
		idLen = 1 + 2*int(n)
	}
	sb.Grow(idLen + len(v))
	if h&1 == 1 {
		const digits = "0123456789abcdef"
		sb.WriteByte('r')
		for _, c := range v[pos : pos+int(n)] {
			sb.WriteByte(digits[c>>4])
			sb.WriteByte(digits[c&15])
		}
	} else {
		sb.Write(v[pos : pos+int(n)])
	}
	pos += int(n)
	sb.Write(v)
	all := sb.String()
	b.ID = all[:idLen]
	src, k := binary.Uvarint(v[pos:])
	if k <= 0 {
		return nil, errors.New("truncated record")
	}
	pos += k
	b.Source = int(src)
	for i := range b.Fields {
		h, k := binary.Uvarint(v[pos:])
		if k <= 0 {
			return nil, errors.New("truncated record")
		}
		pos += k
		if h&1 == 1 {
			if h>>1 >= uint64(i) {
				return nil, errors.New("record: a field repeats a later one")
			}
			b.Fields[i] = b.Fields[h>>1]
			continue
		}
		if uint64(len(v)-pos) < h>>1 {
			return nil, errors.New("truncated record")
		}
		b.Fields[i] = all[idLen+pos : idLen+pos+int(h>>1)]
		pos += int(h >> 1)
	}
	return b, decodeConf(b, v[pos:])
}

// decodeConf reads the record's confidences (appendTo's) from v.
func decodeConf(b *recordBlob, v []byte) error {
	for i := range b.Conf {
		if len(v) == 0 {
			return errors.New("truncated record")
		}
		b.Conf[i] = -1
		if v[0] == 1 {
			if len(v) < 2 {
				return errors.New("truncated record")
			}
			b.Conf[i] = int16(v[1])
			v = v[1:]
		}
		v = v[1:]
	}
	return nil
}

// commitSorted commits the writes of wb and then extra (keys with empty
// values, in key order already: scoreLocal's block entries) and edges
// (the batch's edges, both ways, in key order already: scoreLocal's,
// batchEdges) in key order, through a new batch. Pebble's memtable is a skiplist that finds
// where a key goes from where the last insert went: a batch written in
// arrival order (blocking keys of random hashes, edges, records) costs a
// search from the top per key, which was 17% of Add at 181k records; in
// key order each search starts beside the last. Writes of one key keep
// their order (the last wins, as in wb; extra after wb). Only wb's
// writes are sorted here, then merged with extra: extra is two thirds
// of a batch's writes, and sorting it with the rest was 7% of the
// registry's CPU in 20,000-record batches. No key of edges may be
// written in wb too.
func commitSorted(db *pebble.DB, wb *pebble.Batch, extra [][]byte, edges []edge, opt *pebble.WriteOptions) error {
	type op struct {
		head uint64 // the key's first 8 bytes, big-endian: most comparisons end there
		at   int32  // position in wb, for writes of one key
		kind pebble.InternalKeyKind
		k, v []byte
	}
	ops := make([]op, 0, int(wb.Count()))
	for rd := wb.Reader(); ; {
		kind, k, v, ok, err := rd.Next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch kind {
		case pebble.InternalKeyKindSet, pebble.InternalKeyKindDelete:
			var h [8]byte
			copy(h[:], k)
			ops = append(ops, op{binary.BigEndian.Uint64(h[:]), int32(len(ops)), kind, k, v})
		default:
			return fmt.Errorf("commit: write of kind %v not expected", kind)
		}
	}
	order := func(a, b op) int {
		if a.head != b.head {
			if a.head < b.head {
				return -1
			}
			return 1
		}
		if c := bytes.Compare(a.k, b.k); c != 0 {
			return c
		}
		return int(a.at - b.at)
	}
	// Sorted in parts on every core, then merged (no two ops are equal).
	ops = sortInParts(ops, order, minSortPerWorker)
	// Sized for what it will hold (wb's writes, then extra's: a kind,
	// the key and two lengths each), not grown by doubling on the way.
	size := wb.Len()
	for _, k := range extra {
		size += len(k) + 1 + 2*binary.MaxVarintLen32
	}
	size += len(edges) * (1 + 2*seqLen + 4 + 3)
	nb := db.NewBatchWithSize(size)
	defer nb.Close()
	var prev []byte
	es := edgeStream{edges: edges}
	// before writes the edges and extra's keys that come before k (all
	// of them when k is nil), in key order.
	before := func(k []byte) error {
		for {
			e := es.head()
			x := len(extra) > 0 && (k == nil || bytes.Compare(extra[0], k) < 0)
			if e == nil && !x {
				return nil
			}
			if e != nil && (k == nil || bytes.Compare(e, k) < 0) && (!x || bytes.Compare(e, extra[0]) < 0) {
				if err := es.set(nb); err != nil {
					return err
				}
				continue
			}
			if !x {
				return nil
			}
			if err := setSorted(nb, &prev, extra[0]); err != nil {
				return err
			}
			extra = extra[1:]
		}
	}
	for _, o := range ops {
		if err := before(o.k); err != nil {
			return err
		}
		if o.kind == pebble.InternalKeyKindSet {
			nb.Set(o.k, o.v, nil)
		} else {
			nb.Delete(o.k, nil)
		}
	}
	if err := before(nil); err != nil {
		return err
	}
	return nb.Commit(opt)
}

// edgeStream writes edges (in key order) one after the other: head is
// the key of the next, set writes it with its weight.
type edgeStream struct {
	edges []edge
	k     []byte // head's key, built once
	prev  []byte
}

func (s *edgeStream) head() []byte {
	if len(s.edges) == 0 {
		return nil
	}
	if s.k == nil {
		s.k = appendAdjKey(make([]byte, 0, 1+2*seqLen), s.edges[0].a, s.edges[0].b)
	}
	return s.k
}

func (s *edgeStream) set(nb *pebble.Batch) error {
	k := s.head()
	if s.prev != nil && bytes.Compare(s.prev, k) >= 0 {
		return fmt.Errorf("commit: edges out of key order (%x after %x)", k, s.prev)
	}
	var w [4]byte
	binary.BigEndian.PutUint32(w[:], math.Float32bits(s.edges[0].w))
	if err := nb.Set(k, w[:], nil); err != nil {
		return err
	}
	s.prev = append(s.prev[:0], k...)
	s.edges, s.k = s.edges[1:], s.k[:0]
	if len(s.edges) > 0 {
		s.k = appendAdjKey(s.k, s.edges[0].a, s.edges[0].b)
	} else {
		s.k = nil
	}
	return nil
}

// setSorted writes k (an empty value) to nb, after checking that it
// comes after *prev, the last key of extra written.
func setSorted(nb *pebble.Batch, prev *[]byte, k []byte) error {
	if *prev != nil && bytes.Compare(*prev, k) > 0 {
		return fmt.Errorf("commit: block entries out of key order (%x after %x)", k, *prev)
	}
	*prev = k
	return nb.Set(k, nil, nil)
}

// openStore opens a Pebble store; what names it in errors ("registry
// /path"). A store written before the blocking index's prefix filters
// (another comparer) is refused with how to rebuild it.
func openStore(what, dir string, opts *pebble.Options) (*pebble.DB, error) {
	db, err := pebble.Open(dir, opts)
	if err != nil && strings.Contains(err.Error(), "comparer name") {
		return nil, fmt.Errorf("open %s: written by an older dancu (another key format: %w); move the directory aside (keep it until the new one is rebuilt) and start again to rebuild it from the changelog", what, err)
	}
	if errors.Is(err, syscall.EAGAIN) {
		// The store's LOCK is held: by another process (Pebble refuses a
		// second open in one process with its own words). Before, only
		// "resource temporarily unavailable" (user16: two dancu run on one --home).
		return nil, fmt.Errorf("open %s: %w: another process has it open (a dancu run or a score instance on the same --home); "+
			"stop that one first, or give this one another --home", what, err)
	}
	if errors.Is(err, syscall.ENOSPC) {
		return nil, fmt.Errorf("open %s: %w: the disk is full; free space on it and start again", what, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", what, err)
	}
	return db, nil
}

// Space is what one key space of the store holds.
type Space struct {
	Kind  byte   // the keys' first byte
	Name  string // what it holds
	Keys  int64
	Bytes int64  // keys and values, uncompressed
	Disk  uint64 // estimated bytes in the store's tables (compressed)
}

// spaceNames names the key spaces (see the key list above and
// conflicts.go).
var spaceNames = map[byte]string{
	kMeta: "meta", kID: "record ids", kRecord: "records' fields", kPerson: "records' persons",
	kBlock: "blocking index", kAdj: "edges", kLast: "last output", kConflict: "conflicts",
	kConflictOf: "conflicts by person", kNumber: "valid numbers", kGuards: "persons' guards and coverage states", kCoverage: "persons' coverage (before round 11)",
}

// Space returns what each key space holds, by one scan of the store
// (seconds at a million records): what the state's bytes per record are
// made of. Compact first for the figures of the state alone.
func (r *Registry) Space() ([]Space, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return nil, errors.New("registry space: registry closed")
	}
	it, err := r.db.NewIter(nil)
	if err != nil {
		return nil, fmt.Errorf("registry space: %w", err)
	}
	var by [256]Space
	for ok := it.First(); ok; ok = it.Next() {
		k := it.Key()
		sp := &by[k[0]]
		sp.Keys++
		sp.Bytes += int64(len(k) + len(it.Value()))
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("registry space: %w", err)
	}
	var out []Space
	for kind := range by {
		sp := by[kind]
		if sp.Keys == 0 {
			continue
		}
		sp.Kind, sp.Name = byte(kind), spaceNames[byte(kind)]
		if sp.Disk, err = r.db.EstimateDiskUsage([]byte{byte(kind)}, []byte{byte(kind) + 1}); err != nil {
			return nil, fmt.Errorf("registry space: %w", err)
		}
		out = append(out, sp)
	}
	return out, nil
}

// familyMeter counts, by key family (a key's first byte), the bytes the
// store's flushes and compactions wrote, from Pebble's events: which key
// spaces the write amplification comes from (issue 9; issue 11 point 6).
// A table is counted whole under its keys' family, or under 0 when it
// holds several: a flush writes one table of all families (Open), so the
// flushes and the level-0 compactions are counted under 0; the tables of
// the levels below are 2 MB and more, and a family of a few MB (the
// edges, the ids) shares most of its tables with its neighbours, so the
// small families' figures are rough.
type familyMeter struct {
	flushed, compacted [256]atomic.Uint64
}

// tableFamily is the family of a table's keys; 0 when they are of
// several (a level-0 table holds a whole flush: Open).
func tableFamily(t pebble.TableInfo) byte {
	if len(t.Smallest.UserKey) == 0 || len(t.Largest.UserKey) == 0 || t.Smallest.UserKey[0] != t.Largest.UserKey[0] {
		return 0
	}
	return t.Smallest.UserKey[0]
}

func (m *familyMeter) listener() pebble.EventListener {
	return pebble.EventListener{
		FlushEnd: func(fi pebble.FlushInfo) {
			for _, t := range fi.Output {
				m.flushed[tableFamily(t)].Add(t.Size)
			}
		},
		CompactionEnd: func(ci pebble.CompactionInfo) {
			if ci.Err != nil || ci.Reason == "move" {
				return // a move writes nothing
			}
			for _, t := range ci.Output.Tables {
				m.compacted[tableFamily(t)].Add(t.Size)
			}
		},
	}
}

// FamilyWrites is what the store's flushes and compactions wrote of one
// key family since it opened (Stats.Families).
type FamilyWrites struct {
	Kind               byte   // the keys' first byte; 0: tables holding several families
	Name               string // spaceNames
	Flushed, Compacted uint64
}

// families returns what m counted, by family, families written only.
func (m *familyMeter) families() []FamilyWrites {
	if m == nil {
		return nil
	}
	var out []FamilyWrites
	for k := range m.flushed {
		f, c := m.flushed[k].Load(), m.compacted[k].Load()
		if f == 0 && c == 0 {
			continue
		}
		name := spaceNames[byte(k)]
		if k == 0 {
			name = "tables of several key spaces"
		}
		out = append(out, FamilyWrites{Kind: byte(k), Name: name, Flushed: f, Compacted: c})
	}
	return out
}
