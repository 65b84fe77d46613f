package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chstore"
)

// clickhouseFlags are the settings of `dancu clickhouse`.
type clickhouseFlags struct {
	listen string // Default: 127.0.0.1:8123
	path   string // Default: <home>/clickhouse
	fetch  bool   // Default: true
}

func newClickHouseCmd(g *globals) *cobra.Command {
	var f clickhouseFlags
	cmd := &cobra.Command{
		Use:   "clickhouse",
		Short: "serve the embedded ClickHouse engine over HTTP",
		Long: `Run the ClickHouse engine embedded in dancu (libchdb, ClickHouse ` + chdb.LibVersion + `) in the
foreground until interrupted, serving ClickHouse's HTTP interface so that
dancu's clickhouse-go code (and curl, and any HTTP client) talks to it.
Data lives in --path and survives restarts; one process per directory.

libchdb.so (559 MB) is kept outside the repository in $DANCU_CACHE,
$XDG_CACHE_HOME/dancu or ~/.cache/dancu; with --fetch (the default) it is
downloaded there on first use with ` + "`npm pack @chdb/lib-linux-x64-gnu@" + chdb.LibVersion + "`" + `.
$DANCU_LIBCHDB names a library to use instead.

Clients must not compress requests (clickhouse-go: Compression none).
There is no authentication: keep --listen on a loopback address.
In production point --clickhouse / DANCU_CLICKHOUSE at a ClickHouse server.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.path == "" {
				f.path = filepath.Join(g.home, "clickhouse")
			}
			if err := privateDir(g.stderr, f.path); err != nil {
				return err
			}
			return runClickHouse(cmd.Context(), g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", chstore.EmbeddedAddr, "host:port to serve ClickHouse's HTTP interface on")
	fl.StringVar(&f.path, "path", "", "data directory (default <home>/clickhouse)")
	fl.BoolVar(&f.fetch, "fetch", true, "download libchdb into the cache when it is missing")
	return cmd
}

func runClickHouse(ctx context.Context, g *globals, f clickhouseFlags) error {
	level := slog.LevelInfo
	if g.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
	libPath, err := ensureLibchdb(ctx, g, f.fetch)
	if err != nil {
		return err
	}
	eng, err := chdb.Open(chdb.Config{DataDir: f.path, LibPath: libPath})
	if err != nil {
		return fmt.Errorf("clickhouse: %w", err)
	}
	defer eng.Close()
	srv, err := chdb.Listen(eng, f.listen, chdb.HandlerConfig{Logger: log})
	if err != nil {
		return fmt.Errorf("clickhouse: %w", addrInUse(err, f.listen, "a dancu clickhouse", "--listen (and the other commands --clickhouse http://HOST:PORT)"))
	}
	if host, _, err := net.SplitHostPort(srv.Addr()); err == nil {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			log.Warn("the embedded engine has no authentication: anyone who can reach this address can read and change the data", "addr", srv.Addr())
		}
	}
	fmt.Fprintf(g.stdout, "dancu clickhouse listening on http://%s (data %s)\n", srv.Addr(), eng.Dir())
	<-ctx.Done()
	log.Info("stopping clickhouse", "addr", srv.Addr())
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := srv.Close(stopCtx); err != nil {
		return fmt.Errorf("clickhouse: stop: %w", err)
	}
	hs, es := srv.Stats(), eng.Stats()
	log.Info("clickhouse served", "requests", hs.Requests, "exceptions", hs.Exceptions,
		"inserts", hs.Inserts, "insert_bytes", hs.InsertBytes, "rows_written", es.RowsWritten, "rows_read", es.RowsRead)
	fmt.Fprintln(g.stdout, "dancu clickhouse stopped; data saved in", eng.Dir())
	return nil
}

// ensureLibchdb returns the library to load, fetching it into the cache
// when it is missing and fetch is set (never when $DANCU_LIBCHDB names one).
// Also used by `dancu demo`.
func ensureLibchdb(ctx context.Context, g *globals, fetch bool) (string, error) {
	p, err := chdb.Ensure(ctx, fetch, g.stderr)
	if err != nil {
		return "", fmt.Errorf("clickhouse: %w", err)
	}
	return p, nil
}
