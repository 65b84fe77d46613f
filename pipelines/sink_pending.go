package pipelines

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// The inserts of the registry's deltas that a load process may leave
// unfinished (issue 9 (e); docs/pipeline.md, chaos11).
//
// One insert into coverage_deltas (person_delta_sums and record_deltas
// before migration 0027) or person_deltas fans
// out to several views, each committing its part on its own; an engine
// killed between two commits leaves the keys and the aggregates apart.
// insertColumns sends such an insert again, the same block under the same
// token, until the engine takes it, and each view that has the block
// drops it (migration 0024). That needs the block: a load process that
// ends while the engine is down loses it, and the restarted stage makes
// other flushes, whose keys filter cannot tell which views committed.
//
// So, when the sink has a PendingDir, the block is written there before
// it is sent — the Native block the sink sends (deltaBlock), or, where
// the sink sends through clickhouse-go's columns, its rows encoded as the
// Kafka messages are (schemas.EncodeRows, about 35 ms of CPU for 70,000
// rows of records' deltas, where the Native block costs nothing more) — under an exclusive lock (flock) the sending process holds until
// the engine took the block, when the file goes. A process that ends
// leaves the file, and its lock goes with it (the kernel drops the locks
// of a process that exits, however it exits). Every Write that holds
// deltas first looks for pending blocks it can lock, and sends each
// again under its token — each view that committed it drops it, one that
// did not takes it — before any keys filter reads the keys. A block
// whose lock is held is being sent by a live process (another load
// stage of the same home): it is left alone.
//
// Nothing of it goes to ClickHouse and nothing is read from it: the cost
// is a file written and removed each insert of deltas, and a directory
// read each Write that holds deltas. The file is
// not synced: a process killed leaves it in the page cache, which the
// next process reads; a machine that loses power may lose it (and the
// hole is then open as before). It only helps a stage that runs with
// the same directory: a load process on another machine whose Kafka
// partitions go to a member elsewhere meets the keys filter as before.

// pendingMagic begins a pending block's file. Its token follows on its
// line, then a line "native CRC LEN" and the insert's query on its line,
// or "rows CRC LEN"; then the block: LEN bytes whose CRC-32 (IEEE) is CRC,
// the Native block the query sends or the rows (schemas.EncodeRows).
const pendingMagic = "dancu pending insert of deltas 1\n"

// pendingSuffix ends the name of a pending block's file; pendingTemp
// begins that of one being written.
const (
	pendingSuffix = ".pending"
	pendingTemp   = ".tmp-"
)

// pendingMaxAge is the age past which a pending block is not sent again
// (renamed *.stale and logged): the aggregates keep the ids of their last
// 10,000 blocks (migration 0024), and a block they took and forgot since
// would count twice. A load stage restarted by its supervisor sends it
// within seconds.
const pendingMaxAge = 24 * time.Hour

// pendingBlock is a pending block's file, locked by this process.
type pendingBlock struct {
	f    *os.File
	path string
}

// savePending writes the block of token (its rows) to dir and returns
// it locked: done removes it once the engine took the block, release
// leaves it for the next Write (of any process) to send again.
func savePending[T any](dir, token string, rows []T) (*pendingBlock, error) {
	payload, err := schemas.EncodeRows(rows)
	if err != nil {
		return nil, fmt.Errorf("pending insert %s: %w", token, err)
	}
	return writePending(dir, token, fmt.Sprintf("rows %08x %d\n", crc32.ChecksumIEEE(payload), len(payload)), payload)
}

// savePendingNative is savePending for the Native block body of query
// (an insert with its SETTINGS clause).
func savePendingNative(dir, token, query string, body []byte) (*pendingBlock, error) {
	return writePending(dir, token, fmt.Sprintf("native %08x %d\n%s\n", crc32.ChecksumIEEE(body), len(body), query), body)
}

func writePending(dir, token, head string, body []byte) (*pendingBlock, error) {
	f, err := os.CreateTemp(dir, pendingTemp+"*")
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(dir, 0o700); err == nil {
			f, err = os.CreateTemp(dir, pendingTemp+"*")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("pending insert %s: %w", token, err)
	}
	fail := func(err error) (*pendingBlock, error) {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("pending insert %s: %w", token, err)
	}
	// Locked before it has its name: no other process can take it.
	if ok, err := tryLock(f); err != nil || !ok {
		return fail(fmt.Errorf("lock %s: %v", f.Name(), err))
	}
	if _, err := f.WriteString(pendingMagic + token + "\n" + head); err != nil {
		return fail(err)
	}
	if _, err := f.Write(body); err != nil {
		return fail(err)
	}
	// Named by the time it was written, so that blocks left are sent
	// again in the order they were first sent.
	name := fmt.Sprintf("%020d-%s%s", time.Now().UnixNano(), strings.TrimPrefix(filepath.Base(f.Name()), pendingTemp), pendingSuffix)
	path := filepath.Join(dir, name)
	if err := os.Rename(f.Name(), path); err != nil {
		return fail(err)
	}
	return &pendingBlock{f: f, path: path}, nil
}

