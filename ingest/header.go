package ingest

import (
	"strings"
)

// Field names a target of a source column: the ch column names of
// schemas.Record, plus a few source-only columns that feed them.
const (
	FieldSTT            = "stt"              // row number column; checked, not stored
	FieldSourceRecordID = "source_record_id" // the source's own record id ("Mã bản ghi")
	FieldFullName       = "full_name"
	FieldFamilyMiddle   = "family_middle" // "Họ và chữ đệm": joined with FieldGivenName
	FieldGivenName      = "given_name"    // "Tên", when the name is split
	FieldBirthDate      = "birth_date"
	FieldBirthYear      = "birth_year"        // "Năm sinh": a year-only column
	FieldBirthDateMale  = "birth_date_male"   // "Ngày sinh / Nam": date under the male column
	FieldBirthDateFem   = "birth_date_female" // "Ngày sinh / Nữ"
	FieldBirthDay       = "birth_day"         // "Ngày tháng năm sinh / Ngày": the day, beside month and year columns
	FieldBirthMonth     = "birth_month"       // "… / Tháng", "Tháng sinh"
	FieldSex            = "sex"
	FieldSexMale        = "sex_male"   // "Giới tính / Nam": a mark ("x") under the male column
	FieldSexFem         = "sex_female" // "Giới tính / Nữ"
	FieldIDNumber       = "id_number"  // 12-digit number; a 9-digit value goes to cmnd
	FieldCMND           = "cmnd"       // 9-digit number; a 12-digit value goes to id_number
	FieldIDAny          = "id_any"     // "Số CMND/CCCD": either, by length
	FieldBirthRegPlace  = "birth_reg_place"
	FieldNativePlace    = "native_place"
	FieldEthnicity      = "ethnicity"
	FieldReligion       = "religion"
	FieldNationality    = "nationality"
	FieldPermAddress    = "perm_address"
	FieldCurAddress     = "cur_address"
	FieldFatherName     = "father_name"
	FieldFatherID       = "father_id"
	FieldMotherName     = "mother_name"
	FieldMotherID       = "mother_id"
	FieldSpouseName     = "spouse_name"
	FieldSpouseID       = "spouse_id"
	FieldHouseholdHead  = "household_head"
	FieldRelationToHead = "relation_to_head"
	FieldCollectingUnit = "collecting_unit"
	FieldFormID         = "form_id"
	FieldScanRef        = "scan_ref"
	FieldRemark         = "remark"       // "Ghi chú": a death or a move away rejects the row (goneRemark), another remark is kept
	FieldHouseholdNo    = "household_no" // "Số hộ", "Hộ số", "Mã hộ", "Sổ hộ khẩu số": the household's number on the list
	FieldIgnore         = "-"            // a mapping may name a column only to ignore it
)

// knownFields are the fields a mapping file may name.
var knownFields = map[string]bool{}

func init() {
	for _, f := range []string{FieldSTT, FieldSourceRecordID, FieldFullName, FieldFamilyMiddle, FieldGivenName,
		FieldBirthDate, FieldBirthYear, FieldBirthDateMale, FieldBirthDateFem, FieldSex, FieldIDNumber, FieldCMND,
		FieldIDAny, FieldBirthRegPlace, FieldNativePlace, FieldEthnicity, FieldReligion, FieldNationality,
		FieldPermAddress, FieldCurAddress, FieldFatherName, FieldFatherID, FieldMotherName, FieldMotherID,
		FieldSpouseName, FieldSpouseID, FieldHouseholdHead, FieldRelationToHead, FieldCollectingUnit,
		FieldFormID, FieldScanRef, FieldSexMale, FieldSexFem, FieldBirthDay, FieldBirthMonth, FieldRemark, FieldHouseholdNo, FieldIgnore} {
		knownFields[f] = true
	}
}

// headerRule maps folded header texts to a field. exact texts must equal the
// folded header; prefixes must start it (at a word boundary). Rules are tried
// in order, so the family columns ("Họ tên cha") come before the person's own.
type headerRule struct {
	field    string
	exact    []string
	prefixes []string
}

