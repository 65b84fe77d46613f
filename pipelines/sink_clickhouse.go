package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
	"github.com/dancu-vn/dancu/schemas"
)

// ClickHouseSink writes batches to the dancu tables with one batch insert
// per table. Every table is a ReplacingMergeTree keyed by a deterministic
// id, so writing a batch twice leaves one copy (at once with FINAL). A
// record that appears twice in one batch is inserted once, its last copy
// (what ReplacingMergeTree keeps; the coverage view on records counts the
// rows of an insert as they are).
//
// A row ClickHouse refuses does not sink the batch. Two kinds of refusal
// are told apart from the failures of ClickHouse itself:
//
//   - the driver cannot convert a value to its column's type (a date that
//     does not exist for a Date column): the append of that row fails, so
//     the row is known at once; the batch is rebuilt without it (in pieces
//     of 4,096 rows, so that a rebuild re-appends one piece, not 50,000
//     rows);
//   - the engine refuses the insert for its data (a violated constraint, a
//     value out of the type's range; see refusalCodes): when its error
//     names the row ("violated at row 7"), that row is tried alone and the
//     others sent again; otherwise the insert is cut in pieces of 4,096
//     rows, and a refused piece in halves, each inserted on its own, down
//     to the refused rows. A batch with k refused rows out of n costs about
//     n/4096 + 2·k extra inserts when the engine names the rows, and
//     n/4096 + 2·k·12 when it does not; nothing when every row is good.
//
// Either way Write inserts every other row and returns *RefusedRows naming
// the refused ones. Anything else (ClickHouse down, a timeout, memory
// limits, an unknown table) is returned as an error with nothing refused:
// the rows are not at fault and the stage must not move past them.
type ClickHouseSink struct {
	Conn driver.Conn
	// MaxRefused bounds the rows one Write may refuse. More than that is
	// not bad rows but a schema or engine problem: Write then fails instead
	// of sending the whole batch to the dead letters. Default: 1,000.
	MaxRefused int

	// Inserts counts the insert statements sent, refused or not (what the
	// isolation of refused rows costs shows here).
	Inserts atomic.Int64
	// OutageRetries counts the inserts of the registry's deltas sent
	// again after an outage (insertColumns).
	OutageRetries atomic.Int64
	// PendingDir, when set, keeps each insert of the registry's deltas
	// in a file there, locked, while it is sent, so that the next Write
	// of a load stage with the same directory finishes an insert a load
	// process left unfinished when it ended (sink_pending.go). RunStages
	// sets it (StagesConfig.LoadDir); empty: no such file, as before.
	PendingDir string
	// PendingResent counts the inserts of deltas a load process left
	// unfinished that this sink sent again (resendPending).
	PendingResent atomic.Int64
	// Share, when set, is where each insert of deltas is published
	// before it is sent (its intent, or the block: sink_intent.go), and
	// read when the Batch's reader was given partitions
	// (Batch.From.Began), so that a load member on another machine
	// finishes an insert a member left unfinished (sink_shared.go).
	// RunStages sets a KafkaPendingShare; nil: none, as before.
	Share PendingShare
	// SharedPublished counts the inserts this sink published whole to Share;
	// SharedResent, those of other members it sent again from there.
	SharedPublished, SharedResent atomic.Int64
	// IntentsPublished counts the intents this sink published to Share
	// before their inserts (sink_intent.go).
	IntentsPublished atomic.Int64
	// intentsDone are the tokens of intents whose inserts the engine
	// took, dropped from Share with the next publish.
	intentMu    sync.Mutex
	intentsDone []string
	// NativeInserts counts those of them whose Native block the sink wrote
	// itself (insertNative) rather than through clickhouse-go's columns.
	NativeInserts atomic.Int64

	// layouts are the column names and types of each insert statement,
	// learned once (layout: the DESCRIBE TABLE that clickhouse-go's HTTP
	// protocol sends before each batch), so that later inserts skip it
	// (the native protocol has the server send the block's structure
	// instead, and ignores them).
	layoutMu sync.Mutex
	layouts  map[string][]clickhouse.ColumnNameAndType

	// withdrawn caches the record ids of withdrawn_records, read again
	// when the table's fingerprint (withdrawnSum) changes: see
	// closeWithdrawn.
	withdrawnMu  sync.Mutex
	withdrawnSum [2]uint64
	withdrawn    map[string]struct{}
}

var _ Sink = (*ClickHouseSink)(nil)

// Write inserts the rows of b, table by table. When some rows are refused
// it still inserts all the others and returns *RefusedRows. The coverage
// deltas already inserted (person_delta_keys) are dropped from
// b.PersonDeltas first, and those of coverage_delta_keys from
// b.RecordDeltas and b.PersonDeltaSums, so that a batch written twice
// counts once.
func (s *ClickHouseSink) Write(ctx context.Context, b *Batch) error {
	max := s.MaxRefused
	if max <= 0 {
		max = 1000
	}
	in := &refusals{max: max}
	if err := insertRowsAt(ctx, s, "records", KindRecords, b.Records, lastCopies(b.Records), noInsertPass(), in); err != nil {
		return err
	}
	if err := insertRows(ctx, s, "persons", KindPersons, b.Persons, in); err != nil {
		return err
	}
	if err := insertRows(ctx, s, "links", KindLinks, b.Links, in); err != nil {
		return err
	}
	if err := insertRows(ctx, s, "conflicts", KindConflicts, b.Conflicts, in); err != nil {
		return err
	}
	if err := insertRows(ctx, s, "rejects", KindRejects, b.Rejects, in); err != nil {
		return err
	}
	if err := insertRows(ctx, s, "person_events", KindPersonEvents, b.PersonEvents, in); err != nil {
		return err
	}
	if err := s.closeWithdrawn(ctx, b); err != nil {
		return err
	}
	if s.PendingDir != "" && len(b.PersonDeltas)+len(b.RecordDeltas)+len(b.PersonDeltaSums)+len(b.Republished) > 0 {
		// Before any keys filter reads the keys.
		if err := s.resendPending(ctx); err != nil {
			return err
		}
	}
	if s.Share != nil && b.From != nil {
		if len(b.From.Began) > 0 {
			// Given partitions: before any keys filter reads the keys.
			if err := s.resendShared(ctx, b.From); err != nil {
				return err
			}
		}
		ctx = context.WithValue(ctx, spanKey{}, b.From)
	}
	if b.Fence != nil {
		ctx = context.WithValue(ctx, fenceKey{}, b.Fence)
	}
	// The deltas' inserts are made from the Batch's messages (From):
	// those the sink can make again from them alone publish an intent
	// before they are sent, the others their block (sink_intent.go).
	dctx := context.WithValue(ctx, fromMessagesKey{}, true)
	if err := s.insertDeltas(dctx, b, in); err != nil {
		return err
	}
	if err := s.insertCoverageDeltas(dctx, b, in); err != nil {
		return err
	}
	if err := s.withdraw(ctx, b.Withdrawals); err != nil {
		return err
	}
	if err := s.republish(ctx, b.Republished, in); err != nil {
		return err
	}
	if len(in.rows) > 0 {
		return &RefusedRows{Rows: in.rows}
	}
	return nil
}

// prepare starts a batch insert of query ("INSERT INTO t (c1, c2, …)"),
// with the columns' types from the first insert of the same statement.
// An insert that then fails for another reason than its rows (a table
// altered meanwhile, say) must forget them (forget).
func (s *ClickHouseSink) prepare(ctx context.Context, query string) (driver.Batch, error) {
	s.layoutMu.Lock()
	layout, ok := s.layouts[query]
	s.layoutMu.Unlock()
	if ok {
		return s.Conn.PrepareBatch(clickhouse.Context(ctx, clickhouse.WithColumnNamesAndTypes(layout)), query)
	}
	batch, err := s.Conn.PrepareBatch(ctx, query)
	if err != nil {
		return nil, err
	}
	cols := batch.Columns()
	layout = make([]clickhouse.ColumnNameAndType, len(cols))
	for i, c := range cols {
		layout[i] = clickhouse.ColumnNameAndType{Name: c.Name(), Type: string(c.Type())}
	}
	s.layoutMu.Lock()
	if s.layouts == nil {
		s.layouts = map[string][]clickhouse.ColumnNameAndType{}
	}
	s.layouts[query] = layout
	s.layoutMu.Unlock()
	return batch, nil
}

