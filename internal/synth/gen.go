package synth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config says what Generate writes. The zero value of each optional field
// takes the default written beside it.
type Config struct {
	Persons int    // number of persons; must be > 0
	Seed    int64  // same seed, same files, byte for byte
	OutDir  string // created if missing
	// Formats of the source files: "csv", "xlsx", "jsonl".
	// Default: all three.
	Formats []string
	// SourceDate, when set (YYYY-MM-DD), is the date every source describes;
	// addresses are written in the post-reform units when it is on or after
	// 2025-07-01. Default "": spreadsheets dated 2024-05-01 and 2025-10-01,
	// scanned forms collected between 2019-04-01 and 2020-06-30.
	SourceDate string
	// Noise scales every noise rate; 0 gives clean records when NoiseSet
	// is true. Default (Noise 0 and NoiseSet false): 1.
	Noise    float64
	NoiseSet bool
	// NoiseProfile picks the mix of noise: default (the original mix),
	// forms (with the noise of real forms: middle names added, OCR
	// look-alikes, years off or misread, day 00) or holdout (the same kinds
	// at other rates, for evaluation only: never tune on it).
	NoiseProfile string
	// ConflictRate is the share of persons given a planted identification
	// number conflict (split evenly between shared_id, two_ids and
	// id_contradicts). Default: 0.003. Negative means none.
	ConflictRate float64
	// ExtraRecord is the probability of each further record of a person
	// (records per person are 1 + geometric). Default: 0.45, about 1.8
	// records per person. Negative means exactly one record each.
	ExtraRecord float64
	// Namesakes is the share of household heads who copy the full name and
	// birth year of an earlier person. Default: 0.01.
	Namesakes float64
	// Provinces, when > 0, puts the whole population in that many
	// provinces, drawn by census population from the seed (homes, current
	// and native places alike): the shape of a real import, a province's
	// lists, where two people share a commune far more often than over the
	// country. Default 0: the whole country.
	Provinces int
	// Progress, if set, is called now and then with the persons written.
	Progress func(persons int)
}

// Manifest describes what Generate wrote; it is also written as manifest.json.
type Manifest struct {
	Seed       int64          `json:"seed"`
	Noise      float64        `json:"noise"`
	Profile    string         `json:"noise_profile"`
	Persons    int            `json:"persons"`
	Households int            `json:"households"`
	Records    int            `json:"records"`
	Files      []ManifestFile `json:"files"`
	Conflicts  map[string]int `json:"conflicts"`
	Twins      int            `json:"twins"`
	Namesakes  int            `json:"namesakes"`
	// Provinces lists the province codes the population lives in when
	// Config.Provinces restricted it.
	Provinces []string `json:"provinces,omitempty"`
}

// ManifestFile is one written file with its row count.
type ManifestFile struct {
	Name       string `json:"name"`
	Format     string `json:"format"`
	Kind       string `json:"kind"`                  // spreadsheet, scan, truth, persons, conflicts
	SourceDate string `json:"source_date,omitempty"` // for sources with one date
	Rows       int    `json:"rows"`
}

// IsSource says whether f holds records to import: a spreadsheet or the
// scanned forms (not the truth, persons or conflicts files).
func (f ManifestFile) IsSource() bool {
	return f.Kind == "spreadsheet" || f.Kind == "scan"
}

// Date is the file's source date (the date its addresses are written at),
// zero when the manifest gives none (the scanned forms: each keeps its
// collected_on).
func (f ManifestFile) Date() (time.Time, error) {
	if f.SourceDate == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse("2006-01-02", f.SourceDate)
	if err != nil {
		return time.Time{}, fmt.Errorf("manifest date of %s: %w", f.Name, err)
	}
	return d, nil
}

// SourcePaths returns the paths under dir of the files that hold records
// (ManifestFile.IsSource), in the manifest's order.
func (m *Manifest) SourcePaths(dir string) []string {
	var out []string
	for _, f := range m.Files {
		if f.IsSource() {
			out = append(out, filepath.Join(dir, f.Name))
		}
	}
	return out
}

// Conflict kinds planted in the records (see conflicts_truth.csv).
const (
	ConflictSharedID      = "shared_id"      // records of different people carry the same number
	ConflictTwoIDs        = "two_ids"        // one person's records carry two different valid numbers
	ConflictIDContradicts = "id_contradicts" // a number contradicts the date of birth, sex or birth province
)

