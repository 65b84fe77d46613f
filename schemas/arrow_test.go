package schemas_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/schemas"
)

func TestArrowSchemaMatchesRecordColumns(t *testing.T) {
	s := schemas.RecordArrowSchema()
	if s.NumFields() != len(schemas.RecordColumns) {
		t.Fatalf("%d Arrow fields, %d RecordColumns", s.NumFields(), len(schemas.RecordColumns))
	}
	want := map[string]string{ // ClickHouse type → Arrow type
		"String":                 "utf8",
		"LowCardinality(String)": "utf8",
		"UInt16":                 "uint16",
		"UInt32":                 "uint32",
		"Date32":                 "date32",
		"Map(String, Float32)":   "map<utf8, float32, keys_sorted, items_non_nullable>",
	}
	for i, c := range schemas.RecordColumns {
		f := s.Field(i)
		if f.Name != c.Name {
			t.Errorf("field %d: Arrow %q, RecordColumns %q", i, f.Name, c.Name)
		}
		w, ok := want[c.CHType]
		if !ok {
			t.Errorf("column %s: ClickHouse type %s has no expected Arrow type in this test", c.Name, c.CHType)
			continue
		}
		if got := f.Type.String(); got != w {
			t.Errorf("column %s (%s): Arrow type %s, want %s", c.Name, c.CHType, got, w)
		}
	}
	md := s.Metadata()
	if i := md.FindKey(schemas.MetaSchemaVersion); i < 0 || md.Values()[i] != strconv.Itoa(schemas.Version) {
		t.Errorf("schema metadata %v lacks %s=%d", md, schemas.MetaSchemaVersion, schemas.Version)
	}
	if i := md.FindKey(schemas.MetaRowType); i < 0 || md.Values()[i] != "record" {
		t.Errorf("schema metadata %v lacks %s=record", md, schemas.MetaRowType)
	}
}

func TestArrowSchemasOfOtherTables(t *testing.T) {
	for _, tc := range []struct {
		name   string
		schema func() (*arrow.Schema, error)
		tags   []string
		types  map[string]string // field → Arrow type, spot checks
	}{
		{"reject", schemas.ArrowSchema[schemas.Reject], schemas.Tags(schemas.Reject{}),
			map[string]string{"row": "uint32", "rejected_at": "timestamp[ms, tz=UTC]"}},
		{"person", schemas.ArrowSchema[schemas.Person], schemas.Tags(schemas.Person{}),
			map[string]string{"version": "uint64", "birth_year": "uint16"}},
		{"link", schemas.ArrowSchema[schemas.Link], schemas.Tags(schemas.Link{}),
			map[string]string{"match_probability": "float64"}},
		{"conflict", schemas.ArrowSchema[schemas.Conflict], schemas.Tags(schemas.Conflict{}),
			map[string]string{"person_ids": "list<item: utf8>", "score": "float64"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.schema()
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range s.Fields() {
				names = append(names, f.Name)
			}
			if !reflect.DeepEqual(names, tc.tags) {
				t.Errorf("fields %v, ch tags %v", names, tc.tags)
			}
			for name, typ := range tc.types {
				fs, ok := s.FieldsByName(name)
				if !ok || fs[0].Type.String() != typ {
					t.Errorf("field %s: %v, want %s", name, fs, typ)
				}
			}
			if md := s.Metadata(); md.FindKey(schemas.MetaRowType) < 0 || md.Values()[md.FindKey(schemas.MetaRowType)] != tc.name {
				t.Errorf("metadata %v: want row type %s", md, tc.name)
			}
		})
	}
}

func TestArrowSchemaRejectsUnsupportedType(t *testing.T) {
	type bad struct {
		N int `ch:"n"`
	}
	if _, err := schemas.ArrowSchema[bad](); err == nil || !strings.Contains(err.Error(), "field N") {
		t.Fatalf("err %v, want one naming field N", err)
	}
	if _, err := schemas.EncodeRows([]bad{{1}}); err == nil {
		t.Fatal("encoded a type with an unsupported field")
	}
}

var (
	day     = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	instant = time.Date(2026, 11, 27, 9, 30, 15, 123e6, time.UTC)
)

