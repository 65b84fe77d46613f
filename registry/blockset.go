package registry

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"io"
	"log/slog"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/cockroachdb/pebble"
)

// The set of blocks saved (reg24, issue 9 point 1: "restart is bounded by
// the changelog, not by the registry's size"). Since reg22 a registry's
// blocking index is its set of blocks in memory, built from the records
// when it opens: about 12 µs a record on one core, 10.9 s at a million
// records, some 18 minutes at a hundred million, after every restart.
// Now the registry writes the set to a file beside its store, each
// entry in the slot it holds (reading it hashes nothing and makes no
// blocking key; see the format below), when it closes and every
// Config.BlockSetCheckpoint records; when it opens it reads the file and
// makes the blocking keys of the records after it only (loadSavedBlockSet).
//
// The file is trusted only when the store says it is this store's: each
// save draws a token, writes the file (to a temporary name, synced,
// renamed) and then the token, the sequence the set covers (every
// record before it) and a digest of the withdrawals the store holds
// (withdrawalsDigest) into the store, synced ("blockset" meta key). A file
// whose token, format, settings' fingerprint or rule mixes are not the
// store's — another store's, one a crash left behind the store's key, an
// older dancu's — or that does not read whole (a checksum over it) is
// ignored and the set built from the records, as before. Records added
// after a save are read again from the store at the next open (a crash
// between a save and later batches loses nothing: the file covers the
// records before its sequence, the store holds the rest); a withdrawal
// takes records out that the file holds, so it deletes the store's key in
// its own commit, and until the next save an open builds the set from
// the records (one by a dancu that does not save the set changes the
// digest of withdrawals instead).
//
// Until the set is ready a batch or a withdrawal waits for it, as before;
// the set of record ids (ids.go) is built after it, while batches run
// (until it is, every id is looked up in the store, as then).

// blockSetFile is the file the set of blocks is saved in, in the store's
// directory (Pebble leaves files it does not know alone).
const blockSetFile = "blockset"

// blockSetFormat is the format of the file: a file of another is ignored.
const blockSetFormat = 1

// blockSetMagic starts the file.
var blockSetMagic = [8]byte{'d', 'a', 'n', 'c', 'u', 'B', 'S', 0}

// blockSetKey holds the token of the saved set and the sequence it covers.
func blockSetKey() []byte { return metaKey("blockset") }

// DefaultBlockSetCheckpoint is how many records a registry adds between
// two saves of its set of blocks (Config.BlockSetCheckpoint): at most
// about this many records' keys are made again after a crash.
const DefaultBlockSetCheckpoint = 1 << 20

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// The file is a series of frames, each its length (8 bytes), the
// CRC-32C of its bytes (4) and its bytes, so that a file cut or changed
// anywhere is refused: the header; the entries of the set, in the order
// of their slots, each frame holding whole entries; the entries of large
// blocks (wideBlocks); an empty frame. Numbers are little-endian, or
// varints (encoding/binary).
//
// An entry is its slot's distance from the last entry's (uvarint), its
// 64-bit hash (8 bytes), its tag (1) and its members: uvarint k<<2 | c,
// c 0 none known, 1 one (k: its sequence + 1), 2 a list of k members,
// then each member's difference from the one before it (varint), 3 a
// block larger than its max_block (k 0) or than a list holds (k 1). The
// entries are put back in their slots as they were, the lists written
// again one after the other (memberLists): reading the file hashes
// nothing and makes no blocking key. A large block is its rule and hash
// (uvarint, 8 bytes), its number of entries and of bytes (uvarints),
// the bytes of its entries, and each entry's end (4 bytes).
//
// At a million records (5.5 million blocks, 12 entries a record) that is
// about 10 bytes a block and 2-3 a member: some 90 bytes a record,
// against the set's ~250 in memory.

// blockSetHeader is what a file must match to be read: the store's
// token and the registry's settings and rules.
type blockSetHeader struct {
	format      uint64
	token       [16]byte
	next        uint64 // the set holds the records before this sequence
	fingerprint string
	mixes       []uint64 // ruleMix of each rule
	maxBlocks   []int
}

