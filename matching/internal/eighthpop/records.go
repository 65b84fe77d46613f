package eighthpop

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The five lists.
const (
	SrcBook      = "book"      // household books keyed in 2022
	SrcCensus    = "census"    // census forms of 2024 read by OCR
	SrcReview    = "review"    // the national review of namesakes and double registrations, 2025
	SrcBirth     = "birth"     // births registered after the 2025 reform
	SrcResidence = "residence" // the residence database's extract of 2026, new units
)

// Sources lists the lists in the order they are written.
var Sources = []string{SrcBook, SrcCensus, SrcReview, SrcBirth, SrcResidence}

// Files names each list's file.
var Files = map[string]string{
	SrcBook:      "sohokhau_sohoa_20220615.csv",
	SrcCensus:    "phieu_dc01_ocr_20240401.jsonl",
	SrcReview:    "rasoat_trung_quocgia_20250301.csv",
	SrcBirth:     "dangky_khaisinh_20251120.csv",
	SrcResidence: "trich_cutru_20260310.csv",
}

// Stats counts what Generate wrote.
type Stats struct {
	Persons   int            // persons with at least one record
	Records   int            // records over all lists
	BySource  map[string]int // records by list
	Kinds     map[string]int // records carrying each noise kind
	Hard      map[string]int // persons: namesake (in a group of one name and birthday), twin, mover
	Groups    int            // namesake groups
	MeanLamda float64        // the mean expected namesakes a person of the households brings
}

type rec struct {
	id     string
	person *Person
	kinds  []string
	row    []string  // CSV lists
	form   *scanForm // the census
}

type scanField struct {
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
}

type scanForm struct {
	FormID      string               `json:"form_id"`
	ScanRef     string               `json:"scan_ref"`
	UnitCode    string               `json:"unit_code"`
	CollectedOn string               `json:"collected_on"`
	Fields      map[string]scanField `json:"fields"`
}

type writer struct {
	r     *rand.Rand
	pp    *population
	lists map[string][]*rec
	moved map[*Person]time.Time // when a mover moved
}

func (w *writer) add(src string, p *Person, prefix string) *rec {
	rc := &rec{id: fmt.Sprintf("%s-%06d", prefix, len(w.lists[src])+1), person: p}
	w.lists[src] = append(w.lists[src], rc)
	return rc
}

func (rc *rec) kind(k string) { rc.kinds = append(rc.kinds, k) }

func (w *writer) chance(p float64) bool { return w.r.Float64() < p }

func dmy(t time.Time) string { return t.Format("02/01/2006") }

// oldAddress is the address of the era before the reform, four levels.
func oldAddress(c *commune, village string) string {
	return fmt.Sprintf("%s, %s, %s, %s", village, c.name, c.district, c.provName)
}

// newAddress is the address after the reform: village, commune, province.
func newAddress(c *commune, village string) string {
	return fmt.Sprintf("%s, %s, %s", village, c.newName, c.newProvName)
}

func sexWord(s string) string {
	if s == "M" {
		return "Nam"
	}
	return "Nữ"
}

// relationWord writes a relation as a commune's clerk does.
func (w *writer) relationWord(rel string) (string, bool) {
	variants := map[string][]string{
		"Chủ hộ":   {"CH", "Chủ hộ", "chủ hộ"},
		"Vợ":       {"vợ", "Vợ chủ hộ"},
		"Chồng":    {"chồng"},
		"Con":      {"Con đẻ", "con", "Con ruột"},
		"Con trai": {"Con", "con trai"},
		"Con gái":  {"Con", "con gái"},
		"Mẹ":       {"Mẹ đẻ", "mẹ", "Mẹ chủ hộ"},
		"Bố":       {"Bố đẻ", "Cha", "cha"},
	}
	if vs := variants[rel]; len(vs) > 0 && w.chance(0.3) {
		return vs[w.r.IntN(len(vs))], true
	}
	return rel, false
}

// nameAsKeyed applies a clerk's noise to a name: capitals, the tone's
// old place, a slip.
func (w *writer) nameAsKeyed(rc *rec, name string, pUpper, pTone, pTypo, pNoMarks float64) string {
	if w.chance(pTone) {
		if t, ok := toggleTone(name); ok {
			name = t
			rc.kind("tone_place")
		}
	}
	if w.chance(pTypo) {
		if t := typo(w.r, name); t != name {
			name = t
			rc.kind("typo")
		}
	}
	if w.chance(pNoMarks) {
		name = noMarks(name)
		rc.kind("no_marks")
	}
	if w.chance(pUpper) {
		name = upper(name)
		rc.kind("upper")
	}
	return name
}