// fullRecord is a record with every field set.
func fullRecord(i int) schemas.Record {
	hash := fmt.Sprintf("%064x", i)
	return schemas.Record{
		RecordID:            schemas.RecordID(hash, "Danh sách", i+2),
		SchemaVersion:       schemas.Version,
		SourceKind:          schemas.KindSpreadsheet,
		SourceFile:          "ha_noi_ba_dinh.xlsx",
		FileHash:            hash,
		Sheet:               "Danh sách",
		Row:                 uint32(i + 2),
		SourceRecordID:      "HN-" + strconv.Itoa(i),
		FormID:              "DC01-" + strconv.Itoa(100000+i),
		ScanRef:             "scan/0001/" + strconv.Itoa(i) + ".png",
		ImportBatch:         "b-2026-11-27",
		CollectingUnit:      "00004",
		SourceDate:          day,
		FullName:            "Nguyễn Thị Thuỷ",
		FamilyName:          "Nguyễn",
		MiddleName:          "Thị",
		GivenName:           "Thuỷ",
		BirthDate:           "1990-03-15",
		BirthYear:           1990,
		Sex:                 "F",
		IDNumber:            "001190012345",
		CMND:                "012345678",
		BirthRegPlace:       "Phường Trúc Bạch, Quận Ba Đình, Hà Nội",
		NativePlace:         "Xã Đông Hội, Huyện Đông Anh, Hà Nội",
		Ethnicity:           "Kinh",
		Religion:            "Không",
		Nationality:         "Việt Nam",
		PermAddress:         "Số 12 ngõ 34 phố Hòe Nhai, Phường Trúc Bạch, Quận Ba Đình",
		PermProvinceCode:    "01",
		PermDistrictCode:    "001",
		PermCommuneCode:     "00004",
		PermNewProvinceCode: "01",
		PermNewCommuneCode:  "00004",
		CurAddress:          "Thôn Đoài, xã Thủy Nguyên",
		CurProvinceCode:     "31",
		CurDistrictCode:     "311",
		CurCommuneCode:      "11311",
		CurNewProvinceCode:  "31",
		CurNewCommuneCode:   "11311",
		FatherName:          "Nguyễn Văn Hòa",
		FatherID:            "001060001111",
		MotherName:          "Trần Thị Ánh",
		MotherID:            "001165002222",
		SpouseName:          "Lê Đức Ưng",
		SpouseID:            "031089003333",
		HouseholdHead:       "Nguyễn Văn Hòa",
		RelationToHead:      "Con",
		OCRConfidence:       map[string]float32{"full_name": 0.97, "birth_date": 0.5, "id_number": 1},
	}
}

