package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A record a score instance holds from a batch the cluster role never
// kept (it was killed before its commit) comes again after a newer
// record of its block was scored against it — an edge the cluster role
// dropped, not holding the record then. Scored again, the redelivered
// record is scored against the newer member too, so the two are one
// person, as a registry never killed makes them (chaos6: --seed 261
// --run-seed 265 --matchers 3 split 17 persons).
func TestScorerRedeliveryMeetsNewerMembers(t *testing.T) {
	p := generated(t)
	a := schemas.Record{RecordID: "x/1", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID = "x/2"
	ctx := context.Background()
	sc, err := registry.OpenScorer(registry.ScorerConfig{Dir: t.TempDir(), Settings: p.settings})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	killed, err := registry.Open(registry.Config{Dir: t.TempDir(), Settings: p.settings, Score: registry.Local([]*registry.Scorer{sc})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := killed.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a}); err != nil {
		t.Fatal(err)
	}
	killed.Close() // its store is lost: the cluster role starts again from another
	reg, err := registry.Open(registry.Config{Dir: t.TempDir(), Settings: p.settings, Score: registry.Local([]*registry.Scorer{sc})})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	person := map[string]string{}
	for _, batch := range []schemas.Record{b, a} {
		out, err := reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{batch})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range out.Links {
			person[l.RecordID] = l.PersonID
		}
	}
	if person[a.RecordID] == "" || person[a.RecordID] != person[b.RecordID] {
		t.Errorf("after the redelivery: %s in %q, %s in %q; want one person", a.RecordID, person[a.RecordID], b.RecordID, person[b.RecordID])
	}
}
