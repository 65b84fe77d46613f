package synth

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// decoders read the legacy encodings with the embedded tables, forwards,
// independently of the encoders under test.
type decoders struct {
	tcvn, tcvnUpper map[rune]rune
	vni             map[string]rune
}

func newDecoders(t *testing.T) *decoders {
	d := &decoders{tcvn: map[rune]rune{}, tcvnUpper: map[rune]rune{}, vni: map[string]rune{}}
	tc := refdata.MustLoad("encodings/tcvn3_to_unicode.tsv")
	for _, r := range tc.Rows {
		l := []rune(tc.Get(r, "legacy_char"))[0]
		d.tcvn[l] = []rune(tc.Get(r, "unicode"))[0]
		d.tcvnUpper[l] = []rune(tc.Get(r, "unicode_upper"))[0]
	}
	vn := refdata.MustLoad("encodings/vni_to_unicode.tsv")
	for _, r := range vn.Rows {
		d.vni[vn.Get(r, "legacy_chars")] = []rune(vn.Get(r, "unicode"))[0]
	}
	return d
}

func (d *decoders) decode(s, enc string) string {
	var b strings.Builder
	switch enc {
	case "tcvn3", "tcvn3-upper":
		m := d.tcvn
		if enc == "tcvn3-upper" {
			m = d.tcvnUpper
		}
		for _, r := range s {
			if u, ok := m[r]; ok {
				b.WriteRune(u)
			} else if enc == "tcvn3-upper" {
				b.WriteRune([]rune(strings.ToUpper(string(r)))[0])
			} else {
				b.WriteRune(r)
			}
		}
	case "vni":
		rs := []rune(s)
		for i := 0; i < len(rs); i++ {
			if i+1 < len(rs) {
				if u, ok := d.vni[string(rs[i:i+2])]; ok {
					b.WriteRune(u)
					i++
					continue
				}
			}
			if u, ok := d.vni[string(rs[i])]; ok && rs[i] >= 128 {
				b.WriteRune(u)
			} else {
				b.WriteRune(rs[i])
			}
		}
	default:
		return s
	}
	return b.String()
}

