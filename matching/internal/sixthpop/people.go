package sixthpop

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// unit is one commune in both eras, as the reform's mapping table gives it.
type unit struct {
	code, commune, district, province string // the old era (before 1 July 2025)
	provCode                          string // the old province's GSO code
	newCommune, newProvince           string // the new era
	ward                              bool   // a Phường (a city's), not a Xã
}

// place is where a person lives or was born: a village of a unit.
type place struct {
	village string
	u       *unit
	street  string // a city address's house and lane, for movers
}

// person is one member of the population.
type person struct {
	idx                    int
	id                     string
	surname, middle, given string
	male                   bool
	y, m, d                int
	home, born             place  // where the household book has them; where they were born
	city                   *place // where a mover lives since 2024
	cccd, cmnd             string
	household              int
	relation               string // Chủ hộ, Vợ, Con, Bố, Mẹ
	father, mother         int    // indexes, -1 when not in the population
	hard                   string // twin, namesake, father_son: the planted hard false pair
	partner                int    // the other person of that pair, -1 when none
}

func (p *person) fullName() string {
	if p.middle == "" {
		return p.surname + " " + p.given
	}
	return p.surname + " " + p.middle + " " + p.given
}

func (p *person) iso() string { return fmt.Sprintf("%04d-%02d-%02d", p.y, p.m, p.d) }

// names holds the weighted name tables.
type names struct {
	surnames         []string
	surnameW         []float64
	maleGiven        []string
	maleGivenW       []float64
	femaleGiven      []string
	femaleGivenW     []float64
	maleMid, femMid  []string
	maleMidW, femMiW []float64
}

func loadNames() (*names, error) {
	n := &names{}
	t, err := refdata.Load("names/surnames.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range t.Rows {
		w, _ := strconv.ParseFloat(t.Get(r, "published_pct_2005"), 64)
		if w <= 0 {
			w, _ = strconv.ParseFloat(t.Get(r, "uit_forum_pct"), 64)
		}
		if w <= 0 {
			continue
		}
		n.surnames = append(n.surnames, t.Get(r, "surname"))
		n.surnameW = append(n.surnameW, w)
	}
	g, err := refdata.Load("names/given_names.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range g.Rows {
		name := g.Get(r, "given_name")
		if strings.Contains(name, " ") {
			continue
		}
		mw, _ := strconv.ParseFloat(g.Get(r, "ngxson_male"), 64)
		fw, _ := strconv.ParseFloat(g.Get(r, "ngxson_female"), 64)
		if mw >= 5 {
			n.maleGiven = append(n.maleGiven, name)
			n.maleGivenW = append(n.maleGivenW, mw)
		}
		if fw >= 5 {
			n.femaleGiven = append(n.femaleGiven, name)
			n.femaleGivenW = append(n.femaleGivenW, fw)
		}
	}
	m, err := refdata.Load("names/middle_names.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range m.Rows {
		name := m.Get(r, "middle_name")
		mw, _ := strconv.ParseFloat(m.Get(r, "first_middle_male"), 64)
		fw, _ := strconv.ParseFloat(m.Get(r, "first_middle_female"), 64)
		if mw >= 20 {
			n.maleMid = append(n.maleMid, name)
			n.maleMidW = append(n.maleMidW, mw)
		}
		if fw >= 20 {
			n.femMid = append(n.femMid, name)
			n.femMiW = append(n.femMiW, fw)
		}
	}
	if len(n.surnames) == 0 || len(n.maleGiven) == 0 || len(n.femaleGiven) == 0 || len(n.maleMid) == 0 || len(n.femMid) == 0 {
		return nil, fmt.Errorf("load names: a name table is empty")
	}
	return n, nil
}

// pick draws an index by weight.
func pick(r *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	v := r.Float64() * sum
	for i, x := range w {
		v -= x
		if v < 0 {
			return i
		}
	}
	return len(w) - 1
}

func (n *names) surname(r *rand.Rand) string { return n.surnames[pick(r, n.surnameW)] }

func (n *names) givenName(r *rand.Rand, male bool) string {
	if male {
		return n.maleGiven[pick(r, n.maleGivenW)]
	}
	return n.femaleGiven[pick(r, n.femaleGivenW)]
}

