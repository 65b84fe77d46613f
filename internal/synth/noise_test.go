package synth

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	hs, _ := profileRates(ProfileHarsh)
	bl, _ := profileRates(ProfileBlind)
	if hs == d || hs == h || bl == hs || bl == d || bl == h {
		t.Fatal("harsh or blind rates equal another profile's")
	}
	for name, r := range map[string]rates{"harsh": hs, "blind": bl} {
		for _, x := range []float64{r.addrOtherEra, r.dobMissing, r.addrMissing, r.dayInvalid} {
			if x <= 0 {
				t.Errorf("%s profile lacks a kind of noise: %+v", name, r)
			}
		}
	}
	for _, p := range []string{ProfileDefault, ProfileForms, ProfileHoldout} {
		if r, _ := profileRates(p); r.addrOtherEra != 0 || r.dobMissing != 0 || r.addrMissing != 0 || r.dayInvalid != 0 {
			t.Errorf("profile %s gained the harsh kinds (its seeds would change): %+v", p, r)
		}
	}
	for name, r := range map[string]rates{"forms": d, "holdout": h, "harsh": hs, "blind": bl} {
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

// TestHarshNoise checks that the harsh profile writes the kinds of noise
// the others lack — blank dates of birth and addresses, days the month
// does not have, addresses in the other era after the reform — and that
// the forms profile writes none of them.
func TestHarshNoise(t *testing.T) {
	count := func(profile string) (blankDOB, badDay, blankAddr, oldEra int) {
		dir, _ := gen(t, Config{Persons: 3000, Seed: 9, NoiseProfile: profile, Formats: []string{"csv"}})
		for _, file := range []string{"danhsach_20240501.csv", "danhsach_20251001.csv"} {
			f, err := os.Open(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows[1:] {
				dob := r[2+fBirthDate]
				if dob == "" {
					blankDOB++
				}
				var d, m, y int
				if n, _ := fmt.Sscanf(strings.NewReplacer(".", "/", "-", "/").Replace(dob), "%d/%d/%d", &d, &m, &y); n == 3 && m >= 1 && m <= 12 && y > 1000 &&
					d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
					badDay++
				}
				if r[2+fPermAddress] == "" || r[2+fCurAddress] == "" {
					blankAddr++
				}
				// Districts were abolished by the 2025 reform: a district
				// in the later file is an address in the old era.
				if file == "danhsach_20251001.csv" && strings.Contains(r[2+fPermAddress], "Huyện ") {
					oldEra++
				}
			}
		}
		return
	}
	b, d, a, o := count(ProfileHarsh)
	if b == 0 || d == 0 || a == 0 || o == 0 {
		t.Errorf("harsh: blank dates %d, impossible days %d, blank addresses %d, old-era addresses after the reform %d: want all > 0", b, d, a, o)
	}
	b, d, a, o = count(ProfileForms)
	if b != 0 || d != 0 || a != 0 || o != 0 {
		t.Errorf("forms: blank dates %d, impossible days %d, blank addresses %d, old-era addresses after the reform %d: want none", b, d, a, o)
	}
}