// layout returns the columns of insert statement query (into table,
// columns names in order), learning them first if need be: a DESCRIBE
// TABLE, once a process, read as clickhouse-go's HTTP batches read it
// (the name and type of each column named), on a connection kept open
// (a batch prepared and dropped unsent would close its own). Nil when
// they cannot be learned: the insert through clickhouse-go then says why.
func (s *ClickHouseSink) layout(ctx context.Context, query, table string, names []string) []clickhouse.ColumnNameAndType {
	s.layoutMu.Lock()
	layout := s.layouts[query]
	s.layoutMu.Unlock()
	if layout != nil {
		return layout
	}
	layout, err := s.describe(ctx, table, names)
	if err != nil {
		return nil
	}
	s.layoutMu.Lock()
	if s.layouts == nil {
		s.layouts = map[string][]clickhouse.ColumnNameAndType{}
	}
	s.layouts[query] = layout
	s.layoutMu.Unlock()
	return layout
}

// describe reads the types of table's columns names, in that order.
func (s *ClickHouseSink) describe(ctx context.Context, table string, names []string) ([]clickhouse.ColumnNameAndType, error) {
	rows, err := s.Conn.Query(ctx, "DESCRIBE TABLE "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types := make(map[string]string, len(names))
	vals := make([]string, len(rows.Columns()))
	dst := make([]any, len(vals))
	for i := range vals {
		dst[i] = &vals[i]
	}
	for rows.Next() {
		if len(vals) < 3 {
			return nil, fmt.Errorf("describe %s: %d columns in the answer", table, len(vals))
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		// Such columns cannot be named in an insert (vals[2]: default_type).
		if vals[2] != "MATERIALIZED" && vals[2] != "ALIAS" {
			types[vals[0]] = vals[1]
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	layout := make([]clickhouse.ColumnNameAndType, len(names))
	for i, n := range names {
		t, ok := types[n]
		if !ok {
			return nil, fmt.Errorf("describe %s: no column %s", table, n)
		}
		layout[i] = clickhouse.ColumnNameAndType{Name: n, Type: t}
	}
	return layout, nil
}

// forget drops the columns learned for query: the next insert asks the
// table again.
func (s *ClickHouseSink) forget(query string) {
	s.layoutMu.Lock()
	delete(s.layouts, query)
	s.layoutMu.Unlock()
}

// refusals collects the rows refused by one Write.
type refusals struct {
	max  int
	rows []RefusedRow
}

func (r *refusals) add(row RefusedRow) error {
	r.rows = append(r.rows, row)
	if len(r.rows) > r.max {
		return fmt.Errorf("insert into %s: more than %d rows refused in one batch, which is a schema or engine problem rather than bad rows; first: %w",
			r.rows[0].Table, r.max, r.rows[0].Err)
	}
	return nil
}

func insertRows[T any](ctx context.Context, s *ClickHouseSink, table, kind string, rows []T, ref *refusals) error {
	return insertRowsAt(ctx, s, table, kind, rows, nil, nil, ref)
}

// noInsertPass returns the settings of an insert that skips the engine's
// merging pass over the inserted block (optimize_on_insert = 0): after
// sorting the block by the table's key, ReplacingMergeTree and
// SummingMergeTree pass over it row by row, comparing each row's key with
// the next and copying every column of every row it keeps into a new
// block. A block that holds one row per key loses nothing to that pass,
// and its part is the same without it. The records' inserts hold one row
// per record id (lastCopies), and there the pass was half the engine's
// CPU: one insert of 20,000 records, 173–183 → 81–88 ms of the process's
// CPU (a throwaway benchmark beside BenchmarkClickHouseSinkWrite/records,
// the setting on the connection). The coverage deltas skip it too
// (deltaInsert), for another reason. A fresh map each time: the
// driver's options hold the map they are given.
func noInsertPass() clickhouse.Settings { return clickhouse.Settings{"optimize_on_insert": 0} }

// settingsClause is settings as an INSERT's SETTINGS clause (" SETTINGS
// k = v, …", in the order of the names, values as fmt prints them, a
// string quoted: the deltas' deduplication token), or "" for none.
func settingsClause(settings clickhouse.Settings) string {
	if len(settings) == 0 {
		return ""
	}
	names := make([]string, 0, len(settings))
	for k := range settings {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, k := range names {
		if i == 0 {
			b.WriteString(" SETTINGS ")
		} else {
			b.WriteString(", ")
		}
		if v, ok := settings[k].(string); ok {
			fmt.Fprintf(&b, "%s = '%s'", k, strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v))
			continue
		}
		fmt.Fprintf(&b, "%s = %v", k, settings[k])
	}
	return b.String()
}

// lastCopies returns the positions of the last copy of each record in
// recs, in order, or nil when no record appears twice. The records' view
// (migration 0014) reads the rows of an insert as they are, so an insert
// holds one row per record id; ReplacingMergeTree would keep the last
// one inserted, and so does this.
func lastCopies(recs []schemas.Record) []int {
	last := make(map[string]int, len(recs))
	for i := range recs {
		last[recs[i].RecordID] = i
	}
	if len(last) == len(recs) {
		return nil
	}
	idx := make([]int, 0, len(last))
	for i := range recs {
		if last[recs[i].RecordID] == i {
			idx = append(idx, i)
		}
	}
	return idx
}

// insertRowsAt inserts rows[i] for i in idx (nil: all rows), on either
// path (the Native blocks the sink writes itself, clickhouse-go's
// batches) with the query settings given; nil keeps those of ctx, others
// replace them (as deltaInsert's do).
func insertRowsAt[T any](ctx context.Context, s *ClickHouseSink, table, kind string, rows []T, idx []int, settings clickhouse.Settings, ref *refusals) error {
	if len(rows) == 0 {
		return nil
	}
	var zero T
	cols := schemas.Tags(zero)
	if settings != nil {
		ctx = clickhouse.Context(ctx, clickhouse.WithSettings(settings))
	}
	in := &inserter[T]{
		ctx: ctx, sink: s, table: table, kind: kind, rows: rows, ref: ref,
		q:        fmt.Sprintf("INSERT INTO %s (%s)", table, strings.Join(cols, ", ")),
		names:    cols,
		settings: settingsClause(settings),
	}
	if done, err := in.insertColumns(idx); done || err != nil {
		return err
	}
	if idx == nil {
		idx = make([]int, len(rows))
		for i := range idx {
			idx[i] = i
		}
	}
	return in.insert(idx)
}

// insertColumns inserts rows[i] for i in idx (nil: all rows) in one
// insert appended column by column (schemas.Columns), without
// AppendStruct's reflection and boxed values per row. It reports false,
// having inserted nothing, when the driver cannot convert a column or the
// engine refuses the insert for its data: the rows then go again row by
// row (insert), which isolates the refused ones. A good batch costs one
// insert, as before.
func (in *inserter[T]) insertColumns(idx []int) (bool, error) {
	switch done, refused, err := in.insertNative(idx); {
	case err != nil, done:
		return done, err
	case refused:
		return false, nil
	}
	cols, err := schemas.Columns(in.rows, idx)
	if err != nil {
		return false, nil // a type the codec does not take: row by row
	}
	batch, err := in.sink.prepare(in.ctx, in.q)
	if err != nil {
		return false, fmt.Errorf("prepare insert into %s: %w", in.table, err)
	}
	for i, c := range cols {
		if err := batch.Column(i).Append(c); err != nil {
			batch.Abort()
			return false, nil
		}
	}
	in.sink.Inserts.Add(1)
	if err := batch.Send(); err != nil {
		if IsRefusal(err) {
			return false, nil
		}
		in.sink.forget(in.q)
		n := len(in.rows)
		if idx != nil {
			n = len(idx)
		}
		return false, fmt.Errorf("insert %d rows into %s: %w", n, in.table, err)
	}
	return true, nil
}

// nativeInserter is a connection that takes an insert's data already in
// the Native format (chstore.NativeInserter: the connections over HTTP).
type nativeInserter interface {
	InsertNative(ctx context.Context, query string, body []byte) error
}

// insertNative inserts rows[i] for i in idx (nil: all rows) in one insert
// whose Native block it writes itself, a column at a time
// (nativeBlockRows), when the connection takes one and the statement's
// columns are of types nativeBlock writes. The
// columns are learned once a process (layout: a DESCRIBE), so the first
// insert of a statement takes this path too, as the deltas' do. It
// reports done when the rows are in, refused when the engine refused them
// for their data (the caller then isolates the refused rows through
// clickhouse-go, as before), and neither when it did not try.
func (in *inserter[T]) insertNative(idx []int) (done, refused bool, err error) {
	conn, ok := in.sink.Conn.(nativeInserter)
	if !ok {
		return false, false, nil
	}
	n := len(in.rows)
	if idx != nil {
		n = len(idx)
	}
	if n == 0 {
		return false, false, nil
	}
	layout := in.sink.layout(in.ctx, in.q, in.table, in.names)
	if layout == nil {
		return false, false, nil
	}
	buf := nativeBufs.Get().(*chproto.Buffer)
	defer nativeBufs.Put(buf)
	buf.Reset()
	if !nativeBlockRows(buf, layout, in.rows, idx, n) {
		return false, false, nil
	}
	in.sink.Inserts.Add(1)
	in.sink.NativeInserts.Add(1)
	if err := conn.InsertNative(in.ctx, in.q+in.settings, buf.Buf); err != nil {
		if IsRefusal(err) {
			return false, true, nil
		}
		in.sink.forget(in.q)
		return false, false, fmt.Errorf("insert %d rows into %s: %w", n, in.table, err)
	}
	return true, false, nil
}

// nativeBufs hold the Native bodies of inserts between flushes.
var nativeBufs = sync.Pool{New: func() any { return new(chproto.Buffer) }}

// inserter inserts chosen rows of one table, isolating refused rows.
type inserter[T any] struct {
	ctx   context.Context
	sink  *ClickHouseSink
	table string
	kind  string
	q     string
	names []string // q's columns
	// settings is the SETTINGS clause of the Native inserts (q keys the
	// learned layouts; clickhouse-go's batches take the settings from ctx).
	settings string
	rows     []T
	ref      *refusals
}

// isolateChunk is the size of the pieces a refused insert is first cut
// into, when it is larger: a driver refusal then costs re-appending one
// piece rather than the whole batch, and an engine refusal re-sends the
// batch once in pieces before bisecting only the pieces that fail.
const isolateChunk = 4096

// insert writes rows[i] for i in idx (which it may reorder or shorten).
func (in *inserter[T]) insert(idx []int) error {
	for len(idx) > 0 {
		batch, err := in.sink.prepare(in.ctx, in.q)
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", in.table, err)
		}
		bad, err := in.appendAll(batch, idx)
		if err != nil {
			batch.Abort()
			if bad < 0 || !isConversionError(err) {
				in.sink.forget(in.q)
				return fmt.Errorf("append row %d to %s: %w", max(bad, 0), in.table, err)
			}
			if len(idx) > isolateChunk {
				return in.pieces(idx)
			}
			// The driver could not convert a value of this row: the batch
			// is spoilt, so build it again without the row.
			if err := in.ref.add(RefusedRow{Kind: in.kind, Table: in.table, Index: idx[bad], Err: err}); err != nil {
				return err
			}
			idx = append(idx[:bad:bad], idx[bad+1:]...)
			continue
		}
		in.sink.Inserts.Add(1)
		err = batch.Send()
		if err == nil {
			return nil
		}
		if !IsRefusal(err) {
			in.sink.forget(in.q)
			return fmt.Errorf("insert %d rows into %s: %w", len(idx), in.table, err)
		}
		if len(idx) == 1 {
			return in.ref.add(RefusedRow{Kind: in.kind, Table: in.table, Index: idx[0], Err: err})
		}
		if p, ok := rowHint(err, len(idx)); ok {
			// The engine named the row (a violated constraint does): try
			// it alone — refused, it is recorded; accepted, the hint was
			// wrong and no harm done — then send the others, in pieces
			// if the batch is large.
			if err := in.insert([]int{idx[p]}); err != nil {
				return err
			}
			idx = append(idx[:p:p], idx[p+1:]...)
			if len(idx) > isolateChunk {
				return in.pieces(idx)
			}
			continue
		}
		if len(idx) > isolateChunk {
			return in.pieces(idx)
		}
		// The engine refused the insert for its data: the good half of
		// the batch goes in, the other half is cut again.
		mid := len(idx) / 2
		if err := in.insert(idx[:mid:mid]); err != nil {
			return err
		}
		idx = idx[mid:]
	}
	return nil
}

// pieces inserts idx in pieces of isolateChunk rows.
func (in *inserter[T]) pieces(idx []int) error {
	for lo := 0; lo < len(idx); lo += isolateChunk {
		hi := min(lo+isolateChunk, len(idx))
		if err := in.insert(idx[lo:hi:hi]); err != nil {
			return err
		}
	}
	return nil
}

// appendAll appends rows[i] for i in idx to batch and returns the
// position in idx of a row that could not be appended, or -1.
func (in *inserter[T]) appendAll(batch driver.Batch, idx []int) (int, error) {
	for p, i := range idx {
		if err := batch.AppendStruct(&in.rows[i]); err != nil {
			return p, err
		}
	}
	return -1, nil
}

var atRowRE = regexp.MustCompile(`\bat row (\d+)\b`)

// rowHint returns the position of the row the engine's error names ("is
// violated at row 7", 1-based within the insert), if it names one in range.
func rowHint(err error, n int) (int, bool) {
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) {
		return 0, false
	}
	m := atRowRE.FindStringSubmatch(ex.Message)
	if m == nil {
		return 0, false
	}
	row, convErr := strconv.Atoi(m[1])
	if convErr != nil || row < 1 || row > n {
		return 0, false
	}
	return row - 1, true
}

// isConversionError reports whether err is the driver's failure to put one
// value in its column (as opposed to a struct that does not fit the table,
// which would fail every row alike).
func isConversionError(err error) bool {
	var be *proto.BlockError
	return errors.As(err, &be) && be.Op == "AppendRow"
}

// refusalCodes are the ClickHouse error codes that mean "these rows are
// not acceptable" rather than "the server cannot take an insert now".
// (ClickHouse's src/Common/ErrorCodes.cpp.)
var refusalCodes = map[int32]string{
	6:   "CANNOT_PARSE_TEXT",
	26:  "CANNOT_PARSE_QUOTED_STRING",
	27:  "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
	38:  "CANNOT_PARSE_DATE",
	41:  "CANNOT_PARSE_DATETIME",
	53:  "TYPE_MISMATCH",
	69:  "ARGUMENT_OUT_OF_BOUND",
	70:  "CANNOT_CONVERT_TYPE",
	72:  "CANNOT_PARSE_NUMBER",
	117: "INCORRECT_DATA",
	131: "TOO_LARGE_STRING_SIZE",
	321: "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE",
	349: "CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN",
	395: "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO",
	407: "DECIMAL_OVERFLOW",
	469: "VIOLATED_CONSTRAINT",
	691: "UNKNOWN_ELEMENT_OF_ENUM",
}

// IsRefusal reports whether err is ClickHouse refusing rows for their
// data (see refusalCodes), as opposed to failing for a reason of its own.
func IsRefusal(err error) bool {
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) {
		return false
	}
	_, ok := refusalCodes[ex.Code]
	return ok
}

// insertDeltas inserts b.PersonDeltas into person_deltas (migration 0013),
// whose views add them to the coverage aggregates. Deltas whose (batch,
// seq) person_delta_keys already holds, or that appear twice in b, are
// dropped from b first: a message replayed after a crash between the
// write and the offset commit, or a registry batch flushed again, counts
// once. Deltas with old_known = 0 get the state last counted for their
// person from person_state.
func (s *ClickHouseSink) insertDeltas(ctx context.Context, b *Batch, in *refusals) error {
	if len(b.PersonDeltas) == 0 {
		return nil
	}
	type key struct {
		batch string
		seq   uint32
	}
	seen := map[key]bool{}
	var batches []string
	for _, d := range b.PersonDeltas {
		k := key{d.Batch, d.Seq}
		if _, ok := seen[k]; ok {
			continue
		}
		if len(batches) == 0 || batches[len(batches)-1] != d.Batch {
			batches = append(batches, d.Batch)
		}
		seen[k] = false
	}
	slices.Sort(batches)
	batches = slices.Compact(batches)
	if err := s.lookup(ctx, "person_delta_keys", "SELECT batch, seq FROM person_delta_keys WHERE batch IN", batches, func(rows driver.Rows) error {
		var k key
		if err := rows.Scan(&k.batch, &k.seq); err != nil {
			return err
		}
		seen[k] = true
		return nil
	}); err != nil {
		return err
	}
	keep := b.PersonDeltas[:0]
	var unknown []string
	present := 0 // rows dropped because person_delta_keys holds them
	inBatch := make(map[key]struct{}, len(b.PersonDeltas))
	for _, d := range b.PersonDeltas {
		k := key{d.Batch, d.Seq}
		if seen[k] {
			if _, ok := inBatch[k]; !ok {
				present++
			}
			inBatch[k] = struct{}{}
			continue
		}
		inBatch[k] = struct{}{}
		seen[k] = true // a second copy in this batch goes too
		if d.OldKnown == 0 {
			unknown = append(unknown, d.PersonID)
		}
		keep = append(keep, d)
	}
	b.PersonDeltas = keep
	if len(unknown) > 0 {
		var err error
		if b.PersonDeltas, err = s.fillOld(ctx, b.PersonDeltas, unknown); err != nil {
			return err
		}
	}
	if present == 0 && len(unknown) == 0 {
		// The rows are the messages' less their second copies: the block
		// can be made again from the messages (sink_intent.go).
		ctx = derivable(ctx)
	}
	return insertPersonDeltaRows(ctx, s, b.PersonDeltas, in)
}

// dropPersonDeltaCopies drops the second copies of a (batch, seq) from
// rows, in order, as insertDeltas' filter does with no key in the table.
func dropPersonDeltaCopies(rows []schemas.PersonDelta) []schemas.PersonDelta {
	seen := make(map[[2]any]bool, len(rows))
	keep := rows[:0]
	for _, d := range rows {
		k := [2]any{d.Batch, d.Seq}
		if seen[k] {
			continue
		}
		seen[k] = true
		keep = append(keep, d)
	}
	return keep
}

// insertPersonDeltaRows inserts rows into person_deltas as the other
// deltas go (insertColumns): one insert column by column, with the
// deduplication token of the rows' (batch, seq), sent again as it was
// after an outage. person_deltas fans out to four views (keys,
// person_state, coverage_persons, coverage_children), each committing its
// part on its own, as person_delta_sums does; the aggregates keep 0024's
// deduplication window, and the keys and person_state are
// ReplacingMergeTrees, where a second copy is harmless. The block is sent
// again as fillOld made it: its old states are not read again from
// person_state, which the first attempt's view may have changed. The
// settings are the token's alone (not deltaInsert's): person_state keeps
// the merging pass on insert, as before.
func insertPersonDeltaRows(ctx context.Context, s *ClickHouseSink, rows []schemas.PersonDelta, in *refusals) error {
	if len(rows) == 0 {
		return nil
	}
	cols, err := schemas.Columns(rows, nil)
	if err != nil {
		return fmt.Errorf("insert into person_deltas: %w", err)
	}
	return insertColumns(ctx, s, "person_deltas", KindPersonDeltas, personDeltaColumns, cols, rows,
		deltaSettings(nil, "person_deltas", rows, personDeltaKey), in)
}

var personDeltaColumns = schemas.Tags(schemas.PersonDelta{})

func personDeltaKey(d *schemas.PersonDelta) (string, uint32) { return d.Batch, d.Seq }

// fillOld sets the old state of the deltas with old_known = 0 (persons of
// ids) to the state person_state last counted for them (none: nothing
// counted), reading it in pieces of lookupChunk ids, and returns the
// deltas without those whose old state is the new one (a redelivered
// person that was counted: nothing to add).
func (s *ClickHouseSink) fillOld(ctx context.Context, deltas []schemas.PersonDelta, ids []string) ([]schemas.PersonDelta, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	old := map[string]schemas.PersonDelta{}
	if err := s.lookup(ctx, "person_state", `SELECT person_id, toUInt16(living), province_code, commune_code, new_province_code, new_commune_code,
			toUInt16(has_id), toUInt16(cmnd_only), birth_year FROM person_state FINAL WHERE person_id IN`, ids, func(rows driver.Rows) error {
		var d schemas.PersonDelta
		var id string
		if err := rows.Scan(&id, &d.OldLiving, &d.OldProvinceCode, &d.OldCommuneCode, &d.OldNewProvinceCode, &d.OldNewCommuneCode,
			&d.OldHasID, &d.OldCMNDOnly, &d.OldBirthYear); err != nil {
			return err
		}
		old[id] = d
		return nil
	}); err != nil {
		return nil, err
	}
	keep := deltas[:0]
	for _, d := range deltas {
		if d.OldKnown == 0 {
			o := old[d.PersonID]
			d.OldLiving, d.OldProvinceCode, d.OldCommuneCode = o.OldLiving, o.OldProvinceCode, o.OldCommuneCode
			d.OldNewProvinceCode, d.OldNewCommuneCode = o.OldNewProvinceCode, o.OldNewCommuneCode
			d.OldHasID, d.OldCMNDOnly, d.OldBirthYear, d.OldKnown = o.OldHasID, o.OldCMNDOnly, o.OldBirthYear, 1
			if d.OldLiving == d.Living && (d.Living == 0 || d.OldProvinceCode == d.ProvinceCode && d.OldCommuneCode == d.CommuneCode &&
				d.OldNewProvinceCode == d.NewProvinceCode && d.OldNewCommuneCode == d.NewCommuneCode && d.OldHasID == d.HasID &&
				d.OldCMNDOnly == d.CMNDOnly && d.OldBirthYear == d.BirthYear) {
				continue // nothing changed since it was counted
			}
		}
		keep = append(keep, d)
	}
	return keep, nil
}

// insertCoverageDeltas inserts b.RecordDeltas and b.PersonDeltaSums in
// one insert into coverage_deltas (migration 0027), whose two views write
// coverage_delta_keys and coverage_sums: two parts a flush, where the
// Null tables of 0015–0016 made five. Rows whose (kind, batch, seq)
// coverage_delta_keys already holds, or that appear twice in b, are
// dropped from b first (one look-up for both kinds): a replayed message,
// a re-flushed registry batch or a batch's rows the registry emits again
// after a possibly lost output count once. A legacy records' row
// (old_known = 0: a record counted by the views of migrations 0005–0014,
// which kept record_state) is compared with record_state: nothing if
// equal, else its old state is taken away in a row of the same key.
func (s *ClickHouseSink) insertCoverageDeltas(ctx context.Context, b *Batch, in *refusals) error {
	if len(b.RecordDeltas)+len(b.PersonDeltaSums) == 0 {
		return nil
	}
	present, err := s.newCoverageRows(ctx, b, true)
	if err != nil {
		return err
	}
	var legacy []string
	for _, d := range b.RecordDeltas {
		if d.OldKnown == 0 {
			legacy = append(legacy, d.RecordID)
		}
	}
	if len(legacy) > 0 {
		if b.RecordDeltas, err = s.fillOldRecords(ctx, b.RecordDeltas, legacy); err != nil {
			return err
		}
	}
	if len(b.RecordDeltas)+len(b.PersonDeltaSums) == 0 {
		return nil
	}
	if present == 0 && len(legacy) == 0 {
		// The rows are the messages' less their second copies: the block
		// can be made again from the messages (sink_intent.go).
		ctx = derivable(ctx)
	}
	return s.sendCoverageDeltas(ctx, coverageRows(b), b.RecordDeltas, b.PersonDeltaSums, in)
}

// coverageRows are b's records' then persons' coverage deltas as rows
// of coverage_deltas.
func coverageRows(b *Batch) []schemas.CoverageDelta {
	rows := make([]schemas.CoverageDelta, 0, len(b.RecordDeltas)+len(b.PersonDeltaSums))
	for i := range b.RecordDeltas {
		rows = append(rows, schemas.CoverageDeltaOfRecords(&b.RecordDeltas[i]))
	}
	for i := range b.PersonDeltaSums {
		rows = append(rows, schemas.CoverageDeltaOfPersons(&b.PersonDeltaSums[i]))
	}
	return rows
}

// newCoverageRows drops from b.RecordDeltas and b.PersonDeltaSums the
// rows whose (kind, batch, seq) coverage_delta_keys holds (when lookup)
// and second copies, keeping the order, and returns how many it dropped
// for coverage_delta_keys.
func (s *ClickHouseSink) newCoverageRows(ctx context.Context, b *Batch, lookup bool) (int, error) {
	type key struct {
		kind  uint8
		batch string
		seq   uint32
	}
	seen := make(map[key]bool, len(b.RecordDeltas)+len(b.PersonDeltaSums))
	var batches []string
	note := func(k key) {
		seen[k] = false
		if len(batches) == 0 || batches[len(batches)-1] != k.batch {
			batches = append(batches, k.batch)
		}
	}
	for i := range b.RecordDeltas {
		note(key{1, b.RecordDeltas[i].Batch, b.RecordDeltas[i].Seq})
	}
	for i := range b.PersonDeltaSums {
		note(key{2, b.PersonDeltaSums[i].Batch, b.PersonDeltaSums[i].Seq})
	}
	slices.Sort(batches)
	batches = slices.Compact(batches)
	present := 0
	if lookup {
		if err := s.lookup(ctx, "coverage_delta_keys", "SELECT kind, batch, seq FROM coverage_delta_keys WHERE batch IN", batches, func(res driver.Rows) error {
			var x key
			if err := res.Scan(&x.kind, &x.batch, &x.seq); err != nil {
				return err
			}
			if held, ok := seen[x]; ok && !held {
				seen[x] = true
				present++
			}
			return nil
		}); err != nil {
			return 0, err
		}
	}
	keepRecs := b.RecordDeltas[:0]
	for _, d := range b.RecordDeltas {
		if k := (key{1, d.Batch, d.Seq}); !seen[k] {
			seen[k] = true // a second copy in this batch goes too
			keepRecs = append(keepRecs, d)
		}
	}
	b.RecordDeltas = keepRecs
	keepPers := b.PersonDeltaSums[:0]
	for _, d := range b.PersonDeltaSums {
		if k := (key{2, d.Batch, d.Seq}); !seen[k] {
			seen[k] = true
			keepPers = append(keepPers, d)
		}
	}
	b.PersonDeltaSums = keepPers
	return present, nil
}

// sendCoverageDeltas inserts rows into coverage_deltas, column by column
// (insertColumns), as they are, with the deduplication token of their
// (kind, batch, seq). recs and pers are the same rows by kind: when the
// engine refuses the joint insert for its data, they go to record_deltas
// and person_delta_sums, whose views write the same tables (0027), each
// cut down to its refused rows (insertRows), which are named by their
// kind.
func (s *ClickHouseSink) sendCoverageDeltas(ctx context.Context, rows []schemas.CoverageDelta, recs []schemas.RecordDelta, pers []schemas.PersonDeltaSum, in *refusals) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	kind, year := make([]uint16, n), make([]uint16, n)
	seq := make([]uint32, n)
	var strs [8][]string // batch, the five codes, source kind
	for k := range strs {
		strs[k] = make([]string, n)
	}
	sourceMonth, month := make([]time.Time, n), make([]time.Time, n)
	var counts [6][]uint32
	for k := range counts {
		counts[k] = make([]uint32, n)
	}
	for i := range rows {
		d := &rows[i]
		kind[i], seq[i], year[i], sourceMonth[i], month[i] = d.Kind, d.Seq, d.BirthYear, d.SourceMonth, d.Month
		for k, v := range [7]string{d.Batch, d.ProvinceCode, d.DistrictCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.SourceKind} {
			strs[k][i] = v
		}
		for k, v := range [6]uint32{d.Added, d.Removed, d.AddedWithID, d.RemovedWithID, d.AddedCMNDOnly, d.RemovedCMNDOnly} {
			counts[k][i] = v
		}
	}
	// In the order of the ch tags of schemas.CoverageDelta.
	cols := []any{kind, strs[0], seq, strs[1], strs[2], strs[3], strs[4], strs[5], strs[6], sourceMonth, year, month,
		counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]}
	refused := func() error {
		if err := s.insertRecordDeltaColumns(deltaInsert(ctx), recs, in); err != nil {
			return err
		}
		return s.sendPersonDeltaSums(ctx, pers, in)
	}
	return insertColumnsOr(deltaInsert(ctx), s, "coverage_deltas", coverageDeltaColumns, cols, rows,
		deltaSettingsToken(deltaPass(), coverageDeltaToken(rows)), refused, in)
}