func (n *names) middleName(r *rand.Rand, male bool) string {
	if male {
		return n.maleMid[pick(r, n.maleMidW)]
	}
	mid := n.femMid[pick(r, n.femMiW)]
	if mid != "Thị" && r.Float64() < 0.15 { // Ngọc Thị is not a name; Thị Thu is
		return mid
	}
	if r.Float64() < 0.3 {
		second := n.femMid[pick(r, n.femMiW)]
		if second != "Thị" && second != mid {
			return mid + " " + second
		}
	}
	return mid
}

// loadUnits reads the reform's mapping: one row per old commune, its
// preferred new commune.
func loadUnits() (map[string][]*unit, []string, error) {
	t, err := refdata.Load("admin_units_2025_mapping.csv")
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	byProv := map[string][]*unit{}
	for _, r := range t.Rows {
		if t.Get(r, "preferred") != "1" {
			continue
		}
		code := t.Get(r, "old_commune_code")
		if seen[code] {
			continue
		}
		seen[code] = true
		u := &unit{
			code: code, commune: t.Get(r, "old_commune_name"), district: t.Get(r, "old_district_name"),
			province: t.Get(r, "old_province_name"), provCode: t.Get(r, "old_province_code"),
			newCommune: t.Get(r, "new_commune_name"), newProvince: t.Get(r, "new_province_name"),
			ward: strings.HasPrefix(t.Get(r, "old_commune_name"), "Phường"),
		}
		byProv[u.provCode] = append(byProv[u.provCode], u)
	}
	provs := make([]string, 0, len(byProv))
	for p := range byProv {
		provs = append(provs, p)
	}
	sort.Strings(provs)
	return byProv, provs, nil
}

// villages gives a commune's village names, in the style of its region.
func villages(r *rand.Rand, u *unit, n int) []string {
	pc, _ := strconv.Atoi(u.provCode)
	var out []string
	named := []string{"Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Tân Lập", "Đồng Tâm", "Hòa Bình", "An Phú", "Phú Xuân", "Bình An", "Quyết Tiến"}
	perm := r.Perm(len(named))
	for i := 0; i < n; i++ {
		switch {
		case pc >= 70: // the south: ấp
			if r.Float64() < 0.5 {
				out = append(out, fmt.Sprintf("Ấp %d", i+1))
			} else {
				out = append(out, "Ấp "+named[perm[i%len(named)]])
			}
		case pc >= 2 && pc <= 17 && r.Float64() < 0.4: // the northern mountains: bản
			out = append(out, "Bản "+named[perm[i%len(named)]])
		default:
			if r.Float64() < 0.55 {
				out = append(out, fmt.Sprintf("Thôn %d", i+1))
			} else {
				out = append(out, "Xóm "+named[perm[i%len(named)]])
			}
		}
	}
	return out
}

// population is the people and their places.
type population struct {
	people []*person
	homes  []*unit // the rural communes the households live in
	cities []*unit // the city wards movers go to
	vill   map[*unit][]string
}

