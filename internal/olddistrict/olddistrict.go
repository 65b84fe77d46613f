package olddistrict

import (
	"sort"
	"sync"

	"github.com/dancu-vn/dancu/internal/refdata"
)

type tables struct {
	district map[string]string // commune code -> district code (admin_units_2024)
	name     map[string]string // district code -> district name
	moved    []string          // communes whose pre-reform list names another district, sorted
}

var load = sync.OnceValue(func() tables {
	t := tables{district: map[string]string{}, name: map[string]string{}}
	ref := refdata.MustLoad("admin_units_2024.csv")
	for _, r := range ref.Rows {
		d := ref.Get(r, "district_code")
		if _, ok := t.name[d]; !ok {
			t.name[d] = ref.Get(r, "district_name")
		}
		if c := ref.Get(r, "commune_code"); c != "" { // island districts have none
			t.district[c] = d
		}
	}
	pre := refdata.MustLoad("admin_units_2025_pre_reform.csv")
	for _, r := range pre.Rows {
		c, d := pre.Get(r, "commune_code"), pre.Get(r, "district_code")
		if _, ok := t.name[d]; !ok {
			t.name[d] = pre.Get(r, "district_name")
		}
		if want, ok := t.district[c]; ok && c != "" && want != d {
			t.moved = append(t.moved, c)
		}
	}
	sort.Strings(t.moved)
	return t
})

// OfCommune is the old-era district of old commune code c in the
// reference list, and whether the list has c.
func OfCommune(c string) (string, bool) {
	d, ok := load().district[c]
	return d, ok
}

// Name is the name of old-era district code d ("Huyện Lộc Hà"), from
// the reference list or, for a district only the last list before the
// reform has, from that one; "" when neither has it.
func Name(d string) string {
	return load().name[d]
}

// Moved are the communes the last list before the reform puts in another
// district than OfCommune does (those of the districts merged in 2025),
// sorted, and OfCommune's district of each: what a query over records
// (whose district is the resolver's, from that list) maps to agree with
// OfCommune.
func Moved() (communes, districts []string) {
	t := load()
	for _, c := range t.moved {
		communes = append(communes, c)
		districts = append(districts, t.district[c])
	}
	return communes, districts
}
