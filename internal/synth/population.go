package synth

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"
)

// refDate is the day the population is drawn at (the 2019 census day):
// everyone is born before it.
var refDate = time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)

// Person is one member of the synthetic population: the truth that the
// source records are noisy copies of.
type Person struct {
	ID          string // P000000001
	HouseholdID string
	Family      string // họ
	Middle      string // chữ đệm, possibly two syllables ("Thị Thu"); may be ""
	Given       string // tên, possibly two syllables ("An Khang")
	Sex         byte   // 'M' or 'F'
	Birth       time.Time
	IDNumber    string // 12-digit số định danh cá nhân
	CMND        string // 9-digit old ID card number, "" if none
	BirthProv   string // old-era province code where the birth was registered
	Ethnicity   string
	Religion    string
	Native      place // quê quán (commune level)
	Perm, Cur   place
	Relation    string // quan hệ với chủ hộ
	HeadID      string
	HeadName    string
	FatherID    string // person id when the father is in the population
	FatherName  string
	MotherID    string
	MotherName  string
	SpouseID    string
	SpouseName  string
	TwinOf      string // person id of the twin generated first
	NamesakeOf  string // person id whose full name and birth year were copied

	// Filled once the household is complete, to spare the writers work.
	full                          string
	nativeText, permText, curText string // clean pre-reform renderings
}

// FullName is the name as written in full: họ, chữ đệm, tên.
func (p *Person) FullName() string {
	if p.full != "" {
		return p.full
	}
	return joinName(p.Family, p.Middle, p.Given)
}

func joinName(parts ...string) string {
	var b strings.Builder
	for _, s := range parts {
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return b.String()
}

// idAllocator hands out identification and CMND numbers that are unique by
// construction: per prefix, a counter run through a keyed permutation of
// the serial space (a Feistel network with cycle walking), so numbers look
// random but never repeat.
type idAllocator struct {
	seed uint64
	next map[string]*idCounter
}

type idCounter struct{ n, key uint64 }

func newIDAllocator(seed uint64) *idAllocator {
	return &idAllocator{seed: seed, next: map[string]*idCounter{}}
}

func (a *idAllocator) serial(prefix string, digits int) string {
	mod := uint64(1)
	for i := 0; i < digits; i++ {
		mod *= 10
	}
	c := a.next[prefix]
	if c == nil {
		h := fnv.New64a()
		h.Write([]byte(prefix))
		c = &idCounter{key: h.Sum64() ^ a.seed*0x9E3779B97F4A7C15}
		a.next[prefix] = c
	}
	n := c.n % mod // more than mod numbers under one prefix cannot all differ
	c.n++
	return zeroPad(permute(n, mod, c.key), digits)
}

// permute maps x < mod to a distinct value < mod: a four-round Feistel
// network on the smallest even number of bits covering mod, applied again
// while the result is out of range (cycle walking).
func permute(x, mod, key uint64) uint64 {
	bits := 2
	for uint64(1)<<bits < mod {
		bits += 2
	}
	half := bits / 2
	mask := uint64(1)<<half - 1
	for {
		l, r := x>>half, x&mask
		for round := uint64(0); round < 4; round++ {
			f := (r + 1) * (key + round*0xBF58476D1CE4E5B9)
			f ^= f >> 29
			f *= 0x94D049BB133111EB
			f ^= f >> 32
			l, r = r, (l^f)&mask
		}
		x = l<<half | r
		if x < mod {
			return x
		}
	}
}

// zeroPad formats v in exactly digits digits.
func zeroPad(v uint64, digits int) string {
	var b [20]byte
	for i := digits - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[:digits])
}

// idPrefix is the first six digits of an identification number: province
// of birth registration, century and sex, year of birth.
func (t *tables) idPrefix(prov string, sex byte, birth time.Time) string {
	y := birth.Year()
	d := (y/100 - 19) * 2
	if sex == 'F' {
		d++
	}
	return t.idCode[prov] + string(rune('0'+d)) + zeroPad(uint64(y%100), 2)
}

// household holds the persons of one household, head first.
type household struct {
	id      string
	members []*Person
}