// century/sex digit of a 12-digit number: 0/1 born in the 1900s (male,
// female), 2/3 in the 2000s.
func cccd(r *rand.Rand, provCode string, male bool, y int) string {
	d := 0
	if y >= 2000 {
		d = 2
	}
	if !male {
		d++
	}
	return fmt.Sprintf("0%s%d%02d%06d", provCode, d, y%100, r.IntN(1000000))
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (pop *population) add(p *person) *person {
	p.idx = len(pop.people)
	p.id = fmt.Sprintf("S%07d", p.idx+1)
	p.father, p.mother, p.partner = -1, -1, -1
	pop.people = append(pop.people, p)
	return p
}

func birthday(r *rand.Rand, y int) (int, int, int) {
	m := 1 + r.IntN(12)
	return y, m, 1 + r.IntN(daysIn(y, m))
}

// build makes the households: a married couple, their children, and in a
// quarter of them the husband's widowed parent; then plants the hard false
// pairs (twins are born as such; namesake cousins and father and son named
// alike are planted).
func build(r *rand.Rand, n *names, persons int) (*population, error) {
	byProv, provs, err := loadUnits()
	if err != nil {
		return nil, err
	}
	pop := &population{vill: map[*unit][]string{}}
	for _, pc := range []string{"01", "79"} {
		for _, u := range byProv[pc] {
			if u.ward {
				pop.cities = append(pop.cities, u)
			}
		}
	}
	// Six rural provinces, three communes each.
	var rural []string
	for _, pc := range provs {
		if pc != "01" && pc != "79" {
			rural = append(rural, pc)
		}
	}
	r.Shuffle(len(rural), func(i, j int) { rural[i], rural[j] = rural[j], rural[i] })
	for _, pc := range rural[:6] {
		var xa []*unit
		for _, u := range byProv[pc] {
			if !u.ward {
				xa = append(xa, u)
			}
		}
		r.Shuffle(len(xa), func(i, j int) { xa[i], xa[j] = xa[j], xa[i] })
		for _, u := range xa[:min(3, len(xa))] {
			pop.homes = append(pop.homes, u)
			pop.vill[u] = villages(r, u, 4+r.IntN(5))
		}
	}
	if len(pop.homes) == 0 || len(pop.cities) == 0 {
		return nil, fmt.Errorf("build population: no communes in the reference tables")
	}
	// Each village's two clans.
	clans := map[string][2]string{}
	for _, u := range pop.homes {
		for _, v := range pop.vill[u] {
			a := n.surname(r)
			b := n.surname(r)
			clans[u.code+"|"+v] = [2]string{a, b}
		}
	}
	hh := 0
	for len(pop.people) < persons {
		hh++
		u := pop.homes[r.IntN(len(pop.homes))]
		vs := pop.vill[u]
		home := place{village: vs[r.IntN(len(vs))], u: u}
		cl := clans[u.code+"|"+home.village]
		sur := n.surname(r)
		if x := r.Float64(); x < 0.35 {
			sur = cl[0]
		} else if x < 0.55 {
			sur = cl[1]
		}
		hy := 1945 + r.IntN(55)
		head := pop.add(&person{surname: sur, male: true, home: home, born: home, household: hh, relation: "Chủ hộ"})
		head.middle = n.middleName(r, true)
		head.given = n.givenName(r, true)
		head.y, head.m, head.d = birthday(r, hy)
		// The head's widowed parent.
		if r.Float64() < 0.25 && hy < 1990 {
			py := hy - 22 - r.IntN(12)
			if py >= 1915 {
				male := r.Float64() < 0.35
				par := pop.add(&person{male: male, home: home, born: home, household: hh})
				if male {
					par.surname, par.relation = sur, "Bố"
					par.middle = n.middleName(r, true)
					if r.Float64() < 0.5 {
						par.middle = head.middle
					}
					head.father = par.idx
				} else {
					par.surname, par.relation = n.surname(r), "Mẹ"
					par.middle = n.middleName(r, false)
					head.mother = par.idx
				}
				par.given = n.givenName(r, male)
				par.y, par.m, par.d = birthday(r, py)
			}
		}
		// The wife: another surname, from another village or commune.
		if hy > 2002 || r.Float64() < 0.08 {
			continue // a single man
		}
		wy := hy + r.IntN(8) - 1
		wborn := home
		switch x := r.Float64(); {
		case x < 0.45:
			wborn = place{village: vs[r.IntN(len(vs))], u: u}
		case x < 0.85:
			o := pop.homes[r.IntN(len(pop.homes))]
			wborn = place{village: pop.vill[o][r.IntN(len(pop.vill[o]))], u: o}
		}
		wife := pop.add(&person{surname: n.surname(r), male: false, home: home, born: wborn, household: hh, relation: "Vợ"})
		wife.middle = n.middleName(r, false)
		wife.given = n.givenName(r, false)
		wife.y, wife.m, wife.d = birthday(r, wy)
		// Children: brothers share a middle name in 60% of households.
		kids := []int{0, 1, 2, 2, 3, 3, 4}[r.IntN(7)]
		by := wy + 19 + r.IntN(10)
		sonMid := n.middleName(r, true)
		givenUsed := map[string]bool{}
		firstSon := true
		for k := 0; k < kids && by <= 2024; k++ {
			twins := r.Float64() < 0.015
			births := 1
			if twins {
				births = 2
			}
			bm, bd := 0, 0
			var prev *person
			for t := 0; t < births; t++ {
				male := r.Float64() < 0.52
				c := pop.add(&person{surname: sur, male: male, home: home, born: home, household: hh, relation: "Con"})
				c.father, c.mother = head.idx, wife.idx
				if male {
					c.middle = n.middleName(r, true)
					if r.Float64() < 0.6 {
						c.middle = sonMid
					}
				} else {
					c.middle = n.middleName(r, false)
				}
				for i := 0; ; i++ {
					c.given = n.givenName(r, male)
					if !givenUsed[c.given] || i > 20 {
						break
					}
				}
				givenUsed[c.given] = true
				if male && firstSon && r.Float64() < 0.012 && by-hy >= 18 {
					c.middle, c.given = head.middle, head.given
					c.hard, c.partner = "father_son", head.idx
					head.hard, head.partner = "father_son", c.idx
				}
				if male {
					firstSon = false
				}
				if t == 0 {
					c.y, c.m, c.d = birthday(r, by)
					bm, bd = c.m, c.d
				} else {
					c.y, c.m, c.d = by, bm, bd
					if twins && r.Float64() < 0.2 { // born after midnight
						if c.d < daysIn(by, bm) {
							c.d++
						}
					}
					c.hard, c.partner = "twin", prev.idx
					prev.hard, prev.partner = "twin", c.idx
				}
				if r.Float64() < 0.06 { // born at the mother's parents'
					c.born = wife.born
				}
				prev = c
			}
			by += 1 + r.IntN(5)
		}
	}
	pop.plantNamesakes(r)
	pop.ids(r)
	pop.movers(r)
	return pop, nil
}

// plantNamesakes gives 2.5% of persons a cousin of the same full name: one
// village, one surname, one sex, born within four years, another household.
func (pop *population) plantNamesakes(r *rand.Rand) {
	byKey := map[string][]int{}
	var keys []string
	for _, p := range pop.people {
		k := fmt.Sprintf("%s|%s|%s|%v", p.home.u.code, p.home.village, p.surname, p.male)
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], p.idx)
	}
	want := len(pop.people) * 25 / 2000
	for tries := 0; want > 0 && tries < 50*len(pop.people); tries++ {
		group := byKey[keys[r.IntN(len(keys))]]
		if len(group) < 2 {
			continue
		}
		a := pop.people[group[r.IntN(len(group))]]
		b := pop.people[group[r.IntN(len(group))]]
		if a == b || a.household == b.household || a.hard != "" || b.hard != "" || abs(a.y-b.y) > 4 {
			continue
		}
		b.middle, b.given = a.middle, a.given
		a.hard, a.partner = "namesake", b.idx
		b.hard, b.partner = "namesake", a.idx
		want--
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// ids gives everyone a 12-digit number of their birth province, and the
// adults born by 2002 a 9-digit CMND in three of four cases.
func (pop *population) ids(r *rand.Rand) {
	seen := map[string]bool{}
	for _, p := range pop.people {
		for {
			p.cccd = cccd(r, p.born.u.provCode, p.male, p.y)
			if !seen[p.cccd] {
				break
			}
		}
		seen[p.cccd] = true
		if p.y <= 2002 && r.Float64() < 0.75 {
			p.cmnd = fmt.Sprintf("%d%08d", 1+r.IntN(3), r.IntN(100000000))
		}
	}
}

// movers: 10% of those aged 18–40 in 2024 live in a city ward since.
func (pop *population) movers(r *rand.Rand) {
	for _, p := range pop.people {
		if age := 2024 - p.y; age < 18 || age > 40 || r.Float64() >= 0.10 {
			continue
		}
		u := pop.cities[r.IntN(len(pop.cities))]
		p.city = &place{village: fmt.Sprintf("Tổ dân phố %d", 1+r.IntN(30)), u: u,
			street: fmt.Sprintf("Số %d ngõ %d", 1+r.IntN(120), 1+r.IntN(400))}
	}
}
