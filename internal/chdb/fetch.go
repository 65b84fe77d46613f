package chdb

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Fetch makes sure libchdb is in cacheDir (CacheDir() when empty) and
// returns its path. When missing, it runs `npm pack
// @chdb/lib-linux-x64-gnu@LibVersion` in a temporary directory (~170 MB,
// about 10 s here) and extracts libchdb.so from the tarball, renaming it into
// place so that a crash never leaves a half-written library. It does nothing
// when the library is already cached.
func Fetch(ctx context.Context, cacheDir string) (string, error) {
	if cacheDir == "" {
		cacheDir = CacheDir()
	}
	dst := CachedLibraryPath(cacheDir)
	if CheckLibrary(dst) == nil {
		return dst, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("fetch libchdb: npm is needed to download %s@%s (install Node.js/npm, or put libchdb.so at %s): %w", npmPackage, LibVersion, dst, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("fetch libchdb: %w", err)
	}
	// Test binaries of several packages may all find the library missing
	// at once: one downloads, the others wait for it.
	unlock, err := lockFile(filepath.Join(filepath.Dir(dst), ".fetch.lock"))
	if err != nil {
		return "", fmt.Errorf("fetch libchdb: %w", err)
	}
	defer unlock()
	if CheckLibrary(dst) == nil {
		return dst, nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), ".fetch-")
	if err != nil {
		return "", fmt.Errorf("fetch libchdb: %w", err)
	}
	defer os.RemoveAll(tmp)
	// A throw-away npm cache inside tmp: npm would otherwise keep a second
	// ~165 MB copy of the tarball in ~/.npm.
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", "--cache", filepath.Join(tmp, "npm-cache"), npmPackage+"@"+LibVersion)
	cmd.Dir = tmp
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("fetch libchdb: npm pack %s@%s: %w: %s", npmPackage, LibVersion, err, strings.TrimSpace(stderr.String()))
	}
	tgz := strings.TrimSpace(string(out))
	if i := strings.LastIndexByte(tgz, '\n'); i >= 0 {
		tgz = tgz[i+1:]
	}
	if tgz == "" {
		return "", fmt.Errorf("fetch libchdb: npm pack %s@%s printed no file name", npmPackage, LibVersion)
	}
	part := filepath.Join(tmp, libName+".part")
	if err := extractLibrary(filepath.Join(tmp, tgz), part); err != nil {
		return "", fmt.Errorf("fetch libchdb: %w", err)
	}
	if err := os.Rename(part, dst); err != nil {
		return "", fmt.Errorf("fetch libchdb: %w", err)
	}
	return dst, nil
}

// errNoLibrary is returned when a tarball holds no libchdb.so.
var errNoLibrary = errors.New("no package/" + libName + " in tarball")

// extractLibrary copies package/libchdb.so out of the npm tarball at tgz
// into dst, synced to disk.
func extractLibrary(tgz, dst string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("read %s: %w", tgz, errNoLibrary)
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", tgz, err)
		}
		if h.Typeflag != tar.TypeReg || filepath.Base(h.Name) != libName {
			continue
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, tr); err != nil {
			out.Close()
			return fmt.Errorf("extract %s: %w", libName, err)
		}
		if err := out.Sync(); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	}
}

// Ensure returns the library to load: LibraryPath() when it exists; else,
// when fetch is set and $DANCU_LIBCHDB does not name a library explicitly,
// the result of Fetch into CacheDir(). Otherwise the error matches
// ErrLibraryMissing and says what to run. progress, if not nil, is told
// before a download starts.
func Ensure(ctx context.Context, fetch bool, progress io.Writer) (string, error) {
	p := LibraryPath()
	err := CheckLibrary(p)
	if err == nil {
		return p, nil
	}
	if !fetch || os.Getenv("DANCU_LIBCHDB") != "" {
		return "", err
	}
	if progress != nil {
		fmt.Fprintf(progress, "libchdb %s is not at %s; fetching it with npm (~170 MB, once)...\n", LibVersion, p)
	}
	return Fetch(ctx, CacheDir())
}
