package ingest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"
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
//
// what says what the file is when it is not an OLE2 workbook (legacyExcel:
// an Excel 2.1–4.0 worksheet, an HTML table or an Excel 2003 XML
// spreadsheet named .xls, which LibreOffice reads too); "" for one.
func openXLS(path string, opts Options, what string) (*xlsxReader, string, error) {
	bin := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if what == "" {
		if err := oleWorkbook(path); err != nil {
			return nil, "", fmt.Errorf("read xls: %w: %w", err, ErrUnsupported)
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
	if what != "" {
		return x, what + ", converted by " + filepath.Base(bin), nil
	}
	return x, "converted from .xls by " + filepath.Base(bin), nil
}

// legacyExcel says what a file named .xls is when it is no OLE2 workbook
// but something Excel opens and LibreOffice converts: a worksheet of Excel
// 2.1 to 4.0 (a bare BIFF2–4 stream, starting with its BOF record), a
// page of HTML (web systems export "Excel" so) or an Excel 2003 XML
// spreadsheet. "" for anything else.
func legacyExcel(head []byte) string {
	if len(head) >= 8 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04 || head[1] == 0x08) {
		if n := int(head[2]) | int(head[3])<<8; n >= 4 && n <= 20 {
			return "an Excel 2.1–4.0 worksheet (BIFF" + map[byte]string{0x00: "2", 0x02: "3", 0x04: "4", 0x08: "5/8 without its container"}[head[1]] + ")"
		}
	}
	t := strings.ToLower(string(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")))
	switch {
	case strings.HasPrefix(t, "<?xml") && (strings.Contains(t, "urn:schemas-microsoft-com:office:spreadsheet") || strings.Contains(t, "progid=\"excel.sheet\"")):
		return "an Excel 2003 XML spreadsheet named .xls"
	case strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") || strings.HasPrefix(t, "<table") ||
		strings.HasPrefix(t, "<") && strings.Contains(t, "<table"):
		return "an HTML table named .xls (a web system's \"Excel\" export)"
	}
	return ""
}

// oleWorkbook checks that the OLE2 compound file at path holds a workbook
// stream ("Workbook", Excel 97–2003; "Book", Excel 5.0/95) before it is
// given to LibreOffice, which reads a file it cannot open as a workbook as
// text: a Word document or a damaged workbook named .xls became a sheet of
// binary characters and the import failed with "no header row found". It
// reads the container's directory (following the sectors' chain through
// the FAT sectors the header lists) and says what the file is instead: a
// password-protected workbook (EncryptionInfo), another Office document,
// or a file cut short.
func oleWorkbook(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := make([]byte, 512)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		return fmt.Errorf("an Office 97–2003 file cut short (%d bytes): copy it again from its source", st.Size())
	}
	le32 := func(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
	shift := binary.LittleEndian.Uint16(hdr[0x1E:])
	if shift != 9 && shift != 12 {
		return fmt.Errorf("a damaged Office 97–2003 file (sector size 2^%d): open it in Excel and save it as .xlsx", shift)
	}
	size := int64(1) << shift
	read := func(sector uint32, b []byte, off int64) error {
		at := (int64(sector)+1)*size + off
		if _, err := f.ReadAt(b, at); err != nil {
			return fmt.Errorf("a damaged or cut-short Office 97–2003 file (%d bytes; its directory needs byte %d): copy it again from its source, or open it in Excel and save it as .xlsx", st.Size(), at+int64(len(b)))
		}
		return nil
	}
	var difat []uint32 // the FAT sectors the header lists (the first 109)
	for i := 0; i < 109; i++ {
		if s := le32(hdr[0x4C+4*i:]); s < 0xFFFFFFFA {
			difat = append(difat, s)
		}
	}
	var names []string
	sizes := map[string]uint32{} // the streams' sizes, by name
	entry := make([]byte, 128)
	b4 := make([]byte, 4)
	for sector, n := le32(hdr[0x30:]), 0; sector < 0xFFFFFFFA && n < 4096; n++ {
		for off := int64(0); off < size; off += 128 {
			if err := read(sector, entry, off); err != nil {
				return err
			}
			if entry[0x42] != 2 { // a stream
				continue
			}
			l := min(int(binary.LittleEndian.Uint16(entry[0x40:])), 64)
			u := make([]uint16, 0, 32)
			for i := 0; i+1 < l-1; i += 2 {
				u = append(u, binary.LittleEndian.Uint16(entry[i:]))
			}
			name := string(utf16.Decode(u))
			names = append(names, name)
			sizes[name] = le32(entry[0x78:])
		}
		per := uint32(size / 4)
		if int(sector/per) >= len(difat) {
			break // listed in an extended DIFAT: the names read so far must do
		}
		if err := read(difat[sector/per], b4, int64(sector%per)*4); err != nil {
			return err
		}
		sector = le32(b4)
	}
	for _, n := range names {
		if strings.EqualFold(n, "Workbook") || strings.EqualFold(n, "Book") {
			if int64(sizes[n])+512 > st.Size() {
				return fmt.Errorf("a workbook cut short: its %d bytes hold less than its %d-byte worksheet data; copy it again from its source", st.Size(), sizes[n])
			}
			return nil
		}
	}
	for _, n := range names {
		switch {
		case n == "EncryptionInfo" || n == "EncryptedPackage":
			return errors.New("a workbook protected by a password: open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password, emptied) and save it as .xlsx")
		case n == "WordDocument":
			return errors.New("a Word document, not a workbook, though its name says .xls: export the list from it as .xlsx or CSV")
		case n == "PowerPoint Document":
			return errors.New("a PowerPoint document, not a workbook, though its name says .xls")
		}
	}
	return fmt.Errorf("an Office 97–2003 file without a workbook in it (its streams: %s): open it in the program that wrote it and save the list as .xlsx", strings.Join(names, ", "))
}
