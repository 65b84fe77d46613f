package ingest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needSoffice skips a test that converts with LibreOffice when it is not
// installed (scripts/setup.sh installs it; in CI a missing converter
// fails) or with -short.
func needSoffice(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("soffice"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice (soffice) not installed, and CI is set: run scripts/setup.sh as root, or apt-get install libreoffice-calc-nogui")
		}
		t.Skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui (bash scripts/setup.sh does it as root)")
	}
	if testing.Short() {
		t.Skip("converting with LibreOffice takes seconds")
	}
}

// TestXLS reads a legacy .xls workbook (a TCVN3 list in .VnTime and
// .VnTimeH fonts, saved as Excel 97 by LibreOffice from the .xlsx beside
// it) through the LibreOffice conversion, and checks that it gives the
// same mapping, encodings and rows as the .xlsx.
func TestXLS(t *testing.T) {
	needSoffice(t)
	dir := filepath.Join("testdata", "xls")
	want, wd := openAll(t, filepath.Join(dir, "tcvn3_danhsach.xlsx"), Options{})
	got, gd := openAll(t, filepath.Join(dir, "tcvn3_danhsach.xls"), Options{TempDir: t.TempDir()})
	checkAccount(t, got, gd)
	if gd.Format != "xls" || gd.Note == "" {
		t.Errorf("format %q note %q", gd.Format, gd.Note)
	}
	if len(got) != len(want) || len(got) < 30 {
		t.Fatalf("%d items from .xls, %d from .xlsx", len(got), len(want))
	}
	for i, c := range wd.Sheets[0].Columns {
		g := gd.Sheets[0].Columns[i]
		if g.Field != c.Field || g.Encoding != c.Encoding || g.Font != c.Font {
			t.Errorf("column %s: .xls %+v, .xlsx %+v", c.Letter, g, c)
		}
	}
	for i := range want {
		w, g := want[i], got[i]
		if (w.Record == nil) != (g.Record == nil) {
			t.Fatalf("item %d: record in one, reject in the other", i)
		}
		if w.Record != nil && (w.Record.FullName != g.Record.FullName || w.Record.BirthDate != g.Record.BirthDate ||
			w.Record.IDNumber != g.Record.IDNumber || w.Record.Row != g.Record.Row || w.Record.PermAddress != g.Record.PermAddress) {
			t.Errorf("item %d: .xls %+v, .xlsx %+v", i, g.Record, w.Record)
		}
	}
	if gd.FileHash == wd.FileHash || got[0].Record.RecordID == want[0].Record.RecordID {
		t.Errorf("the .xls must be identified by its own bytes")
	}
}

// TestOldExcel: what a data team's older files named .xls turn out to be.
// LibreOffice reads an Excel 5.0/95 workbook (BIFF5, its text in
// Windows-1258), a bare Excel 4.0 worksheet (BIFF4; refused before as "not
// an Excel 97–2003 workbook"), an HTML table and an Excel 2003 XML
// spreadsheet named .xls (read as CSV before, and failed with "no header
// row found"): each gives its rows, names decoded, and the summary says
// what the file was. An Office file with no workbook in it (a Word
// document named .xls) or a workbook cut short fails naming the file and
// what it is — before, LibreOffice read its bytes as text and the import
// failed on a sheet of binary characters. Without LibreOffice a legacy
// workbook fails naming the file and how to install it. The fixtures are
// made by testdata/xls/make_legacy.py.
func TestOldExcel(t *testing.T) {
	dir := filepath.Join("testdata", "xls")
	cut := filepath.Join(t.TempDir(), "cut.xls")
	b, err := os.ReadFile(filepath.Join(dir, "excel95_cp1258.xls"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, b[:1536], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, want string }{
		{filepath.Join(dir, "word_named_xls.xls"), "a Word document, not a workbook"},
		{cut, "a workbook cut short"},
	} {
		_, err := Open(c.file, Options{TempDir: t.TempDir()})
		if err == nil || !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.file) {
			t.Errorf("%s: %v, want an error naming the file and saying %q", c.file, err, c.want)
		}
	}
	t.Run("no LibreOffice", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		p := filepath.Join(dir, "excel95_cp1258.xls")
		if _, err := Open(p, Options{}); !errors.Is(err, ErrNeedConverter) || !strings.Contains(err.Error(), p) {
			t.Errorf("without LibreOffice: %v", err)
		}
	})

	needSoffice(t)
	for _, c := range []struct {
		file, note string
		records    int
	}{
		{"excel95_cp1258.xls", "converted from .xls", 3},
		{"html_export.xls", "an HTML table named .xls", 1},
		// excel4_cp1258.xls and excel2003_xml.xls convert alike (tried
		// once: 3 and 1 records); TestLegacyExcel tells them apart.
	} {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel() // LibreOffice's start is most of a conversion
			items, d := openAll(t, filepath.Join(dir, c.file), Options{TempDir: t.TempDir()})
			checkAccount(t, items, d)
			if d.Format != "xls" || !strings.Contains(d.Note, c.note) {
				t.Errorf("format %q, note %q, want one saying %q", d.Format, d.Note, c.note)
			}
			if len(items) != c.records || items[0].Record == nil || items[0].Record.FullName != "Nguyễn Văn An" || items[0].Record.BirthDate != "1990-03-15" {
				t.Errorf("%d items, first %+v; want %d records, the first Nguyễn Văn An born 1990-03-15", len(items), items[0].Record, c.records)
			}
			if c.file == "excel95_cp1258.xls" {
				excel95Header(t, d)
			}
		})
	}
}

// TestLegacyExcel tells what a file named .xls is when it is no OLE2
// workbook, from its first bytes: what LibreOffice converts, and nothing
// else (a CSV or TSV named .xls is read as text).
func TestLegacyExcel(t *testing.T) {
	for file, want := range map[string]string{
		"excel4_cp1258.xls":  "an Excel 2.1–4.0 worksheet (BIFF4)",
		"excel2003_xml.xls":  "an Excel 2003 XML spreadsheet",
		"html_export.xls":    "an HTML table",
		"excel95_cp1258.xls": "", // an OLE2 workbook: openXLS as such
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "xls", file))
		if err != nil {
			t.Fatal(err)
		}
		if got := legacyExcel(b[:min(len(b), 512)]); !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("%s: %q, want %q", file, got, want)
		}
	}
	for _, text := range []string{"Họ và tên\tNgày sinh\n", "STT,Họ và tên\n1,<Nguyễn Văn An>\n", "<?xml version=\"1.0\"?><note/>"} {
		if got := legacyExcel([]byte(text)); got != "" {
			t.Errorf("%q: %q, want none", text, got)
		}
	}
}
