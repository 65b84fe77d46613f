package address

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestHWShow(t *testing.T) {
	f := os.Getenv("HWSHOW")
	if f == "" {
		t.Skip()
	}
	fh, _ := os.Open(f)
	xs, _ := ReadLabelled(fh)
	for _, x := range xs {
		if os.Getenv("PART") != "" && !strings.HasPrefix(x.Note, os.Getenv("PART")) {
			continue
		}
		r := Evaluate([]Labelled{x})
		bad := false
		for _, s := range r.Levels {
			if s.Right < s.N {
				bad = true
			}
		}
		if bad {
			asOf, _ := time.Parse("2006-01-02", x.AsOf)
			res := Resolve(x.Text, asOf)
			fmt.Printf("%s | %s | want %s/%s/%s new %s/%s | got %s %s / %s %s / %s %s / new %s %s cand=%d conf=%.2f | %s\n", x.Text, x.AsOf, x.ProvinceCode, x.DistrictCode, x.CommuneCode, x.NewProvinceCode, x.NewCommuneCode,
				res.Province.Code, res.Province.Name, res.District.Code, res.District.Name, res.Commune.Code, res.Commune.Name, res.NewCommune.Code, res.NewCommune.Name, len(res.Candidates), res.Confidence, x.Note)
		}
	}
}
