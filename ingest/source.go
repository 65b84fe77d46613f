package ingest

import "github.com/dancu-vn/dancu/schemas"

// Item is the outcome of reading one input row: exactly one of Record and
// Reject is set.
type Item struct {
	Record *schemas.Record
	Reject *schemas.Reject
}

// Source yields the rows of one input file in order. Next returns io.EOF
// after the last row; any other error is fatal for the file (a corrupt
// archive, an unreadable sheet), while a bad row comes back as a Reject.
type Source interface {
	Next() (Item, error)
	Close() error
}
