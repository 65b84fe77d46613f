package vn

import (
	"strconv"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// RegisterSize is the national population register's size that Namesakes
// counts for: 10⁸ persons.
const RegisterSize = 1e8

// Namesakes is λ of a full name: how many persons a national register of
// RegisterSize is expected to hold with that family name, first middle
// name and given name, that sex, born on one given day — the name's
// probability the product of the national tables' shares (names/: a
// surname's published 2005 share, else the UIT forum's; a first middle
// name's and a given name's by sex, ngxson's counts and Đắk Lắk DKL01's
// percentages), half the register of each sex, one day of 75 years of
// births. Words are looked up in lower case with their marks; a word the
// tables do not hold takes a rare share (a surname 0.1%, a middle name
// 0.1%, a given name 0.05%), so a name without its marks ("NGUYEN VAN
// NAM" read by a scanner) counts as rare. A name of one word (no given
// name) is 0. The shares are taken as independent, which overstates the
// commonest names (acc52's caveat).
//
// A link whose evidence is a name and a birthday alone cannot tell two
// persons apart when λ ≥ 1: the register holds at least one other person
// of that name and day as likely as not (matching's possible matches,
// acc53, acc54).
func Namesakes(family, middle, given string, female bool) float64 {
	if given == "" {
		return 0
	}
	t := nameShareTables()
	sx := "m|"
	if female {
		sx = "f|"
	}
	share := func(m map[string]float64, k string, rare float64) float64 {
		if p := m[k]; p > 0 {
			return p
		}
		return rare
	}
	p := share(t.sur, strings.ToLower(family), 0.001)
	if w := strings.Fields(middle); len(w) > 0 {
		p *= share(t.mid, sx+strings.ToLower(w[0]), 0.001)
	}
	p *= share(t.giv, sx+strings.ToLower(given), 0.0005)
	return RegisterSize * 0.5 * p / (75 * 365.25)
}

// nameShares are names/' national shares: surnames, first middle names
// and given names by sex ("m|word", "f|word"), lower case.
type nameShares struct{ sur, mid, giv map[string]float64 }

var (
	nameSharesOnce sync.Once
	nameSharesSet  nameShares
)

func nameShareTables() *nameShares {
	nameSharesOnce.Do(func() {
		pf := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		n := nameShares{map[string]float64{}, map[string]float64{}, map[string]float64{}}
		if tb, err := refdata.Load("names/surnames.csv"); err == nil {
			for _, r := range tb.Rows {
				p := pf(tb.Get(r, "published_pct_2005"))
				if p == 0 {
					p = pf(tb.Get(r, "uit_forum_pct"))
				}
				n.sur[strings.ToLower(tb.Get(r, "surname"))] = p / 100
			}
		}
		if tb, err := refdata.Load("names/middle_names.csv"); err == nil {
			total := map[string]float64{}
			for _, r := range tb.Rows {
				for _, sx := range []string{"male", "female"} {
					total[sx] += pf(tb.Get(r, "first_middle_"+sx))
				}
			}
			for _, r := range tb.Rows {
				for _, sx := range []string{"male", "female"} {
					if total[sx] > 0 {
						n.mid[sx[:1]+"|"+strings.ToLower(tb.Get(r, "middle_name"))] = pf(tb.Get(r, "first_middle_"+sx)) / total[sx]
					}
				}
			}
		}
		if tb, err := refdata.Load("names/given_names.csv"); err == nil {
			for _, r := range tb.Rows {
				g := strings.ToLower(tb.Get(r, "given_name"))
				n.giv["m|"+g] = pf(tb.Get(r, "daklak_dkl01_male_pct")) / 100
				n.giv["f|"+g] = pf(tb.Get(r, "daklak_dkl01_female_pct")) / 100
			}
		}
		nameSharesSet = n
	})
	return &nameSharesSet
}
