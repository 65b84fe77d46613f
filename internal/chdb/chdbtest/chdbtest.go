package chdbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chstore"
)

// dirPrefix names the temporary data directories; the pid follows it so a
// later run can remove those whose process is gone.
const dirPrefix = "dancu-chdbtest-"

var shared struct {
	once sync.Once
	err  error
	addr string
	dir  string
	eng  *chdb.Engine
	srv  *chdb.Server
	seq  atomic.Int64
}

// Main runs the tests and then stops the engine and removes its data
// directory. Use it as TestMain in packages that call Start or Open:
//
//	func TestMain(m *testing.M) { chdbtest.Main(m) }
//
// Without it the directory is removed by the next run in the same temp dir.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop shuts the shared engine down and removes its data directory. Main
// calls it; it is safe to call when nothing was started.
func Stop() {
	if shared.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		shared.srv.Close(ctx)
		cancel()
	}
	if shared.eng != nil {
		shared.eng.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
}

// Start returns the host:port of the shared engine's HTTP front end,
// starting it on first use (about a second, plus a one-off ~10 s fetch of
// libchdb when it is not cached). The test fails if the engine cannot start.
func Start(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() { shared.err = start() })
	if shared.err != nil {
		t.Fatalf("chdbtest: start embedded ClickHouse: %v", shared.err)
	}
	return shared.addr
}

// Engine returns the shared engine itself, for tests of code that queries
// it directly rather than over HTTP.
func Engine(t testing.TB) *chdb.Engine {
	t.Helper()
	Start(t)
	return shared.eng
}

func start() error {
	removeStale()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	libPath, err := chdb.Ensure(ctx, true, os.Stderr)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", dirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return err
	}
	shared.dir = dir
	eng, err := chdb.Open(chdb.Config{DataDir: filepath.Join(dir, "data"), LibPath: libPath})
	if err != nil {
		return err
	}
	shared.eng = eng
	srv, err := chdb.Listen(eng, "127.0.0.1:0", chdb.HandlerConfig{TempDir: filepath.Join(dir, "tmp")})
	if err != nil {
		return err
	}
	shared.srv = srv
	shared.addr = srv.Addr()
	return nil
}

// removeStale deletes data directories left by test processes that exited
// without Main.
func removeStale() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), dirPrefix)
		pidStr, _, ok := strings.Cut(rest, "-")
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(pidStr)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			os.RemoveAll(m)
		}
	}
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// Database creates a fresh database for this test and returns its name.
// It is dropped when the test ends.
func Database(t testing.TB) string {
	t.Helper()
	Start(t)
	name := strings.ToLower(nonWord.ReplaceAllString(t.Name(), "_"))
	if len(name) > 40 {
		name = name[:40]
	}
	db := fmt.Sprintf("t%d_%s", shared.seq.Add(1), name)
	ctx := context.Background()
	if _, err := shared.eng.Query(ctx, "CREATE DATABASE "+chdb.QuoteIdent(db), chdb.QueryOptions{}); err != nil {
		t.Fatalf("chdbtest: create database %s: %v", db, err)
	}
	t.Cleanup(func() {
		shared.eng.Query(context.Background(), "DROP DATABASE IF EXISTS "+chdb.QuoteIdent(db), chdb.QueryOptions{})
	})
	return db
}

// Config returns the chstore configuration of a fresh database of this
// test on the shared engine (HTTP protocol, no compression).
func Config(t testing.TB) chstore.Config {
	t.Helper()
	return chstore.Config{Addr: Start(t), Database: Database(t)}
}

// Open returns a clickhouse-go v2 connection to a fresh database of this
// test on the shared engine, and the database's name. The connection is
// closed and the database dropped when the test ends.
func Open(t testing.TB) (driver.Conn, string) {
	t.Helper()
	cfg := Config(t)
	conn, err := chstore.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("chdbtest: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, cfg.Database
}