var coverageDeltaColumns = schemas.Tags(schemas.CoverageDelta{})

// coverageDeltaToken is the deduplication token of an insert of rows
// into coverage_deltas: as deltaToken, with each row's kind.
func coverageDeltaToken(rows []schemas.CoverageDelta) string {
	h := sha256.New()
	var n [6]byte
	for i := range rows {
		h.Write([]byte(rows[i].Batch))
		binary.LittleEndian.PutUint16(n[:2], rows[i].Kind)
		binary.LittleEndian.PutUint32(n[2:], rows[i].Seq)
		h.Write([]byte{0})
		h.Write(n[:])
	}
	return "coverage_deltas/" + hex.EncodeToString(h.Sum(nil))
}

// deltaInsert is ctx for inserting the coverage deltas: without the
// summing pass on insert (optimize_on_insert = 0, which the views' inserts
// into the aggregates and the keys' tables inherit). The registry has
// summed a batch's rows by unit already, so a block of records' deltas
// holds about one row per key of coverage_records and that pass (comparing
// the eight LowCardinality keys and copying row by row, after the sort)
// reduces nothing. The persons' rows are summed by unit, birth year and
// month: coverage_children keeps all three, so there too the pass reduces
// nothing; coverage_persons drops the birth year, and its part now keeps a
// row per birth year that the pass would have added up (7,227 rows instead
// of 1,572 in BenchmarkDeltaFlush's province flush), which its merges add
// up instead. Every part is still sorted, merges sum the rows as before,
// and readers sum them anyway (SummingMergeTree never promises one row per
// key, nor that a row whose sums are all zero is gone: rows of different
// inserts stay apart until a merge). The keys' tables get one row per
// (batch, seq) (newRows drops second copies). Skipping the pass for the
// persons' rows cost a flush of BenchmarkDeltaFlush 17–22 ms less of CPU
// (cov19). And without compiling the views' expressions (deltaPass).
// These inserts take these settings alone (query settings of the
// caller's context are not kept for them), and the deduplication settings
// of deltaSettings (migration 0024), which insertColumns puts with it.
func deltaInsert(ctx context.Context) context.Context {
	return clickhouse.Context(ctx, clickhouse.WithSettings(deltaPass()))
}

