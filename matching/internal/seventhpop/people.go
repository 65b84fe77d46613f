package seventhpop

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// commune is one old-era commune and the new-era one the reform put it in.
type commune struct {
	code, name, district, province string // old era, full names with their type words
	prov                           string // the old province's two-digit code
	newName, newProvince           string // new era
}

// home is where a person is registered: a hamlet (or a street group) of a
// commune, and for a city address a house number.
type home struct {
	hamlet string
	c      *commune
	house  string
}

type person struct {
	i                     int
	id                    string
	family, middle, given string
	male                  bool
	y, m, d               int
	at2016, at2024        home // where the person lived in mid 2016 and since 2024
	moved                 bool // at2024 differs from at2016
	cccd, cmnd            string
	bornProv              string // the province code of the birth place, when not the 2016 home's
	hh                    int    // the household the person is a member of in 2025
	rel                   string // relation to that household's head
	parentHH              int    // a split-off son's or a married daughter's parents' household, -1
	left                  int    // the year such a person left it (married)
	father, mother        int
	hard                  string // twin, namesake
	other                 int
}

func (p *person) name() string {
	if p.middle == "" {
		return p.family + " " + p.given
	}
	return p.family + " " + p.middle + " " + p.given
}

type household struct {
	head    int
	members []int // head first
	born    int   // the year the household was registered (a split-off son's: his marriage)
}

type pop struct {
	ps     []*person
	hhs    []*household
	homes  []*commune
	cities []*commune
	hamlet map[*commune][]string
}

type weighted struct {
	v []string
	w []float64
	t float64
}

func (ws *weighted) add(v string, w float64) {
	if w > 0 {
		ws.v, ws.w, ws.t = append(ws.v, v), append(ws.w, w), ws.t+w
	}
}

func (ws *weighted) draw(r *rand.Rand) string {
	x := r.Float64() * ws.t
	for i, w := range ws.w {
		if x < w {
			return ws.v[i]
		}
		x -= w
	}
	return ws.v[len(ws.v)-1]
}

type nameTables struct{ fam, mGiven, fGiven, mMid, fMid weighted }

func num(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }

func readNames() (*nameTables, error) {
	n := &nameTables{}
	t, err := refdata.Load("names/surnames.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range t.Rows {
		w := num(t.Get(r, "published_pct_2005"))
		if w == 0 {
			w = num(t.Get(r, "uit_forum_pct")) / 2
		}
		n.fam.add(t.Get(r, "surname"), w)
	}
	t, err = refdata.Load("names/given_names.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range t.Rows {
		g := t.Get(r, "given_name")
		if strings.ContainsAny(g, " -") {
			continue
		}
		n.mGiven.add(g, num(t.Get(r, "ngxson_male")))
		n.fGiven.add(g, num(t.Get(r, "ngxson_female")))
	}
	t, err = refdata.Load("names/middle_names.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range t.Rows {
		m := t.Get(r, "middle_name")
		n.mMid.add(m, num(t.Get(r, "first_middle_male")))
		n.fMid.add(m, num(t.Get(r, "first_middle_female")))
	}
	return n, nil
}

// readCommunes reads the reform's table, one row an old commune (its
// preferred new one), by old province code.
func readCommunes() (map[string][]*commune, error) {
	t, err := refdata.Load("admin_units_2025_mapping.csv")
	if err != nil {
		return nil, err
	}
	out := map[string][]*commune{}
	seen := map[string]bool{}
	for _, r := range t.Rows {
		code := t.Get(r, "old_commune_code")
		if t.Get(r, "preferred") != "1" || seen[code] {
			continue
		}
		seen[code] = true
		c := &commune{code: code, name: t.Get(r, "old_commune_name"), district: t.Get(r, "old_district_name"),
			province: t.Get(r, "old_province_name"), prov: t.Get(r, "old_province_code"),
			newName: t.Get(r, "new_commune_name"), newProvince: t.Get(r, "new_province_name")}
		out[c.prov] = append(out[c.prov], c)
	}
	return out, nil
}

