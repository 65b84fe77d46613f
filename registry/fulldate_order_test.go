package registry_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// TestFullDateGuardSamePartitionAnyOrder: the full_date guard is no
// equivalence (a lunar date sits between two solar dates that are not
// one birthday; a year-only record fits any), so which joins it refuses
// depends on which came first — unless the registry reclusters the whole
// component with the offline rule, strongest link first. Five records of
// one name, sex and commune — full dates 15 October, 10 September (35
// days: lunar of the first), 1 August (40 days from the second, 75 from
// the first), a swapped 10/09 → 9 October, and one giving only the year —
// added in a dozen orders one, two or all at a time, give dancu link's
// partition each time (invariant (b)), and that partition holds a join
// the guard refused.
func TestFullDateGuardSamePartitionAnyOrder(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	base := schemas.Record{FullName: "Hoàng Thị Mỹ Duyên", Sex: "F", BirthYear: 1994,
		PermProvinceCode: "01", PermCommuneCode: "00004", PermAddress: "Số 3 ngõ 12 phố Quán Thánh"}
	var recs []schemas.Record
	for i, d := range []string{"1994-10-15", "1994-09-10", "1994-08-01", "1994-10-09", ""} {
		r := base
		r.RecordID, r.BirthDate = fmt.Sprintf("f%d/%d", i, i+2), d
		recs = append(recs, r)
	}
	ad := registry.NewRecords()
	f := frameOf(s, ad, recs)
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	offline := map[string]string{}
	for i := 0; i < f.Len(); i++ {
		offline[f.ID(i)] = f.ID(int(res.Clusters.Of[i]))
	}
	refused := 0
	for _, b := range res.Clusters.Blocked {
		if b.Guard.Kind == "full_date" {
			refused++
		}
	}
	if refused == 0 || len(distinct(offline)) == len(recs) {
		t.Fatalf("offline: persons %v, %d joins refused by full_date; the test needs joins and a refusal (blocked %+v)", offline, refused, res.Clusters.Blocked)
	}
	t.Logf("offline: %d persons of %d records, %d joins refused by full_date", len(distinct(offline)), len(recs), refused)
	// Every order would open 360 registries; the reversed one, the
	// rotations and some shuffles, each added one, two or all at a time,
	// one registry open at a time (each takes room on disk until closed).
	orders := [][]int{{4, 3, 2, 1, 0}}
	for k := range len(recs) {
		var o []int
		for i := range len(recs) {
			o = append(o, (i+k)%len(recs))
		}
		orders = append(orders, o)
	}
	rng := rand.New(rand.NewSource(13))
	for range 6 {
		orders = append(orders, rng.Perm(len(recs)))
	}
	for _, order := range orders {
		in := make([]schemas.Record, len(recs))
		for k, i := range order {
			in[k] = recs[i]
		}
		for _, n := range []int{1, 2, len(recs)} {
			if got := streamClosed(t, s, in, n); samePartition(offline, got) != 0 {
				t.Fatalf("order %v, batches of %d: persons %v, offline %v", order, n, got, offline)
			}
		}
	}
}

// streamClosed adds recs to a new registry in batches of n, closes it,
// removes its directory and returns each record's person.
func streamClosed(t *testing.T, s *settings.Settings, recs []schemas.Record, n int) map[string]string {
	t.Helper()
	dir, err := os.MkdirTemp(t.TempDir(), "reg")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	person, _ := addInBatches(t, reg, recs, n)
	return person
}

// distinct returns the values of m, once each.
func distinct(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, v := range m {
		out[v] = true
	}
	return out
}
