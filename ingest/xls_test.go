package ingest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestXLS reads a legacy .xls workbook (a TCVN3 list in .VnTime and
// .VnTimeH fonts, saved as Excel 97 by LibreOffice from the .xlsx beside
// it) through the LibreOffice conversion, and checks that it gives the
// same mapping, encodings and rows as the .xlsx.
func TestXLS(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		// scripts/setup.sh installs it; in CI a missing converter fails.
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice (soffice) not installed, and CI is set: run scripts/setup.sh as root, or apt-get install libreoffice-calc-nogui")
		}
		t.Skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui (bash scripts/setup.sh does it as root)")
	}
	if testing.Short() {
		t.Skip("converting with LibreOffice takes seconds")
	}
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
