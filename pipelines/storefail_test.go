package pipelines_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// smallDisk mounts a tmpfs of size (mount's "2m") on a new directory: a
// disk that fills. The test is skipped where the OS refuses to mount one
// (not Linux, not root, no mount namespace) — only there.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("a full disk is made with a tmpfs mount: Linux only")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("a full disk needs a small file system, and mount -t tmpfs was refused: %v %s", err, out)
	}
	// Lazily: a store whose disk failed is never closed, its files stay open.
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// copyDir copies the files of src into dst (made): what a new process
// finds on the disk after the one that failed has ended.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRegistryFullDiskStopsAndResumes: the match stage's registry on a
// disk that fills. Pebble panics on the failed write to its log, and the
// process died with a Go panic and its stack (user16; README said so).
// Now the batch's Link returns a StoreFailure (ENOSPC) that says what to
// do, later uses of the registry return it too without waiting on the
// store's held locks, and Close returns. The files the failed process
// leaves (copied to a disk with room: a restart once space is freed)
// open and, with what their log lost replayed from the changelog, hold
// every batch linked before the failure; with that batch and the rest added again give every record the
// person a registry that never failed gives it: nothing lost or doubled.
func TestRegistryFullDiskStopsAndResumes(t *testing.T) {
	full := smallDisk(t, "1m")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	recs := generatedRecords(t, 2000)
	const size = 400
	var batches [][]schemas.Record
	for b := 0; b < len(recs); b += size {
		batches = append(batches, recs[b:min(b+size, len(recs))])
	}

	clean, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // record id -> person id
	for _, b := range batches {
		res, err := clean.Link(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		addLinks(want, res)
	}
	clean.Close()

	brokers := []string{brokertest.Start(t)}
	dir := filepath.Join(full, "registry")
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: dir, Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	failed, linked := -1, 0
	for i, b := range batches {
		res, err := l.Link(ctx, b)
		if err != nil {
			var sf *pipelines.StoreFailure
			if !errors.As(err, &sf) || !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("batch %d on a full disk: %v, want a StoreFailure of ENOSPC", i, err)
			}
			failed = i
			break
		}
		addLinks(got, res)
		linked += len(b)
	}
	if failed < 0 {
		t.Fatalf("%d records never filled the 1 MB disk: make it smaller", len(recs))
	}
	t.Logf("the disk filled at batch %d of %d", failed, len(batches))
	done := make(chan error, 1)
	go func() {
		_, err := l.Link(ctx, batches[failed])
		done <- errors.Join(err, l.Close())
	}()
	select {
	case err := <-done:
		if !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("a batch after the failure: %v, want the failure again", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a batch after the failure, or Close, waits for ever on the failed store")
	}

	room := filepath.Join(t.TempDir(), "registry")
	copyDir(t, dir, room)
	again, replayed, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: room, Brokers: brokers})
	if err != nil {
		t.Fatalf("the registry a full disk stopped, reopened with room: %v", err)
	}
	defer again.Close()
	// The registry's writes are not synced one by one: what the failed
	// log lost is replayed from the changelog.
	// The failed batch is there too when the store failed after the
	// changelog had it (storing the position): its input's offset was
	// not committed, and it comes again as a redelivery.
	if n := again.Registry.Len(); n != uint64(linked) && n != uint64(linked+len(batches[failed])) {
		t.Errorf("reopened, the registry holds %d records (%d replayed from its changelog), want the %d linked before the disk filled (or with the failed batch, %d)",
			n, replayed, linked, linked+len(batches[failed]))
	}
	t.Logf("reopened: %d records replayed from the changelog", replayed)
	for _, b := range batches[failed:] {
		res, err := again.Link(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		addLinks(got, res)
	}
	if n := again.Registry.Len(); n != uint64(len(recs)) {
		t.Errorf("in the end the registry holds %d records, want %d", n, len(recs))
	}
	differ := 0
	for id, p := range want {
		if got[id] != p {
			differ++
		}
	}
	if differ > 0 || len(got) != len(want) {
		t.Errorf("%d of %d records in another person than without the full disk (%d linked)", differ, len(want), len(got))
	}
}

// addLinks notes each record's person from a batch's links (the latest
// wins, as in ClickHouse).
func addLinks(m map[string]string, res pipelines.LinkResult) {
	for _, k := range res.Links {
		m[k.RecordID] = k.PersonID
	}
}

// TestScoreStoreFullDiskStops: a score instance whose stores' disk fills
// stops with a StoreFailure (ENOSPC), without a Go panic and without
// waiting for ever on the failed store's locks (storefail.go).
func TestScoreStoreFullDiskStops(t *testing.T) {
	full := smallDisk(t, "3m")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	done := make(chan error, 1)
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		done <- pipelines.RunScore(sctx, pipelines.ScoreConfig{Brokers: brokers, Dir: filepath.Join(full, "score"), Instance: 0, Instances: 1}, nil)
	}()
	l := remoteRegistry(t, ctx, brokers)
	recs := generatedRecords(t, 2000)
	linking := make(chan struct{})
	go func() {
		defer close(linking)
		for b := 0; b < len(recs) && sctx.Err() == nil; b += 400 {
			if _, err := l.Link(sctx, recs[b:min(b+400, len(recs))]); err != nil {
				return
			}
		}
	}()
	// A batch waiting for the failed instance's edges ends with sctx.
	defer func() { stop(); <-linking }()
	select {
	case err := <-done:
		var sf *pipelines.StoreFailure
		if !errors.As(err, &sf) || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("the score instance on a full disk: %v, want a StoreFailure of ENOSPC", err)
		}
	case <-ctx.Done():
		t.Fatal("the score instance neither filled the disk nor stopped in 2 minutes")
	}
}

// TestStoreFailureAdviceByErrno: every failed file operation under a
// store was told to free space, even a file removed under the store or a
// directory dancu may not write (stop 32's "Crash safety" list).
func TestStoreFailureAdviceByErrno(t *testing.T) {
	for errno, want := range map[syscall.Errno]string{
		syscall.ENOSPC: "Free space on it",
		syscall.EDQUOT: "disk quota",
		syscall.EROFS:  "mount it read-write",
		syscall.EIO:    "smartctl",
		syscall.EACCES: "chown",
		syscall.EPERM:  "chown",
		syscall.ENOENT: "something removed it",
		syscall.EBADF:  "Check the disk and the store's directory",
	} {
		err := &pipelines.StoreFailure{What: "registry", Err: &fs.PathError{Op: "open", Path: "/srv/dancu/registry/000042.sst", Err: errno}}
		msg := err.Error()
		free := errno == syscall.ENOSPC || errno == syscall.EDQUOT
		if !strings.Contains(msg, want) || free != strings.Contains(msg, "Free space") || !strings.Contains(msg, "then start dancu again") {
			t.Errorf("%v: %s\nwant %q, and free space advised only for ENOSPC and EDQUOT", errno, msg, want)
		}
	}
}
