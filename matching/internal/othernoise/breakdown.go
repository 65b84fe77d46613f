package othernoise

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// Breakdown reads a corrupted set (truth.csv, kinds.csv, persons.csv in
// dir) and dancu link's clusters.csv, and writes the missed and the false
// pairs counted by kind: a pair counts once under each kind either of its
// records carries ("none" when neither carries one); a false pair also
// counts under the relation of its two persons (twin, namesake — gen's —,
// father_son, household, other).
func Breakdown(dir, clustersPath string, w io.Writer) error {
	tt, err := readCSV(filepath.Join(dir, "truth.csv"))
	if err != nil {
		return err
	}
	kt, err := readCSV(filepath.Join(dir, "kinds.csv"))
	if err != nil {
		return err
	}
	pt, err := readCSV(filepath.Join(dir, "persons.csv"))
	if err != nil {
		return err
	}
	ct, err := readCSV(clustersPath)
	if err != nil {
		return err
	}
	truth := map[string]string{}
	for _, r := range tt.Rows {
		truth[r[0]] = r[1]
	}
	kinds := map[string][]string{}
	for _, r := range kt.Rows {
		if r[1] != "" {
			kinds[r[0]] = strings.Split(r[1], ";")
		}
	}
	type rel struct{ father, head, twin, namesake string }
	rels := map[string]rel{}
	for _, r := range pt.Rows {
		g := func(c string) string { return r[pt.Col[c]] }
		rels[g("person_id")] = rel{g("father_id"), g("household_head_id"), g("twin_of"), g("namesake_of")}
	}
	sc, ok := ct.Col["source_record_id"]
	pc, ok2 := ct.Col["person_id"]
	if !ok || !ok2 {
		return fmt.Errorf("%s: want source_record_id and person_id columns", clustersPath)
	}
	pred := map[string]string{}
	byPred := map[string][]string{}
	byTrue := map[string][]string{}
	for _, r := range ct.Rows {
		pred[r[sc]] = r[pc]
		byPred[r[pc]] = append(byPred[r[pc]], r[sc])
	}
	for code, p := range truth {
		if _, ok := pred[code]; ok {
			byTrue[p] = append(byTrue[p], code)
		}
	}
	// count adds the pair under each kind its records carry, and under
	// "only KIND" when that is the one kind they carry.
	count := func(m map[string]int, a, b string) {
		seen := map[string]bool{}
		last := ""
		for _, k := range append(append([]string(nil), kinds[a]...), kinds[b]...) {
			if !seen[k] {
				seen[k] = true
				m[k]++
				last = k
			}
		}
		switch len(seen) {
		case 0:
			m["none"]++
		case 1:
			m["only "+last]++
		}
	}
	missed, falses, relations := map[string]int{}, map[string]int{}, map[string]int{}
	nMissed, nFalse := 0, 0
	for _, recs := range byTrue {
		for i := range recs {
			for j := i + 1; j < len(recs); j++ {
				if pred[recs[i]] != pred[recs[j]] {
					nMissed++
					count(missed, recs[i], recs[j])
				}
			}
		}
	}
	for _, recs := range byPred {
		for i := range recs {
			for j := i + 1; j < len(recs); j++ {
				a, b := truth[recs[i]], truth[recs[j]]
				if a == b {
					continue
				}
				nFalse++
				count(falses, recs[i], recs[j])
				ra, rb := rels[a], rels[b]
				switch {
				case ra.twin == b || rb.twin == a:
					relations["twin"]++
				case ra.namesake == b || rb.namesake == a:
					relations["namesake"]++
				case ra.father == b || rb.father == a:
					relations["father_son"]++
				case ra.head != "" && ra.head == rb.head:
					relations["household"]++
				default:
					relations["other"]++
				}
			}
		}
	}
	print := func(title string, n int, m map[string]int) {
		fmt.Fprintf(w, "%s: %d pairs\n", title, n)
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] || m[ks[i]] == m[ks[j]] && ks[i] < ks[j] })
		for _, k := range ks {
			fmt.Fprintf(w, "  %-19s %6d\n", k, m[k])
		}
	}
	print("missed (same person, two clusters), by kind", nMissed, missed)
	print("false (two persons, one cluster), by kind", nFalse, falses)
	print("false, by relation", nFalse, relations)
	return nil
}