// done removes the block: the engine took it.
func (p *pendingBlock) done() {
	if p == nil {
		return
	}
	os.Remove(p.path)
	p.f.Close()
}

// release unlocks the block and leaves it to be sent again.
func (p *pendingBlock) release() {
	if p != nil {
		p.f.Close()
	}
}

// pendingFile is what a pending block's file holds.
type pendingFile struct {
	token string
	query string // the Native block's insert; "" for rows
	body  []byte // the Native block, or the rows (schemas.EncodeRows)
}

// claimPending locks the pending block at path when no live process
// holds it, and returns it with what it holds; nil when another process
// holds it or it is gone.
func claimPending(path string, log *slog.Logger) (p *pendingBlock, pf pendingFile, err error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, pf, nil
	}
	if err != nil {
		return nil, pf, err
	}
	ok, err := tryLock(f)
	if err != nil || !ok {
		f.Close()
		return nil, pf, err
	}
	// Its writer may have removed it (done) between our open and lock.
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, pf, err
	}
	if now, err := os.Stat(path); err != nil || !os.SameFile(fi, now) {
		f.Close()
		return nil, pf, nil
	}
	if age := time.Since(fi.ModTime()); age > pendingMaxAge {
		f.Close()
		log.Error("load: an insert of deltas left unfinished too long ago to send again (its aggregates may have forgotten it): kept as .stale, not counted",
			"file", path, "age", age.Round(time.Minute))
		return nil, pf, os.Rename(path, path+".stale")
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, pf, err
	}
	if pf, err = parsePending(b); err != nil {
		f.Close()
		return nil, pf, fmt.Errorf("pending insert %s: %w", path, err)
	}
	return &pendingBlock{f: f, path: path}, pf, nil
}

// parsePending reads a pending block's file (pendingMagic).
func parsePending(b []byte) (pf pendingFile, err error) {
	line := func() (string, bool) {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return "", false
		}
		l := string(b[:i])
		b = b[i+1:]
		return l, true
	}
	rest, ok := bytes.CutPrefix(b, []byte(pendingMagic))
	if !ok {
		return pf, errors.New("not a pending block")
	}
	b = rest
	var head string
	if pf.token, ok = line(); ok {
		head, ok = line()
	}
	var kind string
	var sum uint32
	var n int
	if _, err := fmt.Sscanf(head, "%s %x %d", &kind, &sum, &n); !ok || err != nil || (kind != "native" && kind != "rows") {
		return pf, errors.New("not a pending block")
	}
	if kind == "native" {
		if pf.query, ok = line(); !ok {
			return pf, errors.New("not a pending block")
		}
	}
	if len(b) != n || crc32.ChecksumIEEE(b) != sum {
		return pf, fmt.Errorf("a block of %d bytes, want %d with CRC %08x (written in part)", len(b), n, sum)
	}
	pf.body = b
	return pf, nil
}

// resendPending sends again, each under its token, every pending block in
// s.PendingDir that no live process holds: a block a load process was
// sending when it ended. Then every view of the block holds it once, and
// the keys filter that follows reads keys that agree with the aggregates.
// Rows the engine refuses now (the first attempt would have sent them to
// the dead letters) are dropped with a warning: they are not this batch's
// rows. The files a process left half written (temporary names, unlocked,
// older than a minute) go.
func (s *ClickHouseSink) resendPending(ctx context.Context) error {
	entries, err := os.ReadDir(s.PendingDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pending inserts of deltas: %w", err)
	}
	log := slog.Default()
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	rctx := context.WithValue(ctx, resendKey{}, true)
	for _, name := range names {
		path := filepath.Join(s.PendingDir, name)
		if strings.HasPrefix(name, pendingTemp) {
			removeAbandonedTemp(path)
			continue
		}
		if !strings.HasSuffix(name, pendingSuffix) {
			continue
		}
		p, pf, err := claimPending(path, log)
		if err != nil {
			return fmt.Errorf("pending inserts of deltas: %w", err)
		}
		if p == nil {
			continue
		}
		in := &refusals{max: 1 << 30}
		if pf.query != "" {
			err = s.resendNative(ctx, pf)
		} else {
			err = s.resend(rctx, pf.token, pf.body, in)
		}
		if err != nil {
			p.release()
			return err
		}
		p.done()
		if s.Share != nil {
			// Published, should its process have lived to see its first
			// attempt fail (sink_shared.go): done there too.
			s.dropShared(ctx, pf.token, 1)
		}
		s.PendingResent.Add(1)
		log.Info("load: an insert of deltas a load process left unfinished sent again", "token", pf.token, "native", pf.query != "")
		if len(in.rows) > 0 {
			log.Warn("load: rows of an unfinished insert of deltas refused when sent again", "token", pf.token, "rows", len(in.rows), "first", in.rows[0].Err)
		}
	}
	return nil
}

