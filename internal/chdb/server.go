package chdb

import (
	"bufio"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// HandlerConfig configures the HTTP front end.
type HandlerConfig struct {
	// TempDir receives the bodies of INSERT requests before the engine
	// reads them with FROM INFILE. Default: a "dancu_spool" directory under the
	// engine's data directory.
	TempDir string
	// Logger receives one debug line per request. Default: slog.Default().
	Logger *slog.Logger
}

// Handler serves an Engine on ClickHouse's HTTP interface, as far as
// github.com/ClickHouse/clickhouse-go/v2 with Protocol: clickhouse.HTTP uses
// it:
//
//   - GET/HEAD /ping answers "Ok.".
//   - The query comes in the "query" URL parameter and/or the body; when both
//     are present the body is appended to the parameter, as ClickHouse does.
//   - "default_format" chooses the output format (TabSeparated by default),
//     "database" (or the X-ClickHouse-Database header) the current database,
//     "param_NAME" binds {NAME:Type} server-side, and every other URL
//     parameter that is not an HTTP-interface option is applied as a setting
//     for that query only.
//   - An INSERT … FORMAT F whose data is the body (clickhouse-go's batch
//     insert) is written to a temporary file and run as
//     INSERT … FROM INFILE 'file' FORMAT F: bulk data never travels inline
//     through the query text, where libchdb may cut binary formats short.
//   - Errors are HTTP 500 with X-ClickHouse-Exception-Code and a body
//     "Code: N. DB::Exception: …", which clickhouse-go returns as
//     *clickhouse.Exception.
//   - clickhouse-go's connect-time query
//     SELECT displayName(), version(), revision(), timezone() is answered
//     with a hand-built Native block at the client's protocol revision that
//     reports revision 0: the engine writes revision-0 Native (no block
//     info) and the client then decodes every later answer that way.
//
// There is no authentication (user and password are ignored): serve it on
// a loopback address only.
//
// Not supported: native LZ4/ZSTD compression (compress=1/decompress=1; use
// Compression none), brotli request bodies, sessions and external tables.
// gzip and deflate request bodies are accepted.
type Handler struct {
	eng *Engine
	cfg HandlerConfig

	helloMu sync.Mutex
	hello   *serverInfo // read from the engine on first use

	counters handlerCounters
}

type serverInfo struct{ displayName, version, timezone string }

// NewHandler returns the HTTP front end of e.
func NewHandler(e *Engine, cfg HandlerConfig) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Handler{eng: e, cfg: cfg}
}

// httpOnlyParams are URL parameters of ClickHouse's HTTP interface that are
// not settings.
var httpOnlyParams = map[string]bool{
	"query": true, "database": true, "default_format": true, "user": true, "password": true,
	"query_id": true, "quota_key": true, "session_id": true, "session_timeout": true,
	"session_check": true, "compress": true, "decompress": true, "client_protocol_version": true,
	"buffer_size": true, "wait_end_of_query": true, "enable_http_compression": true,
	"role": true, "default_session_timeout": true,
}

// Error codes used by the front end itself (ClickHouse's numbering).
const (
	codeSyntaxError       = 62   // SYNTAX_ERROR: empty query
	codeUnsupportedMethod = 1    // UNSUPPORTED_METHOD
	codeCannotReadBody    = 1001 // STD_EXCEPTION
)

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/ping":
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		io.WriteString(w, "Ok.\n")
		return
	case "/", "":
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method == http.MethodGet && r.URL.RawQuery == "" {
		io.WriteString(w, "Ok.\n") // ClickHouse answers a bare GET / like /ping
		return
	}
	h.counters.requests.Add(1)
	if err := h.serveQuery(w, r); err != nil {
		h.counters.exceptions.Add(1)
		writeError(w, err)
	}
}