// book writes the household books keyed in 2022: one row a member, the
// head's name on each, the relation in its column, the household's
// number; the address on the head's row and, from merged cells, blank
// on many members' rows.
func (w *writer) book(hhs [][]*Person) {
	for _, ms := range hhs {
		if !w.chance(0.6) {
			continue
		}
		head := ms[0]
		blankBelow := w.chance(0.45) // the address cell merged over the household
		for _, p := range ms {
			if !p.Birth.Before(dateBook) {
				continue
			}
			rc := w.add(SrcBook, p, "HK")
			name := w.nameAsKeyed(rc, p.FullName(), 0.08, 0.3, 0.03, 0.02)
			date := dmy(p.Birth)
			switch {
			case p.DateUnknown:
				date = fmt.Sprint(p.Birth.Year())
				rc.kind("year_only")
			case w.chance(0.1):
				date = fmt.Sprintf("%d/%d/%d", p.Birth.Day(), int(p.Birth.Month()), p.Birth.Year())
			}
			id := ""
			switch x := w.r.Float64(); {
			case x < 0.5:
				id = p.Number
			case x < 0.75 && p.CMND != "":
				id = p.CMND
				rc.kind("id_cmnd")
			default:
				rc.kind("id_none")
			}
			rel, odd := w.relationWord(p.Relation)
			if odd {
				rc.kind("rel_word")
			}
			addr := oldAddress(p.Home, p.Village)
			if p != head && blankBelow {
				addr = ""
				rc.kind("addr_blank")
			} else {
				if w.chance(0.3) {
					addr = abbrevUnits(addr)
					rc.kind("addr_abbrev")
				}
				if w.chance(0.08) {
					addr = breakLine(w.r, addr, false)
					rc.kind("addr_break")
				}
			}
			rc.row = []string{"", rc.id, strings.TrimPrefix(head.Household, "H"), head.FullName(), name, rel, date, sexWord(p.Sex), id, addr}
		}
	}
}

