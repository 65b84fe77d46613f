package sixthpop

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
)

// personRow is what the breakdown reads of persons.csv.
type personRow struct {
	household, relation, commune, village, surname string
	father, mother, hard, partner                  string
}

// Breakdown compares dancu link's clusters (pred, by source_record_id)
// with the truth Generate wrote to dir, and writes: pairwise precision,
// recall and F1; for each noise kind, the true pairs carrying it (on
// either record) and how many were missed; the same by pair of sources;
// what the persons of each wrongly joined pair are to each other (a
// planted twin, namesake cousin or father and son, siblings, a household's
// other members, one clan of one village, one commune, none); and up to
// examples pairs of each, by record id.
func Breakdown(w io.Writer, dir, pred string, examples int) error {
	truth, err := noisefile.Pairs(filepath.Join(dir, "truth.csv"), "source_record_id", "person_id")
	if err != nil {
		return err
	}
	got, err := noisefile.Pairs(pred, "source_record_id", "person_id")
	if err != nil {
		return err
	}
	// A missed pair whose two clusters carry one number, flagged
	// "conflicting", goes to a reviewer; the others are silent splits.
	status, _ := noisefile.Pairs(pred, "source_record_id", "id_status")
	number, _ := noisefile.Pairs(pred, "source_record_id", "identification_number")
	kt, err := noisefile.ReadCSV(filepath.Join(dir, "kinds.csv"))
	if err != nil {
		return err
	}
	kinds := map[string][]string{}
	source := map[string]string{}
	for _, r := range kt.Rows {
		id := kt.Get(r, "source_record_id")
		source[id] = kt.Get(r, "source")
		if k := kt.Get(r, "kinds"); k != "" {
			kinds[id] = strings.Split(k, ";")
		}
	}
	pt, err := noisefile.ReadCSV(filepath.Join(dir, "persons.csv"))
	if err != nil {
		return err
	}
	persons := map[string]personRow{}
	for _, r := range pt.Rows {
		persons[pt.Get(r, "person_id")] = personRow{
			household: pt.Get(r, "household"), relation: pt.Get(r, "relation"), commune: pt.Get(r, "commune_code"),
			village: pt.Get(r, "village"), surname: strings.Fields(pt.Get(r, "full_name") + " ?")[0],
			father: pt.Get(r, "father"), mother: pt.Get(r, "mother"), hard: pt.Get(r, "hard"), partner: pt.Get(r, "partner"),
		}
	}
	byTrue := map[string][]string{}
	byPred := map[string][]string{}
	for id, p := range truth {
		byTrue[p] = append(byTrue[p], id)
		q, ok := got[id]
		if !ok {
			return fmt.Errorf("breakdown: record %s is not in %s", id, pred)
		}
		byPred[q] = append(byPred[q], id)
	}
	type count struct{ all, missed, alone, aloneMissed int }
	perKind := map[string]*count{}
	perSrc := map[string]*count{}
	var tp, fn, fp int
	flagged := 0          // missed pairs a reviewer is shown
	var xtp, xfn, xfp int // the same without the pairs touching a "Con bà" record
	conBa := func(id string) bool {
		for _, k := range kinds[id] {
			if k == "con_ba" {
				return true
			}
		}
		return false
	}
	var missedEx, falseEx []string
	for _, p := range sortedKeys(byTrue) {
		ids := byTrue[p]
		sort.Strings(ids)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				a, b := ids[i], ids[j]
				miss := got[a] != got[b]
				if miss {
					fn++
					if status[a] == "conflicting" && status[b] == "conflicting" && number[a] != "" && number[a] == number[b] {
						flagged++
					}
				} else {
					tp++
				}
				if !conBa(a) && !conBa(b) {
					if miss {
						xfn++
					} else {
						xtp++
					}
				}
				seen := map[string]bool{}
				ks := append(append([]string{}, kinds[a]...), kinds[b]...)
				if len(ks) == 0 {
					ks = []string{"(none)"}
				}
				for _, k := range ks {
					if seen[k] {
						continue
					}
					seen[k] = true
					c := perKind[k]
					if c == nil {
						c = &count{}
						perKind[k] = c
					}
					c.all++
					if miss {
						c.missed++
					}
				}
				if len(seen) == 1 { // the pair's only kind
					c := perKind[ks[0]]
					c.alone++
					if miss {
						c.aloneMissed++
					}
				}
				sp := []string{source[a], source[b]}
				sort.Strings(sp)
				c := perSrc[sp[0]+"×"+sp[1]]
				if c == nil {
					c = &count{}
					perSrc[sp[0]+"×"+sp[1]] = c
				}
				c.all++
				if miss {
					c.missed++
					if len(missedEx) < examples {
						missedEx = append(missedEx, fmt.Sprintf("  %s [%s] / %s [%s]", a, strings.Join(kinds[a], ";"), b, strings.Join(kinds[b], ";")))
					}
				}
			}
		}
	}
	rel := map[string]int{}
	relKind := map[string]int{}
	for _, q := range sortedKeys(byPred) {
		ids := byPred[q]
		sort.Strings(ids)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				a, b := ids[i], ids[j]
				if truth[a] == truth[b] {
					continue
				}
				fp++
				if !conBa(a) && !conBa(b) {
					xfp++
				}
				why := relation(truth[a], truth[b], persons)
				rel[why]++
				seen := map[string]bool{}
				for _, k := range append(append([]string{}, kinds[a]...), kinds[b]...) {
					if !seen[k] {
						seen[k] = true
						relKind[k]++
					}
				}
				if len(falseEx) < examples {
					falseEx = append(falseEx, fmt.Sprintf("  %s / %s: %s [%s] [%s]", a, b, why, strings.Join(kinds[a], ";"), strings.Join(kinds[b], ";")))
				}
			}
		}
	}
	fmt.Fprintf(w, "records %d persons %d; true pairs %d, found %d, missed %d, false %d\n", len(truth), len(byTrue), tp+fn, tp, fn, fp)
	fmt.Fprintf(w, "missed pairs whose two clusters share a number flagged conflicting (shown to a reviewer): %d\n", flagged)
	prec, rec, f1 := prf(tp, fn, fp)
	fmt.Fprintf(w, "pairwise precision %.4f recall %.4f F1 %.4f\n", prec, rec, f1)
	prec, rec, f1 = prf(xtp, xfn, xfp)
	fmt.Fprintf(w, "without the pairs of a \"Con bà\" record: precision %.4f recall %.4f F1 %.4f (true pairs %d)\n", prec, rec, f1, xtp+xfn)
	fmt.Fprintf(w, "\ntrue pairs missed, by kind on either record (missed / pairs, share; then the pairs with no other kind):\n")
	for _, k := range sortedKeys(perKind) {
		c := perKind[k]
		fmt.Fprintf(w, "  %-18s %5d / %6d  %5.1f%%   alone %4d / %5d\n", k, c.missed, c.all, 100*float64(c.missed)/float64(c.all), c.aloneMissed, c.alone)
	}
	fmt.Fprintf(w, "\ntrue pairs missed, by the two records' sources:\n")
	for _, k := range sortedKeys(perSrc) {
		c := perSrc[k]
		fmt.Fprintf(w, "  %-18s %5d / %6d  %5.1f%%\n", k, c.missed, c.all, 100*float64(c.missed)/float64(c.all))
	}
	fmt.Fprintf(w, "\nfalse pairs, by what the two persons are to each other:\n")
	for _, k := range sortedKeys(rel) {
		fmt.Fprintf(w, "  %-18s %5d\n", k, rel[k])
	}
	fmt.Fprintf(w, "\nfalse pairs, by kind on either record:\n")
	for _, k := range sortedKeys(relKind) {
		fmt.Fprintf(w, "  %-18s %5d\n", k, relKind[k])
	}
	if examples > 0 {
		fmt.Fprintf(w, "\nmissed (first %d):\n%s\n", len(missedEx), strings.Join(missedEx, "\n"))
		fmt.Fprintf(w, "\nfalse (first %d):\n%s\n", len(falseEx), strings.Join(falseEx, "\n"))
	}
	return nil
}

// relation says what persons a and b are to each other.
func relation(a, b string, persons map[string]personRow) string {
	pa, pb := persons[a], persons[b]
	switch {
	case pa.partner == b && pa.hard != "":
		return pa.hard
	case pa.household == pb.household && (pa.father == b || pa.mother == b || pb.father == a || pb.mother == a):
		return "parent_child"
	case pa.household == pb.household && pa.relation == "Con" && pb.relation == "Con":
		return "siblings"
	case pa.household == pb.household:
		return "household_other"
	case pa.commune == pb.commune && pa.village == pb.village && pa.surname == pb.surname:
		return "village_clan"
	case pa.commune == pb.commune:
		return "same_commune"
	}
	return "none"
}

// prf is pairwise precision, recall and F1 from the counts.
func prf(tp, fn, fp int) (p, r, f1 float64) {
	p = float64(tp) / float64(max(1, tp+fp))
	r = float64(tp) / float64(max(1, tp+fn))
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}
