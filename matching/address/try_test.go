package address

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

func TestTry(t *testing.T) {
	in := os.Getenv("ADDR")
	if in == "" {
		t.Skip()
	}
	asOf := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if d := os.Getenv("ASOF"); d != "" {
		asOf, _ = time.Parse("2006-01-02", d)
	}
	for _, s := range strings.Split(in, "\n") {
		r := Resolve(s, asOf)
		c := r.Candidates
		r.Candidates = nil
		b, _ := json.Marshal(r)
		t.Log(string(b))
		for _, x := range c {
			t.Logf("   cand %s %s | %s %s | %s %s || %s %s | %s %s", x.Province.Code, x.Province.Name, x.District.Code, x.District.Name, x.Commune.Code, x.Commune.Name, x.NewProvince.Code, x.NewProvince.Name, x.NewCommune.Code, x.NewCommune.Name)
		}
	}
}

func timeParse(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }
