package fifthpop

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
)

// Breakdown reads a fifthpop directory and dancu link's clusters.csv and
// prints the missed pairs by the noise kinds of their two records (each
// kind, and the pairs with one kind alone) and the false pairs by what the
// two persons are to each other: twins, one household, namesakes of one
// commune, one surname in one commune, or strangers. For dev seeds only.
func Breakdown(w io.Writer, dir, pred string, examples int) error {
	truth, err := noisefile.Pairs(filepath.Join(dir, "truth.csv"), "source_record_id", "person_id")
	if err != nil {
		return err
	}
	kinds, err := noisefile.Pairs(filepath.Join(dir, "kinds.csv"), "source_record_id", "kinds")
	if err != nil {
		return err
	}
	cl, err := noisefile.Pairs(pred, "source_record_id", "person_id")
	if err != nil {
		return err
	}
	pf, err := os.Open(filepath.Join(dir, "persons.csv"))
	if err != nil {
		return err
	}
	prows, err := csv.NewReader(pf).ReadAll()
	pf.Close()
	if err != nil {
		return err
	}
	person := map[string][]string{}
	for _, r := range prows[1:] {
		person[r[0]] = r
	}
	byTruth, byPred := map[string][]string{}, map[string][]string{}
	for id, p := range truth {
		byTruth[p] = append(byTruth[p], id)
		if c, ok := cl[id]; ok {
			byPred[c] = append(byPred[c], id)
		}
	}
	type pair struct{ a, b string }
	var missed, false_ []pair
	collect := func(groups map[string][]string, keep func(a, b string) bool, into *[]pair) {
		for _, ids := range groups {
			sort.Strings(ids)
			for i := range ids {
				for j := i + 1; j < len(ids); j++ {
					if keep(ids[i], ids[j]) {
						*into = append(*into, pair{ids[i], ids[j]})
					}
				}
			}
		}
	}
	collect(byTruth, func(a, b string) bool {
		ca, oka := cl[a]
		cb, okb := cl[b]
		return oka && okb && ca != cb
	}, &missed)
	collect(byPred, func(a, b string) bool { return truth[a] != truth[b] }, &false_)
	// Every true pair by the kinds of its two records, for the rates.
	var all []pair
	collect(byTruth, func(a, b string) bool { return true }, &all)
	allKind := map[string]int{}
	for _, p := range all {
		for k := range pairKinds(kinds, p.a, p.b) {
			allKind[k]++
		}
	}
	src := func(id string) string { return strings.SplitN(id, "-", 2)[0] }
	count := func(title string, m map[string]int) {
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
		for _, k := range keys {
			fmt.Fprintf(w, "  %-8s %-22s %6d\n", title, k, m[k])
		}
	}
	// relation says what two different persons are to each other.
	relation := func(a, b string) string {
		pa, pb := person[truth[a]], person[truth[b]]
		switch {
		case pa[8] == pb[8] && pa[10] == "true" && pb[10] == "true" && pa[2] == pb[2]:
			return "twins"
		case pa[8] == pb[8]:
			return "household"
		case pa[7] == pb[7] && pa[1] == pb[1]:
			return "namesakes_commune"
		case pa[1] == pb[1]:
			return "namesakes_elsewhere"
		case pa[7] == pb[7] && strings.Fields(pa[1])[0] == strings.Fields(pb[1])[0]:
			return "surname_commune"
		case pa[7] == pb[7]:
			return "commune"
		}
		return "strangers"
	}
	for _, set := range []struct {
		name  string
		pairs []pair
	}{{"missed", missed}, {"false", false_}} {
		sort.Slice(set.pairs, func(i, j int) bool {
			return set.pairs[i].a < set.pairs[j].a || set.pairs[i].a == set.pairs[j].a && set.pairs[i].b < set.pairs[j].b
		})
		fmt.Fprintf(w, "%s pairs: %d\n", set.name, len(set.pairs))
		bySrc, byKind, alone, byRel, byGroup := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
		for _, p := range set.pairs {
			bySrc[src(p.a)+"+"+src(p.b)]++
			byGroup[person[truth[p.a]][4]]++
			ks := pairKinds(kinds, p.a, p.b)
			for k := range ks {
				byKind[k]++
			}
			if len(ks) == 1 {
				for k := range ks {
					alone[k]++
				}
			}
			if len(ks) == 0 {
				alone["(none)"]++
			}
			if set.name == "false" {
				byRel[relation(p.a, p.b)]++
			}
		}
		count("sources", bySrc)
		count("group", byGroup)
		if set.name == "false" {
			count("relation", byRel)
		}
		count("kind", byKind)
		if set.name == "missed" {
			var keys []string
			for k := range allKind {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(w, "  rate     %-22s %6d of %6d true pairs missed (%.1f%%)\n", k, byKind[k], allKind[k], 100*float64(byKind[k])/float64(allKind[k]))
			}
		}
		count("alone", alone)
		for i, p := range set.pairs {
			if i == examples {
				break
			}
			extra := ""
			if set.name == "false" {
				extra = " " + relation(p.a, p.b)
			}
			fmt.Fprintf(w, "  %s %s %s%s [%s | %s]\n", set.name, p.a, p.b, extra, kinds[p.a], kinds[p.b])
		}
	}
	return nil
}

// pairKinds is the set of kinds either record of a pair carries.
func pairKinds(kinds map[string]string, a, b string) map[string]bool {
	ks := map[string]bool{}
	for _, id := range []string{a, b} {
		for _, k := range strings.Split(kinds[id], ";") {
			if k != "" {
				ks[k] = true
			}
		}
	}
	return ks
}
