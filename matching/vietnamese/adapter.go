package vietnamese

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unsafe"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// derivedInputs maps each derived vn.* field to the record fields it is
// computed from (registered with settings.DeriveInputs).
var derivedInputs = map[string][]string{}

func init() {
	// Lineage of the adapter's derived fields: the record field each is
	// computed from, so that training never estimates a name comparison
	// on pairs blocked on a name key (see settings.Lineage).
	for _, f := range []string{"vn.family", "vn.middle", "vn.given", "vn.family_key", "vn.middle_key",
		"vn.given_key", "vn.name_key", "vn.name_ocr", "vn.given_ocr", "vn.family_ocr", "vn.given_named", "vn.family_sure"} {
		derivedInputs[f] = []string{"full_name"}
	}
	derivedInputs["vn.birth_date"] = []string{"birth_date", "birth_year"}
	derivedInputs["vn.id"] = []string{"id_number"}
	derivedInputs["vn.id_valid"] = []string{"id_number"}
	derivedInputs["vn.cmnd"] = []string{"cmnd"}
	for _, u := range []string{"province", "district", "commune", "new_province", "new_commune"} {
		// A record with no permanent address takes its current one there.
		derivedInputs["vn.perm_"+u] = []string{"perm_address", "cur_address"}
		derivedInputs["vn.cur_"+u] = []string{"cur_address"}
	}
	derivedInputs["vn.native_province"] = []string{"native_place"}
	derivedInputs["vn.native_new_province"] = []string{"native_place"}
	derivedInputs["vn.native_named"] = []string{"native_place"}
	derivedInputs["vn.father"] = []string{"father_name"}
	derivedInputs["vn.mother"] = []string{"mother_name"}
	derivedInputs["vn.spouse"] = []string{"spouse_name"}
	derivedInputs["vn.ethnicity"] = []string{"ethnicity"}
	derivedInputs["vn.sex"] = []string{"sex"}
	derivedInputs["vn.id_own"] = []string{"id_number", "birth_date", "birth_year"}
	derivedInputs["vn.sex_sure"] = []string{"sex", "id_number", "birth_date", "birth_year"}
	for f, in := range derivedInputs {
		settings.DeriveInputs(f, in...)
	}
}

// Adapter derives the fields the Vietnamese settings read from a
// canonical record: name parts and keys (vn.ParseName), the cleaned
// identification and CMND numbers (vn.ParseID), address units of both eras
// (address.Resolve, when ingest left the codes empty; address remembers
// recent results itself), folded parents' names and ethnicity. Canonical
// columns are read by their ch names. It is a thin adapter over packages
// vn and address; safe for concurrent use.
//
// It remembers no names: a sharded memo of the distinct full names and
// parents' names (400,000 records of the million-record lists hold
// 154,000 and 95,000) cost more than parsing them again — its lookups in
// maps of 10⁵ strings, a cache miss or two each, took 0.97 s and 0.99 s of
// CPU where ParseName and Fold take 0.75 s and 0.45 s (profiles of dancu
// link's read of those records).
type Adapter struct{}

// NewAdapter returns an adapter.
func NewAdapter() *Adapter { return &Adapter{} }

// The derived vn.* fields, as slots of vnFields.v.
const (
	fFamily = iota
	fMiddle
	fGiven
	fFamilyKey
	fMiddleKey
	fGivenKey
	fNameKey
	fNameOCR
	fGivenOCR
	fFamilyOCR
	fGivenNamed
	fFamilySure
	fBirthDate
	fID
	fIDValid
	fCMND
	fPermProvince
	fPermDistrict
	fPermCommune
	fPermNewProvince
	fPermNewCommune
	fCurProvince
	fCurDistrict
	fCurCommune
	fCurNewProvince
	fCurNewCommune
	fNativeProvince
	fNativeNewProvince
	fFather
	fMother
	fSpouse
	fEthnicity
	fSex
	fIDOwn
	fSexSure
	fNativeNamed
	nDerived
)