var headerRules = []headerRule{
	{FieldSTT, []string{"stt", "tt", "so tt", "so thu tu", "thu tu", "no"}, nil},
	{FieldSourceRecordID, []string{"ma", "ma so", "id", "ma ban ghi", "ma ho so", "ma nhan khau", "ma nk", "ma phieu", "so phieu", "record id"},
		[]string{"ma ban ghi", "ma ho so", "ma nhan khau", "ma phieu"}},
	// Family members' numbers before their names.
	{FieldFatherID, []string{"so dinh danh cha", "so ddcn cha", "cccd cha", "cmnd cha", "so cccd cha", "so cmnd cha", "so dinh danh cua cha"}, nil},
	{FieldMotherID, []string{"so dinh danh me", "so ddcn me", "cccd me", "cmnd me", "so cccd me", "so cmnd me", "so dinh danh cua me"}, nil},
	{FieldSpouseID, []string{"so dinh danh vo chong", "so ddcn vo chong", "cccd vo chong", "so cccd vo chong", "so dinh danh cua vo chong"}, nil},
	{FieldFatherName, []string{"cha", "bo", "ten cha", "ten bo", "ho ten cha", "ho va ten cha", "ho ten bo", "ho va ten bo", "cha de", "ho ten cha de", "father", "father name", "father s name"},
		[]string{"ho ten cha", "ho va ten cha", "ho ten bo", "ho va ten bo"}},
	{FieldMotherName, []string{"me", "ten me", "ho ten me", "ho va ten me", "me de", "ho ten me de", "mother", "mother name", "mother s name"},
		[]string{"ho ten me", "ho va ten me"}},
	{FieldSpouseName, []string{"vo chong", "ten vo chong", "ho ten vo chong", "ho va ten vo chong", "ho ten vo hoac chong", "spouse", "spouse name"},
		[]string{"ho ten vo", "ho va ten vo", "vo chong"}},
	{FieldHouseholdHead, []string{"chu ho", "ten chu ho", "ho ten chu ho", "ho va ten chu ho", "household head"},
		[]string{"ho ten chu ho", "ho va ten chu ho"}},
	{FieldRelationToHead, []string{"quan he", "quan he voi chu ho", "quan he chu ho", "qh voi chu ho", "qh voi ch", "qhvch", "quan he voi ch", "moi quan he voi chu ho", "relation to head"},
		[]string{"quan he voi chu ho", "quan he vs chu ho"}},
	{FieldFamilyMiddle, []string{"ho", "ho dem", "ho va ten dem", "ho va chu dem", "ho chu dem", "ho va dem", "ho ten dem", "family name"}, nil},
	// The middle name in a column of its own, between "Họ" and "Tên": the
	// family name's column and it are joined (see familyParts).
	{FieldFamilyMiddle, []string{"chu dem", "ten dem", "dem", "ten lot", "chu lot", "middle name"}, nil},
	{FieldFullName, []string{"ho va ten", "ho ten", "ho ten nhan khau", "ho va ten nhan khau", "ho chu dem va ten", "ho chu dem ten", "ho ten day du", "ho va ten khai sinh", "ho ten khai sinh", "ten day du", "full name", "name", "ho ten cong dan", "ho va ten cong dan"},
		[]string{"ho va ten", "ho ten", "ho chu dem va ten"}},
	{FieldGivenName, []string{"ten", "ten goi", "given name"}, nil},
	// A date of birth in three columns ("Ngày tháng năm sinh" over
	// "Ngày | Tháng | Năm"); its year column folds as "… nam", the male
	// column of the rule below: dayMonthYear tells them apart.
	{FieldBirthDay, []string{"ngay thang nam sinh ngay", "ngay sinh ngay", "ngay thang nam ngay"}, nil},
	{FieldBirthMonth, []string{"ngay thang nam sinh thang", "ngay sinh thang", "ngay thang nam thang", "thang sinh"}, nil},
	{FieldBirthYear, []string{"nam sinh", "nam sinh nam", "year of birth"}, nil},
	{FieldBirthDateMale, []string{"ngay sinh nam", "nam sinh nam nam", "ngay thang nam sinh nam"}, nil},
	{FieldBirthDateFem, []string{"ngay sinh nu", "nam sinh nu", "ngay thang nam sinh nu"}, nil},
	{FieldBirthDate, []string{"ngay sinh", "ngay thang nam sinh", "sinh ngay", "ngay thang nam", "ns", "dob", "date of birth", "birth date"},
		[]string{"ngay sinh", "ngay thang nam sinh", "sinh ngay"}},
	// A two-row header's parent and child, joined: marks under Nam / Nữ.
	{FieldSexMale, []string{"gioi tinh nam", "gt nam", "phai nam", "nam nu nam"}, nil},
	{FieldSexFem, []string{"gioi tinh nu", "gt nu", "phai nu", "nam nu nu"}, nil},
	{FieldSex, []string{"gioi tinh", "gt", "gioi", "nam nu", "phai", "sex", "gender"}, []string{"gioi tinh"}},
	{FieldIDAny, []string{"so cmnd cccd", "cmnd cccd", "so cccd cmnd", "cccd cmnd", "so cmnd can cuoc", "giay to tuy than", "so giay to tuy than", "so giay to", "cmnd cccd so", "so cmnd hoac cccd", "so cccd hoac cmnd"}, nil},
	{FieldIDNumber, []string{"so dinh danh ca nhan", "so dinh danh", "ma dinh danh", "ma so dinh danh", "ma dinh danh ca nhan", "so ddcn", "ddcn", "so dd", "so cccd", "cccd", "can cuoc cong dan", "so can cuoc cong dan", "so can cuoc", "can cuoc", "id number", "personal id"},
		[]string{"so dinh danh", "so can cuoc", "so cccd"}},
	{FieldCMND, []string{"so cmnd", "cmnd", "chung minh nhan dan", "so chung minh nhan dan", "so chung minh thu", "so cmt", "cmt"}, []string{"so cmnd", "so chung minh"}},
	{FieldEthnicity, []string{"dan toc", "ethnicity"}, nil},
	{FieldReligion, []string{"ton giao", "religion"}, nil},
	{FieldNationality, []string{"quoc tich", "nationality"}, nil},
	{FieldNativePlace, []string{"que quan", "nguyen quan", "que", "native place"}, []string{"que quan"}},
	{FieldBirthRegPlace, []string{"noi dang ky khai sinh", "noi dk khai sinh", "noi dang ki khai sinh", "noi sinh", "noi khai sinh"}, []string{"noi dang ky khai sinh"}},
	{FieldCurAddress, []string{"noi o hien tai", "noi o hien nay", "cho o hien nay", "cho o hien tai", "dia chi hien tai", "dia chi hien nay", "hien tai", "hien nay", "noi o", "cho o", "tam tru", "noi tam tru", "dia chi tam tru", "current address"},
		[]string{"noi o hien", "cho o hien", "dia chi hien"}},
	{FieldPermAddress, []string{"noi thuong tru", "dia chi thuong tru", "thuong tru", "ho khau thuong tru", "hktt", "noi dang ky thuong tru", "noi dang ky hktt", "dia chi", "dia chi thuong tru hien nay", "permanent address", "address"},
		[]string{"noi thuong tru", "dia chi thuong tru", "noi dang ky thuong tru", "ho khau thuong tru"}},
	{FieldCollectingUnit, []string{"ma xa", "ma don vi", "ma dvhc", "don vi thu thap"}, nil},
	{FieldRemark, []string{"ghi chu", "chu thich"}, nil},
	// "Hộ số" folds as "Hồ sơ" (a file) does: classifyHeader tells them
	// apart by their marks.
	{FieldHouseholdNo, []string{"so ho", "ho so", "ma ho", "ma so ho", "ma ho gia dinh", "so ho khau", "so so ho khau", "so ho khau so",
		"so hk", "so so hk", "ho khau so", "so hieu ho", "household no", "household number"}, []string{"so ho khau", "so so ho khau"}},
	{FieldFormID, []string{"so phieu dc01", "ma phieu dc01", "form id"}, nil},
}