// deltaPass is the settings of the inserts of coverage deltas: no summing
// pass on insert (deltaInsert), and no compiled expressions
// (compile_expressions = 0, which the views' queries inherit). The engine
// compiles an expression (LLVM) once it has run three times and keeps the
// code for the process; the views of coverage_deltas (0027) hold four
// such (the counts' differences, the birth year's and the CMND's if), and
// each compilation cost 26 ms of CPU a flush over a load process's first
// three flushes (100–300 ms of wall at load 27; cov28, docs/coverage-speed.md),
// where the compiled code saves nothing measurable on blocks of ~9,000
// rows: a load process paid ~0.1 s of CPU for it in its first flushes,
// and TestLoadSpeed's first rounds with coverage did. A fresh map each
// time, as noInsertPass.
func deltaPass() clickhouse.Settings {
	return clickhouse.Settings{"optimize_on_insert": 0, "compile_expressions": 0}
}

// sendPersonDeltaSums inserts rows into person_delta_sums, column by
// column (insertColumns), as they are: since migration 0027 only the
// persons' rows of a joint insert the engine refused (sendCoverageDeltas)
// and a pending insert an older load process left.
func (s *ClickHouseSink) sendPersonDeltaSums(ctx context.Context, rows []schemas.PersonDeltaSum, in *refusals) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	batch, seq, year := make([]string, n), make([]uint32, n), make([]uint16, n)
	p, c, np, nc := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	month := make([]time.Time, n)
	var counts [6][]uint32
	for k := range counts {
		counts[k] = make([]uint32, n)
	}
	for i, d := range rows {
		batch[i], seq[i], p[i], c[i], np[i], nc[i], year[i], month[i] = d.Batch, d.Seq, d.ProvinceCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.BirthYear, d.ChangeMonth
		for k, v := range [6]uint32{d.Added, d.Removed, d.AddedWithID, d.RemovedWithID, d.AddedCMNDOnly, d.RemovedCMNDOnly} {
			counts[k][i] = v
		}
	}
	// In the order of the ch tags of schemas.PersonDeltaSum.
	cols := []any{batch, seq, p, c, np, nc, year, month, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]}
	return insertColumns(deltaInsert(ctx), s, "person_delta_sums", KindPersonDeltaSums, personDeltaSumColumns, cols, rows,
		deltaSettings(deltaPass(), "person_delta_sums", rows, personDeltaSumKey), in)
}

