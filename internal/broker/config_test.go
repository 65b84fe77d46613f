package broker

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"zero value", Config{}, ""},
		{"explicit", Config{Addr: "127.0.0.1:19092", Partitions: 3, DataDir: "/tmp/x"}, ""},
		{"random port", Config{Addr: "127.0.0.1:0"}, ""},
		{"no port", Config{Addr: "127.0.0.1"}, "addr \"127.0.0.1\""},
		{"wildcard host", Config{Addr: "0.0.0.0:9092"}, "not a wildcard"},
		{"empty host", Config{Addr: ":9092"}, "not a wildcard"},
		{"negative partitions", Config{Partitions: -1}, "partitions -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestWithDefaultsDoesNotMutate(t *testing.T) {
	cfg := Config{}
	d := cfg.withDefaults()
	if cfg.Addr != "" || cfg.Partitions != 0 || cfg.Logger != nil {
		t.Fatalf("caller's config changed: %+v", cfg)
	}
	if d.Addr != DefaultAddr || d.Partitions != DefaultPartitions || d.Logger == nil {
		t.Fatalf("defaults not applied: %+v", d)
	}
}

func TestDataDirLocked(t *testing.T) {
	dir := t.TempDir()
	b, err := Start(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Start(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir})
	if !errors.Is(err, ErrDataDirLocked) {
		t.Fatalf("second broker on one data dir: err %v, want ErrDataDirLocked", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	b2, err := Start(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatalf("restart after Close: %v", err)
	}
	b2.Close()
}

func TestStartPortInUse(t *testing.T) {
	b, err := Start(context.Background(), Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = Start(context.Background(), Config{Addr: b.Addr()})
	if err == nil || !strings.Contains(err.Error(), b.Addr()) {
		t.Fatalf("second broker on %s: err %v, want an error naming the address", b.Addr(), err)
	}
}

// A second broker on a data dir or an address in use says what to do: stop
// the first, or give this one another --data / --listen.
func TestStartInUseSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	b, err := Start(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = Start(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "--data") {
		t.Errorf("second broker on one data dir: %v, want it to name --data", err)
	}
	_, err = Start(context.Background(), Config{Addr: b.Addr(), DataDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "--listen") {
		t.Errorf("second broker on %s: %v, want it to name --listen", b.Addr(), err)
	}
}
