package fourthpop

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

type gener struct {
	r       *rand.Rand
	t       *tables
	usedIDs map[string]bool
	persons []*Person

	twins, namesakes int
}

var villageWords = map[string][]string{
	"north": {"Thôn Đông", "Thôn Tây", "Thôn Trung", "Thôn Thượng", "Thôn Hạ", "Thôn Nam", "Thôn Bắc", "Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Tổ dân phố 5", "Xóm Mới", "Xóm Chùa"},
	"nw":    {"Bản Pá Khoang", "Bản Na Sang", "Bản Huổi Lếch", "Bản Nà Pục", "Bản Lả Chà", "Bản Sín Chải", "Bản Phìn Hồ", "Bản Co Muông"},
	"delta": {"Ấp Phú Hòa", "Ấp Tân Lợi", "Ấp Bình Thạnh", "Ấp 3", "Ấp 4", "Sóc Vồ", "Sóc Tà Ân", "Ấp Kinh Mới", "Ấp Hòa Thuận"},
	"high":  {"Buôn Ko Dơn", "Buôn Tơng Jú", "Làng Plei Ơp", "Thôn 5", "Thôn 7", "Buôn Kmrơng", "Làng Ia Lâm"},
	"south": {"Ấp 1", "Ấp 2", "Ấp Bình An", "Khu phố 3", "Khu phố 6", "Tổ 12", "Ấp Long Hòa", "Ấp Thới Bình"},
}

func region(prov string) string {
	switch prov {
	case "02", "04", "10", "11", "12", "14", "15", "17", "06", "08", "19", "20":
		return "nw"
	case "94", "84", "91", "89", "95", "96", "82", "83", "86", "87", "92", "93", "80":
		return "delta"
	case "62", "64", "66", "67", "68":
		return "high"
	}
	if south(prov) {
		return "south"
	}
	return "north"
}

// pickCommunes draws about n/600 communes: the first three in the
// provinces of the minority names (one in the north-west, one in Sóc Trăng
// or Trà Vinh, one in the Central Highlands), then half by the 2019 census
// population, half uniformly over the provinces (changed while coding, so
// that the minority names are present in a set of ~30 communes; doc.go's
// plan drew all by population).
func (g *gener) pickCommunes(n int) []*commune {
	k := n / 600
	if k < 4 {
		k = 4
	}
	seen := map[string]bool{}
	var out []*commune
	for len(out) < k {
		var prov string
		if len(out) < len(minorityFirst) {
			prov = pickS(g.r, minorityFirst[len(out)])
		} else if len(out)%2 == 0 {
			prov = g.t.provinces.pick(g.r)
		} else {
			prov = pickS(g.r, g.t.provNames)
		}
		rows := g.t.communes[prov]
		if len(rows) == 0 {
			continue
		}
		r := rows[g.r.IntN(len(rows))]
		code := r[4]
		if seen[code] {
			continue
		}
		seen[code] = true
		c := &commune{code: code, name: r[5], district: r[3], province: r[1], provCode: prov}
		nu := g.t.newUnit[code]
		c.newName, c.newProvince = nu[0], nu[1]
		words := append([]string(nil), villageWords[region(prov)]...)
		g.r.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
		mix := groupMix(prov)
		for i := 0; i < 3+g.r.IntN(4) && i < len(words); i++ {
			v := &village{name: words[i], c: c, group: mix.pick(g.r), favourite: map[byte][]string{}}
			for j := 0; j < 3+g.r.IntN(3); j++ {
				v.surnames = append(v.surnames, g.anySurname(v.group, prov))
			}
			for _, sex := range []byte{'M', 'F'} {
				for j := 0; j < 12; j++ {
					v.favourite[sex] = append(v.favourite[sex], g.anyGiven(v.group, sex))
				}
			}
			c.villages = append(c.villages, v)
		}
		out = append(out, c)
	}
	return out
}

var minorityFirst = [][]string{{"02", "10", "11", "12", "14"}, {"94", "84"}, {"66", "67"}}