// derivedSlot returns the slot of a derived field, or -1 for a canonical
// column. A switch, not a map: Frame.Add asks once per column and record.
func derivedSlot(field string) int {
	if len(field) < 4 || field[:3] != "vn." {
		return -1
	}
	switch field[3:] {
	case "family":
		return fFamily
	case "middle":
		return fMiddle
	case "given":
		return fGiven
	case "family_key":
		return fFamilyKey
	case "middle_key":
		return fMiddleKey
	case "given_key":
		return fGivenKey
	case "name_key":
		return fNameKey
	case "name_ocr":
		return fNameOCR
	case "given_ocr":
		return fGivenOCR
	case "family_ocr":
		return fFamilyOCR
	case "given_named":
		return fGivenNamed
	case "family_sure":
		return fFamilySure
	case "birth_date":
		return fBirthDate
	case "id":
		return fID
	case "id_valid":
		return fIDValid
	case "cmnd":
		return fCMND
	case "perm_province":
		return fPermProvince
	case "perm_district":
		return fPermDistrict
	case "perm_commune":
		return fPermCommune
	case "perm_new_province":
		return fPermNewProvince
	case "perm_new_commune":
		return fPermNewCommune
	case "cur_province":
		return fCurProvince
	case "cur_district":
		return fCurDistrict
	case "cur_commune":
		return fCurCommune
	case "cur_new_province":
		return fCurNewProvince
	case "cur_new_commune":
		return fCurNewCommune
	case "native_province":
		return fNativeProvince
	case "native_new_province":
		return fNativeNewProvince
	case "father":
		return fFather
	case "mother":
		return fMother
	case "spouse":
		return fSpouse
	case "ethnicity":
		return fEthnicity
	case "sex":
		return fSex
	case "id_own":
		return fIDOwn
	case "sex_sure":
		return fSexSure
	case "native_named":
		return fNativeNamed
	}
	return -2 // a vn.* name the adapter does not make: ""
}

// fieldSlot is the slot in vnFields.v of a derived field, or -1 for a
// field vnFields.get reads otherwise (canonical columns, the spouse
// folded when asked, names the adapter does not make).
func fieldSlot(field string) int {
	if i := derivedSlot(field); i >= 0 && i != fSpouse {
		return i
	}
	return -1
}

// vnFields are one record's derived fields.
type vnFields struct {
	r *schemas.Record
	v [nDerived]string
	// sink keeps what address.Prepare read, so that its reads are not
	// dropped.
	sink uint64
	// scratch, when set, is the batch's room (matching.Batch.Scratch)
	// the values only the batch reads are made in: the parents' folds
	// (fold), the name's parts and keys (parseNameFields).
	scratch *[]byte
}

// fold is vn.Fold(s), folded into f.scratch when it is set (AddTo) rather
// than into a string of its own: the parents' names were two allocations
// of every record, a third of the read's, each copied by the frame and
// then garbage.
func (f *vnFields) fold(s string) string {
	if f.scratch == nil {
		return vn.Fold(s)
	}
	b := *f.scratch
	start := len(b)
	b = vn.AppendFold(b, s)
	folded := b[start:]
	if string(folded) == s {
		*f.scratch = b[:start]
		return s
	}
	*f.scratch = b
	if len(folded) == 0 {
		return ""
	}
	return unsafe.String(&folded[0], len(folded))
}

func (f *vnFields) get(field string) string {
	switch i := derivedSlot(field); {
	case i == fSpouse:
		// folded when asked, not in derive: the default settings never
		// read it, and Frame.Add asks once per column and record
		return vn.Fold(f.r.SpouseName)
	case i >= 0:
		return f.v[i]
	case i == -1:
		return recordField(f.r, field)
	}
	return ""
}

// Fields returns the getter over r's canonical columns and derived vn.*
// fields, and its OCR confidence getter.
func (a *Adapter) Fields(r *schemas.Record) (matching.Getter, matching.ConfidenceGetter) {
	f := &vnFields{r: r}
	a.derive(f)
	return f.get, confidences(r)
}

// AddTo prepares r as source number source in b (matching.Batch.Add,
// keyed by RecordKey): Fields without keeping the derived fields past the
// call, so their room is reused from record to record; the name's parts
// and keys and the parents' folded names are made in b's scratch bytes
// (Batch.Scratch), which the frame copies from in AddBatch.
func (a *Adapter) AddTo(b *matching.Batch, r *schemas.Record, source int) {
	f := fieldsPool.Get().(*vnFields)
	f.r, f.scratch = r, b.Scratch()
	a.derive(f)
	b.AddSlotted(RecordKey(r), source, fieldSlot, f.v[:], f.get, confidences(r))
	*f = vnFields{}
	fieldsPool.Put(f)
}