func isWard(c *commune) bool { return strings.HasPrefix(c.name, "Phường") }

// hamlets names a commune's hamlets: a Xã's Thôn, Xóm or Ấp (the south),
// a Phường's Tổ dân phố, Khối or Khu phố.
func hamlets(r *rand.Rand, c *commune, n int) []string {
	pc, _ := strconv.Atoi(c.prov)
	south := pc >= 70
	var out []string
	names := []string{"Đông", "Tây", "Trung", "Nam", "Bắc", "Yên Lạc", "Tân Phú", "Hòa Bình", "Phú Lộc", "Thắng Lợi", "Quang Trung", "Bình Minh"}
	perm := r.Perm(len(names))
	style := r.IntN(2)
	for i := 0; i < n; i++ {
		switch {
		case isWard(c) && south:
			out = append(out, fmt.Sprintf("Khu phố %d", i+1))
		case isWard(c):
			if style == 0 {
				out = append(out, fmt.Sprintf("Tổ dân phố %d", i+1))
			} else {
				out = append(out, fmt.Sprintf("Khối %d", i+1))
			}
		case south:
			if style == 0 {
				out = append(out, fmt.Sprintf("Ấp %d", i+1))
			} else {
				out = append(out, "Ấp "+names[perm[i%len(names)]])
			}
		case style == 0:
			out = append(out, fmt.Sprintf("Thôn %d", i+1))
		default:
			if r.IntN(2) == 0 {
				out = append(out, fmt.Sprintf("Xóm %d", i+1))
			} else {
				out = append(out, "Xóm "+names[perm[i%len(names)]])
			}
		}
	}
	return out
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

// cmndPrefix is the two digits a 9-digit CMND of a province starts with
// (a simplification: one per province, 0x for the first few, so that
// some lose a leading zero in a numeric cell).
func cmndPrefix(prov string) string {
	pc, _ := strconv.Atoi(prov)
	return fmt.Sprintf("%02d", (pc*7)%38+1)
}

type builder struct {
	r   *rand.Rand
	n   *nameTables
	p   *pop
	cut int // persons to make

	marryOut []int // daughters married out of their parents' household
}

func (b *builder) f(x float64) bool { return b.r.Float64() < x }

func (b *builder) newPerson(male bool, y int, family string, at home) *person {
	p := &person{i: len(b.p.ps), male: male, y: y, family: family, at2016: at, at2024: at, father: -1, mother: -1, parentHH: -1, other: -1}
	p.id = fmt.Sprintf("Q%07d", p.i+1)
	p.m = 1 + b.r.IntN(12)
	p.d = 1 + b.r.IntN(daysIn(y, p.m))
	if male {
		p.middle = b.n.mMid.draw(b.r)
		p.given = b.n.mGiven.draw(b.r)
	} else {
		p.middle = b.n.fMid.draw(b.r)
		p.given = b.n.fGiven.draw(b.r)
	}
	for p.given == "Thị" || p.given == "Văn" {
		p.given = b.n.fGiven.draw(b.r)
		if male {
			p.given = b.n.mGiven.draw(b.r)
		}
	}
	if p.middle == p.given {
		p.middle = ""
	}
	b.p.ps = append(b.p.ps, p)
	return p
}

func (b *builder) numbers(p *person) {
	sex := 0
	if p.y >= 2000 {
		sex = 2
	}
	if !p.male {
		sex++
	}
	prov := p.bornProv
	if prov == "" {
		prov = p.at2016.c.prov
	}
	p.cccd = fmt.Sprintf("0%s%d%02d%06d", prov, sex, p.y%100, b.r.IntN(1000000))
	if p.y <= 2002 && b.f(0.85) {
		p.cmnd = cmndPrefix(p.at2016.c.prov) + fmt.Sprintf("%07d", b.r.IntN(10000000))
	}
}

func (b *builder) anyHome(c *commune) home {
	hs := b.p.hamlet[c]
	return home{hamlet: hs[b.r.IntN(len(hs))], c: c}
}

// household makes a household registered in commune c: a head born in
// headYear, a wife, children; sons married by 2025 split off into a
// household of their own (recursively) with probability split.
func (b *builder) household(c *commune, headYear int, family string, father, mother int) *household {
	at := b.anyHome(c)
	if father >= 0 && b.f(0.6) {
		at = b.p.ps[father].at2016 // a son who splits off often stays in his parents' hamlet
		at.house = ""
	}
	h := &household{born: headYear + 22 + b.r.IntN(8)}
	hi := len(b.p.hhs)
	b.p.hhs = append(b.p.hhs, h)
	maleHead := b.f(0.9)
	head := b.newPerson(maleHead, headYear, family, at)
	head.father, head.mother, head.rel, head.hh = father, mother, "Chủ hộ", hi
	if father >= 0 {
		head.parentHH = b.p.ps[father].hh
	}
	h.head = head.i
	h.members = append(h.members, head.i)
	if !maleHead && b.f(0.5) {
		b.fixNumbers(h, at)
		return h // a widow or a single woman living alone or with nobody listed
	}
	var wife *person
	if maleHead && b.f(0.9) {
		wy := headYear + b.r.IntN(7) - 1
		wife = b.newPerson(false, wy, b.n.fam.draw(b.r), at)
		wife.rel, wife.hh = "Vợ", hi
		if b.f(0.25) {
			// born in another commune or province: her number carries her
			// birth province
			wife.bornProv = b.p.homes[b.r.IntN(len(b.p.homes))].prov
		}
		h.members = append(h.members, wife.i)
	}
	// a widowed parent living with the head: 20% of heads born before 1975
	if father < 0 && headYear < 1975 && b.f(0.2) {
		gm := b.newPerson(b.f(0.3), headYear-22-b.r.IntN(10), family, at)
		if !gm.male {
			gm.family = b.n.fam.draw(b.r)
		}
		gm.rel, gm.hh = map[bool]string{true: "Bố", false: "Mẹ"}[gm.male], hi
		head.father, head.mother = -1, -1
		if gm.male {
			head.father = gm.i
		} else {
			head.mother = gm.i
		}
		h.members = append(h.members, gm.i)
	}
	if wife == nil {
		b.fixNumbers(h, at)
		return h
	}
	kids := []int{0, 1, 2, 2, 3, 3, 3, 4}[b.r.IntN(8)]
	y := wife.y + 20 + b.r.IntN(8)
	usedGiven := map[string]bool{}
	for k := 0; k < kids && y <= 2024; k++ {
		twins := b.f(0.012)
		for t := 0; t < 1+boolInt(twins); t++ {
			male := b.f(0.51)
			ch := b.newPerson(male, y, family, at)
			for usedGiven[ch.given] {
				if male {
					ch.given = b.n.mGiven.draw(b.r)
				} else {
					ch.given = b.n.fGiven.draw(b.r)
				}
			}
			usedGiven[ch.given] = true
			ch.father, ch.mother, ch.rel, ch.hh = head.i, wife.i, "Con", hi
			if t == 1 {
				prev := b.p.ps[ch.i-1]
				ch.m, ch.d = prev.m, prev.d
				ch.hard, ch.other, prev.hard, prev.other = "twin", prev.i, "twin", ch.i
			}
			h.members = append(h.members, ch.i)
		}
		y += 1 + b.r.IntN(5)
	}
	b.fixNumbers(h, at)
	// sons born by 1996 split off into households of their own (60%);
	// daughters born by 1998 marry out (70%): both stay listed in this
	// household on some lists (parentHH)
	kept := h.members[:0:0]
	for _, m := range h.members {
		p := b.p.ps[m]
		if p.rel == "Con" && p.male && p.y <= 1996 && b.f(0.6) && len(b.p.ps) < b.cut {
			nh := b.split(p, hi)
			_ = nh
			continue
		}
		if p.rel == "Con" && !p.male && p.y <= 1998 && b.f(0.7) {
			p.parentHH = hi
			b.marryOut = append(b.marryOut, p.i)
			continue
		}
		kept = append(kept, m)
	}
	h.members = kept
	return h
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// split turns a son into the head of a household of his own: the person
// already made is reused as the head.
func (b *builder) split(son *person, parentHH int) int {
	hi := len(b.p.hhs)
	h := &household{head: son.i, members: []int{son.i}, born: son.y + 22 + b.r.IntN(8)}
	b.p.hhs = append(b.p.hhs, h)
	son.rel, son.hh, son.parentHH = "Chủ hộ", hi, parentHH
	son.left = min(h.born, 2024)
	if b.f(0.4) {
		son.at2016.hamlet = b.anyHome(son.at2016.c).hamlet
		son.at2024 = son.at2016
	}
	at := son.at2016
	if !b.f(0.92) {
		return hi
	}
	wife := b.newPerson(false, son.y+b.r.IntN(6)-1, b.n.fam.draw(b.r), at)
	wife.rel, wife.hh = "Vợ", hi
	h.members = append(h.members, wife.i)
	kids := []int{0, 1, 1, 2, 2, 3}[b.r.IntN(6)]
	y := wife.y + 21 + b.r.IntN(7)
	used := map[string]bool{}
	for k := 0; k < kids && y <= 2024; k++ {
		ch := b.newPerson(b.f(0.51), y, son.family, at)
		for used[ch.given] {
			ch.given = b.n.mGiven.draw(b.r)
			if !ch.male {
				ch.given = b.n.fGiven.draw(b.r)
			}
		}
		used[ch.given] = true
		ch.father, ch.mother, ch.rel, ch.hh = son.i, wife.i, "Con", hi
		h.members = append(h.members, ch.i)
		y += 1 + b.r.IntN(4)
	}
	b.fixNumbers(h, at)
	return hi
}

func (b *builder) fixNumbers(h *household, at home) {
	for _, m := range h.members {
		if b.p.ps[m].cccd == "" {
			b.numbers(b.p.ps[m])
		}
	}
}

// build makes the population: provinces, communes, households; then the
// moves between 2016 and 2024 and the namesakes.
func build(r *rand.Rand, persons int) (*pop, error) {
	n, err := readNames()
	if err != nil {
		return nil, err
	}
	byProv, err := readCommunes()
	if err != nil {
		return nil, err
	}
	var provs []string
	for pc := range byProv {
		if pc != "01" && pc != "79" && len(byProv[pc]) > 40 {
			provs = append(provs, pc)
		}
	}
	sort.Strings(provs)
	r.Shuffle(len(provs), func(i, j int) { provs[i], provs[j] = provs[j], provs[i] })
	p := &pop{hamlet: map[*commune][]string{}}
	nComm := max(4, persons/800)
	for _, pc := range provs[:5] {
		cs := append([]*commune(nil), byProv[pc]...)
		r.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		var xa, phuong []*commune
		for _, c := range cs {
			if isWard(c) {
				phuong = append(phuong, c)
			} else if strings.HasPrefix(c.name, "Xã") {
				xa = append(xa, c)
			}
		}
		k := (nComm + 4) / 5
		for i := 0; i < k; i++ {
			if i == k-1 && len(phuong) > 0 && k > 1 {
				p.homes = append(p.homes, phuong[0])
			} else if i < len(xa) {
				p.homes = append(p.homes, xa[i])
			}
		}
	}
	for _, pc := range []string{"01", "79"} {
		cs := byProv[pc]
		for _, c := range cs {
			if isWard(c) && strings.HasPrefix(c.district, "Quận") && r.Float64() < 0.05 {
				p.cities = append(p.cities, c)
			}
		}
	}
	for _, c := range append(append([]*commune(nil), p.homes...), p.cities...) {
		p.hamlet[c] = hamlets(r, c, 5+r.IntN(5))
	}
	b := &builder{r: r, n: n, p: p, cut: persons}
	for len(p.ps) < persons {
		c := p.homes[r.IntN(len(p.homes))]
		if r.Float64() < 0.55 {
			b.household(c, 1938+r.IntN(30), n.fam.draw(r), -1, -1)
		} else {
			b.household(c, 1966+r.IntN(34), n.fam.draw(r), -1, -1)
		}
	}
	// daughters who married out: each becomes the wife in a household
	// without one, else stays (listed as Con in her parents' household)
	b.placeMarriedDaughters()
	b.moves()
	b.namesakes()
	return p, nil
}

func (b *builder) placeMarriedDaughters() {
	var free []int
	for hi, h := range b.p.hhs {
		head := b.p.ps[h.head]
		if head.male && len(h.members) == 1 && head.y >= 1960 {
			free = append(free, hi)
		}
	}
	for _, d := range b.marryOut {
		p := b.p.ps[d]
		if len(free) == 0 {
			p.parentHH = -1
			b.p.hhs[p.hh].members = append(b.p.hhs[p.hh].members, d)
			continue
		}
		hi := free[len(free)-1]
		free = free[:len(free)-1]
		h := b.p.hhs[hi]
		p.rel, p.hh = "Vợ", hi
		p.left = min(p.y+19+b.r.IntN(9), 2024)
		p.at2016 = b.p.ps[h.head].at2016
		p.at2024 = p.at2016
		h.members = append(h.members, d)
	}
}

// moves: 8% of households move between 2016 and 2024 (half to another
// commune of the list, half to a city ward of Hà Nội or Hồ Chí Minh City),
// and 10% of those aged 18–32 in 2016 move alone to a city.
func (b *builder) moves() {
	cityHome := func() home {
		c := b.p.cities[b.r.IntN(len(b.p.cities))]
		h := b.anyHome(c)
		h.house = fmt.Sprintf("Số %d", 1+b.r.IntN(180))
		if b.f(0.5) {
			h.house += fmt.Sprintf(" ngõ %d", 2+b.r.IntN(300))
		}
		return h
	}
	for _, h := range b.p.hhs {
		if !b.f(0.08) {
			continue
		}
		var to home
		if b.f(0.5) {
			to = b.anyHome(b.p.homes[b.r.IntN(len(b.p.homes))])
		} else {
			to = cityHome()
		}
		for _, m := range h.members {
			p := b.p.ps[m]
			p.at2024, p.moved = to, true
		}
	}
	for _, p := range b.p.ps {
		if a := 2016 - p.y; !p.moved && a >= 18 && a <= 32 && b.f(0.10) {
			p.at2024, p.moved = cityHome(), true
		}
	}
}

// namesakes: 2% of persons share the full name of another person of one
// commune and sex, born within five years, not of their household.
func (b *builder) namesakes() {
	byC := map[*commune][]*person{}
	for _, p := range b.p.ps {
		byC[p.at2016.c] = append(byC[p.at2016.c], p)
	}
	for _, p := range b.p.ps {
		if p.hard != "" || !b.f(0.02) {
			continue
		}
		cs := byC[p.at2016.c]
		for try := 0; try < 40; try++ {
			q := cs[b.r.IntN(len(cs))]
			if q == p || q.hard != "" || q.male != p.male || q.hh == p.hh || abs(q.y-p.y) > 5 {
				continue
			}
			p.family, p.middle, p.given = q.family, q.middle, q.given
			p.hard, p.other, q.hard, q.other = "namesake", q.i, "namesake", p.i
			break
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
