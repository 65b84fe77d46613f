package seventhpop

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
)

// Breakdown reads what Generate wrote to dir and a link's clusters (pred:
// dancu link's output, by source_record_id and person_id) and writes the
// pairwise precision and recall, the missed true pairs by noise kind (a
// pair counts under each kind either record carries; "alone" when the two
// carry no other kind than those that cost nothing by themselves) and by
// pair of sources, and the false pairs by what the two persons are to
// each other, with up to ex examples of each.
func Breakdown(w io.Writer, dir, pred string, ex int) error {
	truth, err := noisefile.Pairs(filepath.Join(dir, "truth.csv"), "source_record_id", "person_id")
	if err != nil {
		return err
	}
	got, err := noisefile.Pairs(pred, "source_record_id", "person_id")
	if err != nil {
		return err
	}
	kt, err := noisefile.ReadCSV(filepath.Join(dir, "kinds.csv"))
	if err != nil {
		return err
	}
	pt, err := noisefile.ReadCSV(filepath.Join(dir, "persons.csv"))
	if err != nil {
		return err
	}
	kinds, src := map[string][]string{}, map[string]string{}
	for _, r := range kt.Rows {
		id := kt.Get(r, "source_record_id")
		src[id] = kt.Get(r, "source")
		if k := kt.Get(r, "kinds"); k != "" {
			kinds[id] = strings.Split(k, ";")
		}
	}
	pers := map[string][]string{}
	for _, r := range pt.Rows {
		pers[pt.Get(r, "person_id")] = r
	}
	byTrue, byPred := map[string][]string{}, map[string][]string{}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	missing := 0
	for _, id := range ids {
		byTrue[truth[id]] = append(byTrue[truth[id]], id)
		if c, ok := got[id]; ok {
			byPred[c] = append(byPred[c], id)
		} else {
			missing++
		}
	}
	type tally struct{ pairs, missed int }
	kindT, aloneT, srcT := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	inc := func(m map[string]*tally, k string, miss bool) {
		t := m[k]
		if t == nil {
			t = &tally{}
			m[k] = t
		}
		t.pairs++
		if miss {
			t.missed++
		}
	}
	harmless := map[string]bool{"addr_abbrev": true, "addr_new_era": true, "no_marks": true, "upper_no_marks": true, "date_datetime": true, "date_serial": true, "id_cmnd": true, "id_none": true, "date_mdy": true, "date_mmm": true, "id_spaced": true, "id_lost_zero": true}
	var tp, fn int
	var missedEx []string
	persIDs := make([]string, 0, len(byTrue))
	for p := range byTrue {
		persIDs = append(persIDs, p)
	}
	sort.Strings(persIDs)
	for _, p := range persIDs {
		rs := byTrue[p]
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				a, b := rs[i], rs[j]
				miss := got[a] == "" || got[a] != got[b]
				if miss {
					fn++
					if len(missedEx) < ex {
						missedEx = append(missedEx, fmt.Sprintf("%s %s  [%s | %s]", a, b, strings.Join(kinds[a], ";"), strings.Join(kinds[b], ";")))
					}
				} else {
					tp++
				}
				set := map[string]bool{}
				for _, k := range append(append([]string(nil), kinds[a]...), kinds[b]...) {
					set[k] = true
				}
				var hard []string
				for k := range set {
					inc(kindT, k, miss)
					if !harmless[k] {
						hard = append(hard, k)
					}
				}
				if len(set) == 0 {
					inc(kindT, "(none)", miss)
				}
				sort.Strings(hard)
				inc(aloneT, strings.Join(hard, "+"), miss)
				s := []string{src[a], src[b]}
				sort.Strings(s)
				inc(srcT, s[0]+" × "+s[1], miss)
			}
		}
	}
	falseT := map[string]int{}
	var fp int
	var falseEx []string
	cs := make([]string, 0, len(byPred))
	for c := range byPred {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	for _, c := range cs {
		rs := byPred[c]
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				a, b := rs[i], rs[j]
				if truth[a] == truth[b] {
					continue
				}
				fp++
				why := relation(pers[truth[a]], pers[truth[b]], pt)
				falseT[why]++
				if len(falseEx) < ex {
					falseEx = append(falseEx, fmt.Sprintf("%s %s  %s", a, b, why))
				}
			}
		}
	}
	prec, rec := ratio(tp, tp+fp), ratio(tp, tp+fn)
	fmt.Fprintf(w, "records %d (not in the link's output: %d)\ntrue pairs %d, found %d, missed %d, false %d\nP %.4f R %.4f F1 %.4f\n",
		len(truth), missing, tp+fn, tp, fn, fp, prec, rec, 2*prec*rec/(prec+rec))
	print := func(head string, m map[string]*tally, minPairs int) {
		fmt.Fprintf(w, "\n%s (missed / pairs)\n", head)
		ks := make([]string, 0, len(m))
		for k := range m {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool {
			if m[ks[i]].missed != m[ks[j]].missed {
				return m[ks[i]].missed > m[ks[j]].missed
			}
			return ks[i] < ks[j]
		})
		for _, k := range ks {
			if t := m[k]; t.pairs >= minPairs || t.missed > 0 {
				if k == "" {
					k = "(only kinds that cost nothing alone)"
				}
				fmt.Fprintf(w, "  %-48s %6d / %6d  %5.1f%%\n", k, t.missed, t.pairs, 100*ratio(t.missed, t.pairs))
			}
		}
	}
	print("missed true pairs by kind", kindT, 0)
	print("missed true pairs by their kinds other than "+strings.Join(sortedKeys(harmless), ", "), aloneT, 50)
	print("missed true pairs by sources", srcT, 0)
	fmt.Fprintf(w, "\nfalse pairs by what the two persons are\n")
	for _, k := range sortedKeys(falseT) {
		fmt.Fprintf(w, "  %-30s %6d\n", k, falseT[k])
	}
	fmt.Fprintf(w, "\nmissed, examples\n  %s\nfalse, examples\n  %s\n", strings.Join(missedEx, "\n  "), strings.Join(falseEx, "\n  "))
	return nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// relation says what two persons of persons.csv are to each other.
func relation(a, b []string, t *noisefile.Table) string {
	g := func(r []string, c string) string { return t.Get(r, c) }
	switch {
	case g(a, "hard") != "" && g(a, "other") == g(b, "person_id"):
		return g(a, "hard")
	case g(a, "father") == g(b, "person_id") || g(a, "mother") == g(b, "person_id") ||
		g(b, "father") == g(a, "person_id") || g(b, "mother") == g(a, "person_id"):
		return "parent and child"
	case g(a, "father") != "" && g(a, "father") == g(b, "father"):
		return "siblings"
	case g(a, "household") == g(b, "household"):
		return "one household"
	case g(a, "full_name") == g(b, "full_name"):
		return "same full name"
	case g(a, "commune_2016") == g(b, "commune_2016"):
		return "one commune"
	}
	return "other"
}