var fieldsPool = sync.Pool{New: func() any { return new(vnFields) }}

// confidences returns the OCR confidence getter of r, or nil.
func confidences(r *schemas.Record) matching.ConfidenceGetter {
	if len(r.OCRConfidence) == 0 {
		return nil
	}
	return func(key string) (float32, bool) {
		v, ok := r.OCRConfidence[key]
		return v, ok
	}
}

// derive fills f.v from f.r.
func (a *Adapter) derive(f *vnFields) {
	r := f.r
	d := &f.v
	// The addresses to resolve, each once (a record's often repeat one
	// another: current = permanent, native place = permanent; Resolve is
	// a function of text and date), prepared first: the cache lines where
	// their results would be are fetched while the names and IDs are
	// parsed (address.Prepare).
	var texts [3]string
	var preps [3]address.Prepared
	var codes [3]address.Codes
	var done [3]bool
	nTexts := 0
	prepare := func(text string) {
		if text == "" {
			return
		}
		for k := range nTexts {
			if texts[k] == text {
				return
			}
		}
		texts[nTexts], preps[nTexts] = text, address.Prepare(text, r.SourceDate)
		f.sink += preps[nTexts].Sum
		nTexts++
	}
	if r.PermCommuneCode == "" && r.PermNewCommuneCode == "" {
		prepare(r.PermAddress)
	}
	if r.CurCommuneCode == "" && r.CurNewCommuneCode == "" {
		prepare(r.CurAddress)
	}
	prepare(r.NativePlace)
	resolveOnce := func(text string) address.Codes {
		for k := range nTexts {
			if texts[k] == text {
				if !done[k] {
					codes[k], done[k] = preps[k].Codes(), true
				}
				return codes[k]
			}
		}
		return address.Codes{}
	}
	full := r.FullName
	if full == "" {
		full = strings.Join(strings.Fields(r.FamilyName+" "+r.MiddleName+" "+r.GivenName), " ")
	}
	if vn.NoName(full) {
		full = ""
	}
	// A newborn written by its parent ("Con bà Nguyễn Thị Lan", a birth
	// register's row before the child is named) has no name of its own
	// yet: its name is missing, and the parent's name is compared as the
	// mother's or the father's when the record gives none (vn.ChildOf), so
	// that it links on its date, number, address and parents, and two
	// children of one mother are not one name.
	fatherName, motherName := r.FatherName, r.MotherName
	parent, who, childOf := vn.ChildOf(full)
	if childOf {
		full = ""
		switch {
		case who == vn.Father && fatherName == "":
			fatherName = parent
		case who != vn.Father && motherName == "":
			motherName = parent
		}
	}
	nf := parseNameFields(full, r.Sex, f.scratch)
	copy(d[fFamily:fFamilySure+1], nf[:])
	if childOf && fatherName != "" && !vn.NoName(fatherName) {
		fn := vn.ParseName(fatherName)
		d[fFamily], d[fFamilyKey] = fn.Family, vn.Fold(fn.Family)
	}
	bd := r.BirthDate
	if bd == "" && r.BirthYear != 0 {
		bd = itoa4(int(r.BirthYear))
	}
	d[fBirthDate] = bd
	d[fSex], d[fSexSure] = r.Sex, r.Sex
	if id := vn.ParseID(r.IDNumber); id.Number != "" {
		d[fID] = id.Number
		if id.Valid && id.Kind == vn.KindCCCD {
			d[fIDValid] = id.Number
			// The guards' fields. A number whose birth year is far from
			// the record's is another person's (a household head's or a
			// parent's copied onto the record): it still counts in the
			// comparison and in the person's number and conflicts, but
			// cannot keep the record from its own person's records,
			// which carry their own valid number. A number and a ticked
			// sex that disagree: either may be the wrong one (a spouse's
			// number of the same age, or the wrong box), so neither keeps
			// records apart.
			// The guards read the number without its first three digits,
			// the province code of birth: two numbers equal but for it
			// are one number whose prefix was keyed wrong (a CMND
			// holder's reissue written with another province's code),
			// whose records may then be one person's — who carries two
			// numbers, IDConflicting, for a reviewer to tell which is
			// right — where two persons' numbers, drawn apart in their
			// last six digits, never agree in those nine (acc41).
			if ownNumber(id, int(r.BirthYear)) {
				d[fIDOwn] = id.Number[3:]
				if r.Sex != "" && id.Sex != "" && id.Sex != r.Sex {
					d[fSexSure], d[fIDOwn] = "", ""
				}
			}
		}
	}
	// A middle name only one sex is given (Thị, Văn) and a ticked sex
	// that disagree: as with a number, either may be the wrong one, so
	// the tick keeps nothing apart (a CMND, or no number, says nothing of
	// the sex; the sex comparison still weighs the tick).
	if h := (vn.Name{Middle: nf[fMiddle-fFamily]}).SexHint(); h != "" && r.Sex != "" && h != r.Sex {
		d[fSexSure] = ""
	}
	if c := vn.ParseID(r.CMND); c.Number != "" {
		d[fCMND] = c.Number
	}
	units := func(at int, text, prov, dist, comm, nprov, ncomm string) {
		if comm == "" && ncomm == "" && text != "" {
			u := resolveOnce(text)
			prov, dist, comm, nprov, ncomm = u.Province, u.District, u.Commune, u.NewProvince, u.NewCommune
		}
		d[at], d[at+1], d[at+2], d[at+3], d[at+4] = prov, dist, comm, nprov, ncomm
	}
	units(fPermProvince, r.PermAddress, r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode)
	units(fCurProvince, r.CurAddress, r.CurProvinceCode, r.CurDistrictCode, r.CurCommuneCode, r.CurNewProvinceCode, r.CurNewCommuneCode)
	// A record that gives only where the person lives now (a police
	// post's list: "Nơi ở hiện tại") is compared and blocked on that
	// place as its permanent address too: most people live where they are
	// registered, and otherwise its address could meet no other list's
	// (registers give the permanent one), and would weigh as two
	// different places.
	if d[fPermProvince] == "" && d[fPermDistrict] == "" && d[fPermCommune] == "" && d[fPermNewProvince] == "" && d[fPermNewCommune] == "" {
		copy(d[fPermProvince:fPermProvince+5], d[fCurProvince:fCurProvince+5])
	}
	if r.NativePlace != "" {
		u := resolveOnce(r.NativePlace)
		d[fNativeProvince], d[fNativeNewProvince] = u.Province, u.NewProvince
		if u.NewProvince != "" && namesProvince(r.NativePlace, u.Province, u.NewProvince) {
			d[fNativeNamed] = u.NewProvince
		}
	}
	if !vn.NoName(fatherName) {
		d[fFather] = f.fold(fatherName)
	}
	if !vn.NoName(motherName) {
		d[fMother] = f.fold(motherName)
	}
	d[fEthnicity] = foldEthnicity(r.Ethnicity)
}

