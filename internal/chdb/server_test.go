package chdb_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }

// post sends one request to the front end and returns status, exception
// code header and body.
func post(t *testing.T, addr string, params url.Values, body io.Reader, header map[string]string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/?"+params.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("X-ClickHouse-Exception-Code"), string(b)
}

func gz(s string) io.Reader {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return &b
}

func TestHandler(t *testing.T) {
	addr := chdbtest.Start(t)
	db := chdbtest.Database(t)
	status, _, body := post(t, addr, url.Values{"database": {db}}, strings.NewReader("CREATE TABLE people (id UInt32, name String) ENGINE = MergeTree ORDER BY id"), nil)
	if status != 200 {
		t.Fatalf("CREATE TABLE: %d %s", status, body)
	}

	tests := []struct {
		name     string
		params   url.Values
		body     io.Reader
		header   map[string]string
		status   int
		code     string // X-ClickHouse-Exception-Code
		wantBody string // exact body, or for errors a prefix
	}{
		{"server info in text is the engine's own", url.Values{}, strings.NewReader("SELECT revision() > 0"), nil, 200, "", "1\n"},
		{"query in the body", url.Values{}, strings.NewReader("SELECT 1 + 1"), nil, 200, "", "2\n"},
		{"query in the URL", url.Values{"query": {"SELECT 'a' AS x"}}, nil, nil, 200, "", "a\n"},
		{"URL and body joined", url.Values{"query": {"SELECT 1"}}, strings.NewReader("+ 41"), nil, 200, "", "42\n"},
		{"default_format", url.Values{"default_format": {"CSV"}}, strings.NewReader("SELECT 'x', 2"), nil, 200, "", "\"x\",2\n"},
		{"FORMAT clause wins", url.Values{"default_format": {"CSV"}}, strings.NewReader("SELECT 'x', 2 FORMAT TSV"), nil, 200, "", "x\t2\n"},
		{"server-side parameters", url.Values{"param_name": {"Lê Thị Hoà"}, "param_n": {"3"}}, strings.NewReader("SELECT {name:String}, {n:UInt8} * 2"), nil, 200, "", "Lê Thị Hoà\t6\n"},
		{"a setting applies", url.Values{"max_result_rows": {"1"}, "result_overflow_mode": {"throw"}}, strings.NewReader("SELECT number FROM numbers(5)"), nil, 500, "396", "Code: 396."},
		{"the setting does not stick", url.Values{}, strings.NewReader("SELECT number FROM numbers(3)"), nil, 200, "", "0\n1\n2\n"},
		{"an unknown setting is an exception", url.Values{"no_such_setting": {"1"}}, strings.NewReader("SELECT 1"), nil, 500, "115", "Code: 115."},
		{"and does not stick either", url.Values{}, strings.NewReader("SELECT 1"), nil, 200, "", "1\n"},
		{"database parameter", url.Values{"database": {db}}, strings.NewReader("SELECT currentDatabase()"), nil, 200, "", db + "\n"},
		{"database header", url.Values{}, strings.NewReader("SELECT currentDatabase()"), map[string]string{"X-ClickHouse-Database": db}, 200, "", db + "\n"},
		{"back to default", url.Values{}, strings.NewReader("SELECT currentDatabase()"), nil, 200, "", "default\n"},
		{"gzip body", url.Values{}, gz("SELECT 'zipped'"), map[string]string{"Content-Encoding": "gzip"}, 200, "", "zipped\n"},
		{"insert: data in body, spooled to a file", url.Values{"database": {db}, "query": {"INSERT INTO people (id, name) FORMAT CSV"}}, strings.NewReader("1,Nguyễn Văn An\n2,\"Trần, Bình\"\n"), nil, 200, "", ""},
		{"insert: statement and data in body, spooled", url.Values{"database": {db}}, strings.NewReader("INSERT INTO people (id, name) FORMAT TSV\n3\tLê Thị Hoà\n"), nil, 200, "", ""},
		{"insert: VALUES in body stays a statement", url.Values{"database": {db}}, strings.NewReader("INSERT INTO people VALUES (4, 'Phạm Văn Đức')"), nil, 200, "", ""},
		{"inserted rows", url.Values{"database": {db}}, strings.NewReader("SELECT id, name FROM people ORDER BY id"), nil, 200, "", "1\tNguyễn Văn An\n2\tTrần, Bình\n3\tLê Thị Hoà\n4\tPhạm Văn Đức\n"},
		{"unknown table", url.Values{}, strings.NewReader("SELECT * FROM no_such_table"), nil, 500, "60", "Code: 60. DB::Exception:"},
		{"syntax error", url.Values{}, strings.NewReader("SELEKT 1"), nil, 500, "62", "Code: 62. DB::Exception:"},
		{"empty query", url.Values{}, strings.NewReader("  "), nil, 500, "62", "Code: 62. DB::Exception: Empty query"},
		{"native compression refused", url.Values{"compress": {"1"}}, strings.NewReader("SELECT 1"), nil, 500, "1", "Code: 1. DB::Exception: LZ4/ZSTD"},
		{"brotli refused", url.Values{}, strings.NewReader("SELECT 1"), map[string]string{"Content-Encoding": "br"}, 500, "1", "Code: 1. DB::Exception: Content-Encoding"},
		{"bad insert data is an exception", url.Values{"database": {db}, "query": {"INSERT INTO people FORMAT CSV"}}, strings.NewReader("x,y\n"), nil, 500, "27", "Code: 27."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code, body := post(t, addr, tt.params, tt.body, tt.header)
			if status != tt.status || code != tt.code {
				t.Fatalf("status %d code %q, want %d %q; body %q", status, code, tt.status, tt.code, body)
			}
			if tt.status == 200 && body != tt.wantBody {
				t.Fatalf("body %q, want %q", body, tt.wantBody)
			}
			if tt.status != 200 && !strings.HasPrefix(body, tt.wantBody) {
				t.Fatalf("body %q, want prefix %q", body, tt.wantBody)
			}
		})
	}
}

