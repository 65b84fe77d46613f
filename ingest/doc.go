// Package ingest reads the sources data teams send — provincial
// spreadsheets (xlsx, xls, csv) and scanned-form batches (JSON lines from
// form recognition) — finds their header and columns, decodes legacy font
// encodings, validates every row and turns it into a schemas.Record or a
// schemas.Reject. It is the first stage of the flow:
//
//	source file ─> ingest ─> Kafka ─> match ─> load ─> ClickHouse
//
// Every input row is accounted for: rows read = accepted + rejected.
package ingest