var personDeltaSumColumns = schemas.Tags(schemas.PersonDeltaSum{})

func personDeltaSumKey(d *schemas.PersonDeltaSum) (string, uint32) { return d.Batch, d.Seq }

// insertColumns inserts rows, given as cols (one slice per column, in the
// order of names), in one insert, without the per-row reflection of
// AppendStruct; if the driver cannot convert a column or the engine
// refuses the insert for its data, it inserts them again row by row
// (insertRows), which isolates the refused rows.
//
// The insert carries the settings given (nil: those of ctx) and, for the
// registry's deltas (key set), a deduplication token made of the rows'
// (batch, seq) (deltaSettings). When it fails on an outage (the engine
// killed or restarting: IsOutage) it is sent again, the same block with
// the same token, every outageWait until the engine takes it or ctx ends,
// rather than failing the flush: a flush failed is made again from Kafka
// by the restarted stage, whose keys filter (newRows) cannot tell which
// of the insert's views committed their part before the engine died
// (migration 0024). Sent again as it was, the aggregates that have it drop
// it and the others take it.
//
// With s.PendingDir, such an insert is first written there and its file
// removed once the engine took it (savePending): a load process that
// ends before then leaves it for the next Write to send again
// (resendPending).
//
// With s.Share and a Batch.From in ctx, the insert is published there
// before its first attempt (publishBefore: its intent, or the block).
//
// With a Batch.Fence in ctx (Write puts it there), each attempt first asks
// it, and none is made once it says the reader lost the rows'
// partitions: ErrPartitionsLost; it is asked again after the publish,
// which is then withdrawn when the generation ended meanwhile.
func insertColumns[T any](ctx context.Context, s *ClickHouseSink, table, kind string, names []string, cols []any, rows []T, settings clickhouse.Settings, in *refusals) error {
	return insertColumnsOr(ctx, s, table, names, cols, rows, settings, func() error { return insertRows(ctx, s, table, kind, rows, in) }, in)
}

