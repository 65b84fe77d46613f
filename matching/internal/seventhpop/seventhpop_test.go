package seventhpop

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
)

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := Generate(a, 600, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, 600, 3); err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{"truth.csv", "kinds.csv", "persons.csv"}, Files["old"], Files["province"], Files["households"]) {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of one seed (or is empty)", f)
		}
	}
}

// TestNoiseAsDescribed checks the noise kinds against the cells written:
// every record is in truth.csv once, a number in scientific notation has
// lost digits, a number that lost its leading zero has 11 (or 8) digits,
// a serial date is the person's birthday counted from 1899-12-30, an
// ambiguous m/d/y date reads as another valid date when read day first.
func TestNoiseAsDescribed(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(dir, 3000, 5)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := noisefile.Pairs(filepath.Join(dir, "truth.csv"), "source_record_id", "person_id")
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != st.Records {
		t.Fatalf("truth has %d records, %d written", len(truth), st.Records)
	}
	kinds, _ := noisefile.Pairs(filepath.Join(dir, "kinds.csv"), "source_record_id", "kinds")
	pt, _ := noisefile.ReadCSV(filepath.Join(dir, "persons.csv"))
	birth := map[string]string{}
	for _, r := range pt.Rows {
		birth[pt.Get(r, "person_id")] = pt.Get(r, "birth_date")
	}
	seen := map[string]int{}
	for _, src := range Sources {
		raw, err := os.ReadFile(filepath.Join(dir, Files[src]))
		if err != nil {
			t.Fatal(err)
		}
		// the title row is a single cell; the table starts on line 2
		tb, err := noisefile.ReadCSV(filepath.Join(dir, Files[src]))
		if err != nil || len(raw) == 0 {
			t.Fatal(err)
		}
		hdr := tb.Rows[0]
		col := map[string]int{}
		for i, h := range hdr {
			col[h] = i
		}
		idCol, dateCol := hdr[5], hdr[3]
		switch src {
		case "old":
			idCol, dateCol = "SO_CMND", "NGAY_SINH"
		case "province":
			idCol, dateCol = "Số CCCD", "Ngày sinh"
		case "households":
			idCol, dateCol = "Số định danh cá nhân", "Ngày sinh"
		}
		for _, r := range tb.Rows[1:] {
			id := r[1]
			if _, ok := truth[id]; !ok {
				t.Fatalf("%s: %s not in truth.csv", src, id)
			}
			ks := ";" + kinds[id] + ";"
			num, date := r[col[idCol]], r[col[dateCol]]
			for _, k := range strings.Split(kinds[id], ";") {
				seen[k]++
			}
			switch {
			case strings.Contains(ks, ";id_sci;"):
				if !strings.Contains(num, "E+") {
					t.Errorf("%s id_sci %q", id, num)
				}
			case strings.Contains(ks, ";id_lost_zero;"):
				if num[0] == '0' || len(num) != 11 && len(num) != 8 && len(num) != 10 {
					t.Errorf("%s id_lost_zero %q", id, num)
				}
			}
			b := birth[truth[id]]
			y, _ := strconv.Atoi(b[:4])
			m, _ := strconv.Atoi(b[5:7])
			d, _ := strconv.Atoi(b[8:])
			switch {
			case strings.Contains(ks, ";date_serial;"):
				if date != serial(y, m, d) || serial(1987, 3, 5) != "31841" {
					t.Errorf("%s serial %q for %s", id, date, b)
				}
			case strings.Contains(ks, ";date_mdy_ambiguous;"):
				parts := strings.Split(date, "/")
				if len(parts) != 3 || parts[0] != strconv.Itoa(m) || parts[1] != strconv.Itoa(d) || d > 12 || d == m {
					t.Errorf("%s ambiguous m/d/y %q for %s", id, date, b)
				}
			}
		}
	}
	for _, k := range []string{"id_sci", "id_lost_zero", "date_serial", "date_mdy", "date_mdy_ambiguous", "date_datetime", "date_mmm", "given_first", "abbrev_ng", "abbrev_thi", "key_typo", "stale_household", "dup_row", "moved", "addr_reversed"} {
		if seen[k] == 0 {
			t.Errorf("no record of kind %s at 3000 persons", k)
		}
	}
}
