package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Field indexes of a source record. The keys are schemas.Record's ch
// column names; the headers are what provincial spreadsheets write.
const (
	fFullName = iota
	fBirthDate
	fSex
	fIDNumber
	fCMND
	fEthnicity
	fReligion
	fNationality
	fNativePlace
	fPermAddress
	fCurAddress
	fFatherName
	fMotherName
	fSpouseName
	fHouseholdHead
	fRelationToHead
	nFields
)

// FieldKeys are the JSON keys of scanned-form fields (schemas.Record ch names).
var FieldKeys = [nFields]string{
	"full_name", "birth_date", "sex", "id_number", "cmnd", "ethnicity", "religion", "nationality",
	"native_place", "perm_address", "cur_address", "father_name", "mother_name", "spouse_name",
	"household_head", "relation_to_head",
}

// Headers are the spreadsheet column headers, in order.
var Headers = append([]string{"STT", "Mã bản ghi"}, fieldHeaders[:]...)

var fieldHeaders = [nFields]string{
	"Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Số CMND", "Dân tộc", "Tôn giáo",
	"Quốc tịch", "Quê quán", "Nơi thường trú", "Nơi ở hiện tại", "Họ tên cha", "Họ tên mẹ",
	"Họ tên vợ/chồng", "Họ tên chủ hộ", "Quan hệ với chủ hộ",
}

// record is one source record of a person before it is written.
type record struct {
	id       string // Mã bản ghi / form id, set when written
	person   *Person
	src      *source
	date     time.Time // the date the record describes
	fields   [nFields]string
	conf     [nFields]float32
	idClean  bool // id_number field holds the person's true number exactly
	conflict bool // touched by a planted conflict
}

// renderer turns a person into noisy source records.
type renderer struct {
	t *tables
	r *rand.Rand
	// r2 draws the noise added for issue 12 (middle names added, OCR
	// look-alikes, years off or misread, day 00) from its own stream, so
	// that a seed's records change only where that noise strikes and
	// every other draw stays what it was.
	r2 *rand.Rand
	n  rates
}

// chance draws from the extra stream only when p is non-zero, so that the
// profiles made before a kind existed keep their records.
func (rd *renderer) chance(p float64) bool {
	return p > 0 && rd.extra().Float64() < p
}

// extra returns the stream of the later noise kinds.
func (rd *renderer) extra() *rand.Rand {
	if rd.r2 == nil {
		rd.r2 = rand.New(rand.NewPCG(1, 0x0c12))
	}
	return rd.r2
}

var dateLayouts = []string{"02/01/2006", "2/1/2006", "2006-01-02", "02.01.2006", "02-01-2006", "2/1/06", "02/01/06"}

func (rd *renderer) date(b time.Time, scan bool) string {
	r, n := rd.r, &rd.n
	if n.zero {
		return b.Format("02/01/2006")
	}
	if r.Float64() < n.yearOnly {
		return strconv.Itoa(b.Year())
	}
	if x := rd.extra(); x.Float64() < n.yearOff {
		b = b.AddDate(1-2*x.IntN(2), 0, 0)
	}
	if rd.extra().Float64() < n.dayZero {
		return fmt.Sprintf("00/%02d/%d", int(b.Month()), b.Year())
	}
	if rd.chance(n.dayInvalid) {
		// A day the month does not have: 30/02, 31/04 (Feb, Apr, Jun, Sep, Nov).
		short := []time.Month{2, 4, 6, 9, 11}
		if m := b.Month(); slices.Contains(short, m) {
			last := time.Date(b.Year(), m+1, 0, 0, 0, 0, 0, time.UTC).Day()
			return fmt.Sprintf("%02d/%02d/%d", last+1+rd.extra().IntN(31-last), int(m), b.Year())
		}
	}
	if r.Float64() < n.swapDayMonth && b.Day() <= 12 && b.Day() != int(b.Month()) {
		b = time.Date(b.Year(), time.Month(b.Day()), int(b.Month()), 0, 0, 0, 0, time.UTC)
	}
	l := "02/01/2006"
	if scan {
		if r.IntN(4) == 0 {
			l = "2/1/2006"
		}
	} else if r.IntN(2) == 0 {
		l = dateLayouts[r.IntN(len(dateLayouts))]
	}
	return b.Format(l)
}