func (h *Handler) serveQuery(w http.ResponseWriter, r *http.Request) error {
	params := r.URL.Query()
	if params.Get("compress") == "1" || params.Get("decompress") == "1" {
		return &Exception{Code: codeUnsupportedMethod, Message: "Code: 1. DB::Exception: LZ4/ZSTD (native) compression is not supported by dancu's embedded ClickHouse front end: connect with no compression. (UNSUPPORTED_METHOD)"}
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return &Exception{Code: codeUnsupportedMethod, Message: "Code: 1. DB::Exception: external tables are not supported by dancu's embedded ClickHouse front end. (UNSUPPORTED_METHOD)"}
	}
	body, err := requestBody(r)
	if err != nil {
		return err
	}
	defer body.Close()

	opts := QueryOptions{
		Format:   params.Get("default_format"),
		Database: params.Get("database"),
	}
	if opts.Database == "" {
		opts.Database = r.Header.Get("X-ClickHouse-Database")
	}
	if opts.Format == "" {
		opts.Format = r.Header.Get("X-ClickHouse-Format")
	}
	if opts.Format == "" {
		opts.Format = "TabSeparated"
	}
	for k, vs := range params {
		if len(vs) == 0 {
			continue
		}
		v := vs[len(vs)-1]
		switch {
		case strings.HasPrefix(k, "param_"):
			if opts.Params == nil {
				opts.Params = map[string]string{}
			}
			opts.Params[strings.TrimPrefix(k, "param_")] = v
		case httpOnlyParams[k]:
		default:
			if opts.Settings == nil {
				opts.Settings = map[string]string{}
			}
			opts.Settings[k] = v
		}
	}

	query := params.Get("query")
	var head, format string
	var data io.Reader = body
	if m := insertFormatRe.FindStringSubmatchIndex(query); m != nil && r.Method == http.MethodPost {
		// INSERT … FORMAT F in the URL, data in the body.
		head, format = query[:m[3]], query[m[4]:m[5]]
	} else if query == "" && r.Method == http.MethodPost {
		// The whole statement in the body: INSERT … FORMAT F, a line
		// break, then the data.
		br := bufio.NewReaderSize(body, bodyHeadSize)
		peek, _ := br.Peek(bodyHeadSize)
		if m := bodyInsertRe.FindSubmatchIndex(peek); m != nil {
			head, format = string(peek[:m[3]]), string(peek[m[4]:m[5]])
			br.Discard(m[1])
		}
		data = br
	}
	if head != "" {
		infile, err := h.spool(data)
		if err != nil {
			return err
		}
		defer os.Remove(infile)
		query = infileQuery(head, format, infile)
	} else {
		text, err := io.ReadAll(data)
		if err != nil {
			return &Exception{Code: codeCannotReadBody, Message: fmt.Sprintf("Code: %d. DB::Exception: read request body: %v", codeCannotReadBody, err)}
		}
		if len(text) > 0 {
			if query != "" {
				query += "\n"
			}
			query += string(text)
		}
	}
	if strings.TrimSpace(query) == "" {
		return &Exception{Code: codeSyntaxError, Message: "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)"}
	}

	var out []byte
	var res *Result
	if strings.EqualFold(opts.Format, "Native") && isHelloQuery(query) {
		out, err = h.helloBlock(r.Context(), params.Get("client_protocol_version"))
		if err != nil {
			return err
		}
		opts.Format = "Native"
	} else {
		res, err = h.eng.Query(r.Context(), query, opts)
		if err != nil {
			h.cfg.Logger.Debug("clickhouse http query failed", "err", err, "bytes", len(query))
			return err
		}
		out = res.Data
	}
	w.Header().Set("Content-Type", contentType(opts.Format))
	w.Header().Set("X-ClickHouse-Format", opts.Format)
	if res != nil {
		sum, _ := json.Marshal(map[string]string{
			"read_rows":    strconv.FormatUint(res.RowsRead, 10),
			"written_rows": strconv.FormatUint(res.RowsWritten, 10),
		})
		w.Header().Set("X-ClickHouse-Summary", string(sum))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(out)
	if err != nil {
		h.cfg.Logger.Debug("clickhouse http write failed", "err", err)
	}
	return nil
}

// insertFormatRe finds "INSERT INTO … FORMAT Name" with nothing after the
// format name: group 1 is everything before " FORMAT", group 2 the name.
var insertFormatRe = regexp.MustCompile(`(?is)^(\s*INSERT\s+INTO\s+.*?)\s+FORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$`)

// bodyInsertRe finds "INSERT INTO … FORMAT Name" followed by a line break
// at the start of a body: the statement, then its data. Group 1 is the
// statement before " FORMAT", group 2 the name; the match ends after the
// line break.
var bodyInsertRe = regexp.MustCompile(`(?is)^(\s*INSERT\s+INTO\s+[^;]*?)\s+FORMAT\s+([A-Za-z0-9_]+)[ \t]*\r?\n`)

// bodyHeadSize bounds how far into a body the INSERT statement is looked for.
const bodyHeadSize = 64 << 10

// settingsClauseRe splits a trailing SETTINGS clause off an INSERT head.
var settingsClauseRe = regexp.MustCompile(`(?is)^(.*?)\s+(SETTINGS\s+[A-Za-z_][A-Za-z0-9_]*\s*=.*)$`)

// infileQuery builds INSERT head FROM INFILE 'file' [SETTINGS …] FORMAT f.
func infileQuery(head, format, file string) string {
	var settings string
	if m := settingsClauseRe.FindStringSubmatch(head); m != nil {
		head, settings = m[1], " "+m[2]
	}
	return strings.TrimSpace(head) + " FROM INFILE " + QuoteString(file) + settings + " FORMAT " + format
}

// spool writes an INSERT body to a fresh temporary file.
func (h *Handler) spool(body io.Reader) (string, error) {
	dir := h.cfg.TempDir
	if dir == "" {
		dir = filepath.Join(h.eng.Dir(), "dancu_spool")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("spool insert: %w", err)
	}
	f, err := os.CreateTemp(dir, "insert-*.bin")
	if err != nil {
		return "", fmt.Errorf("spool insert: %w", err)
	}
	n, err := io.Copy(f, body)
	h.counters.insertBytes.Add(n)
	h.counters.inserts.Add(1)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", &Exception{Code: codeCannotReadBody, Message: fmt.Sprintf("Code: %d. DB::Exception: read insert body: %v", codeCannotReadBody, err)}
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("spool insert: %w", err)
	}
	return f.Name(), nil
}