// Validate reports the first invalid field of c, naming it.
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}

// withDefaults validates c and returns a copy with the defaults applied.
func (c Config) withDefaults() (Config, error) {
	if c.Persons <= 0 {
		return c, fmt.Errorf("validate config: persons must be > 0, got %d", c.Persons)
	}
	if c.OutDir == "" {
		return c, errors.New("validate config: output directory is empty")
	}
	if len(c.Formats) == 0 {
		c.Formats = []string{"csv", "xlsx", "jsonl"}
	} else {
		c.Formats = append([]string(nil), c.Formats...)
	}
	for _, f := range c.Formats {
		switch f {
		case "csv", "xlsx", "jsonl":
		default:
			return c, fmt.Errorf("validate config: unknown format %q (want csv, xlsx or jsonl)", f)
		}
	}
	if c.SourceDate != "" {
		if _, err := time.Parse("2006-01-02", c.SourceDate); err != nil {
			return c, fmt.Errorf("validate config: source date %q is not YYYY-MM-DD", c.SourceDate)
		}
	}
	if !c.NoiseSet && c.Noise == 0 {
		c.Noise = 1
	}
	if c.Noise < 0 {
		return c, fmt.Errorf("validate config: noise must be ≥ 0, got %g", c.Noise)
	}
	if c.Provinces < 0 {
		return c, fmt.Errorf("validate config: provinces must be ≥ 0, got %d", c.Provinces)
	}
	if _, err := profileRates(c.NoiseProfile); err != nil {
		return c, fmt.Errorf("validate config: %w", err)
	}
	if c.NoiseProfile == "" {
		c.NoiseProfile = ProfileDefault
	}
	switch {
	case c.ConflictRate == 0:
		c.ConflictRate = 0.003
	case c.ConflictRate < 0:
		c.ConflictRate = 0
	}
	switch {
	case c.ExtraRecord == 0:
		c.ExtraRecord = 0.45
	case c.ExtraRecord < 0:
		c.ExtraRecord = 0
	case c.ExtraRecord >= 1:
		return c, fmt.Errorf("validate config: extra-record probability must be < 1, got %g", c.ExtraRecord)
	}
	if c.Namesakes == 0 {
		c.Namesakes = 0.01
	}
	return c, nil
}