// name writes a name with text noise; it reports whether OCR errors were applied.
func (rd *renderer) name(full string, scan, ocr bool, middleOK bool, sex byte) (string, bool) {
	r, n := rd.r, &rd.n
	if n.zero || full == "" {
		if scan {
			return strings.ToUpper(full), false
		}
		return full, false
	}
	s := full
	if middleOK && r.Float64() < n.middleOmitted {
		if w := strings.Fields(s); len(w) >= 3 {
			s = w[0] + " " + w[len(w)-1]
		}
	} else if x := rd.extra(); middleOK && x.Float64() < n.middleAdded {
		// A middle name the person does not use, written before the
		// given name or before the other middle names.
		if w := strings.Fields(s); len(w) >= 2 {
			pool := middleMale
			if sex == 'F' {
				pool = middleFemale
			}
			at := 1 + x.IntN(len(w)-1)
			add := pool[x.IntN(len(pool))]
			if !strings.Contains(s, add) {
				w = append(w[:at], append([]string{add}, w[at:]...)...)
				s = strings.Join(w, " ")
			}
		}
	}
	if r.Float64() < n.toneFlip {
		s = toneStyle(s, rd.t.tonePairs, r.IntN(2) == 0)
	}
	if r.Float64() < n.nameTypo {
		s = typo(s, r)
	}
	hit := false
	if ocr {
		s, hit = ocrText(s, r, n.ocrLetter)
		var h2 bool
		s, h2 = ocrConfuse(s, rd.extra(), n.ocrConfusion)
		hit = hit || h2
	}
	if r.Float64() < n.nameNoDiacritics {
		s = stripDiacritics(s)
	}
	if scan || r.Float64() < n.upper {
		s = strings.ToUpper(s)
	}
	if r.Float64() < n.nfd {
		s = norm.NFD.String(s)
	}
	return s, hit
}

func (rd *renderer) text(s string, scan, ocr bool) (string, bool) {
	if rd.n.zero || s == "" {
		return s, false
	}
	hit := false
	if ocr {
		s, hit = ocrText(s, rd.r, rd.n.ocrLetter)
	}
	if rd.r.Float64() < rd.n.nameNoDiacritics/2 {
		s = stripDiacritics(s)
	}
	return s, hit
}

// idNoise mistypes a number: one serial digit changed or two adjacent
// serial digits swapped (the first six digits are left alone so that a
// typo does not look like a planted contradiction), or one digit misread
// by OCR.
func (rd *renderer) idNoise(id string, scan, ocr bool) (string, bool) {
	r, n := rd.r, &rd.n
	if n.zero {
		return id, false
	}
	if r.Float64() < n.idTypo && len(id) == 12 {
		b := []byte(id)
		i := 6 + r.IntN(5)
		if r.IntN(2) == 0 && b[i] != b[i+1] {
			b[i], b[i+1] = b[i+1], b[i]
		} else {
			b[i] = byte('0' + (int(b[i]-'0')+1+r.IntN(9))%10)
		}
		id = string(b)
	}
	if ocr && r.Float64() < n.ocrDigits*5 {
		return ocrDigits(id, r), true
	}
	if !scan && r.Float64() < n.ocrDigits/3 {
		id = id[:4] + " " + id[4:8] + " " + id[8:] // typed with spaces
	}
	return id, false
}

func sexText(s byte) string {
	if s == 'F' {
		return "Nữ"
	}
	return "Nam"
}

