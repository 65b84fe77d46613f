package matching

import (
	"strings"
	"sync"
	"time"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

func init() {
	folder = vn.Fold
	// Lineage of the adapter's derived fields: the record field each is
	// computed from, so that training never estimates a name comparison
	// on pairs blocked on a name key (see Lineage).
	for _, f := range []string{"vn.family", "vn.middle", "vn.given", "vn.family_key", "vn.middle_key",
		"vn.given_key", "vn.name_key", "vn.name_ocr", "vn.given_ocr", "vn.family_ocr"} {
		derivedInputs[f] = []string{"full_name"}
	}
	derivedInputs["vn.birth_date"] = []string{"birth_date", "birth_year"}
	derivedInputs["vn.id"] = []string{"id_number"}
	derivedInputs["vn.id_valid"] = []string{"id_number"}
	derivedInputs["vn.cmnd"] = []string{"cmnd"}
	for _, u := range []string{"province", "district", "commune", "new_province", "new_commune"} {
		derivedInputs["vn.perm_"+u] = []string{"perm_address"}
		derivedInputs["vn.cur_"+u] = []string{"cur_address"}
	}
	derivedInputs["vn.native_province"] = []string{"native_place"}
	derivedInputs["vn.native_new_province"] = []string{"native_place"}
	derivedInputs["vn.father"] = []string{"father_name"}
	derivedInputs["vn.mother"] = []string{"mother_name"}
	derivedInputs["vn.spouse"] = []string{"spouse_name"}
	derivedInputs["vn.ethnicity"] = []string{"ethnicity"}
	derivedInputs["vn.sex"] = []string{"sex"}
}

// reform is the day the 2025 administrative units took effect.
var reform = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// RecordAdapter derives the fields the Vietnamese settings read from a
// canonical record: name parts and keys (vn.ParseName), the cleaned
// identification and CMND numbers (vn.ParseID), address units of both eras
// (address.Resolve, when ingest left the codes empty; results are cached
// by text), folded parents' names and ethnicity. Canonical columns are
// read by their ch names. It is a thin adapter over packages vn and
// address; safe for concurrent use.
type RecordAdapter struct {
	mu    sync.Mutex
	addrs map[string]units
}

// units are the codes of a resolved address, all the adapter keeps of it.
type units struct {
	prov, dist, comm, nprov, ncomm string
}

// NewRecordAdapter returns an adapter with an empty address cache.
func NewRecordAdapter() *RecordAdapter {
	return &RecordAdapter{addrs: map[string]units{}}
}

func (a *RecordAdapter) resolve(r *schemas.Record, text string) units {
	if text == "" {
		return units{}
	}
	era := "o"
	if !r.SourceDate.Before(reform) {
		era = "n"
	}
	k := era + text
	a.mu.Lock()
	u, ok := a.addrs[k]
	a.mu.Unlock()
	if ok {
		return u
	}
	res := address.Resolve(text, r.SourceDate)
	u = units{res.Province.Code, res.District.Code, res.Commune.Code, res.NewProvince.Code, res.NewCommune.Code}
	a.mu.Lock()
	if len(a.addrs) >= maxCachedAddresses {
		// A long-running matcher sees an endless stream of addresses:
		// start the cache afresh rather than let it grow without bound.
		clear(a.addrs)
	}
	a.addrs[k] = u
	a.mu.Unlock()
	return u
}

// maxCachedAddresses bounds the adapter's cache of resolved addresses
// (about 200 MB at this size).
const maxCachedAddresses = 1 << 20

// Fields returns the getter over r's canonical columns and derived vn.*
// fields, and its OCR confidence getter.
func (a *RecordAdapter) Fields(r *schemas.Record) (Getter, ConfidenceGetter) {
	d := map[string]string{}
	full := r.FullName
	if full == "" {
		full = strings.Join(strings.Fields(r.FamilyName+" "+r.MiddleName+" "+r.GivenName), " ")
	}
	n := vn.ParseName(full)
	d["vn.family"], d["vn.middle"], d["vn.given"] = n.Family, n.Middle, n.Given
	d["vn.family_key"], d["vn.middle_key"], d["vn.given_key"] = vn.Fold(n.Family), vn.Fold(n.Middle), vn.Fold(n.Given)
	d["vn.name_key"], d["vn.name_ocr"] = n.Key, n.OCRKey
	if w := strings.Fields(n.OCRKey); len(w) > 0 {
		d["vn.given_ocr"] = w[len(w)-1]
		d["vn.family_ocr"] = w[0]
	}
	bd := r.BirthDate
	if bd == "" && r.BirthYear != 0 {
		bd = itoa4(int(r.BirthYear))
	}
	d["vn.birth_date"] = bd
	if id := vn.ParseID(r.IDNumber); id.Number != "" {
		d["vn.id"] = id.Number
		if id.Valid && id.Kind == vn.KindCCCD {
			d["vn.id_valid"] = id.Number
		}
	}
	if c := vn.ParseID(r.CMND); c.Number != "" {
		d["vn.cmnd"] = c.Number
	}
	units := func(prefix, text, prov, dist, comm, nprov, ncomm string) {
		if comm == "" && ncomm == "" && text != "" {
			u := a.resolve(r, text)
			prov, dist, comm, nprov, ncomm = u.prov, u.dist, u.comm, u.nprov, u.ncomm
		}
		d[prefix+"province"], d[prefix+"district"], d[prefix+"commune"] = prov, dist, comm
		d[prefix+"new_province"], d[prefix+"new_commune"] = nprov, ncomm
	}
	units("vn.perm_", r.PermAddress, r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode)
	units("vn.cur_", r.CurAddress, r.CurProvinceCode, r.CurDistrictCode, r.CurCommuneCode, r.CurNewProvinceCode, r.CurNewCommuneCode)
	if r.NativePlace != "" {
		u := a.resolve(r, r.NativePlace)
		d["vn.native_province"], d["vn.native_new_province"] = u.prov, u.nprov
	}
	d["vn.father"] = vn.Fold(r.FatherName)
	d["vn.mother"] = vn.Fold(r.MotherName)
	d["vn.spouse"] = vn.Fold(r.SpouseName)
	d["vn.ethnicity"] = vn.Fold(r.Ethnicity)
	d["vn.sex"] = r.Sex
	get := func(field string) string {
		if v, ok := d[field]; ok {
			return v
		}
		return recordField(r, field)
	}
	var conf ConfidenceGetter
	if len(r.OCRConfidence) > 0 {
		conf = func(key string) (float32, bool) {
			v, ok := r.OCRConfidence[key]
			return v, ok
		}
	}
	return get, conf
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
func (a *RecordAdapter) AddRecord(f *Frame, r *schemas.Record, source int) error {
	get, conf := a.Fields(r)
	return f.Add(RecordKey(r), source, get, conf)
}
