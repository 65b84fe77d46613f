package ingest

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/schemas"
)

// BenchmarkAssemble validates one register row of the fields `dancu gen`
// writes (a name, a date, sex, an ID, places, parents, a spouse), in
// wall time and in the thread's CPU time (cpu-ns/op: what a shared
// machine's load moves less):
//
//	go test ./ingest -run '^$' -bench Assemble -benchmem
func BenchmarkAssemble(b *testing.B) {
	hash := strings.Repeat("5e", 32) // a file's hash is 64 hex characters, one block of its record ids' SHA-256
	ids := schemas.NewRecordIDs(hash)
	p := provenance{file: "f.csv", hash: hash, ids: &ids, batch: "b", sourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), now: time.Now}
	var rv rowValues
	for _, f := range [][2]string{
		{FieldSourceRecordID, "HS-000123"}, {FieldFullName, "Nguyễn Thị Minh Khai"}, {FieldBirthDate, "12/03/1985"},
		{FieldSex, "Nữ"}, {FieldIDAny, "001185012345"}, {FieldNativePlace, "Xã Tân Hội, Huyện Đan Phượng, Hà Nội"},
		{FieldEthnicity, "Kinh"}, {FieldPermAddress, "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh"},
		{FieldCurAddress, "Thôn 3, Xã Tân Hội, Huyện Đan Phượng, Hà Nội"}, {FieldFatherName, "Nguyễn Văn An"},
		{FieldMotherName, "Trần Thị Bình"}, {FieldSpouseName, "Lê Văn Cường"}, {FieldRelationToHead, "Vợ"},
	} {
		rv.set(f[0], f[1], f[0])
	}
	var rec schemas.Record
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, ok := cputime.Thread()
	for b.Loop() {
		rec = schemas.Record{}
		if it := p.assemble(&rv, "", 2, &rec); it.Reject != nil {
			b.Fatal(it.Reject.Reason)
		}
	}
	if cpu1, _ := cputime.Thread(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}
