package chdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Config says which library to load and where the engine keeps its data.
type Config struct {
	// DataDir is the engine's data directory (created if missing).
	// Required: an embedded engine without one would lose everything on exit.
	DataDir string
	// LibPath is the libchdb.so to load. Default: LibraryPath().
	LibPath string
}

// Engine is the ClickHouse engine running inside this process on one data
// directory. libchdb allows one engine per process and one process per data
// directory, so Open returns the same *Engine for the same directory and
// queries run one at a time. Engine is safe for concurrent use.
type Engine struct {
	dir string
	lib *lib

	sem  chan struct{} // holds the connection: one query at a time
	conn unsafe.Pointer
	// curDB is the database the connection's session is in; "" when unknown.
	curDB string
	// settings are those SET on the session for the last query. They are
	// changed only when the next query asks for others, so a client that
	// sends the same settings every time (clickhouse-go's
	// max_execution_time) costs no extra statements.
	settings map[string]string
	refs     int // guarded by engines.mu
	// goSignals is the Go runtime's signal handler table, put back after
	// every call into libchdb that changed it (see signals_linux.go).
	goSignals *sigState
	counters  engineCounters
}

var engines struct {
	mu   sync.Mutex
	open *Engine
}

// Open starts the engine on cfg.DataDir, or returns the engine already
// running on it in this process (each Open needs its own Close). Opening a
// second data directory while one is open fails: libchdb has one engine per
// process. A missing library gives an error matching ErrLibraryMissing.
func Open(cfg Config) (*Engine, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("open engine: data directory is required")
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("open engine: %w", err)
	}
	libPath := cfg.LibPath
	if libPath == "" {
		libPath = LibraryPath()
	}
	if err := CheckLibrary(libPath); err != nil {
		return nil, fmt.Errorf("open engine: %w", err)
	}
	engines.mu.Lock()
	defer engines.mu.Unlock()
	if e := engines.open; e != nil {
		if e.dir != dir {
			return nil, fmt.Errorf("open engine on %s: this process already runs the engine on %s (libchdb allows one per process)", dir, e.dir)
		}
		e.refs++
		return e, nil
	}
	l, err := loadLibrary(libPath)
	if err != nil {
		return nil, fmt.Errorf("open engine: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open engine: %w", err)
	}
	args := []string{"dancu", "--path=" + dir}
	cargs := make([][]byte, len(args))
	argv := make([]*byte, len(args)+1)
	for i, a := range args {
		cargs[i] = append([]byte(a), 0)
		argv[i] = &cargs[i][0]
	}
	goSignals := saveSignals()
	if l.setSignalHandlersEnabled != nil {
		l.setSignalHandlersEnabled(0)
	}
	conn := l.connect(int32(len(args)), unsafe.Pointer(&argv[0]))
	runtime.KeepAlive(cargs)
	runtime.KeepAlive(argv)
	restoreSignals(goSignals)
	if conn == nil || *(*unsafe.Pointer)(conn) == nil {
		return nil, fmt.Errorf("open engine on %s: chdb_connect failed (is another process using this directory? look for %s)", dir, filepath.Join(dir, "status"))
	}
	e := &Engine{dir: dir, lib: l, sem: make(chan struct{}, 1), conn: conn, refs: 1, goSignals: goSignals}
	engines.open = e
	return e, nil
}

// Dir returns the engine's absolute data directory.
func (e *Engine) Dir() string { return e.dir }

// Close releases this handle; the last Close stops the engine.
func (e *Engine) Close() error {
	engines.mu.Lock()
	defer engines.mu.Unlock()
	if e.refs <= 0 {
		return nil
	}
	e.refs--
	if e.refs > 0 {
		return nil
	}
	e.sem <- struct{}{} // wait for the running query
	defer func() { <-e.sem }()
	if e.lib.closeConn != nil && e.conn != nil {
		e.lib.closeConn(e.conn)
		restoreSignals(e.goSignals)
	}
	e.conn = nil
	engines.open = nil
	return nil
}

// QueryOptions are the per-query settings of Engine.Query.
type QueryOptions struct {
	// Format is the output format. Default: "TabSeparated". A FORMAT clause
	// in the query takes precedence.
	Format string
	// Database is the current database for the query. Default: "default".
	Database string
	// Params are server-side parameters bound to {name:Type} placeholders.
	Params map[string]string
	// Settings are applied for this query only (SET before, reset after).
	Settings map[string]string
}

// Result is the output of one query.
type Result struct {
	Data        []byte // the output in the requested format
	RowsRead    uint64
	RowsWritten uint64
}

// Exception is an error raised by the engine, with ClickHouse's error code.
type Exception struct {
	Code    int32  // ClickHouse error code, e.g. 60 UNKNOWN_TABLE; 1001 when the text carries none
	Message string // the engine's text, starting "Code: N. DB::Exception: …" when it has a code
}

func (e *Exception) Error() string { return e.Message }

var codeRe = regexp.MustCompile(`^\s*Code:\s*(\d+)\.`)

// newException parses the engine's error text.
func newException(msg string) *Exception {
	msg = strings.TrimSpace(msg)
	if m := codeRe.FindStringSubmatch(msg); m != nil {
		if c, err := strconv.ParseInt(m[1], 10, 32); err == nil {
			return &Exception{Code: int32(c), Message: msg}
		}
	}
	// 1001 is STD_EXCEPTION: the closest code for text without one.
	return &Exception{Code: 1001, Message: "Code: 1001. DB::Exception: " + msg}
}

