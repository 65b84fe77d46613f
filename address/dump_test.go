package address

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// TestDumpFailures prints the misses on a labelled file while tuning:
//
//	DANCU_ADDR_DUMP=../testdata/addresses/hard_tune.csv go test ./address -run DumpFailures -v
func TestDumpFailures(t *testing.T) {
	p := os.Getenv("DANCU_ADDR_DUMP")
	if p == "" {
		t.Skip("DANCU_ADDR_DUMP not set")
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	xs, err := ReadLabelled(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range xs {
		d, _ := time.Parse("2006-01-02", x.AsOf)
		r := Resolve(x.Text, d)
		bad := ""
		for l, pair := range [][2]string{{x.ProvinceCode, r.Province.Code}, {x.DistrictCode, r.District.Code}, {x.CommuneCode, r.Commune.Code}, {x.NewProvinceCode, r.NewProvince.Code}, {x.NewCommuneCode, r.NewCommune.Code}} {
			if pair[0] != "" && pair[0] != pair[1] {
				bad += fmt.Sprintf(" %s want %s got %q", Level[l], pair[0], pair[1])
			}
		}
		if bad != "" {
			fmt.Printf("%q %s |%s | got %s / %s / %s | %d cands | %s\n", x.Text, x.AsOf, bad, r.Province.Name, r.District.Name, r.Commune.Name, len(r.Candidates), x.Note)
		}
	}
}

// TestDebugOne prints the readings of one address:
//
//	DANCU_ADDR_ONE='Xã Mnh Thạnh, Huyện Dầu Tiếng' go test ./address -run DebugOne -v
func TestDebugOne(t *testing.T) {
	s := os.Getenv("DANCU_ADDR_ONE")
	if s == "" {
		t.Skip("DANCU_ADDR_ONE not set")
	}
	g, _ := load()
	st := &state{}
	st.reset(g, s)
	for _, tk := range st.toks {
		fmt.Printf("tok %q id=%d marker=%v hard=%v soft=%v\n", tk.key, tk.id, tk.marker, tk.hard, tk.soft)
	}
	// DANCU_ADDR_ASOF=2025-09-01 reads it in the new units' era
	post := false
	if d, err := time.Parse("2006-01-02", os.Getenv("DANCU_ADDR_ASOF")); err == nil {
		post = !d.Before(ReformDate)
	}
	var res Result
	st.resolve(&res, post)
	for k, m := range st.matches {
		fmt.Printf("match %d [%d,%d) ms=%d %s %s q=%.2f s0=%.2f s=%.2f fuzzy=%v\n", k, m.i, m.j, m.ms, g.units[m.u].code, g.units[m.u].name, m.q, m.s0, m.s, m.fuzzy)
	}
	for _, c := range st.chains {
		fmt.Printf("chain new=%v c=%d d=%d p=%d score=%.2f\n", c.newEra, c.c, c.d, c.p, c.score)
	}
	for _, t := range st.tuples {
		fmt.Printf("tuple %v\n", t)
	}
	fmt.Printf("%+v\n", res)
}