func TestRecordsRoundTrip(t *testing.T) {
	nfd := fullRecord(7)
	nfd.FullName = norm.NFD.String("Nguyễn Thị Thuỷ") // decomposed text must come back byte for byte
	nfd.OCRConfidence = map[string]float32{}          // empty, not nil
	nfd.SourceDate = time.Date(1989, 12, 31, 23, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	maxed := fullRecord(8)
	maxed.Row, maxed.BirthYear = ^uint32(0), ^uint16(0)
	maxed.SourceDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

	for _, tc := range []struct {
		name string
		in   []schemas.Record
	}{
		{"nil slice", nil},
		{"one full record", []schemas.Record{fullRecord(1)}},
		{"zero record", []schemas.Record{{}}},
		{"empty strings and zero times among full records", []schemas.Record{fullRecord(1), {RecordID: "r1"}, fullRecord(2)}},
		{"NFD text, empty map, date in another zone", []schemas.Record{nfd}},
		{"extreme values", []schemas.Record{maxed}},
		{"many", manyRecords(2500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := schemas.EncodeRecords(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := schemas.DecodeRecords(b)
			if err != nil {
				t.Fatal(err)
			}
			want := normaliseRecords(tc.in)
			if len(got) != len(want) {
				t.Fatalf("%d records back, %d sent", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
				}
			}
			info, err := schemas.PeekBatch(b)
			if err != nil || info.RowType != "record" || info.SchemaVersion != schemas.Version {
				t.Errorf("PeekBatch: %+v, %v", info, err)
			}
		})
	}
}

// normaliseRecords gives what a round trip is documented to return: dates
// as the UTC midnight of their calendar date.
func normaliseRecords(in []schemas.Record) []schemas.Record {
	out := make([]schemas.Record, len(in))
	for i, r := range in {
		if !r.SourceDate.IsZero() {
			y, m, d := r.SourceDate.Date()
			r.SourceDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		out[i] = r
	}
	return out
}

func manyRecords(n int) []schemas.Record {
	rs := make([]schemas.Record, n)
	for i := range rs {
		rs[i] = fullRecord(i)
		if i%3 == 0 {
			rs[i].OCRConfidence = nil
			rs[i].IDNumber = ""
		}
	}
	return rs
}

func TestEncodingIsDeterministic(t *testing.T) {
	rs := manyRecords(50)
	a, err := schemas.EncodeRecords(rs)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ { // map iteration order differs from run to run
		b, err := schemas.EncodeRecords(rs)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("same records, different bytes")
		}
	}
}

func TestOtherRowsRoundTrip(t *testing.T) {
	t.Run("reject", func(t *testing.T) {
		roundTrip(t, []schemas.Reject{
			{RejectID: "x1", SourceFile: "a.csv", Row: 3, Column: "Ngày sinh", Value: "31/02/1990", Reason: "ngày không tồn tại", RejectedAt: instant},
			{},
		})
	})
	t.Run("person", func(t *testing.T) {
		roundTrip(t, []schemas.Person{
			{PersonID: "p1", IDNumber: "001190012345", IDStatus: schemas.IDConfirmed, FullName: "Đặng Thị Hoà", BirthYear: 1990, RecordCount: 3, Version: ^uint64(0), UpdatedAt: instant},
			{PersonID: "p2", IDStatus: schemas.IDMissing},
		})
	})
	t.Run("link", func(t *testing.T) {
		roundTrip(t, []schemas.Link{
			{RecordID: "r1", PersonID: "p1", MatchProbability: 0.999999, MatchRule: "id", Version: 2, LinkedAt: instant},
			{RecordID: "r2"},
		})
	})
	t.Run("conflict", func(t *testing.T) {
		roundTrip(t, []schemas.Conflict{
			{ConflictID: "c1", Kind: schemas.ConflictSharedID, PersonIDs: []string{"p1", "p2"}, RecordIDs: []string{"r1", "", "r3"}, Score: 0.5, Explanation: "cùng số định danh, khác ngày sinh", CreatedAt: instant},
			{ConflictID: "c2", PersonIDs: []string{}, RecordIDs: nil},
		})
	})
	t.Run("person event", func(t *testing.T) {
		roundTrip(t, []schemas.PersonEvent{
			{EventID: "e1", Kind: schemas.PersonMerge, PersonID: "Pabc", Others: []string{"Pdef"}, Records: 3, Reason: "edges", Version: 7, At: instant},
			{EventID: "e2", Kind: schemas.PersonSplit, Others: []string{}},
		})
	})
	// Enough rows that the coverage deltas' buffers are compressed.
	month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t.Run("record delta", func(t *testing.T) {
		rows := make([]schemas.RecordDelta, 2000)
		for i := range rows {
			rows[i] = schemas.RecordDelta{Batch: "0123456789abcdef01234567", Seq: uint32(i), OldKnown: 1, ProvinceCode: "40", DistrictCode: "412",
				CommuneCode: fmt.Sprintf("%05d", 16000+i), NewProvinceCode: "40", NewCommuneCode: "16681", SourceKind: schemas.KindScan,
				SourceMonth: month, LoadMonth: month, Added: uint32(i % 3), RemovedWithID: uint32(i % 2)}
		}
		rows[7].RecordID, rows[7].OldKnown = "r7", 0
		roundTrip(t, rows)
	})
	t.Run("person delta sum", func(t *testing.T) {
		rows := make([]schemas.PersonDeltaSum, 2000)
		for i := range rows {
			rows[i] = schemas.PersonDeltaSum{Batch: "0123456789abcdef01234567", Seq: uint32(i), ProvinceCode: "40", CommuneCode: fmt.Sprintf("%05d", 16000+i),
				BirthYear: uint16(2010 + i%10), ChangeMonth: month, Added: 1, AddedCMNDOnly: uint32(i % 2)}
		}
		roundTrip(t, rows)
	})
	t.Run("person delta", func(t *testing.T) {
		roundTrip(t, []schemas.PersonDelta{{Batch: "b", Seq: 1, PersonID: "Pabc", Version: 3, ChangedAt: instant, Living: 1, ProvinceCode: "40",
			CommuneCode: "16681", HasID: 1, OldLiving: 1, OldProvinceCode: "40", OldCommuneCode: "16684"}})
	})
	t.Run("decision", func(t *testing.T) {
		roundTrip(t, []schemas.Decision{
			{DecisionID: "d1", ConflictID: "c1", PersonIDs: []string{"Pabc", "Pdef"}, RecordIDs: []string{"r1", "r2"},
				Decision: schemas.DecisionDifferentPersons, User: "reviewer01", Note: "khác cha mẹ", DecidedAt: instant},
			// The reviewer's grouping: a nested list, one group empty
			// (what a decoder must keep apart from no groups at all).
			{DecisionID: "d2", ConflictID: "c2", PersonIDs: []string{"Pabc"}, RecordIDs: []string{"r1", "r2", "r3"},
				Decision: schemas.DecisionDifferentPersons, Groups: [][]string{{"r1", "r3"}, {"r2"}, {}}, DecidedAt: instant},
			{DecisionID: "d3", Groups: [][]string{}},
		})
	})
}

func roundTrip[T any](t *testing.T, in []T) {
	t.Helper()
	b, err := schemas.EncodeRows(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := schemas.DecodeRows[T](b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, in)
	}
}

// batchWithMetadata writes an empty batch of the record schema with md.
func batchWithMetadata(t *testing.T, md map[string]string) []byte {
	t.Helper()
	s := schemas.RecordArrowSchema()
	meta := arrow.MetadataFrom(md)
	s = arrow.NewSchema(s.Fields(), &meta)
	return writeBatch(t, s)
}

func writeBatch(t *testing.T, s *arrow.Schema) []byte {
	t.Helper()
	rb := array.NewRecordBuilder(memory.NewGoAllocator(), s)
	defer rb.Release()
	for i := 0; i < s.NumFields(); i++ {
		rb.Field(i).AppendNull()
	}
	rec := rb.NewRecord()
	defer rec.Release()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(s))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMessagesAreLZ4: every row type's messages are LZ4 (rowCodec.encode),
// and a zstd message, as written before issue 9, still decodes.
func TestMessagesAreLZ4(t *testing.T) {
	lz4Magic := []byte{0x04, 0x22, 0x4d, 0x18}  // LZ4 frame, little-endian 0x184D2204
	zstdMagic := []byte{0x28, 0xb5, 0x2f, 0xfd} // zstd frame
	rs := manyRecords(200)
	recs, err := schemas.EncodeRecords(rs)
	if err != nil {
		t.Fatal(err)
	}
	persons, err := schemas.EncodeRows(manyPersons(200))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"records": recs, "persons": persons} {
		if !bytes.Contains(b, lz4Magic) || bytes.Contains(b, zstdMagic) {
			t.Errorf("%s: not an LZ4 message (LZ4 frame %v, zstd frame %v)", name, bytes.Contains(b, lz4Magic), bytes.Contains(b, zstdMagic))
		}
	}

	// Rewrite the records' message with zstd, as Arrow's own writer does.
	r, err := ipc.NewReader(bytes.NewReader(recs))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	if !r.Next() {
		t.Fatalf("no batch: %v", r.Err())
	}
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(r.Schema()), ipc.WithZstd())
	if err := w.Write(r.Record()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), zstdMagic) {
		t.Fatal("the rewritten message is not zstd")
	}
	got, err := schemas.DecodeRecords(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rs) {
		t.Error("a zstd message decodes to other records")
	}
}