// popGen draws households. It keeps no state between households except
// the id allocators and counters.
type popGen struct {
	t        *tables
	r        *rand.Rand
	ids      *idAllocator
	nextP    int
	nextH    int
	recent   []*Person // a few earlier persons, for namesakes
	namesake float64
	home     *place // when set, every household lives here (village lists)
}

var headAgeW = newWeighted([]float64{0, 0, 12, 22, 22, 20, 14, 8, 2}) // by decade: 0-9 … 80-89

func (g *popGen) age(lo, hi int) int {
	if hi < lo {
		hi = lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

func (g *popGen) birth(age int) time.Time {
	return refDate.AddDate(-age, 0, -1-g.r.IntN(364))
}

// nameStyle is how one sex's middle and given names are drawn: no middle
// name (share bare), the usual one (Văn, Thị: share usual, more by older
// from age oldAge), else one of middle; then, unless the given name is
// one of the two-syllable given2 (2%, 7% under 25), a second middle
// syllable from middle2 with share second.
type nameStyle struct {
	bare, usual, older, second float64
	oldAge                     int
	usualName                  string

	middle  nameList // first middle syllable, Văn and Thị excluded
	middle2 nameList
	given   nameList
	given2  []string // two-syllable given names
}

// maleNames and femaleNames are the two sexes' shares; buildTables fills
// in their lists.
var (
	maleNames   = nameStyle{bare: 0.06, usual: 0.22, older: 0.25, oldAge: 40, usualName: "Văn", second: 0.07}
	femaleNames = nameStyle{bare: 0.02, usual: 0.35, older: 0.40, oldAge: 35, usualName: "Thị", second: 0.35}
)

func (g *popGen) name(sex byte, age int) (middle, given string) {
	r, s := g.r, &g.t.female
	if sex == 'M' {
		s = &g.t.male
	}
	two := r.Float64() < 0.02 || age < 25 && r.Float64() < 0.05
	switch x := r.Float64(); {
	case x < s.bare:
	case x < s.usual+s.older*b2f(age >= s.oldAge):
		middle = s.usualName
	default:
		middle = s.middle.pick(r)
	}
	if !two && middle != "" && r.Float64() < s.second {
		middle += " " + s.middle2.pick(r)
	}
	if two {
		return middle, s.given2[r.IntN(len(s.given2))]
	}
	return middle, s.given.pick(r)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// outsideName is the name of a relative who is not in the population
// (a parent living elsewhere).
func (g *popGen) outsideName(family string, sex byte, age int) string {
	if family == "" {
		family = g.t.surnames.pick(g.r)
	}
	m, gv := g.name(sex, age)
	return joinName(family, m, gv)
}

func (g *popGen) newPerson(h *household, family string, sex byte, age int, rel string) *Person {
	g.nextP++
	p := &Person{ID: "P" + zeroPad(uint64(g.nextP), 9), HouseholdID: h.id, Family: family, Sex: sex, Birth: g.birth(age), Relation: rel}
	p.Middle, p.Given = g.name(sex, age)
	h.members = append(h.members, p)
	return p
}

func (p *Person) ageAt(t time.Time) int {
	a := t.Year() - p.Birth.Year()
	if t.YearDay() < p.Birth.YearDay() {
		a--
	}
	return a
}

// next draws one household living in a commune of the population.
func (g *popGen) next() *household {
	t, r := g.t, g.r
	g.nextH++
	h := &household{id: "H" + zeroPad(uint64(g.nextH), 8)}
	var home place
	if g.home != nil {
		home = *g.home
	} else {
		home = t.randomPlace(r, "")
		home.detail = randomDetail(r, home.c)
	}
	eth := "Kinh"
	if r.Float64() < minorityShare(home.c.ProvinceCode) {
		for eth == "Kinh" {
			eth = t.ethnicities.pick(r)
		}
	}
	rel := t.religions.pick(r)
	// Quê quán follows the father's line: mostly the home province.
	native := t.randomPlace(r, home.c.ProvinceCode)
	if r.Float64() < 0.25 {
		native = t.randomPlace(r, "")
	}
	native.detail = ""

	headAge := headAgeW.pick(r)*10 + r.IntN(10)
	if headAge < 20 {
		headAge = 20 + r.IntN(5)
	}
	headSex := byte('M')
	if r.Float64() < 0.25 {
		headSex = 'F'
	}
	family := t.surnames.pick(r)
	head := g.newPerson(h, family, headSex, headAge, "Chủ hộ")
	// Namesakes: now and then the head bears the full name and birth year
	// of someone already generated.
	if len(g.recent) > 0 && r.Float64() < g.namesake {
		o := g.recent[r.IntN(len(g.recent))]
		if o.Sex == headSex {
			head.Family, head.Middle, head.Given = o.Family, o.Middle, o.Given
			head.Birth = time.Date(o.Birth.Year(), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			if !head.Birth.Before(refDate) {
				head.Birth = o.Birth.AddDate(0, 0, -1-r.IntN(60))
				if head.Birth.Year() != o.Birth.Year() {
					head.Birth = time.Date(o.Birth.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
				}
			}
			head.NamesakeOf = o.ID
			family = head.Family
		}
	}

	var father, mother *Person
	if headSex == 'M' {
		father = head
	} else {
		mother = head
	}
	married := r.Float64() < 0.85 && headAge < 70 || r.Float64() < 0.55
	if headSex == 'F' {
		married = r.Float64() < 0.35
	}
	if married {
		if headSex == 'M' {
			mother = g.newPerson(h, t.surnames.pick(r), 'F', max(18, headAge-r.IntN(7)), "Vợ")
		} else {
			father = g.newPerson(h, t.surnames.pick(r), 'M', headAge+r.IntN(7), "Chồng")
			family = father.Family
		}
	}
	if father != nil && mother != nil {
		father.SpouseID, father.SpouseName = mother.ID, mother.FullName()
		mother.SpouseID, mother.SpouseName = father.ID, father.FullName()
	}

	// Head's parent living with the household.
	if headAge < 55 && r.Float64() < 0.15 {
		ps := byte('M')
		rl := "Bố"
		if r.IntN(3) > 0 {
			ps, rl = 'F', "Mẹ"
		}
		pf := head.Family
		if ps == 'F' {
			pf = t.surnames.pick(r)
		}
		par := g.newPerson(h, pf, ps, headAge+20+r.IntN(16), rl)
		if ps == 'M' {
			head.FatherID, head.FatherName = par.ID, par.FullName()
		} else {
			head.MotherID, head.MotherName = par.ID, par.FullName()
		}
	}

	// Children of the couple (or of the single head).
	var mAge int
	if mother != nil {
		mAge = mother.ageAt(refDate)
	} else {
		mAge = father.ageAt(refDate) - 3
	}
	nKids := []int{0, 1, 1, 2, 2, 2, 2, 3, 3, 4}[r.IntN(10)]
	if !married && r.Float64() < 0.6 {
		nKids = 0
	}
	var sons []*Person
	for k := 0; k < nKids; k++ {
		at := 19 + r.IntN(22) // mother's age at the birth
		cAge := mAge - at
		if cAge < 0 || at > 44 {
			continue
		}
		if cAge > 28 && r.Float64() < 0.7 {
			continue // grown up and moved out
		}
		sex := byte('M')
		if r.IntN(100) < 49 {
			sex = 'F'
		}
		c := g.newPerson(h, family, sex, cAge, "Con")
		g.setParents(c, father, mother)
		if sex == 'M' && cAge >= 22 {
			sons = append(sons, c)
		}
		if r.Float64() < 0.015 { // twins: same parents and birth day
			ts := sex
			if r.IntN(2) == 0 {
				ts = 'M' + 'F' - sex
			}
			tw := g.newPerson(h, family, ts, cAge, "Con")
			tw.Birth = c.Birth
			if ts == sex {
				tw.Middle = c.Middle // twins of one sex usually share the middle name
			}
			for tw.Given == c.Given {
				_, tw.Given = g.name(ts, cAge)
			}
			tw.TwinOf = c.ID
			g.setParents(tw, father, mother)
		}
	}
	// A married son with his wife and children.
	if len(sons) > 0 && r.Float64() < 0.3 {
		s := sons[0]
		sAge := s.ageAt(refDate)
		w := g.newPerson(h, t.surnames.pick(r), 'F', max(18, sAge-r.IntN(5)), "Con dâu")
		s.SpouseID, s.SpouseName = w.ID, w.FullName()
		w.SpouseID, w.SpouseName = s.ID, s.FullName()
		for k, n := 0, 1+r.IntN(2); k < n; k++ {
			wAge := w.ageAt(refDate)
			cAge := wAge - 19 - r.IntN(12)
			if cAge < 0 {
				cAge = r.IntN(3)
			}
			c := g.newPerson(h, s.Family, byte("MF"[r.IntN(2)]), cAge, "Cháu")
			g.setParents(c, s, w)
		}
	}

	// Fill in what every member shares or derives.
	headName := head.FullName()
	homeText, nativeText := renderAddress(home, false), renderAddress(native, false)
	for _, p := range h.members {
		p.full = p.FullName()
		p.HeadID, p.HeadName = head.ID, headName
		p.Ethnicity = eth
		if p.Relation == "Vợ" || p.Relation == "Chồng" || p.Relation == "Con dâu" {
			if r.Float64() < 0.2 {
				p.Ethnicity = t.ethnicities.pick(r)
			}
		}
		p.Religion = rel
		p.Perm = home
		p.Cur = home
		p.Native = native
		if p.Relation == "Vợ" || p.Relation == "Con dâu" || p.Relation == "Mẹ" || p.Relation == "Chồng" && headSex == 'F' {
			p.Native = t.randomPlace(r, home.c.ProvinceCode)
			if r.Float64() < 0.3 {
				p.Native = t.randomPlace(r, "")
			}
		}
		age := p.ageAt(refDate)
		if age >= 18 && age < 40 && r.Float64() < 0.08 { // working away from home
			p.Cur = t.randomPlace(r, "")
			p.Cur.detail = randomDetail(r, p.Cur.c)
		}
		if p.FatherName == "" {
			p.FatherName = g.outsideName(p.Family, 'M', age+28)
		}
		if p.MotherName == "" {
			p.MotherName = g.outsideName("", 'F', age+25)
		}
		// Birth registered in the native province for adults, at home for children.
		p.BirthProv = home.c.ProvinceCode
		if age >= 18 && r.Float64() < 0.7 {
			p.BirthProv = p.Native.c.ProvinceCode
		}
		p.permText, p.curText, p.nativeText = homeText, homeText, nativeText
		if p.Cur != home {
			p.curText = renderAddress(p.Cur, false)
		}
		if p.Native != native {
			p.nativeText = renderAddress(p.Native, false)
		}
		p.IDNumber = t.idPrefix(p.BirthProv, p.Sex, p.Birth)
		p.IDNumber += g.ids.serial(p.IDNumber, 6)
		if age >= 18 && p.Birth.Year() < 2000 && r.Float64() < 0.8 {
			cp := "c" + p.Perm.c.ProvinceCode[1:]
			p.CMND = p.Perm.c.ProvinceCode[1:] + g.ids.serial(cp, 8)
		}
	}
	for _, p := range h.members {
		if len(g.recent) < 64 {
			g.recent = append(g.recent, p)
		} else {
			g.recent[r.IntN(64)] = p
		}
	}
	return h
}

// minorityShare is a rough share of households of an ethnic minority by
// province: high in the northern uplands and the Central Highlands, a
// Khmer share in parts of the Mekong delta, low elsewhere (about 14%
// nationally, as in the 2019 census).
func minorityShare(pc string) float64 {
	switch {
	case pc >= "02" && pc <= "20", pc >= "62" && pc <= "68":
		return 0.55
	case pc == "84" || pc == "94" || pc == "91" || pc == "89":
		return 0.2
	case pc == "17" || pc == "38" || pc == "40":
		return 0.15
	}
	return 0.03
}

func (g *popGen) setParents(c, father, mother *Person) {
	if father != nil {
		c.FatherID, c.FatherName = father.ID, father.FullName()
	}
	if mother != nil {
		c.MotherID, c.MotherName = mother.ID, mother.FullName()
	}
}