// exactRule indexes headerRules by exact folded text.
var exactRule = map[string]string{}

func init() {
	for _, r := range headerRules {
		for _, e := range r.exact {
			if _, dup := exactRule[e]; !dup {
				exactRule[e] = r.field
			}
		}
	}
}

// classifyHeader returns the field a header cell names, or "".
func classifyHeader(h string) string {
	f := fold(h)
	if f == "" {
		return ""
	}
	if field, ok := exactRule[f]; ok {
		if field == FieldHouseholdNo && f == "ho so" && hasDiacritics(h) && canonKey(h) != canonKey("hộ số") {
			return "" // "Hồ sơ", a file, not "Hộ số"
		}
		return field
	}
	for _, r := range headerRules {
		for _, p := range r.prefixes {
			// f is p, or p and a space and more: tested without making
			// p+" " (an allocation a rule, for every cell the header
			// search reads: 4% of the instructions of dancu link's read of
			// 36,000 generated records, issue 13)
			if strings.HasPrefix(f, p) && (len(f) == len(p) || f[len(p)] == ' ') {
				return r.field
			}
		}
	}
	return ""
}

// headerScore is how many distinct known fields a candidate header names,
// and whether one of them is a name.
func headerScore(fields []string) (n int, hasName bool) {
	seen := map[string]bool{}
	for _, f := range fields {
		if f == "" || f == FieldIgnore || seen[f] {
			continue
		}
		seen[f] = true
		n++
		if f == FieldFullName || f == FieldGivenName {
			hasName = true
		}
	}
	return n, hasName
}
