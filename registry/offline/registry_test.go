package offline

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/matching"
)

var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// toySettings, toyRows: a copy of package matching's toy population (four
// fields, noisy copies), enough to make merges between runs.
const toySettings = `
version: 1
name: toy
columns:
  - {name: first, transforms: [lower]}
  - {name: last, transforms: [lower]}
  - {name: dob, kind: date}
  - {name: city, transforms: [lower]}
  - {name: nid, kind: code}
blocking:
  - {name: last, keys: [last]}
  - {name: dob, keys: [dob]}
comparisons:
  - name: first
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first, tf: first}
      - {label: jw, op: jw, column: first, threshold: 0.88}
  - name: last
    null_columns: [last]
    levels:
      - {label: exact, op: exact, column: last}
      - {label: jw, op: jw, column: last, threshold: 0.88}
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
      - {label: year, op: date_year, column: dob}
  - name: city
    null_columns: [city]
    levels:
      - {label: exact, op: exact, column: city}
guards:
  - {kind: distinct, column: nid}
  - {kind: year_span, column: dob, max: 2}
`

var firsts = []string{"anna", "bui", "cuong", "dung", "em", "phuong", "giang", "hoa", "khanh", "lan", "minh", "nam", "oanh", "quang", "son", "tuan", "uyen", "vinh", "xuan", "yen"}
var lasts = []string{"nguyen", "tran", "le", "pham", "hoang", "phan", "vu", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "ksor", "mai", "trinh", "dinh", "lam", "ta", "quach", "luong", "kieu", "ha"}
var cities = []string{"ha noi", "hue", "da nang", "can tho", "vinh", "hai phong"}

// toyRows makes n entities with 1–3 noisy copies each; truth maps row id
// to entity.
func toyRows(n int, seed int64) (rows []map[string]string, ids []string, truth map[string]string) {
	rng := rand.New(rand.NewSource(seed))
	truth = map[string]string{}
	typo := func(s string) string {
		if len(s) < 3 || rng.Float64() > 0.3 {
			return s
		}
		i := 1 + rng.Intn(len(s)-2)
		return s[:i] + s[i+1:i+2] + s[i:i+1] + s[i+2:]
	}
	for e := 0; e < n; e++ {
		base := map[string]string{
			"first": firsts[rng.Intn(len(firsts))], "last": lasts[rng.Intn(len(lasts))],
			"dob":  fmt.Sprintf("%04d-%02d-%02d", 1940+rng.Intn(70), 1+rng.Intn(12), 1+rng.Intn(28)),
			"city": cities[rng.Intn(len(cities))],
		}
		copies := 1 + rng.Intn(3)
		for c := 0; c < copies; c++ {
			r := map[string]string{}
			for k, v := range base {
				r[k] = v
			}
			r["first"], r["last"] = typo(r["first"]), typo(r["last"])
			if rng.Float64() < 0.1 {
				r["city"] = ""
			}
			id := fmt.Sprintf("e%d-%d", e, c)
			rows = append(rows, r)
			ids = append(ids, id)
			truth[id] = fmt.Sprint(e)
		}
	}
	return rows, ids, truth
}

// TestRelinkKeepsPersonIDs: dancu link --registry relinks everything it
// holds at each run (Registry keeps the records, matching.Link relinks them all);
// what it must keep is the persons' ids: a record keeps its person's id
// across runs unless that person was merged. The incremental registry of
// the pipeline, which links only the new records, is checked by
// pipelines.TestIncrementalMatchesBatchAndKeepsIDs and package registry.
func TestRelinkKeepsPersonIDs(t *testing.T) {
	s, err := matching.ParseSettings([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(600, 2)
	// Train once on everything; both runs use this model.
	f0 := matching.NewFrame(s)
	for i, r := range rows {
		if err := f0.Add(ids[i], 0, func(k string) string { return r[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	model, _, err := matching.Train(context.Background(), f0, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Model = model
	reg := New()
	reg.Settings = s
	half := len(rows) / 2
	var first map[string]string
	for step, part := range [][2]int{{0, half}, {half, len(rows)}} {
		for i := part[0]; i < part[1]; i++ {
			r := rows[i]
			reg.Add(Capture(s, ids[i], 0, func(k string) string { return r[k] }, nil))
		}
		f, err := reg.Frame(s)
		if err != nil {
			t.Fatal(err)
		}
		res, err := matching.Link(context.Background(), f, s)
		if err != nil {
			t.Fatal(err)
		}
		names := reg.Name(res, testNow)
		if step == 0 {
			first = map[string]string{}
			for k, v := range reg.PersonOf {
				first[k] = v
			}
			continue
		}
		// Every record is named after its cluster.
		for i := 0; i < f.Len(); i++ {
			if reg.PersonOf[f.ID(i)] != names[res.Clusters.Of[i]] {
				t.Fatalf("record %s: person %q, its cluster is named %q", f.ID(i), reg.PersonOf[f.ID(i)], names[res.Clusters.Of[i]])
			}
		}
		// Old persons keep their ids unless merged.
		merged := map[string]bool{}
		for _, e := range reg.Events {
			for _, o := range e.Others {
				merged[o] = true
			}
		}
		changed := 0
		for rec, p := range first {
			if reg.PersonOf[rec] != p && !merged[p] {
				changed++
			}
		}
		if changed > 0 {
			t.Errorf("%d records changed person id without a merge", changed)
		}
	}
}