// census writes the 2024 census forms as a form reader returns them:
// capitals as the form asks, marks lost or misread, letters read as
// digits and back, line breaks of the address box.
func (w *writer) census(hhs [][]*Person) {
	for _, ms := range hhs {
		if !w.chance(0.55) {
			continue
		}
		head := ms[0]
		for _, p := range ms {
			if !p.Birth.Before(dateCensus) {
				continue
			}
			home, vil := p.Home, p.Village
			if t, ok := w.moved[p]; ok && t.Before(dateCensus) {
				home, vil = p.MovedTo, p.MovedVillage
			}
			n := len(w.lists[SrcCensus]) + 1
			rc := &rec{id: fmt.Sprintf("DC01-%s-%09d", home.code, n), person: p}
			w.lists[SrcCensus] = append(w.lists[SrcCensus], rc)
			f := map[string]scanField{}
			conf := func() float64 { return 0.9 + 0.09*w.r.Float64() }
			low := func() float64 { return 0.55 + 0.3*w.r.Float64() }
			// the name
			name, c := upper(p.FullName()), conf()
			switch x := w.r.Float64(); {
			case x < 0.10:
				name, c = noMarks(name), low()
				rc.kind("ocr_no_marks")
			case x < 0.28:
				if m := misreadMark(w.r, name); m != name {
					name, c = m, low()
					rc.kind("ocr_mark")
				}
			}
			if w.chance(0.04) {
				if s, ok := swapLookAlike(w.r, name); ok {
					name, c = s, low()
					rc.kind("ocr_letter")
				}
			}
			if w.chance(0.03) {
				if s := splitWord(w.r, name); s != name {
					name, c = s, low()
					rc.kind("ocr_space")
				}
			}
			f["full_name"] = scanField{name, c}
			// the date
			date, c := fmt.Sprintf("%d/%d/%d", p.Birth.Day(), int(p.Birth.Month()), p.Birth.Year()), conf()
			if p.DateUnknown && w.chance(0.6) {
				date = fmt.Sprint(p.Birth.Year())
				rc.kind("year_only")
			}
			if w.chance(0.06) {
				if s, ok := swapLookAlike(w.r, date); ok {
					date, c = s, low()
					rc.kind("ocr_date_letter")
				}
			}
			if w.chance(0.04) {
				if s, ok := misreadDigit(w.r, date); ok {
					date, c = s, low()
					rc.kind("ocr_date_digit")
				}
			}
			f["birth_date"] = scanField{date, c}
			sx := upper(sexWord(p.Sex))
			if w.chance(0.01) {
				sx = upper(sexWord(map[string]string{"M": "F", "F": "M"}[p.Sex]))
				rc.kind("sex_wrong")
			} else if w.chance(0.1) {
				sx = noMarks(sx)
			}
			f["sex"] = scanField{sx, conf()}
			// the number
			switch x := w.r.Float64(); {
			case x < 0.2:
				rc.kind("id_none")
			case x < 0.35 && p.CMND != "":
				f["cmnd"] = scanField{p.CMND, conf()}
				rc.kind("id_cmnd")
			default:
				id, c := p.Number, conf()
				switch y := w.r.Float64(); {
				case y < 0.08:
					if s, ok := swapLookAlike(w.r, id); ok {
						id, c = s, low()
						rc.kind("ocr_id_letter")
					}
				case y < 0.12:
					if s, ok := misreadDigit(w.r, id); ok {
						id, c = s, low()
						rc.kind("ocr_id_digit")
					}
				case y < 0.14:
					i := w.r.IntN(len(id))
					id, c = id[:i]+id[i+1:], low()
					rc.kind("ocr_id_short")
				}
				f["id_number"] = scanField{id, c}
			}
			// the address, in the form's two-line box
			addr, c := upper(oldAddress(home, vil)), conf()
			if w.chance(0.05) {
				addr = upper(fmt.Sprintf("%s, %s, %s", vil, home.name, home.district))
				rc.kind("addr_no_province")
			}
			if w.chance(0.35) {
				mid := w.chance(0.3)
				addr, c = breakLine(w.r, addr, mid), low()
				if mid {
					rc.kind("addr_break_word")
				} else {
					rc.kind("addr_break")
				}
			}
			if w.chance(0.08) {
				addr = noMarks(addr)
				rc.kind("ocr_no_marks")
			}
			f["perm_address"] = scanField{addr, c}
			f["household_head"] = scanField{upper(head.FullName()), conf()}
			f["relation_to_head"] = scanField{upper(p.Relation), conf()}
			rc.form = &scanForm{FormID: rc.id, ScanRef: fmt.Sprintf("scans/20240401/%s/%s.png", home.code, rc.id),
				UnitCode: home.code, CollectedOn: "2024-04-01", Fields: f}
		}
	}
}

// review writes the national review list of March 2025: every person of
// a namesake group (one full name and birthday), both records of a
// person registered at two addresses, and a tenth of the others the
// roll-up drew; clean as the national database exports it.
func (w *writer) review() {
	for _, p := range w.pp.persons {
		if !p.Birth.Before(dateReview) {
			continue
		}
		if p.Namesake == 0 && !p.DoubleReg && !w.chance(0.1) {
			continue
		}
		home, vil := p.Home, p.Village
		t, moved := w.moved[p]
		moved = moved && t.Before(dateReview)
		if moved && p.MovedWithCard {
			home, vil = p.MovedTo, p.MovedVillage
		}
		emit := func(c *commune, v string, number bool, kinds ...string) {
			rc := w.add(SrcReview, p, "RS")
			rc.kinds = append(rc.kinds, kinds...)
			date := dmy(p.Birth)
			if p.DateUnknown {
				rc.kind("jan1")
			}
			id := ""
			if number {
				id = p.Number
			} else {
				rc.kind("id_none")
			}
			native := w.pp.geo.provs[p.BirthProv]
			nat := ""
			if native != nil {
				nat = native.name
			}
			rc.row = []string{"", rc.id, p.FullName(), date, sexWord(p.Sex), id, nat, oldAddress(c, v)}
		}
		switch {
		case p.DoubleReg && moved:
			emit(p.Home, p.Village, true, "double_reg")
			emit(p.MovedTo, p.MovedVillage, w.chance(0.4), "double_reg", "moved")
		case moved:
			emit(home, vil, w.chance(0.9), "moved")
		default:
			emit(home, vil, w.chance(0.9))
		}
	}
}