func (g *gener) newPerson(h *household, sex byte, sur string, mid []string, age int, rel string) *Person {
	p := &Person{ID: fmt.Sprintf("Q%06d", len(g.persons)+1), Group: h.v.group, Sex: sex, Surname: sur,
		Middle: mid, Given: g.givenFor(h.v, h.v.group, sex), Birth: g.birthAt(age), Rel: rel, House: h}
	p.ClanLast = p.Group == "ede"
	if p.Birth.Year() < 1960 {
		switch x := g.r.Float64(); {
		case x < 0.04:
			p.Prec = 2
		case x < 0.07:
			p.Prec = 1
		}
	}
	h.members = append(h.members, p)
	g.persons = append(g.persons, p)
	return p
}

// familyMiddles are the patterns siblings share.
var sonMiddles = []string{"Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Xuân", "Quang", "Đình"}
var daughterMiddles = []string{"Thị", "Ngọc", "Thu", "Thanh", "Thị", "Thị", "Kim", "Hồng"}

var twinPairs = [][2]string{{"Long", "Phụng"}, {"Minh", "Mẫn"}, {"An", "Khang"}, {"Hồng", "Hà"}, {"Phúc", "Lộc"}, {"Tuấn", "Tú"}, {"Nhật", "Nguyệt"}}

func (g *gener) household(v *village) *household {
	h := &household{v: v}
	headSex := byte('M')
	if g.r.Float64() < 0.2 {
		headSex = 'F'
	}
	headAge := g.ageFrom(25)
	sur := g.surnameFor(v)
	head := g.newPerson(h, headSex, sur, g.middleFor(v.group, headSex), headAge, "Chủ hộ")
	var father, mother *Person = head, nil
	if headSex == 'F' {
		father, mother = nil, head
	}
	if g.r.Float64() < 0.85 {
		spSex := byte('F')
		spAge := headAge - g.r.IntN(9) + 1
		rel := "Vợ"
		if headSex == 'F' {
			spSex, spAge, rel = 'M', headAge+g.r.IntN(9)-1, "Chồng"
		}
		if spAge < 18 {
			spAge = 18
		}
		sp := g.newPerson(h, spSex, g.anySurname(v.group, v.c.provCode), g.middleFor(v.group, spSex), spAge, rel)
		if spSex == 'M' {
			father = sp
		} else {
			mother = sp
		}
	}
	if g.r.Float64() < 0.15 && headAge < 70 {
		sex := byte('F')
		rel := "Mẹ"
		if g.r.IntN(3) == 0 {
			sex, rel = 'M', "Bố"
		}
		psur := head.Surname
		if sex == 'F' {
			psur = g.anySurname(v.group, v.c.provCode)
		}
		pa := g.newPerson(h, sex, psur, g.middleFor(v.group, sex), headAge+20+g.r.IntN(15), rel)
		if sex == 'M' {
			head.Father = pa
		} else {
			head.Mother = pa
		}
	}
	// Children.
	mAge := headAge
	if mother != nil {
		mAge = mother.age()
	}
	maxKids := 3
	if v.group != "kinh" {
		maxKids = 5
	}
	kids := g.r.IntN(maxKids)
	if mAge > 55 {
		kids = g.r.IntN(2)
	}
	famSur := sur
	if father != nil {
		famSur = father.Surname
	}
	sonMid := g.middleFor(v.group, 'M')
	dauMid := g.middleFor(v.group, 'F')
	if v.group == "kinh" || v.group == "tay" || v.group == "muong" {
		sonMid = []string{pickS(g.r, sonMiddles)}
		dauMid = []string{pickS(g.r, daughterMiddles)}
		if mother != nil && g.r.Float64() < 0.1 {
			dauMid = []string{mother.Surname}
		}
	}
	for i := 0; i < kids; i++ {
		ka := mAge - 18 - g.r.IntN(24)
		if ka < 0 {
			ka = g.r.IntN(3)
		}
		sex := byte('M')
		if g.r.IntN(2) == 0 {
			sex = 'F'
		}
		mid := sonMid
		if sex == 'F' {
			mid = dauMid
		}
		c := g.newPerson(h, sex, famSur, mid, ka, "Con")
		c.Father, c.Mother = father, mother
		if g.r.Float64() < 0.015 { // twins: same date and middle, paired given names
			pair := twinPairs[g.r.IntN(len(twinPairs))]
			if v.group == "kinh" {
				c.Given = []string{pair[0]}
			}
			sex2 := sex
			if g.r.IntN(2) == 0 {
				sex2 = 'M' + 'F' - sex
			}
			mid2 := sonMid
			if sex2 == 'F' {
				mid2 = dauMid
			}
			t := g.newPerson(h, sex2, famSur, mid2, ka, "Con")
			t.Birth, t.Prec = c.Birth, c.Prec
			if v.group == "kinh" {
				t.Given = []string{pair[1]}
			}
			t.Father, t.Mother = father, mother
			g.twins++
		}
	}
	return h
}