func manyPersons(n int) []schemas.Person {
	ps := make([]schemas.Person, n)
	for i := range ps {
		ps[i] = schemas.Person{PersonID: fmt.Sprintf("P%023d", i), FullName: "NGUYỄN VĂN AN", BirthDate: "1987-03-14", BirthYear: 1987, Sex: "M",
			ProvinceCode: "40", NewProvinceCode: "40", CommuneCode: fmt.Sprintf("%05d", 16000+i%50), NewCommuneCode: "16681",
			RecordCount: uint32(1 + i%3), Version: uint64(i), UpdatedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		if i%2 == 0 {
			ps[i].IDNumber, ps[i].IDStatus = fmt.Sprintf("040%09d", i), "valid"
		}
	}
	return ps
}

func manyLinks(n int) []schemas.Link {
	ls := make([]schemas.Link, n)
	for i := range ls {
		ls[i] = schemas.Link{RecordID: fmt.Sprintf("r%023d", i), PersonID: fmt.Sprintf("P%023d", i/2), MatchProbability: 0.9 + float64(i%10)/100,
			MatchRule: "id_number", Version: uint64(i), LinkedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	}
	return ls
}

func TestDecodeRejects(t *testing.T) {
	good, err := schemas.EncodeRecords(manyRecords(20))
	if err != nil {
		t.Fatal(err)
	}
	persons, err := schemas.EncodeRows([]schemas.Person{{PersonID: "p1"}})
	if err != nil {
		t.Fatal(err)
	}
	v := strconv.Itoa(schemas.Version)
	otherFields := arrow.NewSchema(schemas.RecordArrowSchema().Fields()[1:], func() *arrow.Metadata {
		m := arrow.MetadataFrom(map[string]string{schemas.MetaSchemaVersion: v, schemas.MetaRowType: "record"})
		return &m
	}())
	for _, tc := range []struct {
		name    string
		in      []byte
		wantIs  error
		wantMsg string
	}{
		{"future version", batchWithMetadata(t, map[string]string{schemas.MetaSchemaVersion: "99", schemas.MetaRowType: "record"}),
			schemas.ErrUnknownSchemaVersion, `dancu.schema_version "99"`},
		{"no version", batchWithMetadata(t, map[string]string{schemas.MetaRowType: "record"}),
			schemas.ErrUnknownSchemaVersion, "no dancu.schema_version"},
		{"garbage version", batchWithMetadata(t, map[string]string{schemas.MetaSchemaVersion: "one", schemas.MetaRowType: "record"}),
			schemas.ErrUnknownSchemaVersion, `"one"`},
		{"persons as records", persons, schemas.ErrSchemaMismatch, `"person" rows`},
		{"missing field", writeBatch(t, otherFields), schemas.ErrSchemaMismatch, "fields"},
		{"empty input", nil, nil, "read Arrow IPC schema"},
		{"not Arrow", []byte("Họ và tên,Ngày sinh\nNguyễn Văn A,1990"), nil, "decode record batch"},
		{"truncated", good[:len(good)/2], nil, "decode record batch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := schemas.DecodeRecords(tc.in)
			if err == nil {
				t.Fatalf("decoded %d records, want an error", len(got))
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("err %v, want errors.Is %v", err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("err %q, want it to contain %q", err, tc.wantMsg)
			}
		})
	}
}

func FuzzDecodeRecords(f *testing.F) {
	good, err := schemas.EncodeRecords(manyRecords(3))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)-9])
	empty, _ := schemas.EncodeRecords(nil)
	f.Add(empty)
	f.Add([]byte("ARROW1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := schemas.DecodeRecords(b) // must not panic
		if err != nil {
			return
		}
		// Whatever decodes must encode and decode to the same records.
		again, err := schemas.EncodeRecords(rs)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		rs2, err := schemas.DecodeRecords(again)
		if err != nil {
			t.Fatalf("decode re-encoded: %v", err)
		}
		if len(rs2) != len(rs) {
			t.Fatalf("%d records, %d after re-encoding", len(rs), len(rs2))
		}
	})
}

