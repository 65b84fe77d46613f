package schemas

import (
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"strconv"
)

// RecordIDs makes the record ids of one file's rows: ID(sheet, row) is
// RecordID(fileHash, sheet, row). A file hash of 64 characters (the hex
// SHA-256 every reader gives) is one block of the id's SHA-256, the same
// for every row of the file: it is hashed once, and each id hashes only
// its own block from there, half of RecordID's work.
type RecordIDs struct {
	fileHash string
	state    []byte // the SHA-256 state after fileHash (MarshalBinary), nil if fileHash is not one block
}

// NewRecordIDs returns the maker of the record ids of the file whose hash
// is fileHash.
func NewRecordIDs(fileHash string) RecordIDs {
	r := RecordIDs{fileHash: fileHash}
	if len(fileHash) == sha256.BlockSize {
		h := sha256.New()
		h.Write([]byte(fileHash))
		if st, err := h.(encoding.BinaryMarshaler).MarshalBinary(); err == nil {
			r.state = st
		}
	}
	return r
}

// ID returns RecordID(fileHash, sheet, row) of r's file.
func (r RecordIDs) ID(sheet string, row int) string {
	if r.state == nil {
		return RecordID(r.fileHash, sheet, row)
	}
	var buf [256]byte
	h := sha256.New()
	if h.(encoding.BinaryUnmarshaler).UnmarshalBinary(r.state) != nil {
		return RecordID(r.fileHash, sheet, row)
	}
	h.Write(appendRowKey(buf[:0], sheet, row))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return idOfSum(&sum)
}

// appendRowKey appends to b what a record id hashes after the file hash:
// NUL, sheet, NUL, row in decimal (RecordID).
func appendRowKey(b []byte, sheet string, row int) []byte {
	b = append(b, 0)
	b = append(b, sheet...)
	b = append(b, 0)
	return strconv.AppendInt(b, int64(row), 10)
}

// idOfSum is the record id of its hash sum: "r" and the sum's first 12
// bytes in hex (RecordID).
func idOfSum(sum *[sha256.Size]byte) string {
	var out [25]byte
	out[0] = 'r'
	hex.Encode(out[1:], sum[:12])
	return string(out[:])
}