// ownNumberYears is how far the birth year a number encodes may be from
// the record's own before the number is taken for another person's: the
// year_span guard's width (a year written one or two off).
const ownNumberYears = 2

// ownNumber reports whether a valid 12-digit number can be the record's
// own: the birth year it encodes is within ownNumberYears of the record's
// (or either is unknown). A child's record carrying its father's number
// is 20 or more years off.
func ownNumber(id vn.ID, birthYear int) bool {
	y := id.BirthYear()
	if y == 0 || birthYear == 0 {
		return true
	}
	return y-birthYear <= ownNumberYears && birthYear-y <= ownNumberYears
}

// ethnicFolds holds vn.Fold of the ethnicity cells seen, a map never
// changed once published (a new value publishes a copy): a list writes a
// few dozen ethnicities, and folding one allocated on every record.
var ethnicFolds atomic.Pointer[map[string]string]

// ethnicFoldsMax bounds ethnicFolds, so that a column of junk cannot
// grow it: past it, values are folded each time.
const ethnicFoldsMax = 256

// foldEthnicity is vn.Fold(s), remembered in ethnicFolds.
func foldEthnicity(s string) string {
	if s == "" {
		return ""
	}
	m := ethnicFolds.Load()
	if m != nil {
		if f, ok := (*m)[s]; ok {
			return f
		}
	}
	f := vn.Fold(s)
	if m == nil || len(*m) < ethnicFoldsMax {
		next := make(map[string]string, 1+len(mapOrNil(m)))
		for k, v := range mapOrNil(m) {
			next[k] = v
		}
		next[strings.Clone(s)] = f           // not a slice of the whole source line
		ethnicFolds.CompareAndSwap(m, &next) // another goroutine's copy may win: either is right
	}
	return f
}