// insertColumnsOr is insertColumns, with refused what is done instead
// when the driver cannot convert a column or the engine refuses the
// insert for its data.
func insertColumnsOr[T any](ctx context.Context, s *ClickHouseSink, table string, names []string, cols []any, rows []T, settings clickhouse.Settings, refused func() error, in *refusals) error {
	q := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ")"
	ictx := ctx
	if settings != nil {
		ictx = clickhouse.Context(ctx, clickhouse.WithSettings(settings))
	}
	// The Native block, when the sink writes it itself (deltaBlock): the
	// same bytes are sent each time and kept in the pending file.
	native := s.deltaBlock(ctx, q, table, names, cols, len(rows))
	if native != nil {
		defer nativeBufs.Put(native)
	}
	nq := q + settingsClause(settings)
	var pending *pendingBlock
	if token, _ := settings["insert_deduplication_token"].(string); token != "" && s.PendingDir != "" && !resending(ctx) {
		var err error
		if native != nil {
			pending, err = savePendingNative(s.PendingDir, token, nq, native.Buf)
		} else {
			pending, err = savePending(s.PendingDir, token, rows)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	token, _ := settings["insert_deduplication_token"].(string)
	shared := 0     // the parts of the block published to s.Share
	intent := false // its intent published instead (sink_intent.go)
	finished := func() {
		pending.done()
		if shared > 0 {
			s.dropShared(ctx, token, shared)
		}
		if intent {
			s.intentDone(token)
		}
	}
	for wait, attempt := outageWait, 0; ; wait, attempt = min(2*wait, outageMaxWait), attempt+1 {
		if fence, _ := ctx.Value(fenceKey{}).(func() bool); fence != nil && !resending(ctx) && !fence() {
			// The reader's group gave the rows' partitions to another
			// member, which replays them: not sent (chaos13). A block
			// never sent is dropped with its file; one an attempt sent
			// may be in some of the views, and stays in the file (and
			// the share) to be sent again under its token.
			if attempt == 0 {
				pending.done()
			} else {
				pending.release()
			}
			return fmt.Errorf("insert into %s: %w", table, ErrPartitionsLost)
		}
		if attempt == 0 && token != "" && s.Share != nil && spanOf(ctx) != nil && !resending(ctx) {
			// Published before it is sent, for the member given its
			// partitions, should this process end before the engine
			// takes it (sink_intent.go).
			var body []byte
			if native != nil {
				body = native.Buf
			}
			var err error
			if shared, intent, err = publishBefore(ctx, s, token, nq, body, rows); err != nil {
				pending.done()
				return fmt.Errorf("insert into %s: %w", table, err)
			}
			if fence, _ := ctx.Value(fenceKey{}).(func() bool); fence != nil && !fence() {
				// The generation ended while it was published: a member
				// given the partitions may have read the share before it
				// came, and filtered and inserted their rows under its
				// own token. Withdrawn, not sent.
				if intent {
					shared = 1
				}
				s.dropShared(ctx, token, shared)
				pending.done()
				return fmt.Errorf("insert into %s: %w", table, ErrPartitionsLost)
			}
		}
		var isRefused bool
		var err error
		if native != nil {
			isRefused, err = s.sendNative(ctx, nq, q, table, native.Buf, len(rows))
		} else {
			isRefused, err = insertColumnsOnce(ictx, s, q, table, cols, len(rows))
		}
		if isRefused {
			if err := refused(); err != nil {
				pending.release()
				return err
			}
			finished()
			return nil
		}
		if err == nil {
			finished()
			return nil
		}
		if !IsOutage(err) || ctx.Err() != nil {
			pending.release()
			return err
		}
		s.OutageRetries.Add(1)
		select {
		case <-ctx.Done():
			pending.release()
			return err
		case <-time.After(wait):
		}
	}
}

// ErrPartitionsLost is the error of a Write whose Batch.Fence said, before
// an insert of deltas, that the reader no longer holds the rows'
// partitions: the insert was not sent, and the load stage drops the flush
// uncommitted for the member now given them.
var ErrPartitionsLost = errors.New("the consumer group gave the rows' partitions to another member")

// fenceKey carries a Write's Batch.Fence to insertColumns.
type fenceKey struct{}

// deltaBlock writes cols (n rows) as the Native block of insert q, in a
// buffer of nativeBufs, when the connection takes one (nativeInserter)
// and nativeBlock writes the columns' types; it learns the statement's
// columns first (layout: a DESCRIBE, once a process) if need be. Nil:
// the insert goes through clickhouse-go's columns (insertColumnsOnce).
// The block is what clickhouse-go would have sent, written once: it is
// sent again as it is after an outage, and kept as it is while it is
// sent (savePendingNative).
func (s *ClickHouseSink) deltaBlock(ctx context.Context, q, table string, names []string, cols []any, n int) *chproto.Buffer {
	if _, ok := s.Conn.(nativeInserter); !ok || n == 0 {
		return nil
	}
	layout := s.layout(ctx, q, table, names)
	buf := nativeBufs.Get().(*chproto.Buffer)
	buf.Reset()
	if layout == nil || !nativeBlock(buf, layout, cols, n) {
		nativeBufs.Put(buf)
		return nil
	}
	return buf
}

// sendNative sends the Native block body (n rows) with query nq (insert
// q and its SETTINGS clause) once, as insertColumnsOnce sends columns.
func (s *ClickHouseSink) sendNative(ctx context.Context, nq, q, table string, body []byte, n int) (refused bool, err error) {
	s.Inserts.Add(1)
	s.NativeInserts.Add(1)
	if err := s.Conn.(nativeInserter).InsertNative(ctx, nq, body); err != nil {
		if IsRefusal(err) {
			return true, nil
		}
		if !IsOutage(err) {
			s.forget(q)
		}
		return false, fmt.Errorf("insert %d rows into %s: %w", n, table, err)
	}
	return false, nil
}

// outageWait is the first pause of insertColumns before it sends an insert
// again after an outage; it doubles up to outageMaxWait.
const (
	outageWait    = 250 * time.Millisecond
	outageMaxWait = 5 * time.Second
)

// insertColumnsOnce sends query q with cols (n rows) once. It reports
// refused when the driver cannot convert a column or the engine refuses
// the rows for their data, and any other failure as an error.
func insertColumnsOnce(ctx context.Context, s *ClickHouseSink, q, table string, cols []any, n int) (refused bool, err error) {
	batch, err := s.prepare(ctx, q)
	if err != nil {
		return false, fmt.Errorf("prepare insert into %s: %w", table, err)
	}
	for i, c := range cols {
		if err := batch.Column(i).Append(c); err != nil {
			batch.Abort()
			return true, nil
		}
	}
	s.Inserts.Add(1)
	if err := batch.Send(); err != nil {
		if IsRefusal(err) {
			return true, nil
		}
		s.forget(q)
		return false, fmt.Errorf("insert %d rows into %s: %w", n, table, err)
	}
	return false, nil
}

// deltaSettings returns settings with the deduplication of an insert of
// the registry's deltas, keyed by the rows' (batch, seq) in order (key):
// the same rows sent again have the same token, and every view pushes
// the token on to its table (deduplicate_blocks_in_dependent_materialized_views,
// the default of recent engines, set here for older ones).
func deltaSettings[T any](settings clickhouse.Settings, table string, rows []T, key func(*T) (string, uint32)) clickhouse.Settings {
	return deltaSettingsToken(settings, deltaToken(table, rows, key))
}

// deltaSettingsToken is deltaSettings with the token given.
func deltaSettingsToken(settings clickhouse.Settings, token string) clickhouse.Settings {
	if settings == nil {
		settings = clickhouse.Settings{}
	}
	settings["insert_deduplicate"] = 1
	settings["deduplicate_blocks_in_dependent_materialized_views"] = 1
	settings["insert_deduplication_token"] = token
	return settings
}

// deltaToken is the deduplication token of an insert of rows into table:
// the table and a SHA-256 of the rows' (batch, seq) in order.
func deltaToken[T any](table string, rows []T, key func(*T) (string, uint32)) string {
	h := sha256.New()
	var n [4]byte
	for i := range rows {
		b, q := key(&rows[i])
		h.Write([]byte(b))
		binary.LittleEndian.PutUint32(n[:], q)
		h.Write([]byte{0})
		h.Write(n[:])
	}
	return table + "/" + hex.EncodeToString(h.Sum(nil))
}

// newRows returns rows without those whose (batch, seq) the table keys
// (batch String, seq UInt32) holds and without second copies, in order.
func newRows[T any](ctx context.Context, s *ClickHouseSink, keys string, rows []T, key func(*T) (string, uint32)) ([]T, error) {
	type k struct {
		batch string
		seq   uint32
	}
	seen := map[k]bool{}
	var batches []string
	for i := range rows {
		b, q := key(&rows[i])
		seen[k{b, q}] = false
		if len(batches) == 0 || batches[len(batches)-1] != b {
			batches = append(batches, b)
		}
	}
	slices.Sort(batches)
	batches = slices.Compact(batches)
	if err := s.lookup(ctx, keys, "SELECT batch, seq FROM "+keys+" WHERE batch IN", batches, func(res driver.Rows) error {
		var x k
		if err := res.Scan(&x.batch, &x.seq); err != nil {
			return err
		}
		if _, ok := seen[x]; ok {
			seen[x] = true
		}
		return nil
	}); err != nil {
		return nil, err
	}
	keep := rows[:0]
	for i := range rows {
		b, q := key(&rows[i])
		if seen[k{b, q}] {
			continue
		}
		seen[k{b, q}] = true // a second copy in this batch goes too
		keep = append(keep, rows[i])
	}
	return keep, nil
}

// insertRecordDeltaColumns inserts rows into record_deltas column by
// column (since migration 0027 only the records' rows of a refused joint
// insert, sendCoverageDeltas, and a pending insert an older load process
// left), without the per-row reflection of AppendStruct (a flush of
// records spread over the whole country holds about one summed row per
// record). If the driver cannot convert a column or the engine refuses the
// insert for its data, it inserts them again row by row (insertRows),
// which isolates the refused rows.
func (s *ClickHouseSink) insertRecordDeltaColumns(ctx context.Context, rows []schemas.RecordDelta, in *refusals) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	str := func(f func(*schemas.RecordDelta) string) []string {
		out := make([]string, n)
		for i := range rows {
			out[i] = f(&rows[i])
		}
		return out
	}
	u32 := func(f func(*schemas.RecordDelta) uint32) []uint32 {
		out := make([]uint32, n)
		for i := range rows {
			out[i] = f(&rows[i])
		}
		return out
	}
	day := func(f func(*schemas.RecordDelta) time.Time) []time.Time {
		out := make([]time.Time, n)
		for i := range rows {
			out[i] = f(&rows[i])
		}
		return out
	}
	oldKnown := make([]uint16, n)
	for i := range rows {
		oldKnown[i] = rows[i].OldKnown
	}
	// In the order of the ch tags of schemas.RecordDelta.
	cols := []any{
		str(func(d *schemas.RecordDelta) string { return d.Batch }),
		u32(func(d *schemas.RecordDelta) uint32 { return d.Seq }),
		str(func(d *schemas.RecordDelta) string { return d.RecordID }),
		oldKnown,
		str(func(d *schemas.RecordDelta) string { return d.ProvinceCode }),
		str(func(d *schemas.RecordDelta) string { return d.DistrictCode }),
		str(func(d *schemas.RecordDelta) string { return d.CommuneCode }),
		str(func(d *schemas.RecordDelta) string { return d.NewProvinceCode }),
		str(func(d *schemas.RecordDelta) string { return d.NewCommuneCode }),
		str(func(d *schemas.RecordDelta) string { return d.SourceKind }),
		day(func(d *schemas.RecordDelta) time.Time { return d.SourceMonth }),
		day(func(d *schemas.RecordDelta) time.Time { return d.LoadMonth }),
		u32(func(d *schemas.RecordDelta) uint32 { return d.Added }),
		u32(func(d *schemas.RecordDelta) uint32 { return d.Removed }),
		u32(func(d *schemas.RecordDelta) uint32 { return d.AddedWithID }),
		u32(func(d *schemas.RecordDelta) uint32 { return d.RemovedWithID }),
		u32(func(d *schemas.RecordDelta) uint32 { return d.AddedCMNDOnly }),
		u32(func(d *schemas.RecordDelta) uint32 { return d.RemovedCMNDOnly }),
	}
	return insertColumns(ctx, s, "record_deltas", KindRecordDeltas, recordDeltaColumns, cols, rows,
		deltaSettings(deltaPass(), "record_deltas", rows, recordDeltaKey), in)
}

var recordDeltaColumns = schemas.Tags(schemas.RecordDelta{})

func recordDeltaKey(d *schemas.RecordDelta) (string, uint32) { return d.Batch, d.Seq }

// fillOldRecords resolves the legacy rows of deltas (records of ids)
// against record_state, the state the views of migrations 0005–0014 last
// counted for each record: a row whose record was counted alike goes; one
// counted otherwise is followed by a row of the same key taking the old
// state away; one never counted stays as it is (+1).
func (s *ClickHouseSink) fillOldRecords(ctx context.Context, deltas []schemas.RecordDelta, ids []string) ([]schemas.RecordDelta, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	type state struct {
		d           schemas.RecordDelta
		hasID, cmnd uint8
	}
	old := map[string]state{}
	if err := s.lookup(ctx, "record_state", `SELECT record_id, province_code, district_code, commune_code, new_province_code, new_commune_code,
			source_kind, source_month, has_id, cmnd_only FROM record_state FINAL WHERE record_id IN`, ids, func(rows driver.Rows) error {
		var st state
		var id string
		if err := rows.Scan(&id, &st.d.ProvinceCode, &st.d.DistrictCode, &st.d.CommuneCode, &st.d.NewProvinceCode, &st.d.NewCommuneCode,
			&st.d.SourceKind, &st.d.SourceMonth, &st.hasID, &st.cmnd); err != nil {
			return err
		}
		old[id] = st
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]schemas.RecordDelta, 0, len(deltas))
	for _, d := range deltas {
		st, ok := old[d.RecordID]
		if d.OldKnown != 0 || !ok {
			out = append(out, d)
			continue
		}
		o := st.d
		if o.ProvinceCode == d.ProvinceCode && o.DistrictCode == d.DistrictCode && o.CommuneCode == d.CommuneCode &&
			o.NewProvinceCode == d.NewProvinceCode && o.NewCommuneCode == d.NewCommuneCode && o.SourceKind == d.SourceKind &&
			o.SourceMonth.Equal(d.SourceMonth) && uint32(st.hasID) == d.AddedWithID && uint32(st.cmnd) == d.AddedCMNDOnly {
			continue // counted alike: nothing to add
		}
		o.Batch, o.Seq, o.RecordID, o.LoadMonth = d.Batch, d.Seq, d.RecordID, d.LoadMonth
		o.Removed, o.RemovedWithID, o.RemovedCMNDOnly = 1, uint32(st.hasID), uint32(st.cmnd)
		out = append(out, d, o)
	}
	return out, nil
}

// withdraw marks the records of ws withdrawn (withdrawn_records,
// migration 0022), closes their links (a row with no person, rule
// "withdrawn", the version after the link's) and resolves the open
// conflicts naming them that the registry's rows of the batch, inserted
// before, left open. After the batch's other rows, so that a link or
// conflict of the same batch is closed too. Written again (a replayed
// message) it changes nothing: the marks are keyed by record id, and
// closed links and resolved conflicts are passed over.
func (s *ClickHouseSink) withdraw(ctx context.Context, ws []schemas.Withdrawal) error {
	if len(ws) == 0 {
		return nil
	}
	const insert = "INSERT INTO withdrawn_records (record_id, withdrawal_id, batch, replaces, user, withdrawn_at)"
	batch, err := s.prepare(ctx, insert)
	if err != nil {
		return fmt.Errorf("insert into withdrawn_records: %w", err)
	}
	wids := make([]string, 0, len(ws))
	n := 0
	for _, w := range ws {
		n += len(w.RecordIDs)
		wids = append(wids, w.WithdrawalID)
		for _, id := range w.RecordIDs {
			if err := batch.Append(id, w.WithdrawalID, w.Batch, w.Replaces, w.User, w.At); err != nil {
				batch.Abort()
				return fmt.Errorf("insert into withdrawn_records: %w", err)
			}
		}
	}
	s.Inserts.Add(1)
	if err := batch.Send(); err != nil {
		s.forget(insert)
		return fmt.Errorf("insert into withdrawn_records: %w", err)
	}
	// The ids are read back from withdrawn_records by withdrawal: a
	// withdrawal's 10,000 ids would not fit in a query's text.
	marked := "FROM withdrawn_records WHERE withdrawal_id IN (" + quoteList(wids) + ")"
	ids := "record_id IN (SELECT record_id " + marked + ")"
	for _, q := range []string{
		// The rows are chosen in a subquery: an alias of the outer
		// SELECT (status, version) would stand for the column in its
		// WHERE.
		`INSERT INTO links (record_id, person_id, match_probability, match_rule, version, linked_at)
		SELECT record_id, '', match_probability, '` + RuleWithdrawn + `', version + 1, now64(3)
		FROM (SELECT * FROM links FINAL WHERE ` + ids + ` AND match_rule != '` + RuleWithdrawn + `')`,
		`INSERT INTO conflicts SELECT * REPLACE ('` + schemas.StatusResolvedByRegistry + `' AS status, version + 1 AS version,
			concat('` + strings.ReplaceAll(WithdrawnExplanation, "\n", `\n`) + `', explanation) AS explanation)
		FROM (SELECT * FROM conflicts FINAL WHERE status = '` + schemas.StatusOpen + `'
			AND hasAny(record_ids, (SELECT groupArray(record_id) ` + marked + `)))`,
	} {
		s.Inserts.Add(1)
		if err := s.Conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("withdraw %d records: %w", n, err)
		}
	}
	return nil
}

