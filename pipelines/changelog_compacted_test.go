package pipelines

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/broker/compact"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// copyTree copies the directory src to dst (a broker's data directory,
// the broker stopped).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// envInt returns the environment variable name as an int, or def.
// compactedAndNever closes registry src and its broker b (whose data
// directory is data), copies the directory, and starts two brokers on
// it: one compacting data at its start (compact.Options.Tail tail),
// one on the copy never compacted.
func compactedAndNever(t *testing.T, src *RegistryLinker, b *broker.Broker, data string, tail int64) (compacted, never *broker.Broker) {
	t.Helper()
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	plain := t.TempDir()
	copyTree(t, data, plain)
	compacted = brokertest.StartConfig(t, broker.Config{DataDir: data, Compact: compact.Options{Tail: tail}})
	never = brokertest.StartConfig(t, broker.Config{DataDir: plain, NoCompact: true})
	return compacted, never
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// The registry's changelog on `dancu broker`, compacted at the broker's
// start (package compact): K batches each linked N times (a redelivered
// batch is logged again, under a key of its own since chaos17:
// changelogKey). Compaction keeps every message — none shares a key —, so
// a registry rebuilt from the compacted changelog reads all K×N, as one
// rebuilt from a copy of the directory never compacted does, and links
// every record to the same person id under the same version.
// DANCU_COMPACT_BATCHES and DANCU_COMPACT_UPDATES make it larger, to
// measure (each batch holds 20 records).
func TestRegistryRebuiltFromCompactedChangelog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	batches, updates := envInt("DANCU_COMPACT_BATCHES", 20), envInt("DANCU_COMPACT_UPDATES", 10)
	const size, tail = 20, 5
	data := t.TempDir()
	b := brokertest.StartConfig(t, broker.Config{DataDir: data, NoCompact: true})
	src, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: []string{b.Addr()}})
	if err != nil {
		t.Fatal(err)
	}
	recs := rebuildRecords(batches * size)
	for range updates {
		for i := 0; i < len(recs); i += size {
			if _, err := src.Link(ctx, recs[i:i+size]); err != nil {
				t.Fatal(err)
			}
		}
	}
	live, liveVer := registryPersons(ctx, t, src)
	compacted, never := compactedAndNever(t, src, b, data, tail)
	var cl *compact.Partition
	for _, p := range compacted.Compacted().Partitions {
		if p.Topic == kafkax.TopicRegistryChangelog {
			cl = &p
		}
	}
	if cl == nil {
		t.Fatalf("the changelog was not compacted: %+v", compacted.Compacted())
	}
	if cl.MessagesBefore != batches*updates || cl.MessagesAfter != cl.MessagesBefore {
		t.Errorf("changelog compacted from %d to %d messages; want %d kept (every message its own key)",
			cl.MessagesBefore, cl.MessagesAfter, batches*updates)
	}

	rebuild := func(addr string) (map[string]string, uint64, caughtUp, string) {
		start, cpu := time.Now(), cputime.Process()
		l, c, err := openRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: []string{addr}}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		took := fmt.Sprintf("%.3f s (CPU %.3f s, broker's included)", time.Since(start).Seconds(), (cputime.Process() - cpu).Seconds())
		defer l.Close()
		persons, ver := registryPersons(ctx, t, l)
		return persons, ver, c, took
	}
	pc, vc, cc, tc := rebuild(compacted.Addr())
	pn, vn, cn, tn := rebuild(never.Addr())
	t.Logf("changelog %d → %d messages, %d → %d bytes, compacted at the broker's start in %v; rebuild from the compacted changelog: "+
		"%d batches read (%d records) in %s; never compacted: %d batches (%d records) in %s",
		cl.MessagesBefore, cl.MessagesAfter, cl.BytesBefore, cl.BytesAfter, compacted.Compacted().Elapsed,
		cc.Batches, cc.Records, tc, cn.Batches, cn.Records, tn)
	if cc.Batches != batches*updates || cn.Batches != batches*updates {
		t.Errorf("batches replayed: %d from the compacted changelog, %d from the other; want %d", cc.Batches, cn.Batches, batches*updates)
	}
	if len(pc) != len(recs) || len(pn) != len(recs) {
		t.Fatalf("rebuilt registries link %d and %d records, want %d", len(pc), len(pn), len(recs))
	}
	for _, r := range recs {
		if pc[r.RecordID] != live[r.RecordID] || pn[r.RecordID] != live[r.RecordID] {
			t.Errorf("record %s: person %s rebuilt from the compacted changelog, %s from the other, %s live",
				r.RecordID, pc[r.RecordID], pn[r.RecordID], live[r.RecordID])
		}
	}
	if vc != liveVer || vn != liveVer {
		t.Errorf("version (batch counter) %d rebuilt from the compacted changelog, %d from the other, %d live", vc, vn, liveVer)
	}
}