func mapOrNil(m *map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	return *m
}

// nameFields are the fields derived from a full name, in the order of
// their slots fFamily … fFamilySure.
type nameFields [fFamilySure - fFamily + 1]string

// parseNameFields derives the name fields of a full name: its parts
// (vn.ParseName), their folded keys, the name's key and OCR key, and the
// first and last words of the OCR key. A middle name written as its
// initial is read with the record's ticked sex (vn.Name.MiddleInitial: a
// woman's T. is Thị). The name's strings are made in *room when room is
// not nil (vn.ParseNameIn).
func parseNameFields(full, sex string, room *[]byte) nameFields {
	var d nameFields
	const o = fFamily
	n := vn.ParseNameIn(full, room)
	if t, ok := n.MiddleInitial(sex); ok {
		n = vn.ParseNameIn(t, room)
	}
	d[fFamily-o], d[fMiddle-o], d[fGiven-o] = n.Family, n.Middle, n.Given
	d[fFamilyKey-o], d[fMiddleKey-o], d[fGivenKey-o] = nameKeys(n)
	d[fNameKey-o], d[fNameOCR-o] = n.Key, n.OCRKey
	if k := strings.TrimSpace(n.OCRKey); k != "" { // first and last of strings.Fields(k)
		first, last := k, k
		if i := strings.IndexFunc(k, unicode.IsSpace); i >= 0 {
			first = k[:i]
			last = k[strings.LastIndexFunc(k, unicode.IsSpace)+1:]
		}
		d[fGivenOCR-o], d[fFamilyOCR-o] = last, first
	}
	if !birthOrderNames[n.Given] {
		d[fGivenNamed-o] = d[fGivenKey-o]
	}
	d[fFamilySure-o] = vn.SureFamily(n)
	return d
}

// birthOrderNames are the names a family calls its children by rank —
// Hai for the first-born in the South (Cả in the North), Ba for the
// second, then Tư, Năm, … and Út for the last — which some lists carry
// in place of the given name. vn.given_named is the given name's key
// unless it is one of these (then empty), so that a comparison can tell
// "one side gives a rank" from two given names that differ. Written with
// their marks: Hải, Tâm or Nam without marks are other names.
var birthOrderNames = map[string]bool{"Cả": true, "Hai": true, "Ba": true, "Tư": true, "Năm": true,
	"Sáu": true, "Bảy": true, "Tám": true, "Chín": true, "Mười": true, "Út": true}

// nameKeys returns vn.Fold of n's family, middle and given names, cut
// from n.Key (which is Fold(n.Normalized), word for word) instead of
// folded again; folded afresh when the words do not line up.
func nameKeys(n vn.Name) (family, middle, given string) {
	words := func(s string) int {
		if s == "" {
			return 0
		}
		return strings.Count(s, " ") + 1
	}
	nf, nm, ng := words(n.Family), words(n.Middle), words(n.Given)
	k := n.Key
	if nk := words(k); nk != words(n.Normalized) || nk != nf+nm+ng {
		return vn.Fold(n.Family), vn.Fold(n.Middle), vn.Fold(n.Given)
	}
	// cut returns the first w words of k and leaves the rest in k (the
	// counts agree, so each of the first w-1 words has a space after it).
	cut := func(w int) string {
		if w == 0 {
			return ""
		}
		i := 0
		for x := 1; x < w; x++ {
			i += strings.IndexByte(k[i:], ' ') + 1
		}
		end := len(k)
		if j := strings.IndexByte(k[i:], ' '); j >= 0 {
			end = i + j
		}
		out := k[:end]
		k = k[min(end+1, len(k)):]
		return out
	}
	family, middle, given = cut(nf), cut(nm), cut(ng)
	return family, middle, given
}