// births writes the births registered after the 2025 reform: the child,
// its parents, the new two-level address, the number under the guessed
// new code.
func (w *writer) births() {
	for _, p := range w.pp.persons {
		if !p.NewEraBirth {
			continue
		}
		rc := w.add(SrcBirth, p, "KS")
		rc.kind("new_code")
		name := w.nameAsKeyed(rc, p.FullName(), 0, 0.2, 0.02, 0)
		rc.row = []string{"", rc.id, name, dmy(p.Birth), sexWord(p.Sex), p.Number, p.FatherName, p.MotherName,
			newAddress(p.Home, p.Village)}
	}
}

// residence writes the residence database's extract of March 2026 in the
// new units: a household's members under the head, a mover at his new
// address with his number (he changed his registration) or under his
// old permanent address with the new one as where he stays and no
// number (he did not).
func (w *writer) residence(hhs [][]*Person) {
	for _, ms := range hhs {
		movedHH := ms[0].MovedTo != nil && !ms[0].LeftAlone
		if !w.chance(0.65) && !(movedHH && w.chance(0.6)) {
			continue
		}
		head := ms[0]
		for _, p := range ms {
			if p.LeftAlone && !w.chance(0.3) {
				continue // he is listed where he went; three in ten households still list him
			}
			w.residenceRow(p, head, p.LeftAlone)
		}
	}
	// those who left alone, at the place they went
	for _, p := range w.pp.persons {
		if p.LeftAlone && w.chance(0.75) {
			w.residenceRow(p, p, false)
		}
	}
}

func (w *writer) residenceRow(p, head *Person, stale bool) {
	rc := w.add(SrcResidence, p, "CT")
	name := w.nameAsKeyed(rc, p.FullName(), 0, 0.15, 0.02, 0.08)
	date := dmy(p.Birth)
	if p.DateUnknown {
		rc.kind("jan1")
	}
	id := p.Number
	if w.chance(0.1) {
		id = ""
	}
	perm, cur := newAddress(p.Home, p.Village), ""
	rel := p.Relation
	switch {
	case stale:
		rc.kind("stale_listed")
	case p.MovedTo != nil && p.MovedWithCard:
		perm = newAddress(p.MovedTo, p.MovedVillage)
		rc.kind("moved_card")
	case p.MovedTo != nil:
		cur = newAddress(p.MovedTo, p.MovedVillage)
		id = ""
		rc.kind("moved_nocard")
	}
	if p.LeftAlone && !stale {
		rel = "Chủ hộ"
	}
	if id == "" {
		rc.kind("id_none")
	}
	if p.NewEraBirth {
		rc.kind("new_code")
	}
	rc.row = []string{"", rc.id, name, date, sexWord(p.Sex), id, rel, perm, cur}
}

