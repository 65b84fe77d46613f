package fourthpop

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
	"github.com/dancu-vn/dancu/vn"
)

// Breakdown reads a fourthpop directory and dancu link's clusters.csv and
// prints the missed and false pairs grouped by the sources of their two
// records, by noise kind and by ethnic group, with examples (the records'
// raw lines), and the false pairs by what their two persons are
// (namesakes: falseByPersons): for the development seed only.
func Breakdown(w io.Writer, dir, pred string) error {
	truth, err := noisefile.Pairs(filepath.Join(dir, "truth.csv"), "source_record_id", "person_id")
	if err != nil {
		return err
	}
	kinds, err := noisefile.Pairs(filepath.Join(dir, "kinds.csv"), "source_record_id", "kinds")
	if err != nil {
		return err
	}
	group, err := noisefile.Pairs(filepath.Join(dir, "persons.csv"), "person_id", "group")
	if err != nil {
		return err
	}
	cl, err := noisefile.Pairs(pred, "source_record_id", "person_id")
	if err != nil {
		return err
	}
	raw := map[string]string{}
	for _, f := range Files {
		if err := rawLines(filepath.Join(dir, f), raw); err != nil {
			return err
		}
	}
	byTruth := map[string][]string{}
	byPred := map[string][]string{}
	for id, p := range truth {
		byTruth[p] = append(byTruth[p], id)
		if c, ok := cl[id]; ok {
			byPred[c] = append(byPred[c], id)
		}
	}
	type pair struct{ a, b string }
	var missed, false_ []pair
	for _, ids := range byTruth {
		sort.Strings(ids)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				ca, oka := cl[ids[i]]
				cb, okb := cl[ids[j]]
				if oka && okb && ca != cb {
					missed = append(missed, pair{ids[i], ids[j]})
				}
			}
		}
	}
	for _, ids := range byPred {
		sort.Strings(ids)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				if truth[ids[i]] != truth[ids[j]] {
					false_ = append(false_, pair{ids[i], ids[j]})
				}
			}
		}
	}
	src := func(id string) string { return strings.SplitN(id, "-", 2)[0] }
	for _, set := range []struct {
		name  string
		pairs []pair
	}{{"missed", missed}, {"false", false_}} {
		sort.Slice(set.pairs, func(i, j int) bool {
			if set.pairs[i].a != set.pairs[j].a {
				return set.pairs[i].a < set.pairs[j].a
			}
			return set.pairs[i].b < set.pairs[j].b
		})
		fmt.Fprintf(w, "%s pairs: %d\n", set.name, len(set.pairs))
		bySrc, byKind, byGroup := map[string]int{}, map[string]int{}, map[string]int{}
		for _, p := range set.pairs {
			bySrc[src(p.a)+"+"+src(p.b)]++
			byGroup[group[truth[p.a]]]++
			ks := map[string]bool{}
			for _, id := range []string{p.a, p.b} {
				for _, k := range strings.Split(kinds[id], ";") {
					if k != "" {
						ks[k] = true
					}
				}
			}
			if len(ks) == 0 {
				byKind["(none)"]++
			}
			for k := range ks {
				byKind[k]++
			}
		}
		for _, m := range []struct {
			t string
			m map[string]int
		}{{"sources", bySrc}, {"kind", byKind}, {"group", byGroup}} {
			var keys []string
			for k := range m.m {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool {
				return m.m[keys[i]] > m.m[keys[j]] || m.m[keys[i]] == m.m[keys[j]] && keys[i] < keys[j]
			})
			for _, k := range keys {
				fmt.Fprintf(w, "  %s %-20s %5d\n", m.t, k, m.m[k])
			}
		}
		if set.name == "false" {
			pp := make([][2]string, len(set.pairs))
			for i, p := range set.pairs {
				pp[i] = [2]string{p.a, p.b}
			}
			if err := falseByPersons(w, dir, pp, truth, cl, byPred); err != nil {
				return err
			}
		}
		for i, p := range set.pairs {
			if i == 60 {
				break
			}
			fmt.Fprintf(w, "  %s %s %s [%s | %s]\n    %s\n    %s\n", set.name, p.a, p.b, kinds[p.a], kinds[p.b], raw[p.a], raw[p.b])
		}
	}
	return nil
}

// rawLines keys each line of a source file by the record id it holds.
func rawLines(path string, into map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, p := range []string{"XA-", "CA-", "DC01-", "YT-"} {
			if i := strings.Index(line, p); i >= 0 {
				id := line[i:]
				if j := strings.IndexAny(id, ",\""); j > 0 {
					id = id[:j]
				}
				into[id] = line
				break
			}
		}
	}
	return sc.Err()
}

// falseByPersons prints how many false pairs join two namesakes of one
// commune — one full name (folded), one birth year, one commune — living
// in one village or in two (persons.csv's village), and how many lie in a
// predicted person holding rows of two true persons from one list (a
// source file: each of fourthpop's lists names a person once, acc48).
func falseByPersons(w io.Writer, dir string, pairs [][2]string, truth, cl map[string]string, byPred map[string][]string) error {
	t, err := noisefile.ReadCSV(filepath.Join(dir, "persons.csv"))
	if err != nil {
		return err
	}
	col := func(name string) (int, error) {
		i, ok := t.Col[name]
		if !ok {
			return 0, fmt.Errorf("%s: no column %s", filepath.Join(dir, "persons.csv"), name)
		}
		return i, nil
	}
	type who struct{ name, year, commune, village string }
	persons := map[string]who{}
	var cols [5]int
	for i, c := range []string{"person_id", "full_name", "birth_date", "commune_code", "village"} {
		if cols[i], err = col(c); err != nil {
			return err
		}
	}
	for _, r := range t.Rows {
		if len(r) <= max(cols[0], cols[1], cols[2], cols[3], cols[4]) {
			continue
		}
		persons[r[cols[0]]] = who{vn.Fold(r[cols[1]]), r[cols[2]][:min(4, len(r[cols[2]]))], r[cols[3]], r[cols[4]]}
	}
	// The predicted persons holding two true persons' rows of one list.
	src := func(id string) string { return strings.SplitN(id, "-", 2)[0] }
	twoRows := map[string]bool{}
	for c, ids := range byPred {
		first := map[string]string{}
		for _, id := range ids {
			s := src(id)
			if p, ok := first[s]; ok && p != truth[id] {
				twoRows[c] = true
				break
			}
			first[s] = truth[id]
		}
	}
	var oneVillage, twoVillages, other, inTwoRows int
	for _, p := range pairs {
		a, b := persons[truth[p[0]]], persons[truth[p[1]]]
		switch {
		case a.name != b.name || a.year != b.year || a.commune != b.commune:
			other++
		case a.village == b.village:
			oneVillage++
		default:
			twoVillages++
		}
		if twoRows[cl[p[0]]] {
			inTwoRows++
		}
	}
	fmt.Fprintf(w, "  persons namesakes of one commune, one village %5d\n", oneVillage)
	fmt.Fprintf(w, "  persons namesakes of one commune, two villages %5d\n", twoVillages)
	fmt.Fprintf(w, "  persons other %5d\n", other)
	fmt.Fprintf(w, "  in a person holding two persons' rows of one list %5d\n", inTwoRows)
	return nil
}
