package pipelines

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// rebuildRecords makes n records of n/2 persons, two records each.
func rebuildRecords(n int) []schemas.Record {
	given := []string{"An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Minh", "Nam", "Thảo"}
	middle := []string{"Văn", "Thị", "Đức", "Ngọc", "Quang"}
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"}
	recs := make([]schemas.Record, n)
	for i := range recs {
		p := i / 2
		f, m, g := family[p%6], middle[p/6%5], given[p/30%10]
		recs[i] = schemas.Record{RecordID: fmt.Sprintf("r%05d", i), SchemaVersion: schemas.Version, SourceKind: schemas.KindCSV,
			SourceFile: "rebuild.csv", Row: uint32(i + 2), FullName: f + " " + m + " " + g, FamilyName: f, MiddleName: m, GivenName: g,
			BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 50+p%40, 1+p%12, 1+p%28), BirthYear: uint16(1950 + p%40), Sex: "M"}
	}
	return recs
}

// A rebuild of the registry from its changelog that is cut short (here the
// scoring fails at the third batch, as a Ctrl-C, a kill or Kafka going
// away would cut it) must not leave a registry that the next start takes
// as whole: the next start rebuilds it from the beginning and holds every
// record of the changelog. OpenRegistry alone replays only into an empty
// registry, and kept the first two batches of eight.
func TestRegistryRebuildCutShortStartsAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	recs := rebuildRecords(400)
	src, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	for b := 0; b < len(recs); b += 50 {
		if _, err := src.Link(ctx, recs[b:b+50]); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	dir := t.TempDir() + "/registry"
	cut := errors.New("cut short")
	calls := 0
	_, err = openStageRegistry(ctx, RegistryConfig{Dir: dir, Brokers: brokers, Score: func(ctx context.Context, items []registry.Item) ([]registry.Edge, error) {
		if calls++; calls == 3 {
			return nil, cut
		}
		return nil, nil
	}}, log)
	if !errors.Is(err, cut) {
		t.Fatalf("the cut rebuild: %v, want %v", err, cut)
	}
	if _, err := os.Stat(dir + rebuildingSuffix); err != nil {
		t.Errorf("no mark of the unfinished rebuild: %v", err)
	}

	l, err := openStageRegistry(ctx, RegistryConfig{Dir: dir, Brokers: brokers}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got := l.Registry.Len(); got != uint64(len(recs)) {
		t.Errorf("after a rebuild cut short and a restart the registry holds %d records, want the changelog's %d", got, len(recs))
	}
	if _, err := os.Stat(dir + rebuildingSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the finished rebuild left its mark: %v", err)
	}
	for _, want := range []string{"rebuilding it from its changelog", "did not finish", "records=400"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}
