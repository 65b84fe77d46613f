package eighthpop

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// commune is one old-era commune (the GSO list of March 2025) with the
// commune and province the 2025 reform made of it.
type commune struct {
	code, name, kind     string // "00001", "Phường Phúc Xá", "Phường"
	district             string // "Quận Ba Đình"
	prov, provName       string // "01", "Thành phố Hà Nội"
	newCode, newName     string
	newProv, newProvName string
}

// province is an old-era province with the communes the population lives in.
type province struct {
	code, name string
	pop        float64
	communes   []commune
	south      bool // Hoàng/Vũ are written Huỳnh/Võ, villages are ấp
}

// weighted draws an index by weight.
type weighted struct {
	items []string
	cum   []float64
}

func (w *weighted) add(item string, weight float64) {
	if weight <= 0 {
		return
	}
	total := weight
	if n := len(w.cum); n > 0 {
		total += w.cum[n-1]
	}
	w.items = append(w.items, item)
	w.cum = append(w.cum, total)
}

func (w *weighted) total() float64 { return w.cum[len(w.cum)-1] }

func (w *weighted) draw(r *rand.Rand) string {
	x := r.Float64() * w.total()
	i := sort.SearchFloat64s(w.cum, x)
	if i >= len(w.items) {
		i = len(w.items) - 1
	}
	return w.items[i]
}

// prob is the share of item in w (0 when absent).
func (w *weighted) prob(item string) float64 {
	for i, it := range w.items {
		if it == item {
			prev := 0.0
			if i > 0 {
				prev = w.cum[i-1]
			}
			return (w.cum[i] - prev) / w.total()
		}
	}
	return 0
}

// names holds the name distributions: national surname shares, middle
// and given names by sex.
type names struct {
	surname          weighted
	hoangShare       float64 // the Hoàng/Huỳnh group's share, split by region
	vuShare          float64
	middleM, middleF weighted // middle names other than Văn and Thị
	givenM, givenF   weighted
	pMid             map[string]float64 // "M|Ngọc" → share among the others
	pGiven           map[string]float64 // "M|Hùng" → share
}

func parseF(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0
	}
	return f
}

func loadNames() *names {
	n := &names{pMid: map[string]float64{}, pGiven: map[string]float64{}}
	// Surnames: the published national shares (Lê Trung Hoa 2005); the
	// groups Hoàng/Huỳnh and Vũ/Võ are one share, split by region when
	// drawn; the rest of the 100% over the other surnames by the UIT
	// forum's counts.
	t := refdata.MustLoad("names/surnames.csv")
	published := 0.0
	seenGroup := map[string]bool{}
	var rest []string
	var restW []float64
	restTotal := 0.0
	for _, r := range t.Rows {
		s := t.Get(r, "surname")
		pct := parseF(t.Get(r, "published_pct_2005"))
		g := t.Get(r, "published_group")
		switch {
		case pct > 0 && strings.Contains(g, "/"):
			if seenGroup[g] {
				continue
			}
			seenGroup[g] = true
			published += pct
			if strings.HasPrefix(g, "Hoàng") {
				n.hoangShare = pct
				n.surname.add("Hoàng", pct)
			} else {
				n.vuShare = pct
				n.surname.add("Vũ", pct)
			}
		case pct > 0:
			published += pct
			n.surname.add(s, pct)
		default:
			c := parseF(t.Get(r, "uit_forum_count"))
			if c > 0 {
				rest = append(rest, s)
				restW = append(restW, c)
				restTotal += c
			}
		}
	}
	for i, s := range rest {
		n.surname.add(s, (100-published)*restW[i]/restTotal)
	}
	// Middle names other than Văn and Thị (whose shares go by cohort,
	// see middleFor): ngxson's distinct names' counts by sex.
	t = refdata.MustLoad("names/middle_names.csv")
	for _, r := range t.Rows {
		m := t.Get(r, "middle_name")
		if m == "Văn" || m == "Thị" {
			continue
		}
		n.middleM.add(m, parseF(t.Get(r, "first_middle_male")))
		n.middleF.add(m, parseF(t.Get(r, "first_middle_female")))
	}
	for _, m := range n.middleM.items {
		n.pMid["M|"+m] = n.middleM.prob(m)
	}
	for _, m := range n.middleF.items {
		n.pMid["F|"+m] = n.middleF.prob(m)
	}
	// Given names: the Đắk Lắk DKL01 percentages (about 207k names, a
	// population count) where published, the rest of 100% over the
	// other names by ngxson's counts for that sex.
	t = refdata.MustLoad("names/given_names.csv")
	for _, sex := range []string{"M", "F"} {
		pctCol, cntCol := "daklak_dkl01_male_pct", "ngxson_male"
		w := &n.givenM
		if sex == "F" {
			pctCol, cntCol, w = "daklak_dkl01_female_pct", "ngxson_female", &n.givenF
		}
		pub := 0.0
		restTotal := 0.0
		for _, r := range t.Rows {
			if p := parseF(t.Get(r, pctCol)); p > 0 {
				pub += p
			} else {
				restTotal += parseF(t.Get(r, cntCol))
			}
		}
		for _, r := range t.Rows {
			g := t.Get(r, "given_name")
			if p := parseF(t.Get(r, pctCol)); p > 0 {
				w.add(g, p)
			} else if c := parseF(t.Get(r, cntCol)); c >= 3 { // a name seen once or twice is noise of the sample
				w.add(g, (100-pub)*c/restTotal)
			}
		}
		for _, g := range w.items {
			n.pGiven[sex+"|"+g] = w.prob(g)
		}
	}
	return n
}