// resendNative sends the Native block of pf again, with its query (whose
// SETTINGS carry the token), until the engine takes it or ctx ends. A
// block the engine refuses for its data is dropped, logged: the process
// that first sent it would have sent its refused rows to the dead
// letters, and the rows of a Native block are not told apart here.
func (s *ClickHouseSink) resendNative(ctx context.Context, pf pendingFile) error {
	conn, ok := s.Conn.(nativeInserter)
	if !ok {
		return fmt.Errorf("pending insert %s: a Native block, and the connection takes none", pf.token)
	}
	for wait := outageWait; ; wait = min(2*wait, outageMaxWait) {
		s.Inserts.Add(1)
		err := conn.InsertNative(ctx, pf.query, pf.body)
		if err == nil {
			return nil
		}
		if IsRefusal(err) {
			slog.Default().Error("load: an unfinished insert of deltas refused for its data when sent again: dropped", "token", pf.token, "err", err)
			return nil
		}
		if !IsOutage(err) || ctx.Err() != nil {
			return fmt.Errorf("pending insert %s: %w", pf.token, err)
		}
		s.OutageRetries.Add(1)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// removeAbandonedTemp removes a pending block's file that its writer left
// before naming it, unless a live process holds it or it is new.
func removeAbandonedTemp(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if ok, err := tryLock(f); err != nil || !ok {
		return
	}
	if fi, err := f.Stat(); err == nil && time.Since(fi.ModTime()) > time.Minute {
		os.Remove(path)
	}
}

// resendKey marks the context of a block sent again by resendPending,
// whose file is held already.
type resendKey struct{}

func resending(ctx context.Context) bool { return ctx.Value(resendKey{}) != nil }

// resend sends the block of token whose rows payload encodes, checking
// that they make the token.
func (s *ClickHouseSink) resend(ctx context.Context, token string, payload []byte, in *refusals) error {
	table, _, _ := strings.Cut(token, "/")
	check := func(got string) error {
		if got != token {
			return fmt.Errorf("pending insert %s: its rows make the token %s", token, got)
		}
		return nil
	}
	switch table {
	case "coverage_deltas":
		rows, err := schemas.DecodeRows[schemas.CoverageDelta](payload)
		if err != nil {
			return fmt.Errorf("pending insert %s: %w", token, err)
		}
		if err := check(coverageDeltaToken(rows)); err != nil {
			return err
		}
		recs, pers := schemas.SplitCoverageDeltas(rows)
		return s.sendCoverageDeltas(ctx, rows, recs, pers, in)
	case "person_delta_sums":
		rows, err := schemas.DecodeRows[schemas.PersonDeltaSum](payload)
		if err != nil {
			return fmt.Errorf("pending insert %s: %w", token, err)
		}
		if err := check(deltaToken(table, rows, personDeltaSumKey)); err != nil {
			return err
		}
		return s.sendPersonDeltaSums(ctx, rows, in)
	case "record_deltas":
		rows, err := schemas.DecodeRows[schemas.RecordDelta](payload)
		if err != nil {
			return fmt.Errorf("pending insert %s: %w", token, err)
		}
		if err := check(deltaToken(table, rows, recordDeltaKey)); err != nil {
			return err
		}
		return s.insertRecordDeltaColumns(deltaInsert(ctx), rows, in)
	case "person_deltas":
		rows, err := schemas.DecodeRows[schemas.PersonDelta](payload)
		if err != nil {
			return fmt.Errorf("pending insert %s: %w", token, err)
		}
		if err := check(deltaToken(table, rows, personDeltaKey)); err != nil {
			return err
		}
		return insertPersonDeltaRows(ctx, s, rows, in)
	}
	return fmt.Errorf("pending insert %s: unknown table %q", token, table)
}

// DropPendingInserts removes the inserts of deltas left unfinished in dir
// (a load stage's LoadDir) and returns how many: coverage.Rebuild counts
// their rows from the tables, and sent again after it they would count
// twice. It fails, removing nothing, when a live process holds one (a
// load stage of that directory is running: Rebuild wants loads stopped).
func DropPendingInserts(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var held []*os.File
	defer func() {
		for _, f := range held {
			f.Close()
		}
	}()
	var paths []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), pendingSuffix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, err
		}
		held = append(held, f)
		if ok, err := tryLock(f); err != nil || !ok {
			return 0, fmt.Errorf("%s is being sent by a running load stage: stop the load stages first (%v)", path, err)
		}
		paths = append(paths, path)
	}
	for _, path := range paths {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, err
		}
	}
	return len(paths), nil
}