// WithdrawnExplanation begins the explanation of a conflict resolved
// because a record it names was withdrawn (the desk shows it).
const WithdrawnExplanation = "Resolved by the registry: a record it names was withdrawn, its file replaced by a corrected one.\n\n"

// closeWithdrawn writes closed (as withdraw does) the links of b whose
// record was withdrawn before they arrived, and resolves b's open
// conflicts naming such a record. Under a backlog the old import's rows
// travel on other partitions of dancu.matched than the withdrawal and may
// reach ClickHouse after it, when withdraw found nothing of them to close;
// another member of the load group may have written the withdrawal. It
// runs after b's links and conflicts are inserted and reads
// withdrawn_records then, so that of two sinks, one writing late links
// and one a withdrawal, at least one sees the other's rows: the
// withdrawal's query sees the links, or this sees the marks.
//
// Cost: one query a Write that holds links or conflicts, reading
// withdrawn_records' count and a sum of its ids' hashes (nothing to read
// while no record was ever withdrawn); the ids themselves are read again
// only when those change (a new withdrawal, or a merge of its rows).
func (s *ClickHouseSink) closeWithdrawn(ctx context.Context, b *Batch) error {
	if len(b.Links) == 0 && len(b.Conflicts) == 0 {
		return nil
	}
	gone, err := s.withdrawnIDs(ctx)
	if err != nil || len(gone) == 0 {
		return err
	}
	var links []schemas.Link
	for _, l := range b.Links {
		if _, ok := gone[l.RecordID]; ok && l.MatchRule != RuleWithdrawn {
			links = append(links, schemas.Link{RecordID: l.RecordID, MatchProbability: l.MatchProbability,
				MatchRule: RuleWithdrawn, Version: l.Version + 1, LinkedAt: time.Now()})
		}
	}
	var conflicts []schemas.Conflict
	for _, c := range b.Conflicts {
		if c.Status != schemas.StatusOpen {
			continue
		}
		for _, id := range c.RecordIDs {
			if _, ok := gone[id]; ok {
				c.Status, c.Version, c.Explanation = schemas.StatusResolvedByRegistry, c.Version+1, WithdrawnExplanation+c.Explanation
				conflicts = append(conflicts, c)
				break
			}
		}
	}
	in := &refusals{max: 0}
	if err := insertRows(ctx, s, "links", KindLinks, links, in); err != nil {
		return fmt.Errorf("close %d links of withdrawn records: %w", len(links), err)
	}
	if err := insertRows(ctx, s, "conflicts", KindConflicts, conflicts, in); err != nil {
		return fmt.Errorf("resolve %d conflicts naming withdrawn records: %w", len(conflicts), err)
	}
	return nil
}

