package address

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
)

func TestTryGen(t *testing.T) {
	ns := os.Getenv("GEN")
	if ns == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(ns)
	seed, _ := strconv.Atoi(os.Getenv("SEED"))
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	var pre, post []Labelled
	for _, x := range synth.AddressSample(int64(seed), n) {
		if os.Getenv("TYPO") != "" {
			x.Text = addTypo(x.Text, rng)
		}
		l := Labelled{x.Text, x.AsOf, x.ProvinceCode, x.DistrictCode, x.CommuneCode, x.NewProvinceCode, x.NewCommuneCode, ""}
		if x.AsOf >= "2025-07-01" {
			post = append(post, l)
		} else {
			pre = append(pre, l)
		}
	}
	Evaluate(pre).Write(os.Stdout, "pre")
	Evaluate(post).Write(os.Stdout, "post")
	show := os.Getenv("SHOW")
	if show == "" {
		return
	}
	set := pre
	if show == "post" {
		set = post
	}
	lv, _ := strconv.Atoi(os.Getenv("LEVEL"))
	for _, x := range set {
		r := Evaluate([]Labelled{x})
		s := r.Levels[lv]
		if os.Getenv("WRONG") != "" && s.Wrong == 0 {
			continue
		}
		if s.Right+s.InCandidates < s.N || os.Getenv("STRICT") != "" && s.Right < s.N {
			asOf, _ := timeParse(x.AsOf)
			res := Resolve(x.Text, asOf)
			fmt.Printf("%s | %s | want %s/%s/%s new %s | got %s %s / %s %s / %s %s / new %s %s cand=%d conf=%.2f\n", x.Text, x.AsOf, x.ProvinceCode, x.DistrictCode, x.CommuneCode, x.NewCommuneCode,
				res.Province.Code, res.Province.Name, res.District.Code, res.District.Name, res.Commune.Code, res.Commune.Name, res.NewCommune.Code, res.NewCommune.Name, len(res.Candidates), res.Confidence)
		}
	}
}

// addTypo drops, doubles or swaps one letter in one word of 4+ letters
// of the last two comma parts (the units).
func addTypo(s string, r *rand.Rand) string {
	parts := strings.Split(s, ", ")
	k := len(parts) - 1 - r.IntN(min(2, len(parts)))
	words := strings.Fields(parts[k])
	var cand []int
	for i, w := range words {
		if len([]rune(w)) >= 4 && i > 0 {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return s
	}
	wi := cand[r.IntN(len(cand))]
	rs := []rune(words[wi])
	p := 1 + r.IntN(len(rs)-1)
	switch r.IntN(3) {
	case 0:
		rs = append(rs[:p], rs[p+1:]...)
	case 1:
		rs = append(rs[:p+1], rs[p:]...)
	default:
		if p+1 < len(rs) {
			rs[p], rs[p+1] = rs[p+1], rs[p]
		}
	}
	words[wi] = string(rs)
	parts[k] = strings.Join(words, " ")
	return strings.Join(parts, ", ")
}
