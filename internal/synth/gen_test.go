package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func byHeader(rows [][]string) []map[string]string {
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func gen(t *testing.T, cfg Config) (string, *Manifest) {
	t.Helper()
	if cfg.OutDir == "" {
		cfg.OutDir = t.TempDir()
	}
	m, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.OutDir, m
}

func TestDeterministic(t *testing.T) {
	a, _ := gen(t, Config{Persons: 1500, Seed: 7})
	b, _ := gen(t, Config{Persons: 1500, Seed: 7})
	c, _ := gen(t, Config{Persons: 1500, Seed: 8})
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 9 {
		t.Fatalf("only %d files written", len(entries))
	}
	differs := false
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", e.Name())
		}
		z, _ := os.ReadFile(filepath.Join(c, e.Name()))
		if !bytes.Equal(x, z) && e.Name() != "manifest.json" {
			differs = true
		}
	}
	if !differs {
		t.Error("seed 8 wrote the same files as seed 7")
	}
}

// sourceRecords reads every source record written to dir, keyed by id:
// the Vietnamese headers for spreadsheets, the field keys for scans.
func sourceRecords(t *testing.T, dir string, m *Manifest) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	add := func(id string, rec map[string]string) {
		if _, dup := out[id]; dup {
			t.Errorf("record id %s written twice", id)
		}
		out[id] = rec
	}
	keyOf := map[string]string{}
	for i, h := range fieldHeaders {
		keyOf[h] = FieldKeys[i]
	}
	fromRows := func(rows [][]string) int {
		for _, r := range byHeader(rows) {
			rec := map[string]string{}
			for h, v := range r {
				if k := keyOf[h]; k != "" {
					rec[k] = v
				}
			}
			add(r["Mã bản ghi"], rec)
		}
		return len(rows) - 1
	}
	for _, f := range m.Files {
		p := filepath.Join(dir, f.Name)
		var n int
		switch {
		case f.Kind == "spreadsheet" && f.Format == "csv":
			n = fromRows(readCSV(t, p))
		case f.Kind == "spreadsheet" && f.Format == "xlsx":
			x, err := excelize.OpenFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := x.GetRows("DanhSach")
			x.Close()
			if err != nil {
				t.Fatal(err)
			}
			full := make([][]string, len(rows))
			for i, r := range rows {
				full[i] = append(r, make([]string, len(Headers)-len(r))...) // trailing empty cells are not returned
			}
			n = fromRows(full)
		case f.Kind == "scan":
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				var form struct {
					FormID      string `json:"form_id"`
					ScanRef     string `json:"scan_ref"`
					UnitCode    string `json:"unit_code"`
					CollectedOn string `json:"collected_on"`
					Fields      map[string]struct {
						Text       string  `json:"text"`
						Confidence float64 `json:"confidence"`
					} `json:"fields"`
				}
				if err := json.Unmarshal([]byte(line), &form); err != nil {
					t.Fatalf("%s: %v: %s", f.Name, err, line)
				}
				if len(form.UnitCode) != 5 || form.ScanRef == "" || !strings.HasPrefix(form.FormID, "DC01-") {
					t.Errorf("bad form header: %s", line)
				}
				if _, err := time.Parse("2006-01-02", form.CollectedOn); err != nil {
					t.Errorf("collected_on: %v", err)
				}
				rec := map[string]string{}
				for k, v := range form.Fields {
					if v.Text == "" || v.Confidence <= 0 || v.Confidence > 1 {
						t.Errorf("form %s field %s: %+v", form.FormID, k, v)
					}
					rec[k] = v.Text
				}
				add(form.FormID, rec)
				n++
			}
		default:
			continue
		}
		if n != f.Rows {
			t.Errorf("%s: manifest says %d rows, file has %d", f.Name, f.Rows, n)
		}
	}
	return out
}

func TestTruthAndManifest(t *testing.T) {
	dir, m := gen(t, Config{Persons: 2000, Seed: 3})
	recs := sourceRecords(t, dir, m)
	truth := readCSV(t, filepath.Join(dir, "truth.csv"))
	if len(truth)-1 != m.Records || len(recs) != m.Records {
		t.Fatalf("truth has %d rows, sources %d records, manifest %d", len(truth)-1, len(recs), m.Records)
	}
	persons := readCSV(t, filepath.Join(dir, "persons.csv"))
	if len(persons)-1 != m.Persons || m.Persons != 2000 {
		t.Fatalf("persons.csv has %d rows, manifest %d", len(persons)-1, m.Persons)
	}
	known := map[string]bool{}
	for _, p := range persons[1:] {
		known[p[0]] = true
	}
	seen := map[string]bool{}
	for _, r := range truth[1:] {
		if recs[r[0]] == nil {
			t.Errorf("truth names record %s that no source holds", r[0])
		}
		if !known[r[1]] {
			t.Errorf("truth names unknown person %s", r[1])
		}
		seen[r[1]] = true
	}
	if len(seen) != m.Persons {
		t.Errorf("%d persons have records, want all %d", len(seen), m.Persons)
	}
	conf := readCSV(t, filepath.Join(dir, "conflicts_truth.csv"))
	total := 0
	for _, n := range m.Conflicts {
		total += n
	}
	if len(conf)-1 != total {
		t.Errorf("conflicts_truth.csv has %d rows, manifest %d", len(conf)-1, total)
	}
	var mf Manifest
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(b, &mf); err != nil || mf.Records != m.Records {
		t.Errorf("manifest.json: %v, records %d want %d", err, mf.Records, m.Records)
	}
}

