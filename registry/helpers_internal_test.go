package registry

import (
	"context"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// openAt opens a registry in a new directory with the trained Vietnamese
// settings, its clock stopped at now.
func openAt(t *testing.T, now time.Time) *Registry {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(Config{Dir: t.TempDir(), Settings: s, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// vnRecord is a record of a CSV list of date now, of a woman born on dob
// (YYYY-MM-DD) in commune 16681 (Nghệ An), number the ID number or "".
func vnRecord(now time.Time, id, name, dob, number string) schemas.Record {
	return schemas.Record{RecordID: id, SchemaVersion: schemas.Version, SourceKind: schemas.KindCSV, FullName: name, BirthDate: dob,
		BirthYear: uint16(dob[0]-'0')*1000 + uint16(dob[1]-'0')*100 + uint16(dob[2]-'0')*10 + uint16(dob[3]-'0'), Sex: "F",
		IDNumber: number, PermProvinceCode: "40", PermDistrictCode: "412", PermCommuneCode: "16681", PermNewProvinceCode: "40",
		PermNewCommuneCode: "16681", SourceDate: now}
}

// trainedWithGenerated returns a registry of the shipped Vietnamese
// model (not opened on a store) and the records of a small generated
// population (400 persons, seed 5, its CSV lists and scanned forms), as
// the reader gives them.
func trainedWithGenerated(t *testing.T) (*Registry, []schemas.Record) {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	r, err := newRegistry(Config{Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: 400, Seed: 5, OutDir: dir, Formats: []string{"csv", "jsonl"}})
	if err != nil {
		t.Fatal(err)
	}
	var recs []schemas.Record
	for _, rec := range ingesttest.Records(t, ingest.Options{}, m.SourcePaths(dir)...) {
		recs = append(recs, *rec)
	}
	return r, recs
}
