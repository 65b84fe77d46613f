package ingest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// formLine is a line as `dancu gen` writes a scanned form.
const formLine = `{"form_id":"DC01-03826-000000001","scan_ref":"scans/20190607/03826/DC01-03826-000000001.png","unit_code":"03826","collected_on":"2019-06-07","fields":{"full_name":{"text":"NGUYỄN THỊ PHƯƠNG QUYÊN","confidence":0.96},"birth_date":{"text":"17/5/1989","confidence":0.91},"sex":{"text":"NỮ","confidence":0.94},"id_number":{"text":"014189027227","confidence":0.97},"ethnicity":{"text":"Kinh","confidence":0.98},"religion":{"text":"Không","confidence":0.97},"nationality":{"text":"Việt Nam","confidence":0.93},"native_place":{"text":"Phường Quyết Thắng, Thành phố Sơn La, Tỉnh Sơn La","confidence":0.96},"perm_address":{"text":"Bản An Lạc, Xã Nậm Păm, Huyện Mường La, Tỉnh Sơn La","confidence":0.91},"cur_address":{"text":"Bản An Lạc, Xã Nậm Păm, Huyện Mường La, Tỉnh Sơn La","confidence":0.97},"father_name":{"text":"NGUYỄN VĂN PHONG","confidence":0.97},"mother_name":{"text":"LÊ HOÀNG ANH","confidence":0.98},"household_head":{"text":"NGUYỄN THỊ PHƯƠNG QUYÊN","confidence":0.90},"relation_to_head":{"text":"CHỦ HỘ","confidence":0.98}}}`

func testScanSource() *scanSource {
	at := time.Date(2025, 10, 1, 8, 0, 0, 0, time.UTC)
	return &scanSource{
		desc: Description{File: "f.jsonl"},
		prov: provenance{kind: schemas.KindScan, file: "f.jsonl", hash: "h", batch: "b", now: func() time.Time { return at }},
		line: 7,
	}
}