func TestConflictsPlanted(t *testing.T) {
	dir, m := gen(t, Config{Persons: 4000, Seed: 5, ConflictRate: 0.05})
	recs := sourceRecords(t, dir, m)
	persons := map[string]map[string]string{}
	for _, p := range byHeader(readCSV(t, filepath.Join(dir, "persons.csv"))) {
		persons[p["person_id"]] = p
	}
	for k, n := range m.Conflicts {
		if n == 0 {
			t.Errorf("no %s conflict planted", k)
		}
	}
	for _, c := range byHeader(readCSV(t, filepath.Join(dir, "conflicts_truth.csv"))) {
		ids := strings.Split(c["source_record_ids"], ";")
		first := recs[ids[0]]
		if first == nil {
			t.Fatalf("conflict %s names unknown record %s", c["conflict_id"], ids[0])
		}
		nums := strings.Split(c["id_number"], ";")
		switch c["kind"] {
		case ConflictSharedID:
			if first["id_number"] != nums[0] || len(ids) < 2 || recs[ids[1]]["id_number"] != nums[0] {
				t.Errorf("shared_id %v: records do not carry %s", ids, nums[0])
			}
			ps := strings.Split(c["person_ids"], ";")
			if len(ps) != 2 || persons[ps[0]]["id_number"] != nums[0] || persons[ps[1]]["id_number"][:6] != nums[0][:6] || ps[0] == ps[1] {
				t.Errorf("shared_id %v: number %s is not the first person's or does not fit the second", ps, nums[0])
			}
		case ConflictTwoIDs:
			if len(nums) != 2 || first["id_number"] != nums[1] || len(ids) < 2 || recs[ids[1]]["id_number"] != nums[0] {
				t.Errorf("two_ids %v: numbers %v not on the records", ids, nums)
			}
		case ConflictIDContradicts:
			if first["id_number"] != nums[0] {
				t.Errorf("id_contradicts %s: record carries %s", nums[0], first["id_number"])
			}
		}
	}
}

func TestCleanRecordsConsistent(t *testing.T) {
	dir, m := gen(t, Config{Persons: 3000, Seed: 11, Noise: 0, NoiseSet: true, ConflictRate: -1})
	recs := sourceRecords(t, dir, m)
	persons := map[string]map[string]string{}
	for _, p := range byHeader(readCSV(t, filepath.Join(dir, "persons.csv"))) {
		persons[p["person_id"]] = p
	}
	idProv := map[string]string{} // identification code → GSO province
	tb, _ := loadTables()
	for pc, code := range tb.idCode {
		idProv[code] = pc
	}
	for _, tr := range byHeader(readCSV(t, filepath.Join(dir, "truth.csv"))) {
		rec, p := recs[tr["source_record_id"]], persons[tr["person_id"]]
		if rec["id_number"] != p["id_number"] {
			t.Fatalf("clean record %s carries %q, person has %q", tr["source_record_id"], rec["id_number"], p["id_number"])
		}
		if !strings.EqualFold(rec["full_name"], p["full_name"]) {
			t.Fatalf("clean record name %q, person %q", rec["full_name"], p["full_name"])
		}
		id := p["id_number"]
		birth, _ := time.Parse("2006-01-02", p["birth_date"])
		if len(id) != 12 || idProv[id[:3]] != p["birth_reg_province_code"] {
			t.Fatalf("person %s: number %s does not start with the code of province %s", p["person_id"], id, p["birth_reg_province_code"])
		}
		d := int(id[3] - '0')
		if century := 1900 + d/2*100; birth.Year()/100*100 != century {
			t.Fatalf("person %s: digit 4 of %s says %d, born %d", p["person_id"], id, century, birth.Year())
		}
		if (d%2 == 1) != (p["sex"] == "F") {
			t.Fatalf("person %s: digit 4 of %s contradicts sex %s", p["person_id"], id, p["sex"])
		}
		if id[4:6] != p["birth_date"][2:4] {
			t.Fatalf("person %s: digits 5-6 of %s contradict birth %s", p["person_id"], id, p["birth_date"])
		}
	}
}

