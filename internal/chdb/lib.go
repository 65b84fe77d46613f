package chdb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// LibVersion is the pinned version of the npm package
// @chdb/lib-linux-x64-gnu that provides libchdb.so.
const LibVersion = "26.5.3"

// npmPackage is the npm package that carries libchdb.so for linux/amd64 glibc.
const npmPackage = "@chdb/lib-linux-x64-gnu"

// libName is the file name of the library inside the package and the cache.
const libName = "libchdb.so"

// ErrLibraryMissing is returned when libchdb.so is not where dancu looks for
// it. The wrapping error names the path and the command that fetches it.
var ErrLibraryMissing = errors.New("libchdb not found")

// MissingError says where libchdb was looked for and how to get it.
// It matches ErrLibraryMissing with errors.Is.
type MissingError struct {
	Path string // the path looked at
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%v at %s: run `scripts/fetch-libchdb.sh` or `dancu clickhouse --fetch` "+
		"(it runs `npm pack %s@%s`, ~170 MB), or set $DANCU_LIBCHDB to an existing libchdb.so",
		ErrLibraryMissing, e.Path, npmPackage, LibVersion)
}

// Is reports whether target is ErrLibraryMissing.
func (e *MissingError) Is(target error) bool { return target == ErrLibraryMissing }

// CacheDir returns the directory dancu keeps downloaded artefacts in:
// $DANCU_CACHE, else $XDG_CACHE_HOME/dancu, else ~/.cache/dancu.
// It is outside the repository on purpose: libchdb is 559 MB.
func CacheDir() string {
	if d := os.Getenv("DANCU_CACHE"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "dancu")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".cache", "dancu")
	}
	return filepath.Join(os.TempDir(), "dancu-cache")
}

// CachedLibraryPath is where Fetch puts libchdb under cacheDir.
func CachedLibraryPath(cacheDir string) string {
	return filepath.Join(cacheDir, "libchdb", LibVersion, libName)
}

// LibraryPath returns the libchdb.so to load: $DANCU_LIBCHDB if set, else
// the cached copy under CacheDir. It does not check that the file exists.
func LibraryPath() string {
	if p := os.Getenv("DANCU_LIBCHDB"); p != "" {
		return p
	}
	return CachedLibraryPath(CacheDir())
}

// CheckLibrary reports whether a library file exists at path, returning a
// *MissingError (matching ErrLibraryMissing) when it does not.
func CheckLibrary(path string) error {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || st.Size() == 0 {
		return &MissingError{Path: path}
	}
	return nil
}

// lib holds the bound C functions of one loaded libchdb.
type lib struct {
	path string

	connect                  func(argc int32, argv unsafe.Pointer) unsafe.Pointer
	closeConn                func(conn unsafe.Pointer)
	queryN                   func(conn unsafe.Pointer, query unsafe.Pointer, qlen uintptr, format unsafe.Pointer, flen uintptr) unsafe.Pointer
	queryParamsN             func(conn unsafe.Pointer, query unsafe.Pointer, qlen uintptr, format unsafe.Pointer, flen uintptr, names unsafe.Pointer, nameLens unsafe.Pointer, values unsafe.Pointer, valueLens unsafe.Pointer, n uintptr) unsafe.Pointer
	resultBuffer             func(res unsafe.Pointer) *byte
	resultLength             func(res unsafe.Pointer) uintptr
	resultError              func(res unsafe.Pointer) string
	destroyResult            func(res unsafe.Pointer)
	setSignalHandlersEnabled func(enabled int32)
	rowsRead                 func(res unsafe.Pointer) uint64
	rowsWritten              func(res unsafe.Pointer) uint64
}

var (
	libMu     sync.Mutex
	loadedLib *lib
)

// loadLibrary dlopens libchdb once per process. Loading a second, different
// path in the same process is refused: the engine is process-wide.
func loadLibrary(path string) (*lib, error) {
	libMu.Lock()
	defer libMu.Unlock()
	if loadedLib != nil {
		if loadedLib.path != path {
			return nil, fmt.Errorf("load libchdb %s: %s is already loaded in this process", path, loadedLib.path)
		}
		return loadedLib, nil
	}
	if err := CheckLibrary(path); err != nil {
		return nil, err
	}
	h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, fmt.Errorf("load libchdb %s: %w", path, err)
	}
	l := &lib{path: path}
	required := []struct {
		fn   any
		name string
	}{
		{&l.connect, "chdb_connect"},
		{&l.queryN, "chdb_query_n"},
		{&l.queryParamsN, "chdb_query_with_params_n"},
		{&l.resultBuffer, "chdb_result_buffer"},
		{&l.resultLength, "chdb_result_length"},
		{&l.resultError, "chdb_result_error"},
		{&l.destroyResult, "chdb_destroy_query_result"},
	}
	for _, f := range required {
		if _, err := purego.Dlsym(h, f.name); err != nil {
			return nil, fmt.Errorf("load libchdb %s: symbol %s missing (need @chdb/lib-linux-x64-gnu@%s): %w", path, f.name, LibVersion, err)
		}
		purego.RegisterLibFunc(f.fn, h, f.name)
	}
	optional := []struct {
		fn   any
		name string
	}{
		{&l.closeConn, "chdb_close_conn"},
		{&l.setSignalHandlersEnabled, "chdb_set_signal_handlers_enabled"},
		{&l.rowsRead, "chdb_result_rows_read"},
		{&l.rowsWritten, "chdb_result_rows_written"},
	}
	for _, f := range optional {
		if _, err := purego.Dlsym(h, f.name); err == nil {
			purego.RegisterLibFunc(f.fn, h, f.name)
		}
	}
	loadedLib = l
	return l, nil
}
