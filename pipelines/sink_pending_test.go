package pipelines

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/schemas"
)

// A pending block is claimed only when no open file holds its lock: not
// while its writer sends it, nor while another stage sends it again;
// once released, by anyone, with its token and rows; once done, by
// nobody. One older than pendingMaxAge is set aside as .stale, not sent.
func TestPendingBlockClaimedOnlyWhenUnheld(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "load") // made by the first block
	log := slog.New(slog.DiscardHandler)
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rows := []schemas.PersonDeltaSum{
		{Batch: "b1", Seq: 0, ProvinceCode: "40", CommuneCode: "16681", BirthYear: 2015, ChangeMonth: month, Added: 1},
		{Batch: "b1", Seq: 1, ProvinceCode: "01", CommuneCode: "00004", ChangeMonth: month, Removed: 1},
	}
	token := deltaToken("person_delta_sums", rows, personDeltaSumKey)
	sent, err := savePending(dir, token, rows)
	if err != nil {
		t.Fatal(err)
	}
	if p, _, err := claimPending(sent.path, log); err != nil || p != nil {
		t.Fatalf("claimed while its writer holds it: %v, %v", p, err)
	}
	sent.release() // the writer ended before the engine answered
	again, pf, err := claimPending(sent.path, log)
	if err != nil || again == nil {
		t.Fatalf("not claimed once its writer let go: %v, %v", again, err)
	}
	got, err := schemas.DecodeRows[schemas.PersonDeltaSum](pf.body)
	if err != nil {
		t.Fatal(err)
	}
	if pf.token != token || pf.query != "" || !slices.EqualFunc(got, rows, func(a, b schemas.PersonDeltaSum) bool {
		return a.Batch == b.Batch && a.Seq == b.Seq && a.ProvinceCode == b.ProvinceCode && a.Added == b.Added &&
			a.Removed == b.Removed && a.ChangeMonth.Equal(b.ChangeMonth)
	}) {
		t.Fatalf("claimed %s (query %q) with %+v; want %s with %+v", pf.token, pf.query, got, token, rows)
	}
	if p, _, err := claimPending(sent.path, log); err != nil || p != nil {
		t.Fatalf("claimed twice: %v, %v", p, err)
	}
	again.done()
	if p, _, err := claimPending(sent.path, log); err != nil || p != nil {
		t.Fatalf("claimed once done: %v, %v", p, err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("left %d files, want none", len(left))
	}

	old, err := savePending(dir, token, rows)
	if err != nil {
		t.Fatal(err)
	}
	old.release()
	long := time.Now().Add(-pendingMaxAge - time.Hour)
	if err := os.Chtimes(old.path, long, long); err != nil {
		t.Fatal(err)
	}
	if p, _, err := claimPending(old.path, log); err != nil || p != nil {
		t.Fatalf("claimed a block older than %v: %v, %v", pendingMaxAge, p, err)
	}
	if _, err := os.Stat(old.path + ".stale"); err != nil {
		t.Fatalf("the old block was not set aside: %v", err)
	}

	// A Native block keeps its query; one written in part is refused.
	query := "INSERT INTO person_delta_sums (batch) SETTINGS insert_deduplication_token = '" + token + "'"
	body := []byte("\x01\x02native block\n\x00bytes")
	nb, err := savePendingNative(dir, token, query, body)
	if err != nil {
		t.Fatal(err)
	}
	nb.release()
	p, npf, err := claimPending(nb.path, log)
	if err != nil || p == nil || npf.token != token || npf.query != query || string(npf.body) != string(body) {
		t.Fatalf("claimed the Native block as %v %+v, err %v", p, npf, err)
	}
	p.release()
	data, err := os.ReadFile(nb.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(nb.path, data[:len(data)-3], 0o600); err != nil {
		t.Fatal(err)
	}
	if p, _, err := claimPending(nb.path, log); err == nil || p != nil {
		t.Fatalf("a block written in part claimed: %v, err %v", p, err)
	}
}

// DropPendingInserts (dancu coverage --rebuild) refuses while a load
// stage holds a block, and removes the blocks left once none does.
func TestDropPendingInserts(t *testing.T) {
	dir := t.TempDir()
	rows := []schemas.RecordDelta{{Batch: "b1", Seq: 0, RecordID: "r1", ProvinceCode: "40", Added: 1}}
	token := deltaToken("record_deltas", rows, recordDeltaKey)
	left, err := savePending(dir, token, rows)
	if err != nil {
		t.Fatal(err)
	}
	left.release()
	sending, err := savePending(dir, token, rows)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := DropPendingInserts(dir); err == nil || n != 0 {
		t.Fatalf("dropped %d with a block being sent, err %v; want an error", n, err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*"+pendingSuffix)); len(files) != 2 {
		t.Fatalf("%d blocks left after the refusal, want 2", len(files))
	}
	sending.release()
	if n, err := DropPendingInserts(dir); err != nil || n != 2 {
		t.Fatalf("dropped %d, err %v; want 2", n, err)
	}
	if n, err := DropPendingInserts(filepath.Join(dir, "none")); err != nil || n != 0 {
		t.Fatalf("a missing directory: dropped %d, err %v", n, err)
	}
}

// BenchmarkSavePending is the load stage's cost of keeping one insert of
// deltas while it is sent: the rows encoded, the file written, renamed
// and removed (a flush of BenchmarkDeltaFlush holds about 70,000 records'
// deltas):
//
//	go test ./pipelines -run '^$' -bench SavePending -benchtime 20x
func BenchmarkSavePending(b *testing.B) {
	dir := b.TempDir()
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]schemas.RecordDelta, 70_000)
	for i := range rows {
		rows[i] = schemas.RecordDelta{Batch: "20261207-0123-" + strconv.Itoa(i/5000), Seq: uint32(i % 5000), RecordID: "r" + strconv.Itoa(i),
			OldKnown: 1, ProvinceCode: strconv.Itoa(10 + i%63), DistrictCode: strconv.Itoa(100 + i%700), CommuneCode: strconv.Itoa(10000 + i%10000),
			NewProvinceCode: strconv.Itoa(10 + i%34), NewCommuneCode: strconv.Itoa(20000 + i%3300), SourceKind: "csv",
			SourceMonth: month, LoadMonth: month, Added: 1, AddedWithID: uint32(i % 2)}
	}
	token := deltaToken("record_deltas", rows, recordDeltaKey)
	cpu0 := cputime.Process()
	b.ResetTimer()
	for b.Loop() {
		p, err := savePending(dir, token, rows)
		if err != nil {
			b.Fatal(err)
		}
		p.done()
	}
	b.ReportMetric((cputime.Process()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkSavePendingSynced is what syncing the pending file would add
// to each insert of deltas (docs/pipeline.md, chaos12 on (b)): a Native
// block of the given size written and removed as insertColumns does,
// without a sync (as kept), with the file synced, and with the file and
// its directory synced (the rename durable). Wall time per insert: a sync
// waits for the disk rather than using the CPU.
func BenchmarkSavePendingSynced(b *testing.B) {
	for _, mb := range []int{1, 4, 16} {
		body := make([]byte, mb<<20)
		for i := range body {
			body[i] = byte(i * 7)
		}
		for _, sync := range []string{"none", "file", "file+dir"} {
			b.Run(fmt.Sprintf("%dMB/sync=%s", mb, sync), func(b *testing.B) {
				dir := b.TempDir()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					p, err := savePendingNative(dir, "record_deltas/x", "INSERT INTO record_deltas (batch)", body)
					if err != nil {
						b.Fatal(err)
					}
					if sync != "none" {
						if err := p.f.Sync(); err != nil {
							b.Fatal(err)
						}
					}
					if sync == "file+dir" {
						d, err := os.Open(dir)
						if err != nil {
							b.Fatal(err)
						}
						if err := d.Sync(); err != nil {
							b.Fatal(err)
						}
						d.Close()
					}
					p.done()
				}
			})
		}
	}
}