// geography is the provinces the population lives in, weighted by their
// 2024 population.
type geography struct {
	provs  map[string]*province
	byPop  weighted // province codes by population
	cities weighted // where movers go: by population, the cities and industrial provinces ×4
	codes  []string
}

// receiving are the provinces that draw most movers (census 2019's net
// in-migration: Bình Dương, Hồ Chí Minh, Hà Nội, Đồng Nai, Long An, Bắc
// Ninh, Đà Nẵng).
var receiving = map[string]bool{"74": true, "79": true, "01": true, "75": true, "80": true, "27": true, "48": true}

func loadGeography(r *rand.Rand, perProvince int) *geography {
	g := &geography{provs: map[string]*province{}}
	mp := refdata.MustLoad("admin_units_2025_mapping.csv")
	type target struct{ code, name, prov, provName string }
	newOf := map[string]target{}
	for _, row := range mp.Rows {
		if mp.Get(row, "preferred") != "1" || mp.Get(row, "n_preferred_targets") != "1" {
			continue // an old commune split between new ones: its new address is not one
		}
		newOf[mp.Get(row, "old_commune_code")] = target{mp.Get(row, "new_commune_code"), mp.Get(row, "new_commune_name"),
			mp.Get(row, "new_province_code"), mp.Get(row, "new_province_name")}
	}
	au := refdata.MustLoad("admin_units_2025_pre_reform.csv")
	all := map[string][]commune{}
	names := map[string]string{}
	for _, row := range au.Rows {
		code := au.Get(row, "commune_code")
		nt, ok := newOf[code]
		if code == "" || !ok {
			continue
		}
		p := au.Get(row, "province_code")
		names[p] = au.Get(row, "province_name")
		all[p] = append(all[p], commune{code: code, name: au.Get(row, "commune_name"), kind: au.Get(row, "commune_type"),
			district: au.Get(row, "district_name"), prov: p, provName: au.Get(row, "province_name"),
			newCode: nt.code, newName: nt.name, newProv: nt.prov, newProvName: nt.provName})
	}
	pe := refdata.MustLoad("coverage/population_estimate_province.csv")
	for _, row := range pe.Rows {
		p := pe.Get(row, "province_code")
		cs := all[p]
		if len(cs) == 0 {
			continue
		}
		pv := &province{code: p, name: names[p], pop: parseF(pe.Get(row, "population"))}
		n, _ := strconv.Atoi(p)
		pv.south = n >= 49 // from Quảng Nam south
		// The communes the lists cover: perProvince drawn from the
		// province's list (sorted by code, so the draw is the seed's).
		sort.Slice(cs, func(i, j int) bool { return cs[i].code < cs[j].code })
		for _, i := range r.Perm(len(cs))[:min(perProvince, len(cs))] {
			pv.communes = append(pv.communes, cs[i])
		}
		g.provs[p] = pv
		g.codes = append(g.codes, p)
	}
	sort.Strings(g.codes)
	for _, p := range g.codes {
		g.byPop.add(p, g.provs[p].pop)
		w := g.provs[p].pop
		if receiving[p] {
			w *= 4
		}
		g.cities.add(p, w)
	}
	return g
}