func TestWriteMessy(t *testing.T) {
	dir := t.TempDir()
	if v := os.Getenv("DANCU_MESSY_OUT"); v != "" {
		dir = v // regenerate the committed fixtures: DANCU_MESSY_OUT=$PWD/../../testdata/sheets
	}
	exp, err := WriteMessy(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	var fromDisk MessyExpected
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fromDisk); err != nil || len(fromDisk.Files) != len(exp.Files) {
		t.Fatalf("expected.json: %v", err)
	}
	d := newDecoders(t)
	problems := map[string]int{}
	for _, f := range exp.Files {
		p := filepath.Join(dir, f.File)
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > 200<<10 {
			t.Errorf("%s is %d bytes, want < 200 KB", f.File, st.Size())
		}
		for _, sh := range f.Sheets {
			var rows [][]string
			if f.Format == "csv" {
				raw, _ := os.ReadFile(p)
				if bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) {
					t.Fatalf("%s has a UTF-8 BOM", f.File)
				}
				u, err := charmap.Windows1258.NewDecoder().Bytes(raw)
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Equal(u, raw) {
					t.Errorf("%s: decoding as Windows-1258 changed nothing", f.File)
				}
				rows, err = csv.NewReader(bytes.NewReader(norm.NFC.Bytes(u))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
			} else {
				x, err := excelize.OpenFile(p)
				if err != nil {
					t.Fatal(err)
				}
				rows, err = x.GetRows(sh.Sheet)
				x.Close()
				if err != nil {
					t.Fatal(err)
				}
			}
			cellAt := func(row, col int) string {
				if row-1 < len(rows) && col < len(rows[row-1]) {
					return rows[row-1][col]
				}
				return ""
			}
			colIdx := map[string]int{}
			for i, c := range sh.Columns {
				colIdx[c.Header] = i
				h := cellAt(sh.HeaderRow+sh.HeaderRows-1, i)
				if sh.HeaderRows == 2 && strings.Contains(c.Header, " / ") || h == "" {
					h = cellAt(sh.HeaderRow, i)
					if strings.Contains(c.Header, " / ") {
						h = cellAt(sh.HeaderRow+1, i)
					}
				}
				enc := c.Encoding
				if f.Format == "xlsx" && c.Font == ".VnTimeH" {
					enc = "tcvn3" // headers of that sheet are in .VnTime
				}
				want := c.Header
				if i := strings.LastIndex(want, " / "); i >= 0 {
					want = want[i+3:]
				}
				if got := d.decode(h, enc); got != want {
					t.Errorf("%s %s column %s: header decodes to %q, want %q", f.File, sh.Sheet, c.Column, got, want)
				}
			}
			if sh.Accepted+sh.Rejected != sh.DataRows || sh.Rejected == 0 || sh.Accepted == 0 {
				t.Errorf("%s %s: accepted %d + rejected %d != data rows %d", f.File, sh.Sheet, sh.Accepted, sh.Rejected, sh.DataRows)
			}
			nonBlank, blank := 0, 0
			for r := sh.FirstDataRow; r <= sh.LastDataRow; r++ {
				if r-1 >= len(rows) || strings.Join(rows[r-1], "") == "" {
					blank++
				} else {
					nonBlank++
				}
			}
			if nonBlank != sh.DataRows || blank != sh.BlankRows || len(sh.Persons) != sh.DataRows {
				t.Errorf("%s %s: %d data rows and %d blank rows in the file, expected.json says %d and %d", f.File, sh.Sheet, nonBlank, blank, sh.DataRows, sh.BlankRows)
			}
			nameCol := -1
			for i, c := range sh.Columns {
				if c.Field == "full_name" {
					nameCol = i
				}
			}
			for _, n := range sh.Names {
				got := d.decode(cellAt(n.Row, nameCol), sh.Columns[nameCol].Encoding)
				if got != n.FullName || n.FullName == "" {
					t.Errorf("%s %s row %d: name decodes to %q, want %q", f.File, sh.Sheet, n.Row, got, n.FullName)
				}
			}
			if len(sh.Names) < 5 {
				t.Errorf("%s %s: only %d expected names", f.File, sh.Sheet, len(sh.Names))
			}
			for _, bad := range sh.BadRows {
				problems[bad.Problem]++
				c := colIdx[bad.Column]
				got := d.decode(cellAt(bad.Row, c), sh.Columns[c].Encoding)
				if got != bad.Value {
					t.Errorf("%s %s row %d: bad cell holds %q, want %q", f.File, sh.Sheet, bad.Row, got, bad.Value)
				}
				switch bad.Problem {
				case ProblemMissingName:
					if got != "" {
						t.Errorf("missing name row has %q", got)
					}
				case ProblemID11Digits:
					if len(got) != 11 {
						t.Errorf("11-digit id row has %q", got)
					}
				}
			}
			if len(sh.Footer) == 0 || sh.Footer[0].Row <= sh.LastDataRow {
				t.Errorf("%s %s: footer %v not below the data", f.File, sh.Sheet, sh.Footer)
			}
		}
	}
	for _, p := range []string{ProblemImpossibleDate, ProblemID11Digits, ProblemMissingName} {
		if problems[p] == 0 {
			t.Errorf("no %s planted", p)
		}
	}
	// Deterministic.
	dir2 := t.TempDir()
	if _, err := WriteMessy(dir2, 1); err != nil {
		t.Fatal(err)
	}
	for _, f := range append(exp.Files, MessyFile{File: "expected.json"}) {
		a, _ := os.ReadFile(filepath.Join(dir, f.File))
		b, _ := os.ReadFile(filepath.Join(dir2, f.File))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", f.File)
		}
	}
}

func TestEncodeLegacyRoundTrip(t *testing.T) {
	e, err := loadEncoders()
	if err != nil {
		t.Fatal(err)
	}
	d := newDecoders(t)
	for _, s := range []string{"Nguyễn Thị Thương", "Đặng Văn Ước", "Phường Ngọc Hà, Quận Ba Đình", "ỦY BAN NHÂN DÂN XÃ ỶA"} {
		for _, font := range []string{".VnTime", ".VnTimeH", "VNI-Times"} {
			enc, dec := e.encode(s, font)
			if enc == s {
				t.Errorf("%s: %q unchanged", font, s)
			}
			if got := d.decode(enc, fontEncoding(font)); got != dec {
				t.Errorf("%s: %q encodes to %q which decodes to %q, want %q", font, s, enc, got, dec)
			}
			if font != ".VnTime" && !strings.EqualFold(dec, s) {
				t.Errorf("%s: %q expected back as %q", font, s, dec)
			}
		}
	}
	b, err := encode1258("Nguyễn Thị Thương, Hoà")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := charmap.Windows1258.NewDecoder().Bytes(b)
	if got := norm.NFC.String(string(u)); got != "Nguyễn Thị Thương, Hoà" {
		t.Errorf("windows-1258 round trip: %q", got)
	}
}

// The committed fixtures must be exactly what WriteMessy makes, so that
// expected.json stays derived from the generator, never hand-edited.
func TestCommittedFixturesCurrent(t *testing.T) {
	committed := filepath.Join("..", "..", "testdata", "sheets")
	if _, err := os.Stat(filepath.Join(committed, "expected.json")); err != nil {
		t.Skip("testdata/sheets not present")
	}
	dir := t.TempDir()
	exp, err := WriteMessy(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(exp.Files, MessyFile{File: "expected.json"}) {
		a, _ := os.ReadFile(filepath.Join(dir, f.File))
		b, err := os.ReadFile(filepath.Join(committed, f.File))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("testdata/sheets/%s is stale: regenerate with `dancu gen --messy testdata/sheets` (%v)", f.File, err)
		}
	}
}