func itoa4(y int) string {
	b := []byte{'0', '0', '0', '0'}
	for i := 3; i >= 0 && y > 0; i-- {
		b[i] = byte('0' + y%10)
		y /= 10
	}
	return string(b)
}

// recordField returns a canonical column of r by its ch name.
func recordField(r *schemas.Record, name string) string {
	switch name {
	case "record_id":
		return r.RecordID
	case "source_record_id":
		return r.SourceRecordID
	case "full_name":
		return r.FullName
	case "birth_date":
		return r.BirthDate
	case "sex":
		return r.Sex
	case "id_number":
		return r.IDNumber
	case "cmnd":
		return r.CMND
	case "ethnicity":
		return r.Ethnicity
	case "father_name":
		return r.FatherName
	case "mother_name":
		return r.MotherName
	case "perm_address":
		return r.PermAddress
	case "cur_address":
		return r.CurAddress
	case "native_place":
		return r.NativePlace
	case "birth_reg_place":
		return r.BirthRegPlace
	case "household_no":
		// The list's household number (schema version 2): a local code,
		// which the shipped settings do not read; a team's settings may
		// compare it, with the list's unit, as evidence (matching/SETTINGS.md).
		return r.HouseholdNo
	}
	return ""
}

// RecordKey is the identity of a record in the matcher and in dancu
// link: the canonical record id (file content hash + sheet + row, so a
// Kafka redelivery of the same row has the same key). The source's own
// code ("Mã bản ghi", a form id) is kept as a field and never used as the
// identity: two files, or two communes, reuse the same local codes. A
// record built without a canonical id falls back to its source code.
func RecordKey(r *schemas.Record) string {
	switch {
	case r.RecordID != "":
		return r.RecordID
	case r.SourceRecordID != "":
		return r.SourceRecordID
	}
	return r.FormID
}

// RecordLabel is how a person reading a report finds a record in the
// source: its own code ("Mã bản ghi", form id) when it has one, else the
// canonical record id. Labels are not unique across files.
func RecordLabel(r *schemas.Record) string {
	switch {
	case r.SourceRecordID != "":
		return r.SourceRecordID
	case r.FormID != "":
		return r.FormID
	}
	return r.RecordID
}

// AddRecord adds a canonical record to f through the adapter.
func (a *Adapter) AddRecord(f *matching.Frame, r *schemas.Record, source int) error {
	get, conf := a.Fields(r)
	return f.Add(RecordKey(r), source, get, conf)
}

// namesProvince reports whether a native place's text names its
// province: the text, folded, holds the name (without its type word) of
// the province the resolver placed it in (old code prov, new code nprov).
// "Xã Văn Hội, Huyện Ninh Giang, Tỉnh Hải Dương", "T.P Hải Phòng" and
// "Tỉnh Bà Rịa - Vũng Tàu" do; "Xã An Lão", "X Bình Xuyên" or "Phường Ba
// Đình", whose province the resolver guesses from a unit's name that
// several provinces hold, do not. The native place (quê quán) the
// Vietnamese settings' guard compares is read only where the text names
// its province (acc56).
func namesProvince(text, prov, nprov string) bool {
	names := provinceNames()
	var folded string
	for _, name := range []string{names[0][prov], names[1][nprov]} {
		if name == "" {
			continue
		}
		if folded == "" {
			folded = vn.Fold(text)
		}
		if strings.Contains(folded, name) {
			return true
		}
	}
	return false
}

// provinceNames returns the provinces' folded names without their type
// word ("hai duong", "ho chi minh"), by code: before the 2025 reform and
// after it, apart, for a code can name two (52: Bình Định, then Gia Lai;
// refdata's province_mapping_2025.csv).
var provinceNames = sync.OnceValue(func() [2]map[string]string {
	m := [2]map[string]string{{}, {}}
	t, err := refdata.Load("province_mapping_2025.csv")
	if err != nil {
		return m
	}
	key := func(name string) string {
		name = vn.Fold(name)
		for _, w := range []string{"tinh ", "thanh pho "} {
			name = strings.TrimPrefix(name, w)
		}
		return name
	}
	for _, r := range t.Rows {
		m[0][t.Get(r, "old_province_code")] = key(t.Get(r, "old_province_name"))
		m[1][t.Get(r, "new_province_code")] = key(t.Get(r, "new_province_name"))
	}
	return m
})
