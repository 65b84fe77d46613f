package chdb

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenMissingLibrary(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere", "libchdb.so")
	e, err := Open(Config{DataDir: t.TempDir(), LibPath: missing})
	if err == nil {
		e.Close()
		t.Fatal("Open with a missing library succeeded")
	}
	if !errors.Is(err, ErrLibraryMissing) {
		t.Fatalf("error %v does not match ErrLibraryMissing", err)
	}
	var me *MissingError
	if !errors.As(err, &me) || me.Path != missing {
		t.Fatalf("error %v does not carry the path %s", err, missing)
	}
	for _, want := range []string{missing, "scripts/fetch-libchdb.sh", "npm pack @chdb/lib-linux-x64-gnu@" + LibVersion, "DANCU_LIBCHDB"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestOpenNeedsDataDir(t *testing.T) {
	if _, err := Open(Config{}); err == nil {
		t.Fatal("Open without a data directory succeeded")
	}
}

func TestLibraryPath(t *testing.T) {
	tests := []struct {
		name                      string
		libchdb, cache, xdg, home string
		want                      string
	}{
		{"explicit library", "/opt/libchdb.so", "/c", "/x", "/h", "/opt/libchdb.so"},
		{"DANCU_CACHE", "", "/c", "/x", "/h", "/c/libchdb/" + LibVersion + "/libchdb.so"},
		{"XDG_CACHE_HOME", "", "", "/x", "/h", "/x/dancu/libchdb/" + LibVersion + "/libchdb.so"},
		{"home", "", "", "", "/h", "/h/.cache/dancu/libchdb/" + LibVersion + "/libchdb.so"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DANCU_LIBCHDB", tt.libchdb)
			t.Setenv("DANCU_CACHE", tt.cache)
			t.Setenv("XDG_CACHE_HOME", tt.xdg)
			t.Setenv("HOME", tt.home)
			if got := LibraryPath(); got != tt.want {
				t.Errorf("LibraryPath() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewException(t *testing.T) {
	tests := []struct {
		in       string
		wantCode int32
		wantText string
	}{
		{"Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE)", 60, "Code: 60. DB::Exception: Unknown table"},
		{"  Code: 62. DB::Exception: Syntax error\n", 62, "Code: 62. DB::Exception: Syntax error"},
		{"something broke", 1001, "Code: 1001. DB::Exception: something broke"},
		{"Code: x. nonsense", 1001, "Code: 1001. DB::Exception: Code: x. nonsense"},
	}
	for _, tt := range tests {
		ex := newException(tt.in)
		if ex.Code != tt.wantCode || !strings.HasPrefix(ex.Message, tt.wantText) {
			t.Errorf("newException(%q) = {%d %q}, want code %d and text starting %q", tt.in, ex.Code, ex.Message, tt.wantCode, tt.wantText)
		}
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, ident, str string }{
		{"plain", "`plain`", "'plain'"},
		{"a`b", "`a\\`b`", "'a`b'"},
		{"it's", "`it's`", `'it\'s'`},
		{`back\slash`, "`back\\\\slash`", `'back\\slash'`},
	}
	for _, tt := range tests {
		if got := QuoteIdent(tt.in); got != tt.ident {
			t.Errorf("QuoteIdent(%q) = %s, want %s", tt.in, got, tt.ident)
		}
		if got := QuoteString(tt.in); got != tt.str {
			t.Errorf("QuoteString(%q) = %s, want %s", tt.in, got, tt.str)
		}
	}
}