func (r *Registry) blockSetHeader(token [16]byte, next uint64) blockSetHeader {
	h := blockSetHeader{format: blockSetFormat, token: token, next: next, fingerprint: fingerprint(r.s), maxBlocks: r.maxBlock}
	for i := range r.maxBlock {
		h.mixes = append(h.mixes, ruleMix(i))
	}
	return h
}

// saveBlockSet writes r's set of blocks to its file and then its token
// into the store; under r.mu, between batches.
func (r *Registry) saveBlockSet() error {
	if !r.setFile || r.blocks == nil || r.blocks.wide == nil || r.db == nil {
		return nil
	}
	start := time.Now()
	var token [16]byte
	if _, err := rand.Read(token[:]); err != nil {
		return err
	}
	h := r.blockSetHeader(token, r.next)
	path := filepath.Join(r.dir, blockSetFile)
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	n, err := writeBlockSet(f, h, r.blocks)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDir(r.dir)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save the set of blocks: %w", err)
	}
	wd, err := withdrawalsDigest(r.db)
	if err != nil {
		return fmt.Errorf("save the set of blocks: %w", err)
	}
	v := append(append(token[:], u64(h.next)...), u64(wd)...)
	if err := r.db.Set(blockSetKey(), v, pebble.Sync); err != nil {
		return fmt.Errorf("save the set of blocks: %w", err)
	}
	r.savedNext, r.saved = h.next, true
	r.stats.BlockSetSaves++
	r.stats.BlockSetSave = time.Since(start)
	r.stats.BlockSetFileBytes = n
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// frameWriter writes frames (length, CRC-32C, bytes) to w.
type frameWriter struct {
	w *bufio.Writer
	n int64
}

func (f *frameWriter) frame(b []byte) error {
	var h [12]byte
	binary.LittleEndian.PutUint64(h[:], uint64(len(b)))
	binary.LittleEndian.PutUint32(h[8:], crc32.Checksum(b, crcTable))
	if _, err := f.w.Write(h[:]); err != nil {
		return err
	}
	_, err := f.w.Write(b)
	f.n += int64(len(h) + len(b))
	return err
}

// frameBytes: a frame is cut after the entry that takes it past this.
const frameBytes = 1 << 20