// render makes one source record of p for source src.
func (rd *renderer) render(p *Person, src *source, asOf time.Time) *record {
	r, n := rd.r, &rd.n
	rec := &record{person: p, src: src, date: asOf}
	post := !asOf.Before(reformDate)
	scan := src.scan
	ocr := scan && !n.zero && r.Float64() < n.ocrRecord
	set := func(f int, v string, hit bool) {
		rec.fields[f] = v
		if scan && v != "" {
			c := 0.90 + 0.09*r.Float32()
			if hit {
				c = 0.45 + 0.35*r.Float32()
			}
			rec.conf[f] = float32(int(c*100)) / 100
		}
	}
	v, hit := rd.name(p.FullName(), scan, ocr, true, p.Sex)
	set(fFullName, v, hit)
	date, dateHit := rd.date(p.Birth, scan), false
	if rd.chance(n.dobMissing) {
		date = ""
	}
	if ocr && r.Float64() < n.ocrDigits {
		date, dateHit = ocrDigits(date, r), true // 1B/05/1989
	} else if x := rd.extra(); ocr && x.Float64() < n.ocrYear {
		date, dateHit = ocrYearDigit(date, x), true // 12/05/2814
	}
	if date != "" {
		set(fBirthDate, date, dateHit)
	}
	if n.zero || r.Float64() >= n.sexMissing {
		s := sexText(p.Sex)
		if scan {
			s = strings.ToUpper(s)
		} else if !n.zero && r.Float64() < n.nameNoDiacritics {
			s = stripDiacritics(s)
		}
		set(fSex, s, false)
	}
	// Identification numbers: scans date from 2019, when few were issued.
	missing := n.idMissing
	if scan {
		missing *= 2.5
	}
	if n.zero || r.Float64() >= missing {
		v, hit := rd.idNoise(p.IDNumber, scan, ocr)
		set(fIDNumber, v, hit)
		rec.idClean = v == p.IDNumber
	}
	if p.CMND != "" && (n.zero || r.Float64() >= n.cmndMissing) {
		v, hit := rd.idNoise(p.CMND, scan, ocr)
		set(fCMND, v, hit)
	}
	v, hit = rd.text(p.Ethnicity, scan, ocr)
	set(fEthnicity, v, hit)
	v, hit = rd.text(p.Religion, scan, ocr)
	set(fReligion, v, hit)
	set(fNationality, "Việt Nam", false)
	if !n.zero && r.Float64() < 0.1 {
		rec.fields[fNationality] = []string{"VN", "Viet Nam", "Việt Nam", "VIỆT NAM"}[r.IntN(4)]
	}
	// era is the era an address is written in: the record's, or now and
	// then the other one (old unit names kept after the reform).
	era := func() bool { return post != rd.chance(n.addrOtherEra) }
	set(fNativePlace, rd.t.noisyAddress(p.Native, era(), r, n), false)
	perm := rd.t.noisyAddress(p.Perm, era(), r, n)
	set(fPermAddress, perm, false)
	if p.Cur == p.Perm && !n.zero && r.Float64() < 0.3 {
		set(fCurAddress, perm, false)
	} else {
		set(fCurAddress, rd.t.noisyAddress(p.Cur, era(), r, n), false)
	}
	if rd.chance(n.addrMissing) {
		f := fCurAddress
		if rd.extra().IntN(2) == 0 {
			f = fPermAddress
		}
		rec.fields[f], rec.conf[f] = "", 0
	}
	if n.zero || r.Float64() >= n.parentMissing {
		v, hit = rd.name(p.FatherName, scan, ocr, false, 0)
		set(fFatherName, v, hit)
	}
	if n.zero || r.Float64() >= n.parentMissing {
		v, hit = rd.name(p.MotherName, scan, ocr, false, 0)
		set(fMotherName, v, hit)
	}
	if p.SpouseName != "" {
		v, hit = rd.name(p.SpouseName, scan, ocr, false, 0)
		set(fSpouseName, v, hit)
	}
	v, hit = rd.name(p.HeadName, scan, ocr, false, 0)
	set(fHouseholdHead, v, hit)
	rel := p.Relation
	if scan {
		rel = strings.ToUpper(rel)
	}
	set(fRelationToHead, rel, false)
	return rec
}

// source is one output file: a spreadsheet or a batch of scanned forms,
// with the date it describes.
type source struct {
	File   string    // base name
	Format string    // csv, xlsx, jsonl
	Date   time.Time // zero for scans without a fixed date: each form has its own
	scan   bool
	weight float64
	n      int // records written
	sink   sink
}

func (s *source) post() bool { return !s.Date.IsZero() && !s.Date.Before(reformDate) }

func (s *source) String() string { return fmt.Sprintf("%s (%s)", s.File, s.Format) }
