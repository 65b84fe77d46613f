package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// KeyLinker is a simple deterministic rule for the unit tests of the stage
// loops: a record with a valid identification number belongs to the
// person of that number; any other record belongs to the person of its
// folded full name, birth year and sex. The pipeline links with the
// matching engine (EngineLinker).
type KeyLinker struct{}

var _ Linker = KeyLinker{}

// Link implements Linker.
func (KeyLinker) Link(_ context.Context, recs []schemas.Record) (LinkResult, error) {
	now := time.Now()
	version := uint64(now.UnixNano())
	byPerson := make(map[string]int, len(recs))
	var res LinkResult
	for i := range recs {
		r := &recs[i]
		key, rule, prob, idStatus := "", "", 0.0, schemas.IDMissing
		if id := vn.ParseID(r.IDNumber); id.Valid && id.Kind == "cccd" {
			key, rule, prob, idStatus = "id:"+id.Number, "id_exact", 1, schemas.IDInferred
		} else {
			key = "nk:" + vn.Fold(r.FullName) + "|" + strconv.Itoa(int(r.BirthYear)) + "|" + r.Sex
			rule, prob = "name_year_sex", 0.9
		}
		pid := personID(key)
		res.Links = append(res.Links, schemas.Link{
			RecordID: r.RecordID, PersonID: pid, MatchProbability: prob, MatchRule: rule,
			Version: version, LinkedAt: now,
		})
		if j, ok := byPerson[pid]; ok {
			p := &res.Persons[j]
			p.RecordCount++
			if p.IDStatus == schemas.IDInferred {
				p.IDStatus = schemas.IDConfirmed
			}
			continue
		}
		byPerson[pid] = len(res.Persons)
		idn := ""
		if idStatus != schemas.IDMissing {
			idn = r.IDNumber
		}
		res.Persons = append(res.Persons, schemas.Person{
			PersonID: pid, IDNumber: idn, IDStatus: idStatus, FullName: r.FullName,
			BirthDate: r.BirthDate, BirthYear: r.BirthYear, Sex: r.Sex,
			ProvinceCode: r.ProvinceCode(), NewProvinceCode: firstNonEmpty(r.PermNewProvinceCode, r.CurNewProvinceCode),
			CommuneCode: firstNonEmpty(r.PermCommuneCode, r.CurCommuneCode), NewCommuneCode: firstNonEmpty(r.PermNewCommuneCode, r.CurNewCommuneCode),
			RecordCount: 1, Version: version, UpdatedAt: now,
		})
	}
	return res, nil
}

func personID(key string) string {
	h := sha256.Sum256([]byte(key))
	return "P" + hex.EncodeToString(h[:10])
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
