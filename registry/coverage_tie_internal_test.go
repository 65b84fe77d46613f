package registry

import (
	"context"
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// A person whose records name two provinces once each (a tie) gets the
// same province from every frame its records are in (issue 9 (e),
// chaos10). DANCU_CHAOS_SEED=142697 left one such person counted under
// 83 and written under 42: its records, one of Bến Tre (83) and one
// without a permanent address whose current one is in 42, were summarised
// in frames whose province column had interned the two values in
// different orders (a batch with another person's record of 42 before
// them; the stages restarted and the same records delivered again in a
// frame of their own), and matching's mode broke the tie by the value's
// index in the frame's dictionary. The person's derived coverage state
// (coverage_person_derived.go) is what its records give, so the state
// expanded for the redelivery equalled the new row and no delta moved
// the person: coverage kept it under the first frame's province, persons
// FINAL under the second's.
//
// The invariant checked is the chaos harness's: the deltas of every
// output, summed by province, equal the living persons of the last rows
// written, by province.
func TestPersonProvinceTieSameInEveryFrame(t *testing.T) {
	_, open := trainedOpener(t)
	dir := t.TempDir()
	r := open(dir)
	defer func() { r.Close() }()
	ad := NewRecords()
	ctx := context.Background()

	// Another person's record of province 42, first in the batch, so
	// that the batch's frame interns 42 before 83.
	other := vnRecord(coverageNow, "r-other", "Trần Văn Bình", "1971-03-04", "")
	other.Sex = "M"
	setPerm(&other, "42", "436", "18790", "42", "18790")
	// The person: a record of Bến Tre, and one without a permanent
	// address (its current one, in 42, stands for it in matching).
	a := vnRecord(coverageNow, "r-a", "Nguyễn Thị Hoa", "2000-11-16", "083300012345")
	setPerm(&a, "83", "831", "28810", "86", "28810")
	b := vnRecord(coverageNow, "r-b", "Nguyễn Thị Hoa", "2000-11-16", "083300012345")
	setPerm(&b, "", "", "", "", "")
	b.CurProvinceCode, b.CurDistrictCode, b.CurCommuneCode, b.CurNewProvinceCode, b.CurNewCommuneCode = "42", "", "", "42", "18790"

	counted := map[string]int64{} // province → deltas summed
	seen := map[string]bool{}     // the deltas' (batch, seq) counted, as the load stage keeps them
	once := func(batch string, seq uint32) bool {
		k := batch + "/" + strconv.Itoa(int(seq))
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	rows := map[string]schemas.Person{} // person → last row
	apply := func(step string, out *Output) {
		t.Helper()
		for _, d := range out.PersonDeltaSums {
			if !once(d.Batch, d.Seq) {
				continue
			}
			counted[d.ProvinceCode] += int64(d.Added) - int64(d.Removed)
		}
		for _, d := range out.Deltas {
			if !once(d.Batch, d.Seq) {
				continue
			}
			if d.OldKnown == 0 {
				t.Fatalf("%s: a delta without its old state: %+v", step, d)
			}
			counted[d.ProvinceCode] += int64(d.Living)
			counted[d.OldProvinceCode] -= int64(d.OldLiving)
		}
		for _, p := range out.Persons {
			if q, ok := rows[p.PersonID]; !ok || p.Version >= q.Version {
				rows[p.PersonID] = p
			}
		}
		want := map[string]int64{}
		for _, p := range rows {
			if p.MergedInto == "" {
				want[p.ProvinceCode]++
			}
		}
		for _, m := range []map[string]int64{counted, want} {
			for k, v := range m {
				if v == 0 {
					delete(m, k)
				}
			}
		}
		if len(counted) != len(want) {
			t.Errorf("%s: deltas count %v by province, the persons' rows %v", step, counted, want)
			return
		}
		for k, v := range want {
			if counted[k] != v {
				t.Errorf("%s: deltas count %v by province, the persons' rows %v", step, counted, want)
				return
			}
		}
	}
	add := func(step string, recs ...schemas.Record) *Output {
		t.Helper()
		out, err := r.AddRecords(ctx, ad, recs)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		apply(step, out)
		return out
	}
	first := add("the batch", other, a, b)
	var pid, prov string
	for _, l := range first.Links {
		if l.RecordID == "r-a" {
			pid = l.PersonID
		}
	}
	for _, l := range first.Links {
		if l.RecordID == "r-b" && l.PersonID != pid {
			t.Fatalf("r-a and r-b are persons %s and %s, want one person", pid, l.PersonID)
		}
	}
	for _, p := range first.Persons {
		if p.PersonID == pid {
			prov = p.ProvinceCode
		}
	}
	// The same records again, in a frame of their own (a redelivery),
	// and after a restart, which empties the frame kept between batches.
	again := add("delivered again", a, b)
	for _, p := range again.Persons {
		if p.PersonID == pid && p.ProvinceCode != prov {
			t.Errorf("delivered again: the person's province %s, first %s", p.ProvinceCode, prov)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r = open(dir)
	again = add("after a restart", b, a)
	for _, p := range again.Persons {
		if p.PersonID == pid && p.ProvinceCode != prov {
			t.Errorf("after a restart: the person's province %s, first %s", p.ProvinceCode, prov)
		}
	}
}

// setPerm sets rec's permanent address's codes.
func setPerm(rec *schemas.Record, prov, dist, comm, newProv, newComm string) {
	rec.PermProvinceCode, rec.PermDistrictCode, rec.PermCommuneCode = prov, dist, comm
	rec.PermNewProvinceCode, rec.PermNewCommuneCode = newProv, newComm
}
