package synth

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOCRConfusionsAndYears checks the scanner noise issue 12 asks for:
// look-alike letters swapped both ways, and a year digit misread as a
// look-alike digit while the rest of the date stays.
func TestOCRConfusionsAndYears(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	got, hit := ocrConfuse("NGUYỄN HƯƠNG", r, 1)
	if !hit || got != "MGVYỄM BV̛ƠMG" {
		t.Errorf("ocrConfuse all = %q (%v), want MGVYỄM BV̛ƠMG (the horn stays on the V)", got, hit)
	}
	if got, hit := ocrConfuse("LÊ AN", r, 0); hit || got != "LÊ AN" {
		t.Errorf("ocrConfuse at 0 = %q", got)
	}
	for i := 0; i < 50; i++ {
		d := ocrYearDigit("05/03/2014", r)
		if d[:6] != "05/03/" || d[6] != '2' || d == "05/03/2014" {
			t.Fatalf("ocrYearDigit = %q", d)
		}
		diff := 0
		for k := 6; k < 10; k++ {
			if d[k] != "05/03/2014"[k] {
				diff++
				if !strings.ContainsRune(string(yearOCR["05/03/2014"[k]]), rune(d[k])) {
					t.Fatalf("%q: %c is not a look-alike of %c", d, d[k], "05/03/2014"[k])
				}
			}
		}
		if diff != 1 {
			t.Fatalf("ocrYearDigit = %q: %d digits changed", d, diff)
		}
	}
}

// TestNoiseProfiles checks that the holdout profile is a different mix
// of the same kinds of noise, that unknown profiles are refused, and that
// the profile is recorded in the manifest.
func TestNoiseProfiles(t *testing.T) {
	d, _ := profileRates(ProfileForms)
	h, _ := profileRates(ProfileHoldout)
	if d == h {
		t.Fatal("holdout rates equal the forms ones")
	}
	if o, _ := profileRates(ProfileDefault); o.middleAdded != 0 || o.ocrConfusion != 0 || o.yearOff != 0 || o.dayZero != 0 || o.ocrYear != 0 {
		t.Errorf("default profile changed: %+v", o)
	}
	for name, r := range map[string]rates{"forms": d, "holdout": h} {
		for _, x := range []float64{r.middleAdded, r.ocrConfusion, r.yearOff, r.dayZero, r.ocrYear, r.middleOmitted, r.yearOnly} {
			if x <= 0 {
				t.Errorf("%s profile lacks a kind of noise: %+v", name, r)
			}
		}
	}
	if _, err := (Config{Persons: 10, OutDir: t.TempDir(), NoiseProfile: "tuned"}).withDefaults(); err == nil {
		t.Error("unknown profile accepted")
	}
	dir, m := gen(t, Config{Persons: 200, Seed: 4, NoiseProfile: ProfileHoldout, Formats: []string{"csv"}})
	if m.Profile != ProfileHoldout {
		t.Errorf("manifest profile %q", m.Profile)
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil || !strings.Contains(string(b), `"noise_profile": "holdout"`) {
		t.Errorf("manifest.json does not name the profile: %v", err)
	}
}
