package eighthpop

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Person is one person of the population, as the national register
// knows him.
type Person struct {
	ID                    string
	Family, Middle, Given string
	Sex                   string // "M" or "F"
	Birth                 time.Time
	DateUnknown           bool   // the register holds 01/01 of the year; a household book writes the year
	BirthProv             string // old-era province code of the birth registration (the number's)
	NewEraBirth           bool   // birth registered after 1 July 2025: the number's code is a new province's
	Number                string // 12-digit personal identification number
	CMND                  string // 9-digit card of the old era, or ""
	Home                  *commune
	Village               string
	MovedTo               *commune // set when he left Home's province between 2022 and 2026
	MovedVillage          string
	MovedWithCard         bool
	DoubleReg             bool // registered at both addresses: the review list holds him twice
	Household             string
	Relation              string // to the household head, as the register words it
	HeadID                string
	FatherName            string
	MotherName            string
	Namesake              int // > 0: his namesake group (one full name, one birthday)
	Twin                  bool
	LeftAlone             bool // a grown child who moved to the city alone
	namesakeOf            *Person
}

// FullName is the person's name as the register holds it.
func (p *Person) FullName() string {
	if p.Middle == "" {
		return p.Family + " " + p.Given
	}
	return p.Family + " " + p.Middle + " " + p.Given
}

// Province2026 is the old-era code of the province he lives in in 2026.
func (p *Person) Province2026() string {
	if p.MovedTo != nil {
		return p.MovedTo.prov
	}
	return p.Home.prov
}

// The dates the lists describe.
var (
	dateBook    = time.Date(2022, 6, 15, 0, 0, 0, 0, time.UTC)
	dateCensus  = time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	dateReview  = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	dateReform  = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	dateBirths  = time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	dateStay    = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	registerPop = 1.0e8 // persons in the national register: a namesake's chance is this × P(name) × P(birthday)
)

type population struct {
	r         *rand.Rand
	nm        *names
	geo       *geography
	persons   []*Person
	groups    int
	nextHH    int
	lambdaSum float64
}

func (pp *population) newPerson() *Person {
	p := &Person{ID: fmt.Sprintf("E%07d", len(pp.persons)+1)}
	pp.persons = append(pp.persons, p)
	return p
}

// village draws a village (thôn, xóm, ấp) or a street group of c.
func (pp *population) village(c *commune, south bool) string {
	n := 1 + pp.r.IntN(12)
	switch {
	case c.kind == "Phường" || c.kind == "Thị trấn":
		return fmt.Sprintf("Tổ dân phố %d", n)
	case south:
		return fmt.Sprintf("Ấp %d", n)
	case pp.r.IntN(3) == 0:
		return fmt.Sprintf("Xóm %d", n)
	}
	return fmt.Sprintf("Thôn %d", n)
}

// birthYear draws a head's year of birth: 1938–2000, more from 1975 on
// (the age pyramid's shape, roughly).
func (pp *population) headYear() int {
	for {
		y := 1938 + pp.r.IntN(63)
		w := 1.0
		switch {
		case y < 1955:
			w = 0.45
		case y < 1975:
			w = 0.85
		}
		if pp.r.Float64() < w {
			return y
		}
	}
}

func (pp *population) birthday(year int) (time.Time, bool) {
	unknown := false
	switch {
	case year < 1955:
		unknown = pp.r.Float64() < 0.35
	case year < 1970:
		unknown = pp.r.Float64() < 0.08
	}
	if unknown {
		return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), true
	}
	return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, pp.r.IntN(365)), false
}

// name draws a middle and given name for sex and year; family is given.
func (pp *population) name(p *Person, south bool) {
	y := p.Birth.Year()
	pVan, pThi := 0.15, 0.30
	switch {
	case y < 1975:
		pVan, pThi = 0.65, 0.85
	case y < 1995:
		pVan, pThi = 0.40, 0.60
	}
	if p.Sex == "M" {
		if pp.r.Float64() < pVan {
			p.Middle = "Văn"
		} else {
			p.Middle = pp.nm.middleM.draw(pp.r)
		}
		p.Given = pp.nm.givenM.draw(pp.r)
	} else {
		if pp.r.Float64() < pThi {
			p.Middle = "Thị"
		} else {
			p.Middle = pp.nm.middleF.draw(pp.r)
		}
		p.Given = pp.nm.givenF.draw(pp.r)
	}
	if y >= 1990 && pp.r.Float64() < 0.12 { // two middle names: "Nguyễn Thị Thu Hà"
		m := pp.nm.middleF
		if p.Sex == "M" {
			m = pp.nm.middleM
		}
		if second := m.draw(pp.r); second != p.Middle {
			p.Middle += " " + second
		}
	}
}

