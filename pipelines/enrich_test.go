package pipelines_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// TestResolveAddressesAsResolve: the match stage's enricher, which asks
// the address cache for codes only, fills every record of a generated
// population (both lists, one dated before the reform and one after,
// and the scanned forms) with the codes of the units address.Resolve gives
// each address, in the record's era — the same record with its current
// address written as its permanent one too — and keeps codes a source
// already had.
func TestResolveAddressesAsResolve(t *testing.T) {
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: 1500, Seed: 13, OutDir: dir, Formats: []string{"csv", "jsonl"}})
	if err != nil {
		t.Fatal(err)
	}
	var recs []schemas.Record
	for _, f := range m.Files {
		if !f.IsSource() {
			continue
		}
		d, err := f.Date() // as dancu demo imports the file
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ingesttest.Records(t, ingest.Options{SourceDate: d}, filepath.Join(dir, f.Name)) {
			recs = append(recs, *r)
		}
	}
	want := func(r *schemas.Record, text string) [5]string {
		if text == "" {
			return [5]string{}
		}
		res := address.Resolve(text, r.SourceDate)
		return [5]string{res.Province.Code, res.District.Code, res.Commune.Code, res.NewProvince.Code, res.NewCommune.Code}
	}
	perm := func(r *schemas.Record) [5]string {
		return [5]string{r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode}
	}
	cur := func(r *schemas.Record) [5]string {
		return [5]string{r.CurProvinceCode, r.CurDistrictCode, r.CurCommuneCode, r.CurNewProvinceCode, r.CurNewCommuneCode}
	}
	eras, resolved, bad := map[bool]int{}, 0, 0
	for i := range recs {
		r := recs[i]
		if r.PermAddress == "" && r.CurAddress == "" {
			continue
		}
		// the codes from the text alone, whatever the source had
		r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode = "", "", "", "", ""
		r.CurProvinceCode, r.CurDistrictCode, r.CurCommuneCode, r.CurNewProvinceCode, r.CurNewCommuneCode = "", "", "", "", ""
		same := r
		same.CurAddress = same.PermAddress
		pipelines.ResolveAddresses(&r)
		pipelines.ResolveAddresses(&same)
		wp, wc := want(&r, r.PermAddress), want(&r, r.CurAddress)
		for _, c := range []struct {
			name      string
			got, want [5]string
		}{{"permanent", perm(&r), wp}, {"current", cur(&r), wc}, {"permanent (current the same)", perm(&same), wp}, {"current = permanent", cur(&same), wp}} {
			if c.got != c.want {
				if bad++; bad <= 5 {
					t.Errorf("record %s (%v) %s: codes %v, Resolve's %v", r.RecordID, r.SourceDate.Format("2006-01-02"), c.name, c.got, c.want)
				}
			}
		}
		if wp[2] != "" || wp[4] != "" {
			resolved++
		}
		eras[!r.SourceDate.Before(address.ReformDate)]++
	}
	if bad > 0 {
		t.Fatalf("%d addresses of %d records differ", bad, len(recs))
	}
	// the test reads both eras, and addresses that resolve
	if eras[false] == 0 || eras[true] == 0 || resolved < len(recs)/2 {
		t.Fatalf("records by era (post reform) %v, %d of %d with a commune: not the set the test needs", eras, resolved, len(recs))
	}

	// codes a source had are kept; the others are filled
	r := schemas.Record{PermAddress: recs[0].PermAddress, SourceDate: recs[0].SourceDate, PermCommuneCode: "99999"}
	pipelines.ResolveAddresses(&r)
	if w := want(&r, r.PermAddress); r.PermCommuneCode != "99999" || r.PermProvinceCode != w[0] {
		t.Fatalf("a record with its commune code: %v, want the commune kept and the province %q", perm(&r), w[0])
	}
	t.Logf("%d records (%d before the reform, %d since), %d with a permanent commune", len(recs), eras[false], eras[true], resolved)
}
