package registry_test

import (
	"context"
	"math/rand"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// plantCopiedNumbers returns the generated records with one 12-digit
// number written on nID records and one CMND on nCMND records, each of a
// different true person (chosen with seed): numbers typed as placeholders
// or copied down a column.
func plantCopiedNumbers(p *population, nID, nCMND int, seed int64) ([]schemas.Record, map[string]bool) {
	recs := append([]schemas.Record(nil), p.recs...)
	order := rand.New(rand.NewSource(seed)).Perm(len(recs))
	used := map[string]bool{}
	planted := map[string]bool{}
	k := 0
	for _, i := range order {
		if used[p.truth[recs[i].RecordID]] {
			continue
		}
		used[p.truth[recs[i].RecordID]] = true
		switch {
		case k < nID:
			recs[i].IDNumber = "001190000045"
		case k < nID+nCMND:
			recs[i].CMND = "123456789"
		default:
			return recs, planted
		}
		planted[recs[i].RecordID] = true
		k++
	}
	return recs, planted
}

// offlineLinkOf links recs offline with s, as dancu link does.
func offlineLinkOf(t *testing.T, s *settings.Settings, recs []schemas.Record) (map[string]string, *matching.Result) {
	t.Helper()
	f := frameOf(s, registry.NewRecords(), recs)
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i := 0; i < f.Len(); i++ {
		out[f.ID(i)] = f.ID(int(res.Clusters.Of[i]))
	}
	return out, res
}

// wronglyMerged counts the persons of got that hold planted records of
// more than one true person.
func wronglyMerged(truth, got map[string]string, planted map[string]bool) int {
	of := map[string]map[string]bool{}
	for id := range planted {
		if of[got[id]] == nil {
			of[got[id]] = map[string]bool{}
		}
		of[got[id]][truth[id]] = true
	}
	n := 0
	for _, ps := range of {
		if len(ps) > 1 {
			n++
		}
	}
	return n
}

// A number copied onto many records (settings' generic_values, id and
// cmnd at 20): the registry reads it as missing on every record arriving
// once 20 records it holds carry it, so its block stops at 20 and the
// records are not all compared with each other (without generic_values
// every one was a candidate of every other, and a block past 1,048,574
// members failed its batch); the persons equal offline linking's, which
// reads it as missing on all of them (pairwise F1 ≥ 0.999), for any
// arrival order and batch size; Output.Generic and Stats.GenericMasked
// count the records taken without it.
func TestGenericNumbersStreamingEqualsOffline(t *testing.T) {
	p := generated(t)
	const nID, nCMND = 150, 60
	recs, planted := plantCopiedNumbers(p, nID, nCMND, 5)
	offline, res := offlineLinkOf(t, p.settings, recs)
	if len(res.Generic) != 2 || res.Generic[0].Records+res.Generic[1].Records != nID+nCMND {
		t.Fatalf("offline generic values %v, want the number on %d records and the CMND on %d", res.Generic, nID, nCMND)
	}
	t.Logf("offline vs truth %s; planted records' persons wrongly merged: %d", eval.Clusters(p.truth, offline), wronglyMerged(p.truth, offline, planted))
	// Scaled out (two Scorers hold the blocking index), the registry
	// counts the values itself ('G' keys): the same records go without.
	got, reg := streamScored(t, p.settings, recs, 97, 2)
	if m := eval.Clusters(offline, got); m.F1 < 0.999 || reg.Stats().GenericMasked != (nID-20)+(nCMND-20) {
		t.Errorf("scaled out: F1 vs offline %.5f, %d records taken without their number; want ≥ 0.999 and %d", m.F1, reg.Stats().GenericMasked, (nID-20)+(nCMND-20))
	}
	noGeneric := *p.settings
	noGeneric.GenericValues = nil
	_, _, before := stream(t, &noGeneric, recs, 500)
	for _, order := range []int64{0, 3} {
		rs := append([]schemas.Record(nil), recs...)
		if order > 0 {
			rand.New(rand.NewSource(order)).Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		}
		for _, n := range []int{7, 500} {
			got, outs, reg := stream(t, p.settings, rs, n)
			m := eval.Clusters(offline, got)
			st := reg.Stats()
			masked := 0
			for _, o := range outs {
				masked += o.Generic
			}
			t.Logf("order %d batch %d: F1 vs offline %.5f (P %.5f R %.5f), vs truth %.4f; wrongly merged %d; masked %d; comparisons %d (without generic_values %d)",
				order, n, m.F1, m.Precision, m.Recall, eval.Clusters(p.truth, got).F1, wronglyMerged(p.truth, got, planted), masked, st.Comparisons, before.Stats().Comparisons)
			if m.F1 < 0.999 {
				t.Errorf("order %d batch %d: pairwise F1 vs offline %.5f < 0.999", order, n, m.F1)
			}
			if want := (nID - 20) + (nCMND - 20); masked != want || st.GenericMasked != int64(want) {
				t.Errorf("order %d batch %d: %d records taken without their number (stats %d), want %d", order, n, masked, st.GenericMasked, want)
			}
			// The copied numbers' pairs: (150·149 + 60·59)/2 = 12,945
			// before; at most (20·19 + 20·19)/2 = 380 of them now (and
			// those another rule makes, a few: nine tenths must go).
			if saved := before.Stats().Comparisons - st.Comparisons; saved < 9*((nID*(nID-1)+nCMND*(nCMND-1))/2-380)/10 {
				t.Errorf("order %d batch %d: %d comparisons, %d without generic_values: want the copied numbers' %d pairs gone", order, n, st.Comparisons, before.Stats().Comparisons, (nID*(nID-1)+nCMND*(nCMND-1))/2)
			}
		}
	}
}