// family draws a family name, Hoàng/Huỳnh and Vũ/Võ by region.
func (pp *population) family(south bool) string {
	f := pp.nm.surname.draw(pp.r)
	alt := pp.r.Float64() < 0.15
	switch f {
	case "Hoàng":
		if south != alt {
			return "Huỳnh"
		}
	case "Vũ":
		if south != alt {
			return "Võ"
		}
	}
	return f
}

// nameProb is P(this full name | sex, cohort) under the draws above.
func (pp *population) nameProb(p *Person, south bool) float64 {
	pf := pp.nm.surname.prob(p.Family)
	switch p.Family {
	case "Hoàng", "Huỳnh":
		pf = pp.nm.hoangShare / pp.nm.surname.total() * 0.85
	case "Vũ", "Võ":
		pf = pp.nm.vuShare / pp.nm.surname.total() * 0.85
	}
	y := p.Birth.Year()
	pVan, pThi := 0.15, 0.30
	switch {
	case y < 1975:
		pVan, pThi = 0.65, 0.85
	case y < 1995:
		pVan, pThi = 0.40, 0.60
	}
	pm := 0.0
	switch {
	case p.Middle == "Văn" && p.Sex == "M":
		pm = pVan
	case p.Middle == "Thị" && p.Sex == "F":
		pm = pThi
	case p.Sex == "M":
		pm = (1 - pVan) * pp.nm.pMid["M|"+p.Middle]
	default:
		pm = (1 - pThi) * pp.nm.pMid["F|"+p.Middle]
	}
	if pm == 0 { // two middle names: rarer still
		pm = 1e-4
	}
	return pf * pm * pp.nm.pGiven[p.Sex+"|"+p.Given]
}

func (pp *population) number(p *Person, code string) string {
	d := 0
	if p.Birth.Year() >= 2000 {
		d = 2
	}
	if p.Sex == "F" {
		d++
	}
	return fmt.Sprintf("0%s%d%02d%06d", code, d, p.Birth.Year()%100, pp.r.IntN(1000000))
}

// assignNumbers gives p his 12-digit number and, born before 2005, a CMND
// with the odds of his cohort.
func (pp *population) assignNumbers(p *Person) {
	if p.NewEraBirth {
		// No source says which code a birth registered after the reform
		// gets; the guess: the new province's code, "0" + its two digits
		// (new codes reuse old ones: 052 is Gia Lai's now, Bình Định's
		// before).
		p.Number = pp.number(p, p.Home.newProv)
		return
	}
	p.Number = pp.number(p, p.BirthProv)
	if p.Birth.Year() <= 2004 && pp.r.Float64() < 0.7 {
		p.CMND = fmt.Sprintf("%03d%06d", 100+pp.r.IntN(300), pp.r.IntN(1000000))
	}
}

