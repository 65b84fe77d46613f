package compact

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DefaultTail is how many of a partition's last offsets Dir leaves as they
// are unless told otherwise.
const DefaultTail = 1000

// DefaultDeleteRetention is how long a tombstone is kept when its topic
// sets no delete.retention.ms (Kafka's default, and kfake's).
const DefaultDeleteRetention = 24 * time.Hour

// Options tunes Dir. The zero value is usable.
type Options struct {
	// Tail is how many of each partition's last offsets are left as
	// they are (Kafka's active segment): a batch holding any of them is
	// not rewritten. The partition's last batch is always left.
	// Default: DefaultTail (1000); negative: none but the last batch.
	Tail int64
	// Now is the time a tombstone's age is measured at.
	// Default: time.Now.
	Now func() time.Time
}

// Partition says what Dir did to one partition of a compacted topic.
type Partition struct {
	Topic     string
	Partition int32
	// Messages and Bytes before and after (the segment files' sizes).
	MessagesBefore, MessagesAfter int
	BytesBefore, BytesAfter       int64
	// Tombstones dropped, being older than the topic's
	// delete.retention.ms.
	TombstonesDropped int
	// Skipped, when not empty, says why the partition was left as it
	// is.
	Skipped string
}

// Result is what Dir did.
type Result struct {
	Partitions []Partition
	Elapsed    time.Duration
}

// Messages returns the messages of every partition, before and after.
func (r Result) Messages() (before, after int) {
	for _, p := range r.Partitions {
		before += p.MessagesBefore
		after += p.MessagesAfter
	}
	return before, after
}

// Bytes returns the bytes of every partition, before and after.
func (r Result) Bytes() (before, after int64) {
	for _, p := range r.Partitions {
		before += p.BytesBefore
		after += p.BytesAfter
	}
	return before, after
}

// ErrFormat is wrapped by Dir's error for a data directory whose format
// it does not know (a kfake newer than the one dancu pins).
var ErrFormat = errors.New("unknown data directory format")

// persistVersion is the version of kfake's directory format Dir knows
// (persist.go's currentPersistVersion).
const persistVersion = 1

// Dir compacts every partition of every topic whose cleanup.policy holds
// "compact" in the data directory dir of a stopped broker. The caller
// keeps any broker off dir meanwhile (package broker's lock). A directory
// without meta.json (never used) is left alone. Each segment file is
// replaced whole by a rename, so that a process killed during Dir leaves
// a partition compacted up to some segment, which the broker reads as it
// reads any other.
func Dir(dir string, opt Options) (Result, error) {
	start := time.Now()
	if opt.Tail == 0 {
		opt.Tail = DefaultTail
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	var res Result
	var meta struct {
		Version int `json:"version"`
	}
	if ok, err := readJSON(dir, "meta.json", &meta); err != nil || !ok {
		return res, err
	}
	if meta.Version != persistVersion {
		return res, fmt.Errorf("compact %s: %w: meta.json version %d, this dancu knows %d", dir, ErrFormat, meta.Version, persistVersion)
	}
	var topics struct {
		Topics []topic `json:"topics"`
	}
	if ok, err := readJSON(dir, "topics.json", &topics); err != nil || !ok {
		return res, err
	}
	slices.SortFunc(topics.Topics, func(a, b topic) int { return strings.Compare(a.Name, b.Name) })
	now := opt.Now().UnixMilli()
	for _, t := range topics.Topics {
		if !strings.Contains(t.Configs["cleanup.policy"], "compact") {
			continue
		}
		retention := DefaultDeleteRetention.Milliseconds()
		if v, ok := t.Configs["delete.retention.ms"]; ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return res, fmt.Errorf("compact %s: topic %s: delete.retention.ms %q: %w", dir, t.Name, v, err)
			}
			retention = n
		}
		for p := range t.Partitions {
			pdir := filepath.Join(dir, "partitions", fmt.Sprintf("%s-%d", url.PathEscape(t.Name), p))
			pr := Partition{Topic: t.Name, Partition: int32(p)}
			if err := compactPartition(pdir, &pr, opt.Tail, now, retention); err != nil {
				res.Elapsed = time.Since(start)
				return res, fmt.Errorf("compact %s partition %d: %w", t.Name, p, err)
			}
			res.Partitions = append(res.Partitions, pr)
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// topic is a topic as kfake's topics.json lists it.
type topic struct {
	Name       string            `json:"name"`
	Partitions int               `json:"partitions"`
	Configs    map[string]string `json:"configs"`
}

// batch is one RecordBatch of a segment file.
type batch struct {
	rb  kmsg.RecordBatch
	raw []byte // its bytes in the segment file
	idx []byte // its index entry (indexEntrySize bytes)
}

func (b *batch) lastOffset() int64 { return b.rb.FirstOffset + int64(b.rb.LastOffsetDelta) }

// segment is one segment file of a partition.
type segment struct {
	base    int64
	size    int64 // as read
	batches []batch
	// newSize is the size once compacted; removed: left with no batch.
	newSize int64
	removed bool
}

// indexEntrySize is the size of an index file's entry (kfake's
// persist.go: version, checksum, epoch, max earlier timestamp, flags).
const indexEntrySize = 15

// Attribute bits of a RecordBatch.
const (
	attrCodec         = 0x07
	attrLogAppendTime = 0x08
	attrTransactional = 0x10
	attrControl       = 0x20
)

var crc32c = crc32.MakeTable(crc32.Castagnoli)

// listSegments lists a partition's segment files, in offset order.
func listSegments(pdir string) ([]segment, error) {
	entries, err := os.ReadDir(pdir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".dat")
		if !ok || e.IsDir() {
			continue
		}
		base, err := strconv.ParseInt(name, 10, 64)
		if err != nil {
			continue // kfake reads only <base>.dat
		}
		segs = append(segs, segment{base: base})
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmp.Compare(a.base, b.base) })
	return segs, nil
}

