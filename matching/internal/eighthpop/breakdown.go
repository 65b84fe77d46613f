package eighthpop

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type personRow struct {
	name, birth, number, birthProv, prov22, prov26, household, group, hard string
}

func readRows(path string) ([][]string, map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("read %s: empty", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	return rows[1:], col, nil
}

// falseClass names what the two persons of a false pair are.
func falseClass(a, b personRow) string {
	switch {
	case a.name == b.name && a.birth == b.birth:
		if a.birthProv == b.prov22 || a.birthProv == b.prov26 || b.birthProv == a.prov22 || b.birthProv == a.prov26 {
			if a.prov22 != b.prov22 {
				return "namesake, a number names the other's province"
			}
		}
		if a.prov22 == b.prov22 {
			return "namesake, one province"
		}
		return "namesake, other provinces"
	case a.household == b.household && a.birth == b.birth:
		return "twins"
	case a.household == b.household:
		return "one household"
	case a.name == b.name:
		return "one full name, another birthday"
	}
	return "other"
}

// Breakdown reads dir's truth, kinds and persons and a link's clusters and
// writes pairwise precision, recall and F1, the missed true pairs by the
// noise kinds their records carry (and the persons' hard kinds, "p:"),
// by the lists of the two records, and the false pairs by what the two
// persons are, with examples.
func Breakdown(w io.Writer, dir, pred string, examples int) error {
	truthRows, tc, err := readRows(filepath.Join(dir, "truth.csv"))
	if err != nil {
		return err
	}
	kindRows, kc, err := readRows(filepath.Join(dir, "kinds.csv"))
	if err != nil {
		return err
	}
	personRows, pc, err := readRows(filepath.Join(dir, "persons.csv"))
	if err != nil {
		return err
	}
	predRows, prc, err := readRows(pred)
	if err != nil {
		return err
	}
	truth := map[string]string{}
	var ids []string
	for _, r := range truthRows {
		truth[r[tc["source_record_id"]]] = r[tc["person_id"]]
		ids = append(ids, r[tc["source_record_id"]])
	}
	kinds, source := map[string][]string{}, map[string]string{}
	for _, r := range kindRows {
		id := r[kc["source_record_id"]]
		source[id] = r[kc["source"]]
		if k := r[kc["kinds"]]; k != "" {
			kinds[id] = strings.Split(k, ";")
		}
	}
	persons := map[string]personRow{}
	for _, r := range personRows {
		persons[r[pc["person_id"]]] = personRow{r[pc["full_name"]], r[pc["birth_date"]], r[pc["id_number"]], r[pc["birth_province"]],
			r[pc["province_2022"]], r[pc["province_2026"]], r[pc["household"]], r[pc["namesake_group"]], r[pc["hard"]]}
	}
	sid, pid := prc["source_record_id"], prc["person_id"]
	cluster := map[string]string{}
	for _, r := range predRows {
		cluster[r[sid]] = r[pid]
	}
	missing := 0
	for _, id := range ids {
		if _, ok := cluster[id]; !ok {
			missing++
			cluster[id] = "missing:" + id
		}
	}
	byTruth, byPred := map[string][]string{}, map[string][]string{}
	for _, id := range ids {
		byTruth[truth[id]] = append(byTruth[truth[id]], id)
		byPred[cluster[id]] = append(byPred[cluster[id]], id)
	}
	pairKinds := func(a, b string) []string {
		set := map[string]bool{}
		for _, k := range kinds[a] {
			set[k] = true
		}
		for _, k := range kinds[b] {
			set[k] = true
		}
		for _, h := range strings.Split(persons[truth[a]].hard, ";") {
			if h != "" {
				set["p:"+h] = true
			}
		}
		var ks []string
		for k := range set {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	srcPair := func(a, b string) string {
		s := []string{source[a], source[b]}
		sort.Strings(s)
		return s[0] + "×" + s[1]
	}
	var tp, fn, fp int
	allK, missK, aloneAll, aloneMiss := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	allS, missS := map[string]int{}, map[string]int{}
	var missEx []string
	for _, p := range sortedKeys(byTruth) {
		rs := byTruth[p]
		for i := 0; i < len(rs); i++ {
			for j := i + 1; j < len(rs); j++ {
				a, b := rs[i], rs[j]
				ks := pairKinds(a, b)
				sp := srcPair(a, b)
				allS[sp]++
				for _, k := range ks {
					allK[k]++
				}
				alone := ""
				if len(ks) == 1 {
					alone = ks[0]
				} else if len(ks) == 0 {
					alone = "(none)"
				}
				if alone != "" {
					aloneAll[alone]++
				}
				if cluster[a] == cluster[b] {
					tp++
					continue
				}
				fn++
				missS[sp]++
				for _, k := range ks {
					missK[k]++
				}
				if alone != "" {
					aloneMiss[alone]++
				}
				if len(missEx) < examples {
					missEx = append(missEx, fmt.Sprintf("%s / %s (%s)", a, b, strings.Join(ks, ";")))
				}
			}
		}
	}
	falseC := map[string]int{}
	falseEx := map[string][]string{}
	for _, c := range sortedKeys(byPred) {
		rs := byPred[c]
		for i := 0; i < len(rs); i++ {
			for j := i + 1; j < len(rs); j++ {
				a, b := rs[i], rs[j]
				if truth[a] == truth[b] {
					continue
				}
				fp++
				cl := falseClass(persons[truth[a]], persons[truth[b]])
				falseC[cl]++
				if len(falseEx[cl]) < examples {
					falseEx[cl] = append(falseEx[cl], fmt.Sprintf("%s / %s", a, b))
				}
			}
		}
	}
	prec := float64(tp) / float64(max(1, tp+fp))
	rec := float64(tp) / float64(max(1, tp+fn))
	f1 := 0.0
	if prec+rec > 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	fmt.Fprintf(w, "records %d (not in the prediction: %d), true pairs %d, predicted pairs %d\n", len(ids), missing, tp+fn, tp+fp)
	fmt.Fprintf(w, "pairwise precision %.4f recall %.4f F1 %.4f; missed %d, false %d\n", prec, rec, f1, fn, fp)
	fmt.Fprintf(w, "\nmissed true pairs by kind (a pair counts under every kind either record carries; p: the person's)\n")
	fmt.Fprintf(w, "  %-28s %8s %8s %7s   %s\n", "kind", "pairs", "missed", "share", "alone: missed / pairs")
	for _, k := range sortedByCount(missK, allK) {
		fmt.Fprintf(w, "  %-28s %8d %8d %6.1f%%   %d / %d\n", k, allK[k], missK[k], 100*float64(missK[k])/float64(max(1, allK[k])), aloneMiss[k], aloneAll[k])
	}
	if aloneAll["(none)"] > 0 {
		fmt.Fprintf(w, "  %-28s %8d %8d\n", "(no kind at all)", aloneAll["(none)"], aloneMiss["(none)"])
	}
	fmt.Fprintf(w, "\nmissed true pairs by the two records' lists\n")
	for _, s := range sortedByCount(missS, allS) {
		fmt.Fprintf(w, "  %-28s %8d %8d %6.1f%%\n", s, allS[s], missS[s], 100*float64(missS[s])/float64(max(1, allS[s])))
	}
	fmt.Fprintf(w, "\nfalse pairs by what the two persons are\n")
	for _, c := range sortedByCount(falseC, falseC) {
		fmt.Fprintf(w, "  %-48s %6d   e.g. %s\n", c, falseC[c], strings.Join(falseEx[c], ", "))
	}
	if len(missEx) > 0 {
		fmt.Fprintf(w, "\nmissed pairs, first %d: %s\n", len(missEx), strings.Join(missEx, "\n  "))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// sortedByCount orders the keys of all by by's count, then by name.
func sortedByCount(by, all map[string]int) []string {
	ks := sortedKeys(all)
	sort.SliceStable(ks, func(i, j int) bool { return by[ks[i]] > by[ks[j]] })
	return ks
}