// household makes one household in c and returns its members.
func (pp *population) household(c *commune, south bool) []*Person {
	pp.nextHH++
	hh := fmt.Sprintf("H%06d", pp.nextHH)
	vil := pp.village(c, south)
	mover := receiving[c.prov] && pp.r.Float64() < 0.35 || !receiving[c.prov] && pp.r.Float64() < 0.05
	origin := c.prov
	if mover {
		for origin == c.prov {
			origin = pp.geo.byPop.draw(pp.r)
		}
	}
	var members []*Person
	add := func(p *Person, rel string) {
		p.Household, p.Relation, p.Home, p.Village = hh, rel, c, vil
		members = append(members, p)
	}
	head := pp.newPerson()
	head.Sex = "M"
	if pp.r.Float64() < 0.22 {
		head.Sex = "F"
	}
	head.Birth, head.DateUnknown = pp.birthday(pp.headYear())
	head.Family = pp.family(south)
	pp.name(head, south)
	head.BirthProv = origin
	add(head, "Chủ hộ")
	head.HeadID = head.ID
	kind := pp.r.Float64()
	var father, mother *Person
	if kind >= 0.10 { // not alone
		sp := pp.newPerson()
		sp.Sex = "F"
		rel := "Vợ"
		if head.Sex == "F" {
			sp.Sex, rel = "M", "Chồng"
		}
		y := head.Birth.Year() - 3 + pp.r.IntN(9)
		if head.Sex == "M" {
			y = head.Birth.Year() + pp.r.IntN(8) - 1
		}
		sp.Birth, sp.DateUnknown = pp.birthday(min(y, 2002))
		sp.Family = pp.family(south)
		pp.name(sp, south)
		sp.BirthProv = c.prov
		if mover && pp.r.Float64() < 0.5 {
			sp.BirthProv = origin
		}
		add(sp, rel)
		father, mother = head, sp
		if head.Sex == "F" {
			father, mother = sp, head
		}
	}
	if father != nil && kind >= 0.22 { // children
		n := 1 + pp.r.IntN(3)
		for i := 0; i < n; i++ {
			y := mother.Birth.Year() + 20 + pp.r.IntN(19)
			if y > 2024 {
				break
			}
			twins := 1
			if pp.r.Float64() < 0.012 {
				twins = 2
			}
			bd, _ := pp.birthday(y)
			if bd.After(dateCensus) {
				break
			}
			for k := 0; k < twins; k++ {
				ch := pp.newPerson()
				ch.Sex = "M"
				if pp.r.IntN(2) == 0 {
					ch.Sex = "F"
				}
				ch.Birth, ch.Family, ch.Twin = bd, father.Family, twins == 2
				pp.name(ch, south)
				ch.BirthProv = c.prov
				ch.FatherName, ch.MotherName = father.FullName(), mother.FullName()
				rel := "Con"
				if ch.Birth.Year() < 2006 && pp.r.Float64() < 0.3 { // a grown child
					rel = map[string]string{"M": "Con trai", "F": "Con gái"}[ch.Sex]
				}
				add(ch, rel)
			}
		}
		// A birth after the 2025 reform, to a mother of 20–42.
		if age := 2025 - mother.Birth.Year(); age >= 20 && age <= 42 && pp.r.Float64() < 0.16 {
			ch := pp.newPerson()
			ch.Sex = "M"
			if pp.r.IntN(2) == 0 {
				ch.Sex = "F"
			}
			ch.Birth = dateReform.AddDate(0, 0, pp.r.IntN(int(dateBirths.Sub(dateReform).Hours()/24)-5))
			ch.Family, ch.NewEraBirth = father.Family, true
			pp.name(ch, south)
			ch.BirthProv = c.prov
			ch.FatherName, ch.MotherName = father.FullName(), mother.FullName()
			add(ch, "Con")
		}
	}
	if kind >= 0.80 && head.Birth.Year() >= 1960 { // the head's mother or father lives with them
		el := pp.newPerson()
		el.Sex = "F"
		rel := "Mẹ"
		if pp.r.Float64() < 0.3 {
			el.Sex, rel = "M", "Bố"
		}
		el.Birth, el.DateUnknown = pp.birthday(max(1925, head.Birth.Year()-22-pp.r.IntN(14)))
		if el.Sex == "M" {
			el.Family = head.Family
		} else {
			el.Family = pp.family(south)
		}
		pp.name(el, south)
		el.BirthProv = origin
		add(el, rel)
	}
	for _, m := range members {
		m.HeadID = head.ID
		pp.assignNumbers(m)
	}
	return members
}

// poisson draws from Poisson(l) (Knuth; l is small here).
func poisson(r *rand.Rand, l float64) int {
	L, k, p := math.Exp(-l), 0, 1.0
	for {
		p *= r.Float64()
		if p <= L {
			return k
		}
		k++
	}
}