func TestPing(t *testing.T) {
	addr := chdbtest.Start(t)
	for _, path := range []string{"/ping", "/"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(b) != "Ok.\n" {
			t.Errorf("GET %s: %d %q, want 200 \"Ok.\\n\"", path, res.StatusCode, b)
		}
	}
}

func TestEngineSingleton(t *testing.T) {
	e := chdbtest.Engine(t)
	again, err := chdb.Open(chdb.Config{DataDir: e.Dir()})
	if err != nil {
		t.Fatalf("second Open of the same directory: %v", err)
	}
	if again != e {
		t.Fatal("second Open of the same directory returned another engine")
	}
	if err := again.Close(); err != nil { // drops one reference; the engine keeps running
		t.Fatal(err)
	}
	if _, err := e.Query(context.Background(), "SELECT 1", chdb.QueryOptions{}); err != nil {
		t.Fatalf("engine stopped after closing one of two handles: %v", err)
	}
	if _, err := chdb.Open(chdb.Config{DataDir: t.TempDir()}); err == nil {
		t.Fatal("a second data directory in the same process was accepted")
	}
}

func TestQueryCancelledWhileWaiting(t *testing.T) {
	e := chdbtest.Engine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Query(ctx, "SELECT 1", chdb.QueryOptions{}); err == nil {
		t.Fatal("query with a cancelled context ran")
	}
}

// Only clickhouse-go's Native connect-time query gets the hand-built
// answer reporting revision 0; in text formats the engine answers itself.
func TestHelloQueryOnlyForNative(t *testing.T) {
	addr := chdbtest.Start(t)
	hello := "SELECT displayName(), version(), revision(), timezone()"
	status, _, body := post(t, addr, url.Values{"default_format": {"TSV"}}, strings.NewReader(hello), nil)
	f := strings.Split(strings.TrimSpace(body), "\t")
	if status != 200 || len(f) != 4 || f[2] == "0" {
		t.Fatalf("TSV answer %d %q, want 4 fields with the engine's non-zero revision", status, body)
	}
	status, _, body = post(t, addr, url.Values{"default_format": {"Native"}}, strings.NewReader(hello), nil)
	if status != 200 || !strings.Contains(body, "revision()\x06UInt32\x00\x00\x00\x00") {
		t.Fatalf("Native answer %d %q, want a block with revision() = 0", status, body)
	}
}
