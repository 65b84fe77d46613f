package registry

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// appendDerived (cov24: a new record's derived state found from its
// coverage and blob, without encoding either) writes what
// appendDerivedState writes from the whole state's encoding, and derives
// nothing where it does not: blobs and coverages agreeing, disagreeing
// by one field, without units, months not the first, kinds not of the
// three, codes of 256 bytes. A mismatch of one byte fails it.
func TestAppendDerivedSameAsFromEncoding(t *testing.T) {
	fIndex := map[string]int{}
	for i, n := range []string{"vn.perm_province", "vn.perm_district", "vn.perm_commune", "vn.perm_new_province", "vn.perm_new_commune",
		"vn.cur_province", "vn.cur_district", "vn.cur_commune", "vn.cur_new_province", "vn.cur_new_commune", "vn.id", "vn.cmnd"} {
		fIndex[n] = i
	}
	cf := newCoverageFields(fIndex)
	rng := rand.New(rand.NewPCG(24, 1))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	raw := []byte("0123456789ab")
	var months derivedMonths // shared across cases, as a batch shares it
	derived, whole := 0, 0
	for n := 0; n < 20000; n++ {
		f := make([]string, 12)
		for i := 0; i < 10; i++ {
			f[i] = pick("", "01", "001", "00004", "79", "26734")
		}
		f[10] = pick("", "001099012345", "0010990123", "00109901234x")
		f[11] = pick("", "123456789", "12345678")
		b := &recordBlob{ID: "r", Fields: f}
		month := time.Date(2020+rng.IntN(7), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		switch rng.IntN(10) {
		case 0:
			month = month.AddDate(0, 0, 3)
		case 1:
			month = month.Add(5 * time.Hour)
		case 2:
			month = time.Time{}
		}
		kind := pick(schemas.KindCSV, schemas.KindSpreadsheet, schemas.KindScan, "", "fax")
		var c schemas.RecordCoverage
		switch rng.IntN(4) {
		case 0: // what the blob says
			c = cf.derive(b, kind, month, true)
		case 1: // without units
			c = cf.derive(b, kind, month, false)
		case 2: // one field otherwise
			c = cf.derive(b, kind, month, true)
			switch rng.IntN(8) {
			case 0:
				c.CommuneCode += "1"
			case 1:
				c.NewProvinceCode = ""
			case 2:
				c.HasID = !c.HasID
			case 3:
				c.CMNDOnly = !c.CMNDOnly
			case 4:
				c.DistrictCode = strings.Repeat("9", 300)
			case 5:
				c.SourceKind = strings.Repeat("k", 260)
			case 6:
				c.NewCommuneCode += "2"
			case 7:
				c.ProvinceCode = ""
			}
		default:
			c = schemas.RecordCoverage{ProvinceCode: f[rng.IntN(10)], SourceKind: kind, SourceMonth: month}
		}
		c.SourceMonth = month
		state := append(appendRecordCoverage(nil, c), raw...)
		var scratch []byte
		want, _, wantOK := cf.appendDerivedState([]byte{7}, b, state, &scratch)
		got, ok := cf.appendDerived([]byte{7}, b, &c, &months)
		if ok {
			derived++
		} else {
			whole++
		}
		if ok && (!wantOK || !bytes.Equal(got, want)) {
			t.Fatalf("case %d (%+v, blob %q): appendDerived %x, appendDerivedState %x (%v)", n, c, f, got, want, wantOK)
		}
		long := len(c.DistrictCode) > 255 || len(c.SourceKind) > 255
		if !ok && wantOK && !long {
			t.Fatalf("case %d (%+v, blob %q): appendDerived derives nothing, appendDerivedState %x", n, c, f, want)
		}
	}
	if derived < 1000 || whole < 1000 {
		t.Fatalf("%d states derived, %d not: want both kinds tried", derived, whole)
	}
}
