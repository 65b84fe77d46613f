package registry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
)

// Keys in the Pebble store. Every key starts with one byte naming its
// kind; sequence numbers are 8 bytes big-endian so that they sort.
//
//	'm' name              → meta value (next sequence, batch counter, settings fingerprint)
//	'i' record id         → sequence of the record
//	'r' seq               → the record's captured fields (recordBlob)
//	'p' seq               → person id of the record
//	'b' rule hash sort 0 seq → (empty): blocking index, rule 1 byte, hash 8 bytes
//	'a' seq seq           → float32 match weight of an edge (both directions)
//	'L'                   → the last batch's output, for an identical re-flush
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

func seqKey(kind byte, seq uint64) []byte {
	k := make([]byte, 9)
	k[0] = kind
	binary.BigEndian.PutUint64(k[1:], seq)
	return k
}

func idKey(id string) []byte { return append([]byte{kID}, id...) }

func metaKey(name string) []byte { return append([]byte{kMeta}, name...) }

func adjKey(a, b uint64) []byte {
	k := make([]byte, 17)
	k[0] = kAdj
	binary.BigEndian.PutUint64(k[1:], a)
	binary.BigEndian.PutUint64(k[9:], b)
	return k
}

// blockPrefix is the prefix of a block's entries.
func blockPrefix(rule int, hash uint64) []byte {
	k := make([]byte, 10)
	k[0] = kBlock
	k[1] = byte(rule)
	binary.BigEndian.PutUint64(k[2:], hash)
	return k
}

func blockKey(rk matching.RowKey, seq uint64) []byte {
	k := blockPrefix(rk.Rule, rk.Hash)
	k = append(k, rk.Sort...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

func seqOfBlockKey(k []byte) uint64 { return binary.BigEndian.Uint64(k[len(k)-8:]) }

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
	v, c, err := r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer c.Close()
	if len(v) != 8 {
		return 0, false, fmt.Errorf("key %q: value of %d bytes, want 8", key, len(v))
	}
	return binary.BigEndian.Uint64(v), true, nil
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
	out := binary.AppendUvarint(nil, uint64(len(b.ID)))
	out = append(out, b.ID...)
	out = binary.AppendUvarint(out, uint64(b.Source))
	for _, f := range b.Fields {
		out = binary.AppendUvarint(out, uint64(len(f)))
		out = append(out, f...)
	}
	for _, c := range b.Conf {
		if c < 0 {
			out = append(out, 0)
		} else {
			out = append(out, 1, byte(c))
		}
	}
	return out
}

func decodeBlob(v []byte, nFields, nConf int) (*recordBlob, error) {
	b := &recordBlob{Fields: make([]string, nFields), Conf: make([]int16, nConf)}
	str := func() (string, error) {
		n, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			return "", errors.New("truncated record")
		}
		s := string(v[k : k+int(n)])
		v = v[k+int(n):]
		return s, nil
	}
	var err error
	if b.ID, err = str(); err != nil {
		return nil, err
	}
	src, k := binary.Uvarint(v)
	if k <= 0 {
		return nil, errors.New("truncated record")
	}
	v = v[k:]
	b.Source = int(src)
	for i := range b.Fields {
		if b.Fields[i], err = str(); err != nil {
			return nil, err
		}
	}
	for i := range b.Conf {
		if len(v) == 0 {
			return nil, errors.New("truncated record")
		}
		b.Conf[i] = -1
		if v[0] == 1 {
			if len(v) < 2 {
				return nil, errors.New("truncated record")
			}
			b.Conf[i] = int16(v[1])
			v = v[1:]
		}
		v = v[1:]
	}
	return b, nil
}
