package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// TestNamesakeRouteDiagnosis (acc53, issue 12) measures a mend not landed:
// a link resting on a full name and a birthday alone — the records'
// addresses in other provinces ("else"), no number agreeing, no parent
// agreeing — whose name the national register holds, by the name tables'
// shares, at least once more on that day (λ ≥ 1: 10⁸ persons × ½ a sex ×
// P(surname) × P(middle | sex) × P(given | sex) ÷ one day of 75 years) is
// sent to the review desk as a grey-zone pair instead of merged. It links
// a generated population's lists (every *.csv and *.jsonl of the
// directory but truth.csv, kinds.csv and persons.csv) with the shipped
// model, prints such joined pairs by their evidence and λ, then scores the
// link before and after the routing: pairwise P / R / F1 against
// truth.csv and the grey-zone conflicts per 1,000 records.
//
//	DANCU_NAMESAKEDIAG=DIR go test ./cmd/dancu -run TestNamesakeRouteDiagnosis -v
//
// Since acc54 the matcher keeps such links apart itself as possible
// matches (thresholds.namesakes, matching's possibleRule): with the shipped
// settings its base already holds them apart, and the routing finds only
// pairs whose two records carry valid numbers, which the rule leaves to the
// guards.
func TestNamesakeRouteDiagnosis(t *testing.T) {
	dir := os.Getenv("DANCU_NAMESAKEDIAG")
	if dir == "" {
		t.Skip("DANCU_NAMESAKEDIAG=DIR (a generated population) runs it")
	}
	var in []string
	for _, g := range []string{"*.csv", "*.jsonl"} {
		m, _ := filepath.Glob(filepath.Join(dir, g))
		for _, p := range m {
			switch filepath.Base(p) {
			case "truth.csv", "kinds.csv", "persons.csv":
				continue
			}
			in = append(in, p)
		}
	}
	o := &linkOptions{in: in, settings: filepath.Join("..", "..", "matching", "vietnamese", "trained.yaml")}
	s, _, f, err := o.load()
	if err != nil {
		t.Fatal(err)
	}
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	tf, err := os.Open(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	rows, err := csv.NewReader(tf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]string{}
	for _, r := range rows[1:] {
		truth[r[0]] = r[1]
	}
	person := func(i int) string { return truth[o.label(f, i)] }
	names := loadNameShares(t)

	// The pairs at or above the match threshold whose evidence is a name
	// and a birthday alone, by their levels and λ.
	grey := float32(-1.2224) // log2(0.3/0.7): between the review (0.2) and match (0.5) thresholds
	routed := append([]matching.Pair(nil), res.Pairs...)
	classes := map[string][2]int{}
	moved := 0
	for k, p := range routed {
		if p.Weight < 0 {
			continue
		}
		lv := map[string]string{}
		for _, st := range matching.ExplainPair(res.Frame, res.Settings, p.A, p.B).Steps {
			lv[st.Comparison] = st.Level
		}
		id, par := lv["id_number"], lv["parents"]
		if lv["address"] != "else" || strings.HasPrefix(id, "exact") || strings.Contains(id, "equal") ||
			strings.Contains(id, "same") || strings.Contains(id, "off") || strings.Contains(par, "equal") {
			continue
		}
		lam := min(names.namesakes(f, int(p.A)), names.namesakes(f, int(p.B)))
		if lam >= 1 {
			routed[k].Weight = grey
			moved++
		}
		if res.Clusters.Of[p.A] == res.Clusters.Of[p.B] {
			key := fmt.Sprintf("λ %-5s id %s, date %s", bucket(lam), id, lv["date_of_birth"])
			c := classes[key]
			if person(int(p.A)) == person(int(p.B)) {
				c[0]++
			} else {
				c[1]++
			}
			classes[key] = c
		}
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("joined pairs on a name and a birthday alone (address else, no number or parent agreeing):")
	for _, k := range keys {
		t.Logf("  %5d same person %5d not  %s", classes[k][0], classes[k][1], k)
	}
	t.Logf("base: %s", scoreLink(f, res, person))
	cl, err := matching.Cluster(f, res.Settings, routed)
	if err != nil {
		t.Fatal(err)
	}
	after := *res
	after.Pairs, after.Clusters = routed, cl
	t.Logf("routed (%d pairs to the grey zone): %s", moved, scoreLink(f, &after, person))
}

func bucket(lam float64) string {
	switch {
	case lam >= 1:
		return "≥ 1"
	case lam >= 0.3:
		return "≥ 0.3"
	case lam >= 0.1:
		return "≥ 0.1"
	}
	return "< 0.1"
}

// scoreLink is pairwise P / R / F1 of res's clusters against the truth
// and its grey-zone conflicts (how many are of one person).
func scoreLink(f *matching.Frame, res *matching.Result, person func(int) string) string {
	members := map[int32][]int{}
	byTruth := map[string]int{}
	for i := range f.Len() {
		members[res.Clusters.Of[i]] = append(members[res.Clusters.Of[i]], i)
		byTruth[person(i)]++
	}
	tp, pred, tru := 0, 0, 0
	for _, m := range members {
		pred += len(m) * (len(m) - 1) / 2
		c := map[string]int{}
		for _, i := range m {
			c[person(i)]++
		}
		for _, n := range c {
			tp += n * (n - 1) / 2
		}
	}
	for _, n := range byTruth {
		tru += n * (n - 1) / 2
	}
	_, cs := matching.Summarise(res, func(root int32) string { return strconv.Itoa(int(root)) })
	gz, same := 0, 0
	for _, c := range cs {
		if c.Kind != schemas.ConflictGreyZone || len(c.RecordIDs) != 2 {
			continue
		}
		gz++
		a, _ := f.Index(c.RecordIDs[0])
		b, _ := f.Index(c.RecordIDs[1])
		if person(a) == person(b) {
			same++
		}
	}
	P, R := float64(tp)/float64(pred), float64(tp)/float64(tru)
	return fmt.Sprintf("P %.4f R %.4f F1 %.4f; missed %d, false %d; grey zone %d (%.2f per 1,000 records), %d of one person",
		P, R, 2*P*R/(P+R), tru-tp, pred-tp, gz, 1000*float64(gz)/float64(f.Len()), same)
}

// nameShares are the national shares of names/: surnames (published 2005
// shares, else the UIT forum's), first middle names and given names by sex
// (ngxson's counts, Đắk Lắk DKL01's percentages).
type nameShares struct{ sur, mid, giv map[string]float64 }

func loadNameShares(t *testing.T) *nameShares {
	t.Helper()
	pf := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	n := &nameShares{map[string]float64{}, map[string]float64{}, map[string]float64{}}
	tb := refdata.MustLoad("names/surnames.csv")
	for _, r := range tb.Rows {
		p := pf(tb.Get(r, "published_pct_2005"))
		if p == 0 {
			p = pf(tb.Get(r, "uit_forum_pct"))
		}
		n.sur[strings.ToLower(tb.Get(r, "surname"))] = p / 100
	}
	tb = refdata.MustLoad("names/middle_names.csv")
	total := map[string]float64{}
	for _, r := range tb.Rows {
		for _, sx := range []string{"male", "female"} {
			total[sx] += pf(tb.Get(r, "first_middle_"+sx))
		}
	}
	for _, r := range tb.Rows {
		for _, sx := range []string{"male", "female"} {
			n.mid[sx[:1]+"|"+strings.ToLower(tb.Get(r, "middle_name"))] = pf(tb.Get(r, "first_middle_"+sx)) / total[sx]
		}
	}
	tb = refdata.MustLoad("names/given_names.csv")
	for _, r := range tb.Rows {
		g := strings.ToLower(tb.Get(r, "given_name"))
		n.giv["m|"+g] = pf(tb.Get(r, "daklak_dkl01_male_pct")) / 100
		n.giv["f|"+g] = pf(tb.Get(r, "daklak_dkl01_female_pct")) / 100
	}
	return n
}

// namesakes is λ of row i: the persons of a register of 10⁸ expected to
// hold its full name, its sex and one birth date. A name the tables do
// not hold takes a rare share (surname 0.1%, middle 0.1%, given 0.05%).
func (n *nameShares) namesakes(f *matching.Frame, i int) float64 {
	sx := "m"
	if strings.HasPrefix(strings.ToUpper(f.Value("sex", i)), "F") {
		sx = "f"
	}
	share := func(m map[string]float64, k string, rare float64) float64 {
		if p := m[k]; p > 0 {
			return p
		}
		return rare
	}
	p := share(n.sur, strings.ToLower(f.Value("family", i)), 0.001)
	if w := strings.Fields(f.Value("middle", i)); len(w) > 0 {
		p *= share(n.mid, sx+"|"+strings.ToLower(w[0]), 0.001)
	}
	p *= share(n.giv, sx+"|"+strings.ToLower(f.Value("given", i)), 0.0005)
	return 1e8 * 0.5 * p / (75 * 365.25)
}