// errClosed is returned by queries on a closed engine.
var errClosed = errors.New("engine is closed")

// Query runs one statement. ctx bounds the wait for the connection; a
// statement that has started runs to its end (libchdb cannot cancel it).
// Engine errors are *Exception.
func (e *Engine) Query(ctx context.Context, query string, opts QueryOptions) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-e.sem }()
	if e.conn == nil {
		return nil, errClosed
	}
	db := opts.Database
	if db == "" {
		db = "default"
	}
	if e.curDB != db {
		if _, err := e.run("USE "+QuoteIdent(db), "TabSeparated", nil); err != nil {
			e.curDB = ""
			return nil, err
		}
		e.curDB = db
	}
	if isUse(query) {
		e.curDB = "" // the statement moves the session; re-establish next time
	}
	if err := e.applySettings(opts.Settings); err != nil {
		return nil, err
	}
	format := opts.Format
	if format == "" {
		format = "TabSeparated"
	}
	e.counters.queries.Add(1)
	res, err := e.run(query, format, opts.Params)
	if err != nil {
		e.counters.errors.Add(1)
		return nil, err
	}
	e.counters.rowsRead.Add(int64(res.RowsRead))
	e.counters.rowsWritten.Add(int64(res.RowsWritten))
	return res, nil
}

// applySettings makes the session's settings exactly want: it sets those
// that differ and resets to DEFAULT those no longer asked for. The caller
// holds e.sem.
func (e *Engine) applySettings(want map[string]string) error {
	var set, reset []string
	for _, k := range sortedKeys(want) {
		if v, ok := e.settings[k]; !ok || v != want[k] {
			set = append(set, QuoteIdent(k)+" = "+QuoteString(want[k]))
		}
	}
	for _, k := range sortedKeys(e.settings) {
		if _, ok := want[k]; !ok {
			reset = append(reset, QuoteIdent(k)+" = DEFAULT")
		}
	}
	if len(reset) > 0 {
		if _, err := e.run("SET "+strings.Join(reset, ", "), "TabSeparated", nil); err != nil {
			return err
		}
		for k := range e.settings {
			if _, ok := want[k]; !ok {
				delete(e.settings, k)
			}
		}
	}
	if len(set) > 0 {
		if _, err := e.run("SET "+strings.Join(set, ", "), "TabSeparated", nil); err != nil {
			return err
		}
		if e.settings == nil {
			e.settings = map[string]string{}
		}
		for k, v := range want {
			e.settings[k] = v
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var useRe = regexp.MustCompile(`(?i)^\s*USE\s`)

func isUse(q string) bool { return useRe.MatchString(q) }

// run calls libchdb; the caller holds e.sem.
func (e *Engine) run(query, format string, params map[string]string) (*Result, error) {
	conn := *(*unsafe.Pointer)(e.conn)
	qb := append([]byte(query), 0)
	fb := append([]byte(format), 0)
	var res unsafe.Pointer
	if len(params) == 0 {
		res = e.lib.queryN(conn, unsafe.Pointer(&qb[0]), uintptr(len(query)), unsafe.Pointer(&fb[0]), uintptr(len(format)))
	} else {
		n := len(params)
		keep := make([][]byte, 0, 2*n)
		names := make([]*byte, n)
		values := make([]*byte, n)
		nameLens := make([]uintptr, n)
		valueLens := make([]uintptr, n)
		i := 0
		for k, v := range params {
			kb := append([]byte(k), 0)
			vb := append([]byte(v), 0)
			keep = append(keep, kb, vb)
			names[i], values[i] = &kb[0], &vb[0]
			nameLens[i], valueLens[i] = uintptr(len(k)), uintptr(len(v))
			i++
		}
		res = e.lib.queryParamsN(conn, unsafe.Pointer(&qb[0]), uintptr(len(query)), unsafe.Pointer(&fb[0]), uintptr(len(format)),
			unsafe.Pointer(&names[0]), unsafe.Pointer(&nameLens[0]), unsafe.Pointer(&values[0]), unsafe.Pointer(&valueLens[0]), uintptr(n))
		runtime.KeepAlive(keep)
		runtime.KeepAlive(names)
		runtime.KeepAlive(values)
		runtime.KeepAlive(nameLens)
		runtime.KeepAlive(valueLens)
	}
	runtime.KeepAlive(qb)
	runtime.KeepAlive(fb)
	restoreSignals(e.goSignals)
	if res == nil {
		return nil, newException("query returned no result")
	}
	defer e.lib.destroyResult(res)
	if msg := e.lib.resultError(res); msg != "" {
		return nil, newException(msg)
	}
	out := &Result{}
	if n := e.lib.resultLength(res); n > 0 {
		if p := e.lib.resultBuffer(res); p != nil {
			out.Data = make([]byte, n)
			copy(out.Data, unsafe.Slice(p, n))
		}
	}
	if e.lib.rowsRead != nil {
		out.RowsRead = e.lib.rowsRead(res)
	}
	if e.lib.rowsWritten != nil {
		out.RowsWritten = e.lib.rowsWritten(res)
	}
	return out, nil
}

// QuoteIdent quotes a ClickHouse identifier with backquotes.
func QuoteIdent(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`").Replace(s) + "`"
}

// QuoteString quotes a ClickHouse string literal.
func QuoteString(s string) string {
	return "'" + strings.NewReplacer("\\", "\\\\", "'", "\\'").Replace(s) + "'"
}
