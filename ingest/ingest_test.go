package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

func TestClassifyHeader(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"STT", FieldSTT},
		{"Số TT", FieldSTT},
		{"Mã bản ghi", FieldSourceRecordID},
		{"Họ và tên", FieldFullName},
		{"HỌ TÊN", FieldFullName},
		{"Ho ten", FieldFullName},
		{"Họ, chữ đệm và tên", FieldFullName},
		{"Họ và tên (viết in hoa)", FieldFullName},
		{"Ngày sinh", FieldBirthDate},
		{"Ngày, tháng, năm sinh", FieldBirthDate},
		{"Năm sinh", FieldBirthYear},
		{"Giới tính", FieldSex},
		{"Số định danh cá nhân", FieldIDNumber},
		{"Số ĐDCN", FieldIDNumber},
		{"Số CCCD", FieldIDNumber},
		{"Số CMND", FieldCMND},
		{"Số CMND/CCCD", FieldIDAny},
		{"Dân tộc", FieldEthnicity},
		{"Tôn giáo", FieldReligion},
		{"Quốc tịch", FieldNationality},
		{"Quê quán", FieldNativePlace},
		{"Nơi thường trú", FieldPermAddress},
		{"Nơi ở hiện tại", FieldCurAddress},
		{"Chỗ ở hiện nay", FieldCurAddress},
		{"Họ tên cha", FieldFatherName},
		{"Họ và tên mẹ", FieldMotherName},
		{"Họ tên vợ/chồng", FieldSpouseName},
		{"Họ tên chủ hộ", FieldHouseholdHead},
		{"Quan hệ với chủ hộ", FieldRelationToHead},
		{"QH với chủ hộ", FieldRelationToHead},
		{"Ghi chú", FieldRemark},
		{"", ""},
		{"Nguyễn Văn An", ""},
	} {
		if got := classifyHeader(tc.header); got != tc.want {
			t.Errorf("classifyHeader(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

// messySheet has title rows, a merged two-row header, a column-number row,
// a blank row, a row without a name, a bad optional field and a footer.
func messySheet() [][]any {
	return [][]any{
		{"ỦY BAN NHÂN DÂN XÃ ĐÔNG ANH"},
		{"DANH SÁCH NHÂN KHẨU THÔN 1"},
		{},
		{"STT", "Họ và tên", "Ngày sinh", nil, "Giấy tờ", nil, "Địa chỉ", nil},
		{nil, nil, "Nam", "Nữ", "CMND", "CCCD", "Thường trú", "Hiện tại"},
		{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"},
		{1, "Nguyễn Văn An", 32947, nil, "012345678", "001090012345", "Xã A", "Xã B"},
		{2, "Trần Thị Bình", nil, "15/03/1992", nil, 1190012345, "Xã A", nil},
		{3, nil, "1990", nil, nil, nil, nil, nil},
		{},
		{4, "Lê Văn Cường", "31/02/1990", nil, "12ab", nil, nil, nil},
		{nil, "Người lập biểu", nil, nil, "Trưởng thôn"},
		{nil, "Nguyễn Văn Ký"},
	}
}

func TestXLSXMessy(t *testing.T) {
	dir := t.TempDir()
	p := writeXLSX(t, dir, "messy.xlsx", map[string][][]any{"Thôn 1": messySheet(), "Thôn 2": messySheet()}, "Thôn 1", "Thôn 2")
	for _, strict := range []bool{false, true} {
		items, d := openAll(t, p, Options{Strict: strict})
		if len(d.Sheets) != 2 {
			t.Fatalf("sheets = %d, want 2", len(d.Sheets))
		}
		l := d.Sheets[0]
		if got := l.HeaderRows; len(got) != 2 || got[0] != 4 || got[1] != 5 {
			t.Errorf("header rows = %v, want [4 5]", got)
		}
		wantFields := []string{FieldSTT, FieldFullName, FieldBirthDateMale, FieldBirthDateFem, FieldCMND, FieldIDNumber, FieldPermAddress, FieldCurAddress}
		for i, w := range wantFields {
			if l.Columns[i].Field != w {
				t.Errorf("column %s = %q, want %q", l.Columns[i].Letter, l.Columns[i].Field, w)
			}
		}
		want := map[SkipKind]int{SkipTitle: 2, SkipBlank: 2, SkipHeader: 2, SkipColumnNumbers: 1, SkipFooter: 2}
		if fmt.Sprint(l.ByKind) != fmt.Sprint(want) || l.Rows != 13 || l.Rows != l.Accepted+l.Rejected+l.SkippedRows {
			t.Errorf("rows %d = accepted %d + rejected %d + skipped %d %v, want 13 rows, skipped %v", l.Rows, l.Accepted, l.Rejected, l.SkippedRows, l.ByKind, want)
		}
		if len(l.Skips) != 9 || l.Skips[len(l.Skips)-1].Row != 13 || l.Skips[len(l.Skips)-1].Preview != "Nguyễn V. K." {
			t.Errorf("skipped rows listed: %+v, want 9 with the signature masked last", l.Skips)
		}
		var acc, rej int
		for _, it := range items {
			if (it.Record == nil) == (it.Reject == nil) {
				t.Fatalf("item must have exactly one of record and reject: %+v", it)
			}
			if it.Record != nil {
				acc++
			} else {
				rej++
			}
		}
		wantAcc, wantRej := 3*2, 1*2
		if strict {
			wantAcc, wantRej = 2*2, 2*2
		}
		if acc != wantAcc || rej != wantRej {
			t.Errorf("strict=%v: accepted %d rejected %d, want %d %d", strict, acc, rej, wantAcc, wantRej)
		}
		r := items[0].Record
		if r.FullName != "Nguyễn Văn An" || r.BirthDate != "1990-03-15" || r.BirthYear != 1990 || r.Sex != "M" ||
			r.IDNumber != "001090012345" || r.CMND != "012345678" || r.PermAddress != "Xã A" || r.CurAddress != "Xã B" ||
			r.Row != 7 || r.Sheet != "Thôn 1" || r.FileHash != d.FileHash || r.ImportBatch != d.Batch {
			t.Errorf("first record = %+v", r)
		}
		r = items[1].Record
		if r.Sex != "F" || r.BirthDate != "1992-03-15" || r.IDNumber != "001190012345" {
			t.Errorf("second record: sex %q date %q id %q (leading zeros of a numeric id cell must be restored)", r.Sex, r.BirthDate, r.IDNumber)
		}
		x := items[2].Reject
		if x == nil || x.Row != 9 || x.Column != "Họ và tên" || x.Reason != "missing full name" {
			t.Errorf("third item = %+v, want a reject of row 9 for the missing name", items[2])
		}
		if !strict {
			r = items[3].Record
			// 31/02/1990 keeps the year every one-digit correction of it
			// agrees on (oneDigitDate), noted as kept.
			if r == nil || r.BirthDate != "1990" || r.CMND != "" || len(items[3].Notes) != 2 || items[3].Notes[0].Reason != NoteOneDigitDate {
				t.Errorf("fourth item = %+v, want a record with the date kept as its year, the number dropped and two notes", items[3])
			}
		}
	}
}

func TestRecordIDsAreDeterministic(t *testing.T) {
	dir := t.TempDir()
	p := writeXLSX(t, dir, "a.xlsx", map[string][][]any{"S": messySheet()}, "S")
	a, da := openAll(t, p, Options{})
	b, db := openAll(t, p, Options{Now: func() time.Time { return time.Unix(0, 0) }})
	if da.Batch != db.Batch || da.Batch != DefaultBatch(da.FileHash) {
		t.Errorf("batches %q %q, want both %q", da.Batch, db.Batch, DefaultBatch(da.FileHash))
	}
	if len(a) != len(b) {
		t.Fatalf("%d items then %d", len(a), len(b))
	}
	seen := map[string]bool{}
	for i := range a {
		if a[i].Record != nil {
			if a[i].Record.RecordID != b[i].Record.RecordID {
				t.Errorf("item %d: record id %s then %s", i, a[i].Record.RecordID, b[i].Record.RecordID)
			}
			if seen[a[i].Record.RecordID] {
				t.Errorf("record id %s repeated", a[i].Record.RecordID)
			}
			seen[a[i].Record.RecordID] = true
		} else if a[i].Reject.RejectID != b[i].Reject.RejectID {
			t.Errorf("item %d: reject id %s then %s", i, a[i].Reject.RejectID, b[i].Reject.RejectID)
		}
	}
	// A changed file is a different source: new ids.
	p2 := writeXLSX(t, dir, "b.xlsx", map[string][][]any{"S": append(messySheet(), []any{9, "Phạm Văn Dũng"})}, "S")
	c, _ := openAll(t, p2, Options{})
	if c[0].Record.RecordID == a[0].Record.RecordID {
		t.Errorf("different file content gave the same record id")
	}
}

const csvBody = "STT,Mã bản ghi,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Số CMND,Dân tộc,Nơi thường trú\n" +
	"1,R1,Nguyễn Thị Hoà,05/11/1987,Nữ,001187004321,,Kinh,\"Thôn 1, xã Đông Anh\"\n" +
	"2,R2,Đặng Văn Thủy,1960,Nam,,013456789,Tày,Hà Nội\n" +
	"3,R3,,01/01/2000,Nam,,,,\n"

func TestCSVEncodings(t *testing.T) {
	utf16 := func(order unicode.Endianness) []byte {
		b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(csvBody))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cp1258 := encode1258(t, csvBody)
	for _, tc := range []struct {
		name, enc string
		data      []byte
	}{
		{"utf8", "utf-8", []byte(csvBody)},
		{"bom", "utf-8-bom", append([]byte{0xEF, 0xBB, 0xBF}, csvBody...)},
		{"nfd", "utf-8", norm.NFD.Bytes([]byte(csvBody))},
		{"utf16le", "utf-16le", utf16(unicode.LittleEndian)},
		{"utf16be", "utf-16be", utf16(unicode.BigEndian)},
		{"cp1258", "windows-1258", cp1258},
		{"semicolon", "utf-8", []byte(strings.ReplaceAll(strings.ReplaceAll(csvBody, ",", ";"), "Thôn 1; xã", "Thôn 1, xã"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "list.csv")
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			items, d := openAll(t, p, Options{})
			if d.Encoding != tc.enc {
				t.Errorf("encoding = %q, want %q", d.Encoding, tc.enc)
			}
			if len(items) != 3 || items[0].Record == nil || items[1].Record == nil || items[2].Reject == nil {
				t.Fatalf("items = %+v", items)
			}
			r := items[0].Record
			if r.FullName != "Nguyễn Thị Hoà" || r.SourceRecordID != "R1" || r.BirthDate != "1987-11-05" || r.Sex != "F" ||
				r.IDNumber != "001187004321" || r.PermAddress != "Thôn 1, xã Đông Anh" || r.Ethnicity != "Kinh" || r.Row != 2 || r.SourceKind != "csv" {
				t.Errorf("record 1 = %+v", r)
			}
			r = items[1].Record
			if r.FullName != "Đặng Văn Thủy" || r.BirthDate != "1960" || r.BirthYear != 1960 || r.CMND != "013456789" || r.IDNumber != "" {
				t.Errorf("record 2 = %+v", r)
			}
			if x := items[2].Reject; x.Row != 4 || x.Reason != "missing full name" {
				t.Errorf("reject = %+v", x)
			}
		})
	}
}

func TestCSVTruncatedQuote(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.csv")
	body := "Họ và tên,Ngày sinh\nNguyễn Văn An,1990\n\"Trần Thị"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, p, Options{})
	if len(items) != 2 || items[0].Record == nil {
		t.Fatalf("items = %+v", items)
	}
	// The lazy-quoted tail is read as a name; either way the row is accounted for.
	if items[1].Record == nil && items[1].Reject == nil {
		t.Errorf("last row lost")
	}
}

func TestScannedForms(t *testing.T) {
	lines := []string{
		`{"form_id":"DC01-0001","scan_ref":"scans/0001.png","unit_code":"00004","collected_on":"2019-04-01","fields":{"full_name":{"text":"NGUYỄN VĂN AN","confidence":0.93},"birth_date":{"text":"15/03/1990","confidence":0.71},"sex":{"text":"Nam","confidence":0.99},"id_number":{"text":"001090012345","confidence":0.42}}}`,
		``,
		`{"form_id":"DC01-0002","scan_ref":"scans/0002.png","unit_code":"00004","collected_on":"2019-04-01","fields":{"birth_date":{"text":"1990","confidence":0.9}}}`,
		`{"form_id":"DC01-0003", not json`,
		`{"form_id":"DC01-0004","collected_on":"2019-13-01","fields":{"full_name":{"text":"Lê Thị Hoa","confidence":0.9}}}`,
	}
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, p, Options{})
	if d.Format != "jsonl" || len(items) != 4 {
		t.Fatalf("format %q, %d items: %+v", d.Format, len(items), items)
	}
	checkAccount(t, items, d)
	if l := d.Sheets[0]; l.Rows != 5 || l.ByKind[SkipBlank] != 1 {
		t.Errorf("lines %d, blank %d: want 5 lines, 1 blank", l.Rows, l.ByKind[SkipBlank])
	}
	for _, r := range d.Sheets[0].Rejects {
		if strings.Contains(r.Preview, "Thị Hoa") || strings.Contains(r.Preview, "0010900") || r.Preview == "" {
			t.Errorf("rejected line %d: preview %q", r.Row, r.Preview)
		}
	}
	r := items[0].Record
	if r == nil || r.FormID != "DC01-0001" || r.SourceRecordID != "DC01-0001" || r.ScanRef != "scans/0001.png" ||
		r.CollectingUnit != "00004" || r.SourceDate.Format("2006-01-02") != "2019-04-01" || r.SourceKind != "scan" ||
		r.FullName != "NGUYỄN VĂN AN" || r.BirthDate != "1990-03-15" || r.IDNumber != "001090012345" || r.Row != 1 {
		t.Fatalf("record = %+v", r)
	}
	if c := r.OCRConfidence; c["id_number"] != float32(0.42) || c["full_name"] != float32(0.93) || len(c) != 4 {
		t.Errorf("confidences = %v", c)
	}
	for i, want := range []struct {
		row    uint32
		reason string
	}{{3, "missing full name"}, {4, "invalid JSON"}, {5, "collected_on"}} {
		x := items[i+1].Reject
		if x == nil || x.Row != want.row || !strings.Contains(x.Reason, want.reason) {
			t.Errorf("item %d = %+v, want reject of line %d (%s)", i+1, items[i+1], want.row, want.reason)
		}
	}
}

func TestMapping(t *testing.T) {
	dir := t.TempDir()
	p := writeXLSX(t, dir, "odd.xlsx", map[string][][]any{"S": {
		{"Danh sách"},
		{"Cột 1", "Cột 2", "Cột 3"},
		{"x", "Nguyễn Văn An", "1990"},
		{"y", "Trần Thị Bình", "1991"},
	}}, "S")
	if _, d := openAll(t, p, Options{}); d.Sheets[0].Skipped == "" {
		t.Fatalf("a sheet without a recognisable header must be reported as skipped")
	}
	m, err := ParseMapping(strings.NewReader("header_rows: [2]\ncolumns:\n  full_name: B\n  birth_year: \"Cột 3\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, p, Options{Mapping: m})
	if len(items) != 2 || items[0].Record == nil || items[0].Record.FullName != "Nguyễn Văn An" || items[1].Record.BirthYear != 1991 {
		t.Fatalf("items = %+v, layout %+v", items, d.Sheets)
	}
	for _, bad := range []string{"columns:\n  nonsense: B\n", "encodings:\n  full_name: ebcdic\n", "header_rows: [3, 5]\n", "colums: {}\n"} {
		if _, err := ParseMapping(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseMapping(%q) accepted a bad mapping", bad)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"bad.xlsx", []byte("PK\x03\x04garbage"), "not a valid xlsx"},
		{"img.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00"), "unsupported"},
	} {
		_, err := Open(write(tc.name, tc.data), Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("Open(%s) = %v, want an error naming the file and %q", tc.name, err, tc.want)
		}
	}
	t.Run("xls without LibreOffice", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		// A real workbook: a container with none in it is refused before
		// the converter is looked for (TestOldExcel).
		b, err := os.ReadFile(filepath.Join("testdata", "xls", "tcvn3_danhsach.xls"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Open(write("old.xls", b), Options{})
		if !errors.Is(err, ErrNeedConverter) || !strings.Contains(err.Error(), "old.xls") || !strings.Contains(err.Error(), "apt-get install") {
			t.Errorf("Open(old.xls) = %v, want ErrNeedConverter naming the file and how to install LibreOffice", err)
		}
	})
	if _, err := Open(filepath.Join(dir, "missing.csv"), Options{}); err == nil {
		t.Errorf("Open of a missing file succeeded")
	}
	if _, err := Open(write("big.csv", bytes.Repeat([]byte("a"), 100)), Options{MaxFileSize: 10}); err == nil {
		t.Errorf("Open ignored MaxFileSize")
	}
}

// encode1258 writes s in Windows-1258, which has the vowels with circumflex,
// breve and horn precomposed and the five tone marks as combining
// characters.
func encode1258(t testing.TB, s string) []byte {
	t.Helper()
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		var base, tones []rune
		for _, d := range norm.NFD.String(string(r)) {
			switch d {
			case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
				tones = append(tones, d)
			default:
				base = append(base, d)
			}
		}
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tones))
	}
	out, err := charmap.Windows1258.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScanSchemaInStep keeps schemas/scanned_form.schema.json and the
// reader's field keys in step.
func TestScanSchemaInStep(t *testing.T) {
	b, err := os.ReadFile("../schemas/scanned_form.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Required   []string `json:"required"`
		Properties struct {
			Fields struct {
				Properties map[string]any `json:"properties"`
			} `json:"fields"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	for k := range s.Properties.Fields.Properties {
		if _, ok := scanFieldName[k]; !ok {
			t.Errorf("schema field %q is not read by ingest", k)
		}
	}
	for k := range scanFieldName {
		if _, ok := s.Properties.Fields.Properties[k]; !ok {
			t.Errorf("ingest reads field %q missing from the schema", k)
		}
		if _, ok := fieldIndex[k]; !ok {
			t.Errorf("scan field %q has no record field", k)
		}
	}
}

// TestFieldIndexConstants checks the idx constants assemble reads by
// agree with fieldList's order.
func TestFieldIndexConstants(t *testing.T) {
	for f, i := range map[string]int{
		FieldSourceRecordID: idxSourceRecordID, FieldFullName: idxFullName, FieldFamilyMiddle: idxFamilyMiddle,
		FieldGivenName: idxGivenName, FieldBirthDate: idxBirthDate, FieldBirthYear: idxBirthYear,
		FieldBirthDateMale: idxBirthDateMale, FieldBirthDateFem: idxBirthDateFem, FieldSex: idxSex,
		FieldIDNumber: idxIDNumber, FieldCMND: idxCMND, FieldIDAny: idxIDAny, FieldBirthRegPlace: idxBirthRegPlace,
		FieldNativePlace: idxNativePlace, FieldEthnicity: idxEthnicity, FieldReligion: idxReligion,
		FieldNationality: idxNationality, FieldPermAddress: idxPermAddress, FieldCurAddress: idxCurAddress,
		FieldFatherName: idxFatherName, FieldFatherID: idxFatherID, FieldMotherName: idxMotherName,
		FieldMotherID: idxMotherID, FieldSpouseName: idxSpouseName, FieldSpouseID: idxSpouseID,
		FieldHouseholdHead: idxHouseholdHead, FieldRelationToHead: idxRelationToHead,
		FieldCollectingUnit: idxCollectingUnit, FieldFormID: idxFormID, FieldScanRef: idxScanRef,
		FieldSexMale: idxSexMale, FieldSexFem: idxSexFem, FieldBirthDay: idxBirthDay, FieldBirthMonth: idxBirthMonth,
		FieldRemark: idxRemark, FieldHouseholdNo: idxHouseholdNo,
	} {
		if fieldIndex[f] != i || fieldList[i] != f {
			t.Errorf("field %q: idx constant %d, fieldIndex %d", f, i, fieldIndex[f])
		}
	}
	if idxHouseholdNo != len(fieldList)-1 {
		t.Errorf("%d idx constants for %d fields", idxHouseholdNo+1, len(fieldList))
	}
}

// TestClassifyHeaderPrefixes checks classifyHeader's prefix test against
// its definition (f is a rule's prefix, or starts with it and a space)
// on every prefix as it stands, followed by a space and a word, by a
// letter, and cut short.
func TestClassifyHeaderPrefixes(t *testing.T) {
	byDefinition := func(h string) string {
		f := fold(h)
		if f == "" {
			return ""
		}
		if _, ok := exactRule[f]; ok {
			return classifyHeader(h) // not the prefixes' test
		}
		for _, r := range headerRules {
			for _, p := range r.prefixes {
				if f == p || strings.HasPrefix(f, p+" ") {
					return r.field
				}
			}
		}
		return ""
	}
	n := 0
	for _, r := range headerRules {
		for _, p := range r.prefixes {
			for _, h := range []string{p, p + " so", p + "x", p + "  x", p[:len(p)-1], "x " + p} {
				if got, want := classifyHeader(h), byDefinition(h); got != want {
					t.Fatalf("classifyHeader(%q) = %q, by definition %q", h, got, want)
				}
				if classifyHeader(h) != "" {
					n++
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d headers named a field: the test checks too little", n)
	}
}