// withdrawnIDs returns the record ids of withdrawn_records (nil when
// there are none), read again only when the table's count or sum of
// hashes of its ids changed since they were last read.
func (s *ClickHouseSink) withdrawnIDs(ctx context.Context) (map[string]struct{}, error) {
	var sum [2]uint64
	if err := s.Conn.QueryRow(ctx, "SELECT count(), sum(cityHash64(record_id)) FROM withdrawn_records").Scan(&sum[0], &sum[1]); err != nil {
		return nil, fmt.Errorf("read withdrawn_records: %w", err)
	}
	s.withdrawnMu.Lock()
	defer s.withdrawnMu.Unlock()
	if sum == s.withdrawnSum {
		return s.withdrawn, nil
	}
	rows, err := s.Conn.Query(ctx, "SELECT DISTINCT record_id FROM withdrawn_records")
	if err != nil {
		return nil, fmt.Errorf("read withdrawn_records: %w", err)
	}
	defer rows.Close()
	ids := make(map[string]struct{}, sum[0])
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read withdrawn_records: %w", err)
		}
		ids[id] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read withdrawn_records: %w", err)
	}
	s.withdrawnSum, s.withdrawn = sum, ids
	return ids, nil
}

// lookupChunk bounds the ids one look-up query lists (a query's text is
// limited: max_query_size, 256 KiB by default).
const lookupChunk = 2000

// lookup runs query, which ends in "IN", with keys listed after it, once
// for every lookupChunk of them, and gives each row read to scan. Errors
// say "read what".
func (s *ClickHouseSink) lookup(ctx context.Context, what, query string, keys []string, scan func(driver.Rows) error) error {
	for lo := 0; lo < len(keys); lo += lookupChunk {
		rows, err := s.Conn.Query(ctx, query+" ("+quoteList(keys[lo:min(lo+lookupChunk, len(keys))])+")")
		if err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return fmt.Errorf("read %s: %w", what, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
	}
	return nil
}

// quoteList formats ss as ClickHouse string literals separated by commas.
func quoteList(ss []string) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('\'')
		for _, c := range []byte(s) {
			if c == '\'' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
		b.WriteByte('\'')
	}
	return b.String()
}
