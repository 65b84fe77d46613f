package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// oleMagic starts every OLE2 compound file, the container of legacy .xls
// workbooks (Excel 97–2003 BIFF8).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// xlsConvertTimeout bounds one LibreOffice conversion.
const xlsConvertTimeout = 5 * time.Minute

// ErrNeedConverter is returned (wrapped) when a legacy .xls workbook
// arrives and LibreOffice is not installed to convert it.
var ErrNeedConverter = errors.New("legacy .xls workbooks need LibreOffice to convert them: install it with `apt-get install -y --no-install-recommends libreoffice-calc-nogui`, or save the file as .xlsx in Excel")

// openXLS reads a legacy .xls workbook. No maintained pure-Go BIFF8
// reader is among the project's modules, so the workbook is converted to
// .xlsx by LibreOffice (`soffice --headless --convert-to xlsx`) in a
// temporary directory and read as such; font names and cell values survive
// the conversion, so legacy encodings are still detected. The record ids
// use the hash of the original .xls, not of the converted copy.
func openXLS(path string, opts Options) (*xlsxReader, string, error) {
	bin := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		return nil, "", fmt.Errorf("read xls: %w", ErrNeedConverter)
	}
	dir, err := os.MkdirTemp(opts.TempDir, "dancu-xls-")
	if err != nil {
		return nil, "", fmt.Errorf("convert xls: %w", err)
	}
	// The converted copy is removed when the reader is closed.
	ctx, cancel := context.WithTimeout(context.Background(), xlsConvertTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "xlsx", "--outdir", dir, path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("convert xls with %s: %w: %s", bin, err, strings.TrimSpace(string(out)))
	}
	conv := filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+".xlsx")
	if _, err := os.Stat(conv); err != nil {
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("convert xls: LibreOffice wrote no %s: %s", filepath.Base(conv), strings.TrimSpace(string(out)))
	}
	x, err := openXLSX(conv, opts)
	if err != nil {
		os.RemoveAll(dir)
		return nil, "", err
	}
	x.cleanup = func() { os.RemoveAll(dir) }
	return x, "converted from .xls by " + filepath.Base(bin), nil
}
