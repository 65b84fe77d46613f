package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A list imported by a dancu before schema version 2 (user28) has its
// records in ClickHouse without a household number or a remark: that
// dancu did not read them. Its correction, sent after the upgrade and
// compared with that batch (--replaces bXXX, read from ClickHouse), read
// them, and every row with one counted as changed: the team saw rows
// they had not touched as corrections. Only the columns both versions
// read are compared now, and the dry run says which were not; the
// replacement itself withdraws the old records and the corrected rows
// carry their household numbers and remarks. End to end on the real
// broker and engine with the registry's match stage. The list is
// imported by this build and its rows then made what an older dancu left
// in ClickHouse once migration 0025 ran: schema_version 1, household_no
// and remark empty (ALTER TABLE … UPDATE).
func TestImportReplacesListOfVersion1(t *testing.T) {
	const header = "STT,Số hộ,Họ và tên,Ngày sinh,Giới tính,Quan hệ với chủ hộ,Địa chỉ thường trú,Ghi chú\n"
	const addr = "\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\""
	oldList := header +
		"1,12,Nguyễn Văn An,15/03/1960,Nam,Chủ hộ," + addr + ",\n" +
		"2,12,Trần Thị Bình,02/07/1962,Nữ,Vợ," + addr + ",Tạm vắng\n" +
		"3,12,Nguyễn Văn Cường,20/11/1988,Nam,Con," + addr + ",Đi làm ăn xa\n" +
		"4,13,Phạm Văn Dũng,09/09/1970,Nam,Chủ hộ," + addr + ",\n"
	// The correction: row 4's birth date; rows 1–3 as they were.
	newList := strings.Replace(oldList, "09/09/1970", "09/09/1971", 1)
	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "dong_hoi_20240501.csv"), filepath.Join(dir, "dong_hoi_sua_20240501.csv")
	for p, s := range map[string]string{oldPath: oldList, newPath: newList} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := startE2EStages(t)
	num := func(q string, args ...any) uint64 { t.Helper(); return queryOne[uint64](t, e.conn, q, args...) }
	oldBatch, newBatch := batchOf(t, oldPath), batchOf(t, newPath)

	e.dancu(t, "import", oldPath)
	e.drain(t)
	if n := num("SELECT count() FROM records FINAL WHERE import_batch = $1 AND household_no = '12'", oldBatch); n != 3 {
		t.Fatalf("%d records of household 12, want 3", n)
	}
	if err := e.conn.Exec(context.Background(), "ALTER TABLE records UPDATE schema_version = 1, household_no = '', remark = '' WHERE import_batch = $1 SETTINGS mutations_sync = 1", oldBatch); err != nil {
		t.Fatal(err)
	}
	if n := num("SELECT count() FROM records FINAL WHERE import_batch = $1 AND schema_version = 1 AND household_no = '' AND remark = ''", oldBatch); n != 4 {
		t.Fatalf("%d records made version 1, want 4", n)
	}

	out := e.dancu(t, "import", "--dry-run", "--rows", "5", "--replaces", oldBatch, newPath)
	e.drain(t)
	if !strings.Contains(out, "(batch "+oldBatch+", read from ClickHouse): 3 rows unchanged, 1 changed, 0 new, 0 gone") {
		t.Errorf("dry run against the version-1 batch: want rows 1–3 unchanged, row 4 changed:\n%s", out)
	}
	if !strings.Contains(out, "not compared: household_no, remark — batch "+oldBatch+" was imported by a dancu of schema version 1") {
		t.Errorf("dry run does not say what it did not compare:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "changed: ") && (strings.Contains(l, "household_no") || strings.Contains(l, "remark") || !strings.Contains(l, `birth_date "1970-09-09" → "1971-09-09"`)) {
			t.Errorf("changed row: %s; want its birth date alone", l)
		}
	}

	// The replacement itself, of the batch read from ClickHouse.
	e.dancu(t, "import", "--replaces", oldBatch, newPath)
	e.drain(t)
	if n := num("SELECT count() FROM records_in_force WHERE import_batch = $1", oldBatch); n != 0 {
		t.Errorf("%d records of the version-1 batch still in force, want none", n)
	}
	// records FINAL, not records_in_force: that view, created with
	// SELECT * before migration 0025, lacks the two columns.
	inForce := "SELECT count() FROM records FINAL WHERE record_id NOT IN (SELECT record_id FROM withdrawn_records) AND import_batch = $1"
	if n := num(inForce+" AND household_no = '12'", newBatch); n != 3 {
		t.Errorf("%d records of the correction in household 12, want 3", n)
	}
	if n := num(inForce+" AND remark != ''", newBatch); n != 2 {
		t.Errorf("%d records of the correction with a remark, want 2", n)
	}
}