// requestBody returns the request body, decoding gzip and deflate.
func requestBody(r *http.Request) (io.ReadCloser, error) {
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return r.Body, nil
	case "gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, &Exception{Code: codeCannotReadBody, Message: fmt.Sprintf("Code: %d. DB::Exception: read gzip body: %v", codeCannotReadBody, err)}
		}
		return zr, nil
	case "deflate":
		zr, err := zlib.NewReader(r.Body)
		if err != nil {
			return nil, &Exception{Code: codeCannotReadBody, Message: fmt.Sprintf("Code: %d. DB::Exception: read deflate body: %v", codeCannotReadBody, err)}
		}
		return zr, nil
	default:
		return nil, &Exception{Code: codeUnsupportedMethod, Message: fmt.Sprintf("Code: 1. DB::Exception: Content-Encoding %q is not supported by dancu's embedded ClickHouse front end: use no compression. (UNSUPPORTED_METHOD)", enc)}
	}
}

func writeError(w http.ResponseWriter, err error) {
	var ex *Exception
	if !errors.As(err, &ex) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			// 394 QUERY_WAS_CANCELLED
			ex = &Exception{Code: 394, Message: "Code: 394. DB::Exception: " + err.Error() + ". (QUERY_WAS_CANCELLED)"}
		} else {
			ex = newException(err.Error())
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.Header().Set("X-ClickHouse-Exception-Code", strconv.Itoa(int(ex.Code)))
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, ex.Message+"\n")
}

func contentType(format string) string {
	switch strings.ToLower(format) {
	case "json", "jsoncompact", "jsoneachrow", "jsonstrings":
		return "application/json; charset=UTF-8"
	case "tabseparated", "tsv", "csv", "csvwithnames", "tabseparatedwithnames", "pretty", "values":
		return "text/plain; charset=UTF-8"
	default:
		return "application/octet-stream"
	}
}

var helloRe = regexp.MustCompile(`(?i)^\s*SELECT\s+displayName\(\)\s*,\s*version\(\)\s*,\s*revision\(\)\s*,\s*timezone\(\)\s*;?\s*$`)

func isHelloQuery(q string) bool { return helloRe.MatchString(q) }

// helloBlock answers clickhouse-go's connect-time query. The client decodes
// this one answer at its own protocol revision (block info, custom
// serialisation flags) and then adopts the revision it reports, 0, for
// every later answer, which is what the engine writes.
func (h *Handler) helloBlock(ctx context.Context, clientRevision string) ([]byte, error) {
	h.helloMu.Lock()
	defer h.helloMu.Unlock()
	if h.hello == nil {
		res, err := h.eng.Query(ctx, "SELECT displayName(), version(), timezone()", QueryOptions{Format: "TabSeparated"})
		if err != nil {
			return nil, err
		}
		f := strings.Split(strings.TrimRight(string(res.Data), "\n"), "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("server info: unexpected answer %q", res.Data)
		}
		h.hello = &serverInfo{displayName: f[0], version: f[1], timezone: f[2]}
	}
	rev, _ := strconv.ParseUint(clientRevision, 10, 64)
	return encodeHelloBlock(*h.hello, rev), nil
}

// minRevisionCustomSerialization is DBMS_MIN_REVISION_WITH_CUSTOM_SERIALIZATION.
const minRevisionCustomSerialization = 54454

// encodeHelloBlock writes a one-row Native block (displayName String,
// version String, revision UInt32 = 0, timezone String) at revision rev.
func encodeHelloBlock(info serverInfo, rev uint64) []byte {
	var b []byte
	uvarint := func(v uint64) {
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		b = append(b, byte(v))
	}
	str := func(s string) { uvarint(uint64(len(s))); b = append(b, s...) }
	if rev > 0 {
		// Block info: field 1 is_overflows = false, field 2 bucket_num = -1, end.
		b = append(b, 1, 0, 2, 0xff, 0xff, 0xff, 0xff, 0)
	}
	uvarint(4) // columns
	uvarint(1) // rows
	col := func(name, typ string, data func()) {
		str(name)
		str(typ)
		if rev >= minRevisionCustomSerialization {
			b = append(b, 0) // no custom serialisation
		}
		data()
	}
	col("displayName()", "String", func() { str(info.displayName) })
	col("version()", "String", func() { str(info.version) })
	col("revision()", "UInt32", func() { b = append(b, 0, 0, 0, 0) })
	col("timezone()", "String", func() { str(info.timezone) })
	return b
}
