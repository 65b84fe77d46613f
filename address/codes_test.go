package address

import (
	"os"
	"reflect"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
)

// TestResolveCodesAsSearch: ResolveCodes, which searches only as far as
// the units' ids (resolveCodes) and remembers them alone, gives the codes
// of a whole search from scratch (resolveText without the cache) for
// every distinct address of two generated sets — the default noise
// (20,000 persons, seed 5) and the harsh profile (5,000 persons, seed 7),
// or the lists of the `dancu gen` output DANCU_ADDR_GEN names —, their
// native places (quê quán, of which dancu link keeps the provinces) on
// their own and the three columns as dancu link reads them; and Resolve
// after it, the whole result a search gives (a remembered units-only
// result is not one).
func TestResolveCodesAsSearch(t *testing.T) {
	if err := Warm(); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"DANCU_ADDR_GEN": os.Getenv("DANCU_ADDR_GEN")}
	if dirs["DANCU_ADDR_GEN"] == "" {
		dirs = map[string]string{
			"default": generated(t, synth.Config{Persons: 20000, Seed: 5}),
			"harsh":   generated(t, synth.Config{Persons: 5000, Seed: 7, NoiseProfile: synth.ProfileHarsh}),
		}
	}
	for name, dir := range dirs {
		for _, cols := range [][]string{{"Quê quán"}, {"Quê quán", "Nơi thường trú", "Nơi ở hiện tại"}} {
			texts, dates := streamOf(t, dir, cols...)
			cache.reset()
			type key struct {
				text string
				post bool
			}
			got := map[key]Codes{}
			for i, s := range texts {
				got[key{s, !dates[i].Before(ReformDate)}] = ResolveCodes(s, dates[i])
			}
			bad, whole := 0, 0
			for k, c := range got {
				want := resolveText(k.text, k.post, false)
				if w := (Codes{want.Province.Code, want.District.Code, want.Commune.Code, want.NewProvince.Code, want.NewCommune.Code}); c != w {
					if bad++; bad <= 5 {
						t.Errorf("%s %q (post %v): ResolveCodes %+v, a search %+v", name, k.text, k.post, c, w)
					}
				}
				// the whole result, on a sample (every address would double the test's time)
				if whole++; whole%16 == 0 {
					d := ReformDate
					if !k.post {
						d = ReformDate.AddDate(-1, 0, 0)
					}
					if r := Resolve(k.text, d); !reflect.DeepEqual(r, want) {
						t.Errorf("%s %q (post %v) after ResolveCodes: Resolve %+v, a search %+v", name, k.text, k.post, r, want)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%s %v: %d of %d distinct addresses differ", name, cols, bad, len(got))
			}
			t.Logf("%s %v: %d addresses, %d distinct (address, era), codes as a search's", name, cols, len(texts), len(got))
		}
	}
}