func TestNamesSexConsistent(t *testing.T) {
	dir, _ := gen(t, Config{Persons: 5000, Seed: 2, Formats: []string{"csv"}})
	var thi, van, women, men int
	surnames := map[string]int{}
	childSurnameOK := 0
	children := 0
	ps := byHeader(readCSV(t, filepath.Join(dir, "persons.csv")))
	byID := map[string]map[string]string{}
	for _, p := range ps {
		byID[p["person_id"]] = p
	}
	for _, p := range ps {
		mid := strings.Fields(p["middle_name"])
		for _, w := range mid {
			if w == "Thị" && p["sex"] != "F" {
				t.Errorf("man with Thị: %s", p["person_id"])
			}
			if w == "Văn" && p["sex"] != "M" {
				t.Errorf("woman with Văn: %s", p["person_id"])
			}
		}
		if p["sex"] == "F" {
			women++
			if len(mid) > 0 && mid[0] == "Thị" {
				thi++
			}
		} else {
			men++
			if len(mid) > 0 && mid[0] == "Văn" {
				van++
			}
		}
		surnames[p["family_name"]]++
		if f := byID[p["father_id"]]; f != nil {
			children++
			if f["family_name"] == p["family_name"] {
				childSurnameOK++
			}
		}
	}
	if float64(thi)/float64(women) < 0.4 {
		t.Errorf("only %d of %d women have Thị", thi, women)
	}
	if v := float64(van) / float64(men); v < 0.15 || v > 0.6 {
		t.Errorf("%d of %d men have Văn", van, men)
	}
	if share := float64(surnames["Nguyễn"]) / float64(len(ps)); share < 0.3 || share > 0.46 {
		t.Errorf("Nguyễn share %.2f, want about 0.38", share)
	}
	if children == 0 || childSurnameOK != children {
		t.Errorf("%d of %d children share their father's surname", childSurnameOK, children)
	}
}

func TestPostReformAddresses(t *testing.T) {
	dir, m := gen(t, Config{Persons: 500, Seed: 4, Formats: []string{"csv"}, SourceDate: "2025-10-01", Noise: 0, NoiseSet: true})
	recs := sourceRecords(t, dir, m)
	for id, r := range recs {
		for _, w := range []string{", Huyện ", ", Quận ", ", Thị trấn ", ", Thị xã "} {
			if strings.Contains(r["perm_address"], w) {
				t.Fatalf("record %s dated after the reform has a district: %q", id, r["perm_address"])
			}
		}
	}
}

func TestBoundedMemory(t *testing.T) {
	var peak uint64
	cfg := Config{Persons: 20000, Seed: 9, OutDir: t.TempDir(), Formats: []string{"csv", "jsonl"}}
	cfg.Progress = func(int) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak {
			peak = ms.HeapInuse
		}
	}
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	// The reference tables take ~15 MB; households stream through.
	if peak == 0 || peak > 64<<20 {
		t.Errorf("heap in use peaked at %d MB", peak>>20)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []Config{
		{Persons: 0, OutDir: "x"},
		{Persons: 1},
		{Persons: 1, OutDir: "x", Formats: []string{"pdf"}},
		{Persons: 1, OutDir: "x", SourceDate: "1/7/2025"},
		{Persons: 1, OutDir: "x", Noise: -1},
		{Persons: 1, OutDir: "x", Provinces: -1},
	} {
		if _, err := Generate(context.Background(), c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

// TestProvincesConcentrate checks that Provinces puts every place of the
// population (permanent, current, native) in that many provinces, named
// in the manifest, that random pairs then share a permanent commune far
// more often than over the country, and that the same seed gives the same
// provinces.
func TestProvincesConcentrate(t *testing.T) {
	sharedCommune := func(rows []map[string]string) float64 {
		n, same := 0, 0
		for i := 0; i < len(rows); i += 7 {
			for j := i + 3; j < len(rows); j += 11 {
				if rows[i]["household_id"] == rows[j]["household_id"] {
					continue
				}
				n++
				if rows[i]["perm_commune_code"] == rows[j]["perm_commune_code"] {
					same++
				}
			}
		}
		return float64(same) / float64(n)
	}
	dir, m := gen(t, Config{Persons: 3000, Seed: 5, Formats: []string{"csv"}, Provinces: 2})
	if len(m.Provinces) != 2 {
		t.Fatalf("manifest provinces %v, want 2", m.Provinces)
	}
	in := map[string]bool{m.Provinces[0]: true, m.Provinces[1]: true}
	rows := byHeader(readCSV(t, filepath.Join(dir, "persons.csv")))
	for _, r := range rows {
		for _, col := range []string{"perm_province_code", "cur_province_code", "native_province_code"} {
			if !in[r[col]] {
				t.Fatalf("person %s: %s %q outside %v", r["person_id"], col, r[col], m.Provinces)
			}
		}
	}
	_, again := gen(t, Config{Persons: 300, Seed: 5, Formats: []string{"csv"}, Provinces: 2})
	if strings.Join(again.Provinces, ",") != strings.Join(m.Provinces, ",") {
		t.Errorf("seed 5 drew %v, then %v", m.Provinces, again.Provinces)
	}
	wdir, wm := gen(t, Config{Persons: 3000, Seed: 5, Formats: []string{"csv"}})
	if wm.Provinces != nil {
		t.Errorf("the whole country's manifest names provinces %v", wm.Provinces)
	}
	whole := byHeader(readCSV(t, filepath.Join(wdir, "persons.csv")))
	few, all := sharedCommune(rows), sharedCommune(whole)
	if few < 10*all || few == 0 {
		t.Errorf("random pairs share a permanent commune in %.5f of 2 provinces, %.5f of the country: want ≥ 10×", few, all)
	}
}