// readSegment reads the batches of segment s (one segment at a time is
// held, not the partition), or says why the partition is to be left as
// it is. like is the index entry every batch's must be like (nil: the
// first one read sets it).
func readSegment(pdir string, s *segment, like *[]byte) (skip string, err error) {
	raw, err := os.ReadFile(filepath.Join(pdir, fmt.Sprintf("%d.dat", s.base)))
	if err != nil {
		return "", err
	}
	idx, err := os.ReadFile(filepath.Join(pdir, fmt.Sprintf("%d.idx", s.base)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	s.size, s.newSize, s.batches = int64(len(raw)), int64(len(raw)), nil
	for pos := 0; pos < len(raw); {
		if pos+12 > len(raw) {
			return fmt.Sprintf("segment %d: %d bytes after its last whole batch", s.base, len(raw)-pos), nil
		}
		n := 12 + int(binary.BigEndian.Uint32(raw[pos+8:pos+12]))
		if n < 21 || pos+n > len(raw) {
			return fmt.Sprintf("segment %d: %d bytes after its last whole batch", s.base, len(raw)-pos), nil
		}
		b := batch{raw: raw[pos : pos+n]}
		if crc32.Checksum(b.raw[21:], crc32c) != binary.BigEndian.Uint32(b.raw[17:21]) {
			return fmt.Sprintf("segment %d: a batch at byte %d fails its checksum", s.base, pos), nil
		}
		if err := b.rb.ReadFrom(b.raw); err != nil {
			return fmt.Sprintf("segment %d: batch at byte %d: %v", s.base, pos, err), nil
		}
		if b.rb.Attributes&(attrTransactional|attrControl) != 0 {
			return fmt.Sprintf("segment %d: transactional or control batch at offset %d", s.base, b.rb.FirstOffset), nil
		}
		at := len(s.batches) * indexEntrySize
		if at+indexEntrySize > len(idx) {
			return fmt.Sprintf("segment %d: index lacks the entry of batch %d", s.base, len(s.batches)), nil
		}
		b.idx = idx[at : at+indexEntrySize]
		// Entries are rewritten as they stand, one per batch kept: a
		// crash between a segment's rename and its index's leaves them
		// misaligned, harmless only when they are all alike. (The
		// checksum byte covers the max earlier timestamp, which kfake
		// does not read; they are compared without both.)
		if *like == nil {
			*like = b.idx
		} else if l := *like; b.idx[0] != l[0] || !bytes.Equal(b.idx[2:6], l[2:6]) || b.idx[14] != l[14] {
			return fmt.Sprintf("segment %d: index entries differ (epoch or flags) at batch %d", s.base, len(s.batches)), nil
		}
		s.batches = append(s.batches, b)
		pos += n
	}
	return "", nil
}

// compactPartition compacts the partition in pdir, filling pr. It reads
// the segments twice, one at a time: first for each key's latest offset,
// then to rewrite them.
func compactPartition(pdir string, pr *Partition, tail, now, retention int64) error {
	segs, err := listSegments(pdir)
	if err != nil {
		return err
	}
	var like []byte
	// Pass 1: what the partition holds, and the offset of each key's
	// latest message.
	latest := make(map[string]int64)
	firstOffset, lastFirst, end, batches := int64(-1), int64(-1), int64(0), 0
	for i := range segs {
		s := &segs[i]
		skip, err := readSegment(pdir, s, &like)
		if err != nil {
			return err
		}
		pr.BytesBefore += s.size
		if skip != "" {
			pr.Skipped = skip
		}
		for j := range s.batches {
			b := &s.batches[j]
			pr.MessagesBefore += int(b.rb.NumRecords)
			if firstOffset < 0 {
				firstOffset = b.rb.FirstOffset
			}
			lastFirst, end = b.rb.FirstOffset, b.lastOffset()+1
			batches++
			if pr.Skipped != "" {
				continue
			}
			err := eachRecord(b, func(r kmsg.Record) {
				if r.Key != nil {
					latest[string(r.Key)] = b.rb.FirstOffset + int64(r.OffsetDelta)
				}
			})
			if err != nil {
				pr.Skipped = fmt.Sprintf("batch at offset %d: %v", b.rb.FirstOffset, err)
			}
		}
		s.batches = nil
	}
	pr.BytesAfter, pr.MessagesAfter = pr.BytesBefore, pr.MessagesBefore
	if pr.Skipped != "" || batches < 2 {
		return nil
	}
	tailFrom := end - max(tail, 0)
	cleanable := func(b *batch) bool { return b.rb.FirstOffset != lastFirst && b.lastOffset() < tailFrom }

	// Pass 2: each segment's batches, cleaned.
	for i := range segs {
		s := &segs[i]
		if skip, err := readSegment(pdir, s, &like); err != nil || skip != "" {
			return errors.Join(err, fmt.Errorf("segment %d changed while compacted: %s", s.base, skip))
		}
		var out, idx []byte
		changed := false
		for j := range s.batches {
			b := &s.batches[j]
			if !cleanable(b) {
				out, idx = append(out, b.raw...), append(idx, b.idx...)
				continue
			}
			var kept []kmsg.Record
			dropped := 0
			_ = eachRecord(b, func(r kmsg.Record) { // read once already in pass 1
				offset := b.rb.FirstOffset + int64(r.OffsetDelta)
				switch {
				case offset == firstOffset || r.Key == nil:
				case latest[string(r.Key)] != offset:
					dropped++
					return
				case r.Value == nil && now-timestamp(b, r) >= retention:
					pr.TombstonesDropped++
					dropped++
					return
				}
				kept = append(kept, r)
			})
			switch {
			case dropped == 0:
				out, idx = append(out, b.raw...), append(idx, b.idx...)
			case len(kept) > 0:
				out, idx = append(out, rebuild(b, kept)...), append(idx, b.idx...)
				changed = true
			default:
				changed = true
			}
			pr.MessagesAfter -= dropped
		}
		s.batches = nil
		if !changed {
			continue
		}
		pr.BytesAfter += int64(len(out)) - s.size
		if err := replaceSegment(pdir, s.base, out, idx); err != nil {
			return err
		}
		s.newSize, s.removed = int64(len(out)), len(out) == 0
	}
	return updateSnapshot(pdir, segs)
}

// eachRecord calls fn with each record of b.
func eachRecord(b *batch, fn func(kmsg.Record)) error {
	records, err := kgo.DefaultDecompressor().Decompress(b.rb.Records, kgo.CompressionCodecType(b.rb.Attributes&attrCodec))
	if err != nil {
		return err
	}
	for range b.rb.NumRecords {
		length, n := binary.Varint(records)
		if n <= 0 || int64(len(records)-n) < length {
			return errors.New("record cut short")
		}
		var r kmsg.Record
		if err := r.ReadFrom(records); err != nil {
			return err
		}
		fn(r)
		records = records[int64(n)+length:]
	}
	if len(records) > 0 {
		return fmt.Errorf("%d bytes after the batch's records", len(records))
	}
	return nil
}

// timestamp returns a record's time stamp (milliseconds).
func timestamp(b *batch, r kmsg.Record) int64 {
	if b.rb.Attributes&attrLogAppendTime != 0 {
		return b.rb.MaxTimestamp
	}
	return b.rb.FirstTimestamp + int64(r.TimestampDelta)
}

// rebuild returns b with only the records kept, uncompressed, as kfake's
// compaction makes them (data.go rebuildBatch): the same first offset,
// epoch, producer and first time stamp.
func rebuild(b *batch, kept []kmsg.Record) []byte {
	var records []byte
	for i := range kept {
		records = kept[i].AppendTo(records)
	}
	nb := kmsg.RecordBatch{
		FirstOffset:          b.rb.FirstOffset,
		PartitionLeaderEpoch: b.rb.PartitionLeaderEpoch,
		Magic:                2,
		Attributes:           b.rb.Attributes &^ attrCodec,
		LastOffsetDelta:      kept[len(kept)-1].OffsetDelta,
		FirstTimestamp:       b.rb.FirstTimestamp,
		MaxTimestamp:         b.rb.FirstTimestamp,
		ProducerID:           b.rb.ProducerID,
		ProducerEpoch:        b.rb.ProducerEpoch,
		FirstSequence:        b.rb.FirstSequence,
		NumRecords:           int32(len(kept)),
		Records:              records,
	}
	if b.rb.Attributes&attrLogAppendTime != 0 {
		nb.MaxTimestamp = b.rb.MaxTimestamp
	} else {
		for _, r := range kept {
			nb.MaxTimestamp = max(nb.MaxTimestamp, b.rb.FirstTimestamp+int64(r.TimestampDelta))
		}
	}
	enc := nb.AppendTo(nil)
	binary.BigEndian.PutUint32(enc[8:12], uint32(len(enc)-12))
	binary.BigEndian.PutUint32(enc[17:21], crc32.Checksum(enc[21:], crc32c))
	return enc
}

// replaceSegment replaces the segment file base (and its index) with
// data (and idx), or removes both when data is empty. Each file is
// written beside its name (.tmp, which kfake removes at its start if a
// crash left it), synced, and renamed over it; the segment first, so that
// a crash between leaves the old index, whose entries are all alike
// (readSegments) and whose extra ones kfake cuts.
func replaceSegment(pdir string, base int64, data, idx []byte) error {
	dat := filepath.Join(pdir, fmt.Sprintf("%d.dat", base))
	ix := filepath.Join(pdir, fmt.Sprintf("%d.idx", base))
	if len(data) == 0 {
		if err := os.Remove(dat); err != nil {
			return err
		}
		if err := os.Remove(ix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return syncDir(pdir)
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{dat + ".tmp", data}, {ix + ".tmp", idx}} {
		if err := writeSynced(f.path, f.data); err != nil {
			return err
		}
	}
	if err := os.Rename(dat+".tmp", dat); err != nil {
		return err
	}
	if err := os.Rename(ix+".tmp", ix); err != nil {
		return err
	}
	return syncDir(pdir)
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// updateSnapshot rewrites the partition's snapshot.json (written by kfake
// at a clean stop) with the segments' new sizes, so that kfake still
// starts from it (fast, keeping its log start offset) rather than
// reading every segment again. A snapshot that did not match the
// segments before (a broker killed after its last clean stop) is left:
// kfake ignores it. Other fields are kept as they are.
func updateSnapshot(pdir string, segs []segment) error {
	path := filepath.Join(pdir, "snapshot.json")
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var snap map[string]json.RawMessage
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil // kfake ignores it too
	}
	var old []map[string]json.RawMessage
	if err := json.Unmarshal(snap["segments"], &old); err != nil {
		return nil
	}
	// Only a snapshot that matched the segments as they were read (as
	// kfake checks: bases and sizes) is brought up to date.
	if len(old) != len(segs) {
		return nil
	}
	var list []map[string]json.RawMessage
	for i, o := range old {
		var base, size int64
		if json.Unmarshal(o["base_offset"], &base) != nil || json.Unmarshal(o["size"], &size) != nil ||
			base != segs[i].base || size != segs[i].size {
			return nil
		}
		if segs[i].removed {
			continue
		}
		o["size"] = json.RawMessage(strconv.FormatInt(segs[i].newSize, 10))
		list = append(list, o)
	}
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	snap["segments"] = b
	out, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	if err := writeSynced(path+".tmp", out); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// readJSON decodes the file name of the broker's data directory dir into
// v. A missing file is not an error: it reports false (a directory the
// broker has not written yet holds nothing to compact).
func readJSON(dir, name string, v any) (bool, error) {
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("compact %s: %w", dir, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("compact %s: %s: %w", dir, name, err)
	}
	return true, nil
}