// namesakes adds, for p, the persons of the national register who share his
// full name and birthday: Poisson(registerPop × P(name | sex) × ½ ×
// P(birthday)), at most three, each in a household of his own somewhere
// in the country (drawn by population, as anyone).
func (pp *population) namesakes(p *Person, south bool) {
	if p.NewEraBirth || p.Namesake > 0 {
		return
	}
	pDay := 1.0 / 75 / 365 // one year of a 75-year span, one day of it
	if p.DateUnknown {
		pDay = 1.0 / 75 * 0.3 // the year's persons of unknown birthday, all on 01/01
	}
	l := registerPop * 0.5 * pp.nameProb(p, south) * pDay
	pp.lambdaSum += l
	k := min(poisson(pp.r, l), 3)
	if k == 0 {
		return
	}
	pp.groups++
	p.Namesake = pp.groups
	for i := 0; i < k; i++ {
		pv := pp.geo.provs[pp.geo.byPop.draw(pp.r)]
		c := &pv.communes[pp.r.IntN(len(pv.communes))]
		pp.nextHH++
		hh := fmt.Sprintf("H%06d", pp.nextHH)
		vil := pp.village(c, pv.south)
		ns := pp.newPerson()
		ns.Family, ns.Middle, ns.Given, ns.Sex = p.Family, p.Middle, p.Given, p.Sex
		ns.Birth, ns.DateUnknown = p.Birth, p.DateUnknown
		ns.Namesake, ns.namesakeOf = pp.groups, p
		ns.Household, ns.Home, ns.Village, ns.HeadID = hh, c, vil, ns.ID
		ns.BirthProv = c.prov
		if receiving[c.prov] && pp.r.Float64() < 0.35 || pp.r.Float64() < 0.05 {
			ns.BirthProv = pp.geo.byPop.draw(pp.r)
		}
		members := []*Person{ns}
		if ns.Birth.Year() <= 2000 {
			ns.Relation = "Chủ hộ"
			if pp.r.Float64() < 0.7 { // his wife (her husband)
				sp := pp.newPerson()
				sp.Sex = "F"
				rel := "Vợ"
				if ns.Sex == "F" {
					sp.Sex, rel = "M", "Chồng"
				}
				sp.Birth, sp.DateUnknown = pp.birthday(min(2002, ns.Birth.Year()-2+pp.r.IntN(7)))
				sp.Family = pp.family(pv.south)
				pp.name(sp, pv.south)
				sp.BirthProv = c.prov
				sp.Household, sp.Relation, sp.Home, sp.Village, sp.HeadID = hh, rel, c, vil, ns.ID
				members = append(members, sp)
			}
		} else {
			ns.Relation = "Con"
			fa := pp.newPerson()
			fa.Sex, fa.Family = "M", ns.Family
			fa.Birth, fa.DateUnknown = pp.birthday(ns.Birth.Year() - 22 - pp.r.IntN(15))
			pp.name(fa, pv.south)
			fa.BirthProv = c.prov
			fa.Household, fa.Relation, fa.Home, fa.Village, fa.HeadID = hh, "Chủ hộ", c, vil, fa.ID
			ns.HeadID = fa.ID
			ns.FatherName = fa.FullName()
			members = append(members, fa)
		}
		for _, m := range members {
			pp.assignNumbers(m)
		}
	}
}

// moves sends some households, and some grown children alone, to
// another province between the household book (2022) and the residence
// extract (2026).
func (pp *population) moves() {
	byHH := map[string][]*Person{}
	var order []string
	for _, p := range pp.persons {
		if _, ok := byHH[p.Household]; !ok {
			order = append(order, p.Household)
		}
		byHH[p.Household] = append(byHH[p.Household], p)
	}
	for _, hh := range order {
		ms := byHH[hh]
		home := ms[0].Home
		if pp.r.Float64() < 0.05 { // the whole household moved
			dst := home.prov
			for dst == home.prov {
				dst = pp.geo.cities.draw(pp.r)
			}
			pv := pp.geo.provs[dst]
			c := &pv.communes[pp.r.IntN(len(pv.communes))]
			vil := pp.village(c, pv.south)
			card := pp.r.Float64() < 0.55
			for _, m := range ms {
				m.MovedTo, m.MovedVillage, m.MovedWithCard = c, vil, card
				m.DoubleReg = pp.r.Float64() < 0.15
			}
			continue
		}
		for _, m := range ms { // a grown child left for the city alone
			y := m.Birth.Year()
			if (m.Relation == "Con" || m.Relation == "Con trai" || m.Relation == "Con gái") && y >= 1985 && y <= 2005 && pp.r.Float64() < 0.12 {
				dst := home.prov
				for dst == home.prov {
					dst = pp.geo.cities.draw(pp.r)
				}
				pv := pp.geo.provs[dst]
				c := &pv.communes[pp.r.IntN(len(pv.communes))]
				m.MovedTo, m.MovedVillage, m.LeftAlone = c, pp.village(c, pv.south), true
				m.MovedWithCard = pp.r.Float64() < 0.55
				m.DoubleReg = pp.r.Float64() < 0.15
			}
		}
	}
}

// generatePopulation makes households until there are n persons, each
// member bringing his namesakes of the national register.
func generatePopulation(r *rand.Rand, n int) *population {
	pp := &population{r: r, nm: loadNames()}
	pp.geo = loadGeography(r, 3)
	for len(pp.persons) < n {
		pv := pp.geo.provs[pp.geo.byPop.draw(r)]
		c := &pv.communes[r.IntN(len(pv.communes))]
		for _, m := range pp.household(c, pv.south) {
			if len(pp.persons) < n {
				pp.namesakes(m, pv.south)
			}
		}
	}
	pp.moves()
	return pp
}