// Generate writes the population of n persons (at least n: a household is
// not cut) drawn with seed into dir: the five lists, truth.csv,
// kinds.csv and persons.csv.
func Generate(dir string, n int, seed uint64) (Stats, error) {
	r := rand.New(rand.NewPCG(seed, 0x8e1a))
	pp := generatePopulation(r, n)
	w := &writer{r: r, pp: pp, lists: map[string][]*rec{}, moved: map[*Person]time.Time{}}
	span := int(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC).Sub(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	whenHH := map[string]time.Time{}
	for _, p := range pp.persons {
		if p.MovedTo == nil {
			continue
		}
		t, ok := whenHH[p.Household]
		if !ok || p.LeftAlone {
			t = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(span))
			if !p.LeftAlone {
				whenHH[p.Household] = t
			}
		}
		w.moved[p] = t
	}
	var hhs [][]*Person
	idx := map[string]int{}
	for _, p := range pp.persons {
		i, ok := idx[p.Household]
		if !ok {
			i = len(hhs)
			idx[p.Household] = i
			hhs = append(hhs, nil)
		}
		hhs[i] = append(hhs[i], p)
	}
	for _, ms := range hhs { // the head first
		sort.SliceStable(ms, func(i, j int) bool { return ms[i].Relation == "Chủ hộ" && ms[j].Relation != "Chủ hộ" })
	}
	w.book(hhs)
	w.census(hhs)
	w.review()
	w.births()
	w.residence(hhs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("create %s: %w", dir, err)
	}
	st := Stats{BySource: map[string]int{}, Kinds: map[string]int{}, Hard: map[string]int{}, Groups: pp.groups}
	headers := map[string][2][]string{
		SrcBook: {{"DANH SÁCH NHÂN KHẨU THEO SỔ HỘ KHẨU (SỐ HÓA NĂM 2022)"},
			{"STT", "Mã nhân khẩu", "Số hộ", "Họ tên chủ hộ", "Họ và tên", "Quan hệ với chủ hộ", "Ngày sinh", "Giới tính", "Số CMND/CCCD", "Nơi thường trú"}},
		SrcReview: {{"DANH SÁCH RÀ SOÁT TRÙNG THÔNG TIN CÔNG DÂN TOÀN QUỐC (01/03/2025)"},
			{"STT", "Mã bản ghi", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Quê quán", "Nơi thường trú"}},
		SrcBirth: {{"SỔ ĐĂNG KÝ KHAI SINH (từ 01/7/2025)"},
			{"STT", "Mã hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Họ tên cha", "Họ tên mẹ", "Nơi cư trú"}},
		SrcResidence: {{"TRÍCH XUẤT DỮ LIỆU CƯ TRÚ (10/03/2026)"},
			{"STT", "Mã nhân khẩu", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Quan hệ với chủ hộ", "Nơi thường trú", "Nơi ở hiện tại"}},
	}
	for _, src := range Sources {
		var err error
		if src == SrcCensus {
			err = writeForms(filepath.Join(dir, Files[src]), w.lists[src])
		} else {
			err = writeList(filepath.Join(dir, Files[src]), headers[src][0], headers[src][1], w.lists[src])
		}
		if err != nil {
			return Stats{}, err
		}
		st.BySource[src] = len(w.lists[src])
	}
	// truth, kinds, persons
	truth := [][]string{{"source_record_id", "person_id"}}
	kinds := [][]string{{"source_record_id", "source", "kinds"}}
	seen := map[*Person]bool{}
	for _, src := range Sources {
		for _, rc := range w.lists[src] {
			truth = append(truth, []string{rc.id, rc.person.ID})
			kinds = append(kinds, []string{rc.id, src, strings.Join(rc.kinds, ";")})
			seen[rc.person] = true
			for _, k := range rc.kinds {
				st.Kinds[k]++
			}
		}
	}
	st.Records = len(truth) - 1
	persons := [][]string{{"person_id", "full_name", "birth_date", "sex", "id_number", "birth_province", "province_2022", "province_2026",
		"household", "relation", "namesake_group", "hard"}}
	for _, p := range pp.persons {
		if !seen[p] {
			continue
		}
		st.Persons++
		var hard []string
		if p.Namesake > 0 {
			hard = append(hard, "namesake")
			st.Hard["namesake"]++
		}
		if p.Twin {
			hard = append(hard, "twin")
			st.Hard["twin"]++
		}
		if p.MovedTo != nil {
			hard = append(hard, "mover")
			st.Hard["mover"]++
		}
		bp := p.BirthProv
		if p.NewEraBirth {
			bp = "new:" + p.Home.newProv
		}
		persons = append(persons, []string{p.ID, p.FullName(), p.Birth.Format("2006-01-02"), p.Sex, p.Number, bp, p.Home.prov,
			p.Province2026(), p.Household, p.Relation, fmt.Sprint(p.Namesake), strings.Join(hard, ";")})
	}
	st.MeanLamda = pp.lambdaSum / float64(max(1, len(pp.persons)))
	for name, rows := range map[string][][]string{"truth.csv": truth, "kinds.csv": kinds, "persons.csv": persons} {
		if err := writeCSV(filepath.Join(dir, name), rows); err != nil {
			return Stats{}, err
		}
	}
	return st, nil
}

func writeCSV(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	cw := csv.NewWriter(f)
	if err := cw.WriteAll(rows); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func writeList(path string, title, header []string, recs []*rec) error {
	rows := [][]string{title, header}
	for i, rc := range recs {
		rc.row[0] = fmt.Sprint(i + 1)
		rows = append(rows, rc.row)
	}
	return writeCSV(path, rows)
}

func writeForms(path string, recs []*rec) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	bw := bufio.NewWriter(f)
	for _, rc := range recs {
		b, err := json.Marshal(rc.form)
		if err != nil {
			f.Close()
			return fmt.Errorf("encode form %s: %w", rc.id, err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