func BenchmarkRecordsEncodeDecode(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		rs := manyRecords(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for i := 0; i < b.N; i++ {
				enc, err := schemas.EncodeRecords(rs)
				if err != nil {
					b.Fatal(err)
				}
				size = len(enc)
				if _, err := schemas.DecodeRecords(enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(size)/float64(n), "wire-bytes/record")
		})
	}
}

func BenchmarkRecordsEncode(b *testing.B) {
	rs := manyRecords(10000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := schemas.EncodeRecords(rs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkEncodeMessage: one message of the match stage's output (at
// most 2,000 rows, pipelines.MatchConfig.ChunkRows) per kind, and a small
// one: the compressor's cost per message.
func BenchmarkEncodeMessage(b *testing.B) {
	bench := func(name string, n int, enc func() ([]byte, error)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for i := 0; i < b.N; i++ {
				m, err := enc()
				if err != nil {
					b.Fatal(err)
				}
				size = len(m)
			}
			b.ReportMetric(float64(size)/float64(n), "wire-bytes/row")
		})
	}
	rs, ps, ls := manyRecords(2000), manyPersons(2000), manyLinks(2000)
	bench("records-2000", 2000, func() ([]byte, error) { return schemas.EncodeRecords(rs) })
	bench("persons-2000", 2000, func() ([]byte, error) { return schemas.EncodeRows(ps) })
	bench("links-2000", 2000, func() ([]byte, error) { return schemas.EncodeRows(ls) })
	bench("links-20", 20, func() ([]byte, error) { return schemas.EncodeRows(ls[:20]) })
}

func BenchmarkRecordsDecode(b *testing.B) {
	enc, err := schemas.EncodeRecords(manyRecords(10000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(enc)))
	for i := 0; i < b.N; i++ {
		if _, err := schemas.DecodeRecords(enc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(10000*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// TestConcurrentEncodeDecode: the codecs are shared between goroutines
// (the importer encodes on several); run it with -race.
func TestConcurrentEncodeDecode(t *testing.T) {
	rs := manyRecords(200)
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 5; i++ {
				b, err := schemas.EncodeRecords(rs)
				if err != nil {
					errs <- err
					return
				}
				back, err := schemas.DecodeRecords(b)
				if err != nil {
					errs <- err
					return
				}
				if len(back) != len(rs) || back[199].FullName != rs[199].FullName {
					errs <- fmt.Errorf("got %d records back", len(back))
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestEncodeRecordPtrsSameBytes: records held by pointer encode to the
// bytes of the same records in one slice, and a map's entries come back
// whatever order the map gave them in (the test fails if EncodeRowPtrs
// reads another record's fields, or the map's keys go unsorted: the
// bytes would then follow the map's iteration order, which differs from
// one encoding to the next).
func TestEncodeRecordPtrsSameBytes(t *testing.T) {
	rs := manyRecords(300)
	for i := range rs {
		if rs[i].OCRConfidence != nil {
			for _, k := range []string{"sex", "cur_address", "perm_address", "ethnicity", "mother_name", "father_name", "religion"} {
				rs[i].OCRConfidence[k] = float32(i%97) / 100
			}
		}
	}
	want, err := schemas.EncodeRecords(rs)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, len(rs)} {
		ptrs := make([]*schemas.Record, n)
		for i := range ptrs {
			ptrs[i] = new(schemas.Record)
			*ptrs[i] = rs[i] // apart, not one array
		}
		for range 3 {
			got, err := schemas.EncodeRecordPtrs(ptrs)
			if err != nil {
				t.Fatal(err)
			}
			w, err := schemas.EncodeRecords(rs[:n])
			if err != nil {
				t.Fatal(err)
			}
			if n == len(rs) && !bytes.Equal(w, want) || !bytes.Equal(got, w) {
				t.Fatalf("%d records by pointer: %d bytes, not the slice's %d", n, len(got), len(w))
			}
		}
	}
	back, err := schemas.DecodeRecords(want)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		if !reflect.DeepEqual(back[i].OCRConfidence, rs[i].OCRConfidence) {
			t.Fatalf("record %d: confidences %v, sent %v", i, back[i].OCRConfidence, rs[i].OCRConfidence)
		}
	}
}