// registryPersons returns the person id of each record l's registry
// holds, and its version (the batch counter the next rows exceed).
func registryPersons(ctx context.Context, t *testing.T, l *RegistryLinker) (map[string]string, uint64) {
	t.Helper()
	persons := map[string]string{}
	ver, err := l.Registry.Persons(ctx, 0, func(c registry.PersonsChunk) error {
		for _, k := range c.Links {
			persons[k.RecordID] = k.PersonID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return persons, ver
}

// An operation logged again after others (a redelivery after a kill
// between the registry's commit and the input's offset commit): batches
// C, A, a decision d, a withdrawal w, B, then A, d and w again. With a key a batch (its
// records' hash) and a decision ("decision:" and its id), compaction kept
// A and d only at their later places, as any Kafka cluster does; a
// rebuild then added B before A, and the person with a record in each
// (r00018 in A, r00019 in B) was founded by B's record: the same persons
// as sets of records, r00018 and r00019 under another id, and the
// version one batch behind the live registry's (chaos16's finding, pinned
// then). Since chaos17 each operation is logged under a key of its own
// (changelogKey): compaction keeps all 8 messages where they are and a
// rebuild from it gives every record the person id the live registry
// gave, at its version.
func TestRegistryRebuiltFromCompactedChangelogRedeliveredLater(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := t.TempDir()
	b := brokertest.StartConfig(t, broker.Config{DataDir: data, NoCompact: true})
	src, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: []string{b.Addr()}})
	if err != nil {
		t.Fatal(err)
	}
	recs := rebuildRecords(60)
	// r00040 and r00042: two persons of C, joined by the police.
	d := schemas.Decision{DecisionID: "d-chaos17", RecordIDs: []string{"r00040", "r00042"}, Decision: schemas.DecisionSamePerson}
	link := func(from, to int) func() error {
		return func() error { _, err := src.Link(ctx, recs[from:to]); return err }
	}
	decide := func() error { _, err := src.Decide(ctx, d); return err }
	// r00001 (of A) withdrawn by a corrected file.
	w := schemas.Withdrawal{WithdrawalID: "w-chaos17", Batch: "b-corrected", RecordIDs: []string{"r00001"}}
	withdraw := func() error { _, err := src.Withdraw(ctx, w); return err }
	for _, op := range []func() error{link(40, 60), link(0, 19), decide, withdraw, link(19, 40), link(0, 19), decide, withdraw} {
		if err := op(); err != nil {
			t.Fatal(err)
		}
	}
	live, liveVer := registryPersons(ctx, t, src)
	if _, ok := live["r00001"]; ok || len(live) != len(recs)-1 {
		t.Fatalf("the live registry links %d records (r00001 among them: %v), want %d: all but the one withdrawn", len(live), ok, len(recs)-1)
	}
	if live["r00040"] != live["r00042"] {
		t.Fatalf("the decision did not join r00040 and r00042: %s, %s", live["r00040"], live["r00042"])
	}
	compacted, never := compactedAndNever(t, src, b, data, -1)
	if before, after := compacted.Compacted().Messages(); before != 8 || after != 8 {
		t.Errorf("changelog compacted from %d to %d messages, want 8 kept (every message its own key)", before, after)
	}
	rebuilt := func(addr string) (map[string]string, uint64) {
		l, _, err := openRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: []string{addr}}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return registryPersons(ctx, t, l)
	}
	for _, c := range []struct {
		name, addr string
	}{{"compacted", compacted.Addr()}, {"never compacted", never.Addr()}} {
		ids, ver := rebuilt(c.addr)
		if len(ids) != len(live) {
			t.Fatalf("rebuilt from the %s changelog: %d records linked, want %d", c.name, len(ids), len(live))
		}
		var other []string
		for r, id := range live {
			if ids[r] != id {
				other = append(other, r)
			}
		}
		slices.Sort(other)
		if len(other) > 0 {
			t.Errorf("rebuilt from the %s changelog: records whose person id differs from the live registry's: %v", c.name, other)
		}
		if ver != liveVer {
			t.Errorf("rebuilt from the %s changelog: version %d, live %d", c.name, ver, liveVer)
		}
	}
}

// Two operations logged alike — the same batch, the same decision, the
// same withdrawal twice — get two keys, each its name, "@" and a nonce.
func TestChangelogKeysUnique(t *testing.T) {
	recs := rebuildRecords(4)
	seen := map[string]bool{}
	for _, name := range []string{string(batchKey(recs)), string(batchKey(recs)), "decision:d1", "decision:d1", "withdrawal:w1", "withdrawal:w1"} {
		k := changelogKey(name)
		if !strings.HasPrefix(k, name+"@") || len(k) != len(name)+17 {
			t.Errorf("key %q: want %q, \"@\" and 16 hex digits", k, name)
		}
		if seen[k] {
			t.Errorf("key %q given twice", k)
		}
		seen[k] = true
	}
}
