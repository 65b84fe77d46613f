package chdb

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarball writes a gzipped tar with the given files to a temp file.
func tarball(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	p := filepath.Join(t.TempDir(), "pkg.tgz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtractLibrary(t *testing.T) {
	tests := []struct {
		name    string
		tgz     func(t *testing.T) string
		want    string
		wantErr string
	}{
		{"npm package", func(t *testing.T) string {
			return tarball(t, map[string]string{"package/package.json": "{}", "package/libchdb.so": "ELF…", "package/index.js": ""})
		}, "ELF…", ""},
		{"no library", func(t *testing.T) string {
			return tarball(t, map[string]string{"package/package.json": "{}"})
		}, "", "no package/libchdb.so"},
		{"not gzip", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "x.tgz")
			os.WriteFile(p, []byte("<html>proxy error</html>"), 0o644)
			return p
		}, "", "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "libchdb.so.part")
			err := extractLibrary(tt.tgz(t), dst)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(dst)
			if string(got) != tt.want {
				t.Fatalf("extracted %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFetchCachedIsNoop(t *testing.T) {
	cache := t.TempDir()
	p := CachedLibraryPath(cache)
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("lib"), 0o755)
	t.Setenv("PATH", "") // no npm: a cached library must not need it
	got, err := Fetch(context.Background(), cache)
	if err != nil || got != p {
		t.Fatalf("Fetch = %q, %v; want %q", got, err, p)
	}
}

func TestFetchWithoutNpm(t *testing.T) {
	t.Setenv("PATH", "")
	_, err := Fetch(context.Background(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm") {
		t.Fatalf("error %v, want one saying npm is needed", err)
	}
}

func TestEnsureRespectsExplicitLibrary(t *testing.T) {
	t.Setenv("DANCU_LIBCHDB", filepath.Join(t.TempDir(), "missing.so"))
	t.Setenv("PATH", "")
	_, err := Ensure(context.Background(), true, nil)
	if !errors.Is(err, ErrLibraryMissing) {
		t.Fatalf("Ensure with a missing $DANCU_LIBCHDB: %v, want ErrLibraryMissing (and no fetch)", err)
	}
}

// TestFetchDownloads really runs npm pack (~170 MB, 10–60 s); opt in with
// DANCU_LONG=1.
func TestFetchDownloads(t *testing.T) {
	if os.Getenv("DANCU_LONG") != "1" {
		t.Skip("downloads 170 MB; set DANCU_LONG=1")
	}
	cache := t.TempDir()
	p, err := Fetch(context.Background(), cache)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil || st.Size() < 100<<20 {
		t.Fatalf("fetched library %s: %v, size %d", p, err, st.Size())
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".fetch-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}