// TestFormFastAsEncodingJSON checks that formFast takes the usual lines
// (and lines differing from them only in whitespace, nulls, numbers'
// spelling or rejected values) and gives for them what encoding/json's
// decoding gives, and that it leaves every other line to encoding/json.
func TestFormFastAsEncodingJSON(t *testing.T) {
	repl := func(old, new string) string {
		if !strings.Contains(formLine, old) {
			t.Fatalf("%q not in the line", old)
		}
		return strings.Replace(formLine, old, new, 1)
	}
	taken := []string{
		formLine,
		" \t" + strings.NewReplacer(`":`, `" : `, `},"`, "}\r\n,\t\"", `","`, `" , "`, `,"confidence"`, ` ,"confidence"`, `{"`, `{ "`).Replace(formLine) + "  ",
		repl(`"confidence":0.96`, `"confidence":null`),
		repl(`{"text":"NỮ","confidence":0.94}`, `{"confidence":0.94,"text":"NỮ"}`),
		repl(`{"text":"NỮ","confidence":0.94}`, `{"text":null,"confidence":0.94}`),
		repl(`{"text":"NỮ","confidence":0.94}`, `{"text":"NỮ"}`),
		repl(`{"text":"NỮ","confidence":0.94}`, `{}`),
		repl(`"confidence":0.91`, `"confidence":9.1e-1`),
		repl(`"confidence":0.91`, `"confidence":-0`),
		repl(`"confidence":0.91`, `"confidence":1`),
		repl(`"confidence":0.91`, `"confidence":0.1000000000000000055511151231257827`),
		repl(`"confidence":0.91`, `"confidence":1.5`),  // rejected: outside 0..1
		repl(`"confidence":0.91`, `"confidence":-2E0`), // rejected
		repl(`"collected_on":"2019-06-07"`, `"collected_on":"2019-13-07"`),
		repl(`"collected_on":"2019-06-07"`, `"collected_on":""`),
		repl(`"unit_code":"03826",`, ``),
		repl(`"text":"NGUYỄN THỊ PHƯƠNG QUYÊN"`, `"text":"  Nguyễn   thị  "`),
		repl(`"text":"NGUYỄN THỊ PHƯƠNG QUYÊN"`, "\"text\":\"NGUYE\u0302\u0303N THI\u0323\""), // decomposed
		`{"fields":{}}`,
		`{"form_id":"DC01-1","fields":{"full_name":{"text":"A","confidence":7}}}`,
		`{"fields":{"full_name":{"text":"Lê Văn An","confidence":0.9}},"form_id":"DC01-1"}`,
	}
	left := []string{
		``,
		`{}`,
		`[]`,
		`{"full_name":"Lê Văn An","record_id":"R1"}`, // a flat record
		repl(`"form_id"`, `"Form_ID"`),
		repl(`"text":"NỮ"`, `"Text":"NỮ"`),
		repl(`"sex"`, `"gender"`),
		repl(`"scan_ref":"`, `"extra":1,"scan_ref":"`),
		repl(`{"text":"NỮ","confidence":0.94}`, `{"text":"NỮ","confidence":0.94,"box":[1,2]}`),
		repl(`"unit_code":"03826"`, `"unit_code":"03826","unit_code":"03827"`),
		repl(`"sex":{"text":"NỮ","confidence":0.94}`, `"sex":{"text":"NỮ","confidence":0.94},"sex":{"text":"NAM"}`),
		repl(`{"text":"NỮ","confidence":0.94}`, `{"text":"NỮ","text":"NAM"}`),
		repl(`"text":"NỮ"`, `"text":"N\u1eee"`),
		repl(`"text":"NỮ"`, `"text":"N\"Ữ"`),
		repl(`"text":"NỮ"`, "\"text\":\"N\xffỮ\""),
		repl(`"text":"NỮ"`, "\"text\":\"N\tỮ\""),
		repl(`"text":"NỮ"`, `"text":5`),
		repl(`"confidence":0.94`, `"confidence":"0.94"`),
		repl(`"confidence":0.94`, `"confidence":.94`),
		repl(`"confidence":0.94`, `"confidence":094`),
		repl(`"confidence":0.94`, `"confidence":0.`),
		repl(`"confidence":0.94`, `"confidence":+1`),
		repl(`"confidence":0.94`, `"confidence":1e400`),
		repl(`"confidence":0.94`, `"confidence":nul`),
		repl(`"form_id":"DC01-03826-000000001"`, `"form_id":null`),
		repl(`"form_id":"DC01-03826-000000001"`, `"form_id":12`),
		repl(`"fields":{`, `"fields":null,"x":{`),
		formLine + `x`,
		formLine + `{}`,
		formLine[:len(formLine)-1],
		formLine[:200],
		strings.Replace(formLine, `,"fields"`, `,,"fields"`, 1),
		strings.Replace(formLine, `}}}`, `},}}`, 1),
	}
	for i, line := range taken {
		s := testScanSource()
		fast, ok := s.formFast([]byte(line))
		if !ok {
			t.Errorf("line %d left to encoding/json: %s", i, line)
			continue
		}
		if want := testScanSource().formJSON([]byte(line)); !reflect.DeepEqual(fast, want) {
			t.Errorf("line %d: formFast\n%+v\nencoding/json\n%+v", i, itemString(fast), itemString(want))
		}
	}
	for i, line := range left {
		if _, ok := testScanSource().formFast([]byte(line)); ok {
			t.Errorf("left line %d taken: %s", i, line)
		}
	}
	// form gives encoding/json's result for the lines left too.
	for _, line := range append(taken, left...) {
		if got, want := testScanSource().form([]byte(line)), testScanSource().formJSON([]byte(line)); !reflect.DeepEqual(got, want) {
			t.Errorf("form(%s) = %+v, want %+v", line, itemString(got), itemString(want))
		}
	}
}

func itemString(it Item) any {
	if it.Record != nil {
		return *it.Record
	}
	if it.Reject != nil {
		return *it.Reject
	}
	return it
}

// FuzzFormFast checks formFast against encoding/json on any line it takes.
func FuzzFormFast(f *testing.F) {
	f.Add([]byte(formLine))
	f.Add([]byte(`{"form_id":"DC01-1","fields":{"full_name":{"text":"A","confidence":7}}}`))
	f.Add([]byte(`{"fields":{"sex":{"confidence":-0.0e+0,"text":null}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := testScanSource().formFast(b)
		if !ok {
			return
		}
		if want := testScanSource().formJSON(b); !reflect.DeepEqual(fast, want) {
			t.Fatalf("formFast\n%+v\nencoding/json\n%+v", itemString(fast), itemString(want))
		}
	})
}

// BenchmarkScanForm turns one generated scanned form into a record, by
// form (the fast path) and by encoding/json alone:
//
//	go test ./ingest -run '^$' -bench ScanForm -benchmem
func BenchmarkScanForm(b *testing.B) {
	for _, c := range []struct {
		name string
		f    func(*scanSource, []byte) Item
	}{{"decoder=fast", (*scanSource).form}, {"decoder=json", (*scanSource).formJSON}} {
		b.Run(c.name, func(b *testing.B) {
			s, line := testScanSource(), []byte(formLine)
			for b.Loop() {
				if it := c.f(s, line); it.Record == nil {
					b.Fatal("rejected")
				}
			}
		})
	}
}