// writeBlockSet writes s under header h to w and returns the bytes written.
func writeBlockSet(w io.Writer, h blockSetHeader, s *blockSet) (int64, error) {
	if s.one == nil || len(s.one) != len(s.slots) || len(s.tags) != len(s.slots) || s.wide == nil {
		return 0, errors.New("a set of blocks without members")
	}
	fw := &frameWriter{w: bufio.NewWriterSize(w, 1<<20)}
	u := binary.LittleEndian.AppendUint64
	buf := append([]byte(nil), blockSetMagic[:]...)
	buf = u(buf, h.format)
	buf = append(buf, h.token[:]...)
	buf = u(buf, h.next)
	buf = u(buf, uint64(len(h.fingerprint)))
	buf = append(buf, h.fingerprint...)
	buf = u(buf, uint64(len(h.mixes)))
	for i, m := range h.mixes {
		buf = u(buf, m)
		buf = u(buf, uint64(int64(h.maxBlocks[i])))
	}
	buf = u(buf, uint64(len(s.slots)))
	buf = u(buf, uint64(s.n))
	buf = u(buf, uint64(len(s.wide.m)))
	if err := fw.frame(buf); err != nil {
		return 0, err
	}
	buf = buf[:0]
	last := -1
	for i, id := range s.slots {
		if id == 0 {
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(i-last))
		last = i
		buf = u(buf, id)
		tag := s.tags[i]
		buf = append(buf, tag)
		rule := uint64(tag>>1) + 1
		e := s.one[i]
		switch at, listed := listAt(e); {
		case e == 0:
			buf = append(buf, 0)
		case e&listTag == 0:
			if e>>48 != rule {
				return 0, fmt.Errorf("slot %d: a member of rule %d in an entry of rule %d", i, e>>48-1, rule-1)
			}
			buf = binary.AppendUvarint(buf, (e&(1<<48-1))<<2|1)
		case (e>>48)&0x7fff != rule:
			return 0, fmt.Errorf("slot %d: members of rule %d in an entry of rule %d", i, (e>>48)&0x7fff-1, rule-1)
		case listed:
			l := s.lists.list(at)
			buf = binary.AppendUvarint(buf, uint64(len(l))<<2|2)
			prev := int64(0)
			for _, m := range l {
				buf = binary.AppendVarint(buf, int64(m)-prev)
				prev = int64(m)
			}
		case at == largeAt:
			buf = append(buf, 3)
		default: // tooManyAt
			buf = append(buf, 1<<2|3)
		}
		if len(buf) >= frameBytes {
			if err := fw.frame(buf); err != nil {
				return 0, err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		if err := fw.frame(buf); err != nil {
			return 0, err
		}
		buf = buf[:0]
	}
	for id, b := range s.wide.m {
		buf = binary.AppendUvarint(buf, uint64(id.rule))
		buf = u(buf, id.hash)
		buf = binary.AppendUvarint(buf, uint64(len(b.ends)))
		buf = binary.AppendUvarint(buf, uint64(len(b.keys)))
		buf = append(buf, b.keys...)
		for _, e := range b.ends {
			buf = binary.LittleEndian.AppendUint32(buf, e)
		}
		if len(buf) >= frameBytes {
			if err := fw.frame(buf); err != nil {
				return 0, err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		if err := fw.frame(buf); err != nil {
			return 0, err
		}
	}
	if err := fw.frame(nil); err != nil {
		return 0, err
	}
	return fw.n, fw.w.Flush()
}

// errNotThisSet says why a file of the set of blocks is not read.
type errNotThisSet struct{ why string }

func (e errNotThisSet) Error() string { return e.why }

// errBadFile: the file does not read as it was written.
var errBadFile = errNotThisSet{"the file does not read (cut, or changed)"}

// frameReader reads frames from r.
type frameReader struct {
	r   *bufio.Reader
	buf []byte
}

// next reads the next frame: its bytes (valid until the next call).
func (f *frameReader) next() ([]byte, error) {
	var h [12]byte
	if _, err := io.ReadFull(f.r, h[:]); err != nil {
		return nil, fmt.Errorf("%w (%v)", errBadFile, err)
	}
	n := binary.LittleEndian.Uint64(h[:])
	if n > 1<<40 {
		return nil, errBadFile
	}
	if uint64(cap(f.buf)) < n {
		f.buf = make([]byte, n)
	}
	b := f.buf[:n]
	if _, err := io.ReadFull(f.r, b); err != nil {
		return nil, fmt.Errorf("%w (%v)", errBadFile, err)
	}
	if crc32.Checksum(b, crcTable) != binary.LittleEndian.Uint32(h[8:]) {
		return nil, errNotThisSet{"its checksum does not match"}
	}
	return b, nil
}

// readBlockSetFile reads the set of blocks from rd, which must be written
// under header want (its format, token, sequence, settings and rules);
// an error when it is not, or does not read whole.
func readBlockSetFile(rd io.Reader, want blockSetHeader) (*blockSet, error) {
	fr := &frameReader{r: bufio.NewReaderSize(rd, 1<<20)}
	b, err := fr.next()
	if err != nil {
		return nil, err
	}
	d := &valueReader{b: b}
	if m := d.bytes(8); !d.ok() || string(m) != string(blockSetMagic[:]) {
		return nil, errNotThisSet{"not a file of a set of blocks"}
	}
	if v := d.u64(); v != blockSetFormat {
		return nil, errNotThisSet{fmt.Sprintf("format %d, this dancu reads %d", v, blockSetFormat)}
	}
	token := d.bytes(16)
	next := d.u64()
	if !d.ok() || string(token) != string(want.token[:]) || next != want.next {
		return nil, errNotThisSet{"saved for another state of the store (its token or sequence not the store's)"}
	}
	if fp := d.bytes(d.u64()); !d.ok() || string(fp) != want.fingerprint {
		return nil, errNotThisSet{"saved with other settings"}
	}
	if n := d.u64(); n != uint64(len(want.mixes)) {
		return nil, errNotThisSet{"saved with other blocking rules"}
	}
	for i := range want.mixes {
		if m, mb := d.u64(), d.u64(); m != want.mixes[i] || int64(mb) != int64(want.maxBlocks[i]) {
			return nil, errNotThisSet{"saved with other blocking rules"}
		}
	}
	slots, n, wide := d.u64(), d.u64(), d.u64()
	if !d.ok() || len(d.b) != 0 || slots&(slots-1) != 0 || slots > 1<<40 || n > slots || wide > n {
		return nil, errBadFile
	}
	s := &blockSet{members: true, wide: &wideBlocks{m: map[blockID]*wideBlock{}}, n: int(n)}
	if slots > 0 {
		s.slots, s.tags, s.one = make([]uint64, slots), make([]uint8, slots), make([]uint64, slots)
		s.shift = uint(64 - bits.TrailingZeros64(slots))
	}
	var members []uint64
	i := -1
	for read := uint64(0); read < n; {
		b, err := fr.next()
		if err != nil {
			return nil, err
		}
		d := &valueReader{b: b}
		for len(d.b) > 0 && read < n {
			i += int(d.uvarint())
			id := d.u64()
			tag := d.bytes(1)
			k := d.uvarint()
			if !d.ok() || i < 0 || uint64(i) >= slots || id == 0 {
				return nil, errBadFile
			}
			rule := int(tag[0] >> 1)
			if rule >= len(want.maxBlocks) {
				return nil, errBadFile
			}
			s.slots[i], s.tags[i] = id, tag[0]
			switch k & 3 {
			case 0:
			case 1:
				if k>>2 == 0 {
					return nil, errBadFile
				}
				s.one[i] = oneOf(rule, k>>2-1)
			case 2:
				limit := listLimit(want.maxBlocks[rule])
				if k>>2 > uint64(limit) {
					return nil, errBadFile
				}
				members = members[:0]
				prev := int64(0)
				for range k >> 2 {
					prev += d.varint()
					members = append(members, uint64(prev))
				}
				if !d.ok() {
					return nil, errBadFile
				}
				s.one[i] = listOf(rule, s.lists.put(members, nil, limit))
			default:
				switch k >> 2 {
				case 0:
					s.one[i] = listOf(rule, largeAt)
				case 1:
					s.one[i] = listOf(rule, tooManyAt)
				default:
					return nil, errBadFile
				}
			}
			read++
		}
		if len(d.b) != 0 {
			return nil, errBadFile
		}
	}
	for read := uint64(0); read < wide; {
		b, err := fr.next()
		if err != nil {
			return nil, err
		}
		d := &valueReader{b: b}
		for len(d.b) > 0 && read < wide {
			rule, hash := d.uvarint(), d.u64()
			ne, nk := d.uvarint(), d.uvarint()
			keys := d.bytes(nk)
			ends := d.bytes(4 * ne)
			if !d.ok() || rule >= uint64(len(want.maxBlocks)) {
				return nil, errBadFile
			}
			w := &wideBlock{keys: slices.Clone(keys), ends: make([]uint32, ne)}
			for j := range w.ends {
				w.ends[j] = binary.LittleEndian.Uint32(ends[4*j:])
				if w.ends[j] > uint32(nk) || j > 0 && w.ends[j] < w.ends[j-1] {
					return nil, errBadFile
				}
			}
			if !s.large(int(rule), hash) {
				return nil, errBadFile
			}
			s.wide.set(blockID{int(rule), hash}, w)
			read++
		}
		if len(d.b) != 0 {
			return nil, errBadFile
		}
	}
	if b, err := fr.next(); err != nil || len(b) != 0 {
		return nil, fmt.Errorf("%w (%v)", errBadFile, err)
	}
	if _, err := fr.r.ReadByte(); err != io.EOF {
		return nil, errBadFile
	}
	return s, nil
}

// savedBlockSet reads the set saved for db (its key), nil when there is
// none or it is not this store's (why says so, for the log).
func (r *Registry) savedBlockSet(db pebble.Reader) (s *blockSet, next uint64, why error) {
	v, ok, err := getClone(db, blockSetKey())
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		return nil, 0, errNotThisSet{noneSaved}
	}
	if len(v) != 16+8+8 {
		return nil, 0, errNotThisSet{"the store's key of the set of blocks does not read"}
	}
	var token [16]byte
	copy(token[:], v)
	next = binary.BigEndian.Uint64(v[16:])
	if next > r.next {
		return nil, 0, errNotThisSet{"saved past the store's last record"}
	}
	if wd, err := withdrawalsDigest(db); err != nil {
		return nil, 0, err
	} else if wd != binary.BigEndian.Uint64(v[24:]) {
		return nil, 0, errNotThisSet{"records withdrawn since it was saved, by a dancu that does not save the set"}
	}
	f, err := os.Open(filepath.Join(r.dir, blockSetFile))
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	s, err = readBlockSetFile(f, r.blockSetHeader(token, next))
	if err != nil {
		return nil, 0, err
	}
	return s, next, nil
}

// loadSavedBlockSet is loadBlockSet's set from the file, the records
// from its sequence on read through it (not closed) and added to it (how
// many: replayed), and the sequence the file covers; nil when there is
// none for this store (then built from the records).
func (r *Registry) loadSavedBlockSet(it *pebble.Iterator, maxBlocks []int) (s *blockSet, replayed int, next uint64) {
	s, next, err := r.savedBlockSet(r.db)
	if err != nil {
		var not errNotThisSet
		if !errors.As(err, &not) || not.why != noneSaved {
			slog.Info("registry: the saved set of blocks is not read; it is built from the records", "dir", r.dir, "why", err)
		}
		return nil, 0, 0
	}
	e, err := r.readRecordEntries(it, next, &r.blocksStop)
	if err == nil {
		err = r.mergeEntries(s, e, maxBlocks)
	}
	if err != nil {
		if !errors.Is(err, errStopped) {
			slog.Warn("registry: the records after the saved set of blocks were not added to it; it is built from the records", "dir", r.dir, "err", err)
		}
		return nil, 0, 0
	}
	return s, e.records, next
}

// withdrawalsDigest is a digest of the withdrawals the store holds
// (their 'W' keys: every withdrawal that took records out, since 6
// December), kept with the token of the saved set: a dancu of format 6
// before reg24 withdraws records without deleting the token, and the
// file it leaves must not be read (it holds the records withdrawn).
func withdrawalsDigest(db pebble.Reader) (uint64, error) {
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{kWithdrawal}, UpperBound: []byte{kWithdrawal + 1}})
	if err != nil {
		return 0, err
	}
	var d uint64
	for ok := it.First(); ok; ok = it.Next() {
		h := fnv.New64a()
		h.Write(it.Key())
		d ^= h.Sum64()
	}
	if err := it.Error(); err != nil {
		it.Close()
		return 0, err
	}
	return d, it.Close()
}

// noneSaved: the store names no saved set of blocks.
const noneSaved = "none saved for the store as it is"

// forgetSavedBlockSet deletes the store's key of the saved set in wb, a
// withdrawal's: the file holds records it takes out. (Once it commits,
// r.saved is false.)
func (r *Registry) forgetSavedBlockSet(wb *pebble.Batch) {
	if r.setFile {
		wb.Delete(blockSetKey(), nil)
	}
}

// maybeSaveBlockSet saves the set after a batch when
// Config.BlockSetCheckpoint records or more came since it was last saved
// (or, never saved, since the registry's first record).
func (r *Registry) maybeSaveBlockSet() {
	if r.setEvery <= 0 || r.next-r.savedNext < uint64(r.setEvery) {
		return
	}
	if err := r.saveBlockSet(); err != nil {
		slog.Warn("registry: the set of blocks was not saved", "dir", r.dir, "err", err)
	}
}

// closeBlockSet saves the set when the registry closes, unless the file
// saved holds it as it is.
func (r *Registry) closeBlockSet() {
	if r.next == 0 || r.saved && r.savedNext == r.next {
		return
	}
	if err := r.saveBlockSet(); err != nil {
		slog.Warn("registry: the set of blocks was not saved; the next open builds it from the records", "dir", r.dir, "err", err)
	}
}