// namesake adds, in the village of p, a cousin's household whose child has
// p's full name, sex and birth year (another day, other parents).
func (g *gener) namesake(p *Person) {
	h := &household{v: p.House.v}
	fa := g.newPerson(h, 'M', p.Surname, g.middleFor(h.v.group, 'M'), p.age()+22+g.r.IntN(15), "Chủ hộ")
	mo := g.newPerson(h, 'F', g.anySurname(h.v.group, h.v.c.provCode), g.middleFor(h.v.group, 'F'), fa.age()-g.r.IntN(6), "Vợ")
	c := g.newPerson(h, p.Sex, p.Surname, append([]string(nil), p.Middle...), p.age(), "Con")
	c.Given = append([]string(nil), p.Given...)
	c.Birth = c.Birth.AddDate(p.Birth.Year()-c.Birth.Year(), 0, 0)
	c.Father, c.Mother = fa, mo
	g.namesakes++
}

func (g *gener) population(n int) {
	communes := g.pickCommunes(n)
	for len(g.persons) < n {
		c := communes[g.r.IntN(len(communes))]
		g.household(c.villages[g.r.IntN(len(c.villages))])
	}
	base := len(g.persons)
	for i := 0; i < base; i++ {
		if g.r.Float64() < 0.01 {
			g.namesake(g.persons[i])
		}
	}
	for _, p := range g.persons {
		g.documents(p)
	}
}

func fullOf(p *Person) string {
	if p == nil {
		return ""
	}
	return p.Full()
}

func oldAddress(v *village, withVillage, withDistrict bool) string {
	var parts []string
	if withVillage {
		parts = append(parts, v.name)
	}
	parts = append(parts, v.c.name)
	if withDistrict {
		parts = append(parts, v.c.district)
	}
	parts = append(parts, v.c.province)
	return strings.Join(parts, ", ")
}

func newAddress(v *village, withVillage bool) string {
	if v.c.newName == "" {
		return oldAddress(v, withVillage, true)
	}
	var parts []string
	if withVillage {
		parts = append(parts, v.name)
	}
	return strings.Join(append(parts, v.c.newName, v.c.newProvince), ", ")
}

var abbrev = []struct{ long, short string }{
	{"Thành phố ", "TP. "}, {"Thị trấn ", "TT. "}, {"Thị xã ", "TX. "}, {"Tỉnh ", "T. "}, {"Huyện ", "H. "},
	{"Quận ", "Q. "}, {"Phường ", "P. "}, {"Xã ", "X. "}, {"Thôn ", "Th. "}, {"Ấp ", "Â. "},
}

func abbreviate(a string) string {
	parts := strings.Split(a, ", ")
	for i, p := range parts {
		for _, ab := range abbrev {
			if strings.HasPrefix(p, ab.long) {
				parts[i] = ab.short + strings.TrimPrefix(p, ab.long)
				break
			}
		}
	}
	return strings.Join(parts, ", ")
}