func (c Config) sources() []*source {
	var out []*source
	has := func(f string) bool {
		for _, x := range c.Formats {
			if x == f {
				return true
			}
		}
		return false
	}
	var sheetDates []time.Time
	if c.SourceDate != "" {
		d, _ := time.Parse("2006-01-02", c.SourceDate)
		sheetDates = []time.Time{d}
	} else {
		sheetDates = []time.Time{time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	}
	for _, f := range []string{"csv", "xlsx"} {
		if !has(f) {
			continue
		}
		for _, d := range sheetDates {
			out = append(out, &source{File: "danhsach_" + d.Format("20060102") + "." + f, Format: f, Date: d, weight: 1})
		}
	}
	if has("jsonl") {
		s := &source{File: "phieu_dc01.jsonl", Format: "jsonl", scan: true, weight: 0.4}
		if c.SourceDate != "" {
			s.Date = sheetDates[0]
			s.File = "phieu_dc01_" + s.Date.Format("20060102") + ".jsonl"
		}
		out = append(out, s)
	}
	// Spreadsheets share 60% of the records (all of them without scans).
	nSheets := 0
	for _, s := range out {
		if !s.scan {
			nSheets++
		}
	}
	for _, s := range out {
		if !s.scan {
			s.weight = 0.6 / float64(nSheets)
		}
	}
	return out
}

// donor is a person whose true number appears cleanly on some records;
// planted shared_id conflicts borrow it.
type donor struct {
	personID string
	id       string
	records  []string
}

// Generate writes the population and its source records into cfg.OutDir
// and returns the manifest it also writes there.
func Generate(ctx context.Context, cfg Config) (*Manifest, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	t, err := loadTables()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}
	seed := uint64(cfg.Seed)
	if cfg.Provinces > 0 {
		t = t.within(rand.New(rand.NewPCG(seed, 0x9a0c)), cfg.Provinces)
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	g := &popGen{t: t, r: r, ids: newIDAllocator(seed), namesake: cfg.Namesakes}
	base, _ := profileRates(cfg.NoiseProfile)
	rd := &renderer{t: t, r: r, r2: rand.New(rand.NewPCG(seed, 0x0c12)), n: base.scale(cfg.Noise)}
	if cfg.NoiseSet && cfg.Noise == 0 {
		rd.n = rates{zero: true}
	}

	srcs := cfg.sources()
	ws := make([]float64, len(srcs))
	for i, s := range srcs {
		ws[i] = s.weight
		if s.sink, err = sinkFor(cfg.OutDir, s); err != nil {
			return nil, err
		}
	}
	srcW := newWeighted(ws)
	closeAll := func() {
		for _, s := range srcs {
			if s.sink != nil {
				s.sink.close()
			}
		}
	}

	truth, err := createCSV(filepath.Join(cfg.OutDir, "truth.csv"), []string{"source_record_id", "person_id"})
	if err != nil {
		closeAll()
		return nil, err
	}
	persons, err := createCSV(filepath.Join(cfg.OutDir, "persons.csv"), personHeader)
	if err != nil {
		closeAll()
		return nil, err
	}
	conflicts, err := createCSV(filepath.Join(cfg.OutDir, "conflicts_truth.csv"), []string{"conflict_id", "kind", "id_number", "person_ids", "source_record_ids", "detail"})
	if err != nil {
		closeAll()
		return nil, err
	}
	all := []*csvFile{truth, persons, conflicts}
	fail := func(err error) (*Manifest, error) {
		closeAll()
		for _, f := range all {
			f.close()
		}
		return nil, err
	}

	m := &Manifest{Seed: cfg.Seed, Noise: cfg.Noise, Profile: cfg.NoiseProfile, Conflicts: map[string]int{ConflictSharedID: 0, ConflictTwoIDs: 0, ConflictIDContradicts: 0}, Provinces: t.only}
	donors := map[string]*donor{} // by 6-digit number prefix; one per prefix, bounded
	nRec := 0
	nConf := 0
	pending := map[string]int{} // conflicts drawn for persons who could not carry them
	scanStart := time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)

	// The population is drawn in this goroutine; a second one writes the
	// files in the same order, so two cores share the work and the output
	// stays deterministic. The channel is small: memory stays bounded.
	batches := make(chan []personOut, 16)
	werr := make(chan error, 1)
	go func() {
		werr <- writeBatches(batches, truth, persons, conflicts, cfg.Progress)
	}()
	stop := func(err error) (*Manifest, error) {
		close(batches)
		if werr2 := <-werr; err == nil {
			err = werr2
		}
		return fail(err)
	}
	for done := 0; done < cfg.Persons; {
		if err := ctx.Err(); err != nil {
			return stop(fmt.Errorf("generate population: %w", err))
		}
		h := g.next()
		if len(h.members) > cfg.Persons-done {
			h.members = h.members[:cfg.Persons-done]
		}
		m.Households++
		batch := make([]personOut, 0, len(h.members))
		for _, p := range h.members {
			done++
			if p.TwinOf != "" {
				m.Twins++
			}
			if p.NamesakeOf != "" {
				m.Namesakes++
			}
			k := 1
			for k < 8 && r.Float64() < cfg.ExtraRecord {
				k++
			}
			recs := make([]*record, 0, k)
			for i := 0; i < k; i++ {
				s := srcs[srcW.pick(r)]
				d := s.Date
				if d.IsZero() {
					d = scanStart.AddDate(0, 0, r.IntN(456))
				}
				rec := rd.render(p, s, d)
				nRec++
				if s.scan {
					rec.id = "DC01-" + p.Cur.c.Code + "-" + zeroPad(uint64(nRec), 9)
				} else {
					rec.id = "BG" + zeroPad(uint64(nRec), 10)
				}
				recs = append(recs, rec)
			}
			out := personOut{p: p, recs: recs, done: done}

			// Planted conflicts. two_ids needs two records; shared_id needs
			// an earlier person whose number has the same first six digits
			// (so that the shared number fits both people's province, sex
			// and birth year). When the person drawn cannot carry the kind,
			// the next person who can takes it.
			feasible := func(kind string) bool {
				switch kind {
				case ConflictTwoIDs:
					return len(recs) >= 2
				case ConflictSharedID:
					d := donors[p.IDNumber[:6]]
					return d != nil && d.personID != p.ID
				}
				return true
			}
			kind := ""
			if x := r.Float64(); x < cfg.ConflictRate {
				kind = []string{ConflictSharedID, ConflictTwoIDs, ConflictIDContradicts}[int(x/cfg.ConflictRate*3)%3]
				if !feasible(kind) {
					pending[kind]++
					kind = ""
				}
			} else {
				for _, k := range []string{ConflictTwoIDs, ConflictSharedID} {
					if pending[k] > 0 && feasible(k) {
						pending[k]--
						kind = k
						break
					}
				}
			}
			if kind != "" {
				row, ok := plant(kind, p, recs, t, g, r, donors)
				if ok {
					nConf++
					row[0] = "C" + zeroPad(uint64(nConf), 7)
					m.Conflicts[kind]++
					out.conflict = row
				}
			}

			var clean []string
			for _, rec := range recs {
				if rec.idClean && !rec.conflict {
					clean = append(clean, rec.id)
				}
			}
			if len(clean) > 0 {
				d := &donor{personID: p.ID, id: p.IDNumber, records: clean}
				donors[p.IDNumber[:6]] = d
			}
			batch = append(batch, out)
		}
		select {
		case batches <- batch:
		case err := <-werr:
			werr <- err
			return stop(nil)
		}
		m.Persons = done
	}
	close(batches)
	if err := <-werr; err != nil {
		return fail(err)
	}
	m.Records = nRec

	for _, s := range srcs {
		err := s.sink.close()
		s.sink = nil
		if err != nil {
			return fail(err)
		}
		kind := "spreadsheet"
		if s.scan {
			kind = "scan"
		}
		mf := ManifestFile{Name: s.File, Format: s.Format, Kind: kind, Rows: s.n}
		if !s.Date.IsZero() {
			mf.SourceDate = s.Date.Format("2006-01-02")
		}
		m.Files = append(m.Files, mf)
	}
	for _, f := range all {
		if err := f.close(); err != nil {
			return nil, err
		}
	}
	m.Files = append(m.Files,
		ManifestFile{Name: "truth.csv", Format: "csv", Kind: "truth", Rows: nRec},
		ManifestFile{Name: "persons.csv", Format: "csv", Kind: "persons", Rows: m.Persons},
		ManifestFile{Name: "conflicts_truth.csv", Format: "csv", Kind: "conflicts", Rows: nConf})
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(cfg.OutDir, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return m, nil
}

// personOut is one person with its records, handed to the writer.
type personOut struct {
	p        *Person
	recs     []*record
	conflict []string // conflicts_truth.csv row, if one was planted
	done     int      // persons generated so far, this one included
}

// writeBatches writes the records, truth, persons and conflicts of each
// batch in order until batches is closed; on error it drains the channel.
func writeBatches(batches <-chan []personOut, truth, persons, conflicts *csvFile, progress func(int)) error {
	var err error
	prow := make([]string, len(personHeader))
	trow := make([]string, 2)
	for batch := range batches {
		if err != nil {
			continue
		}
		for _, o := range batch {
			if o.conflict != nil {
				if e := conflicts.w.Write(o.conflict); e != nil {
					err = fmt.Errorf("write conflicts_truth.csv: %w", e)
					break
				}
			}
			for _, rec := range o.recs {
				if e := rec.src.sink.write(rec); e != nil {
					err = e
					break
				}
				rec.src.n++
				trow[0], trow[1] = rec.id, o.p.ID
				if e := truth.w.Write(trow); e != nil {
					err = fmt.Errorf("write truth.csv: %w", e)
					break
				}
			}
			if err != nil {
				break
			}
			fillPersonRow(prow, o.p)
			if e := persons.w.Write(prow); e != nil {
				err = fmt.Errorf("write persons.csv: %w", e)
				break
			}
			if progress != nil && o.done%1000 == 0 {
				progress(o.done)
			}
		}
	}
	return err
}

// plant alters recs of p to carry a conflict of the given kind and returns
// the conflicts_truth.csv row (its id left blank), or false when p's
// records cannot carry that kind.
func plant(kind string, p *Person, recs []*record, t *tables, g *popGen, r *rand.Rand, donors map[string]*donor) ([]string, bool) {
	setID := func(rec *record, id string) {
		rec.fields[fIDNumber] = id
		if rec.src.scan {
			rec.conf[fIDNumber] = 0.95
		}
		rec.idClean = false
		rec.conflict = true
	}
	switch kind {
	case ConflictSharedID:
		d := donors[p.IDNumber[:6]]
		if d == nil || d.personID == p.ID {
			return nil, false
		}
		delete(donors, p.IDNumber[:6]) // each number is shared once
		rec := recs[r.IntN(len(recs))]
		setID(rec, d.id)
		ids := append([]string{rec.id}, d.records...)
		return []string{"", kind, d.id, d.personID + ";" + p.ID, strings.Join(ids, ";"),
			"a record of " + p.ID + " carries the number of " + d.personID + " (same province, sex and birth year)"}, true
	case ConflictTwoIDs:
		if len(recs) < 2 {
			return nil, false
		}
		// Keep the first record's number true, give another a second valid number.
		recs[0].fields[fIDNumber] = p.IDNumber
		recs[0].idClean = true
		if recs[0].src.scan {
			recs[0].conf[fIDNumber] = 0.95
		}
		second := p.IDNumber[:6] + g.ids.serial(p.IDNumber[:6], 6)
		i := 1 + r.IntN(len(recs)-1)
		setID(recs[i], second)
		ids := []string{recs[i].id}
		for j, rec := range recs {
			if j != i && rec.fields[fIDNumber] == p.IDNumber {
				ids = append(ids, rec.id)
			}
		}
		return []string{"", kind, p.IDNumber + ";" + second, p.ID, strings.Join(ids, ";"),
			"one person with two valid numbers"}, true
	case ConflictIDContradicts:
		pre := []byte(p.IDNumber[:6])
		var why string
		switch r.IntN(3) {
		case 0: // sex digit
			pre[3] ^= 1
			why = "digit 4 gives the other sex"
		case 1: // year digits
			y := (int(pre[4]-'0')*10 + int(pre[5]-'0') + 1 + r.IntN(8)) % 100
			pre[4], pre[5] = byte('0'+y/10), byte('0'+y%10)
			why = "digits 5-6 give another birth year"
		default: // province of registration
			for {
				o := t.provinces[r.IntN(len(t.provinces))]
				if o != p.BirthProv {
					copy(pre[:3], t.idCode[o])
					break
				}
			}
			why = "digits 1-3 give another birth province"
		}
		bad := string(pre) + g.ids.serial(string(pre), 6)
		rec := recs[r.IntN(len(recs))]
		setID(rec, bad)
		return []string{"", kind, bad, p.ID, rec.id, why}, true
	}
	return nil, false
}

var personHeader = []string{
	"person_id", "household_id", "full_name", "family_name", "middle_name", "given_name", "birth_date", "sex",
	"id_number", "cmnd", "birth_reg_province_code", "ethnicity", "religion", "nationality",
	"native_place", "native_province_code", "native_district_code", "native_commune_code",
	"perm_address", "perm_province_code", "perm_district_code", "perm_commune_code", "perm_new_province_code", "perm_new_commune_code",
	"cur_address", "cur_province_code", "cur_district_code", "cur_commune_code", "cur_new_province_code", "cur_new_commune_code",
	"father_id", "father_name", "mother_id", "mother_name", "spouse_id", "spouse_name",
	"household_head_id", "household_head", "relation_to_head", "twin_of", "namesake_of",
}

func fillPersonRow(row []string, p *Person) {
	i := 0
	add := func(vs ...string) {
		for _, v := range vs {
			row[i] = v
			i++
		}
	}
	add(p.ID, p.HouseholdID, p.FullName(), p.Family, p.Middle, p.Given, p.Birth.Format("2006-01-02"), string(p.Sex),
		p.IDNumber, p.CMND, p.BirthProv, p.Ethnicity, p.Religion, "Việt Nam")
	add(p.nativeText, p.Native.c.ProvinceCode, p.Native.c.DistrictCode, p.Native.c.Code)
	nu := p.Perm.newUnit()
	add(p.permText, p.Perm.c.ProvinceCode, p.Perm.c.DistrictCode, p.Perm.c.Code, nu.ProvinceCode, nu.CommuneCode)
	nu = p.Cur.newUnit()
	add(p.curText, p.Cur.c.ProvinceCode, p.Cur.c.DistrictCode, p.Cur.c.Code, nu.ProvinceCode, nu.CommuneCode)
	add(p.FatherID, p.FatherName, p.MotherID, p.MotherName, p.SpouseID, p.SpouseName,
		p.HeadID, p.HeadName, p.Relation, p.TwinOf, p.NamesakeOf)
}
