package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/schemas"
)

// ErrUnsupported is returned (wrapped) for a file whose format cannot be
// read.
var ErrUnsupported = errors.New("unsupported file format")

// Open reads the file at path: an .xlsx workbook, a legacy .xls workbook
// (converted, see openXLS), a delimited text file (.csv, .tsv, .txt in
// UTF-8, UTF-8 with BOM, UTF-16 or Windows-1258) or a scanned-form batch
// (.jsonl, .ndjson). The format is told by the file's first bytes, the
// extension only breaking ties. The whole file is hashed first (SHA-256):
// the hash is part of every record id.
func Open(path string, opts Options) (Source, error) {
	opts = opts.withDefaults()
	if err := checkDateOrder(opts.DateOrder); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, unwrapPath(err))
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open %s: is a directory", path)
	}
	if st.Size() > opts.MaxFileSize {
		return nil, fmt.Errorf("open %s: %d bytes is over the limit of %d", path, st.Size(), opts.MaxFileSize)
	}
	hash, head, err := hashFile(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, unwrapPath(err))
	}
	batch := opts.Batch
	if batch == "" {
		batch = DefaultBatch(hash)
	}
	desc := Description{File: path, FileHash: hash, Batch: batch}
	ids := schemas.NewRecordIDs(hash)
	prov := provenance{file: filepath.Base(path), hash: hash, ids: &ids, batch: batch, sourceDate: opts.SourceDate, now: opts.Now, strict: opts.Strict, noNameParts: opts.NoNameParts}
	var want map[string]bool
	sheets := opts.Sheets
	if opts.Mapping != nil && len(opts.Mapping.Sheets) > 0 {
		sheets = opts.Mapping.Sheets
	}
	if len(sheets) > 0 {
		want = map[string]bool{}
		for _, s := range sheets {
			want[s] = true
		}
	}
	ext := strings.ToLower(filepath.Ext(path))
	if len(head) == 0 {
		return nil, fmt.Errorf("open %s: the file is empty (0 bytes): %w", path, ErrNoData)
	}
	if err := formatMatchesName(head, ext); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || (ext == ".xlsx" && len(head) == 0):
		x, err := openXLSX(path, opts)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		if err := askedSheets(want, x.sheets, opts.SheetsInSome); err != nil {
			x.close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		desc.Format = "xlsx"
		prov.kind, prov.date1904 = schemas.KindSpreadsheet, x.date1904
		return &tabular{opts: opts, desc: desc, prov: prov, rd: x, want: want}, nil
	case bytes.HasPrefix(head, oleMagic) || ext == ".xls" && legacyExcel(head) != "":
		x, note, err := openXLS(path, opts, legacyExcel(head))
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		if err := askedSheets(want, x.sheets, opts.SheetsInSome); err != nil {
			x.close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		desc.Format, desc.Note = "xls", note
		prov.kind, prov.date1904 = schemas.KindSpreadsheet, x.date1904
		return &tabular{opts: opts, desc: desc, prov: prov, rd: x, want: want}, nil
	case ext == ".jsonl" || ext == ".ndjson" || ext == ".json" || (len(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")) > 0 && bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")[0] == '{'):
		if t := bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"); len(t) > 0 && t[0] == '[' {
			// A JSON list read line by line would give a reject per line
			// (a pretty-printed one) or one for the whole batch.
			return nil, fmt.Errorf("open %s: a JSON list of forms, not JSON lines: a scanned-form batch has one form (a JSON object) per line; convert it with jq -c '.[]' %s", path, filepath.Base(path))
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		desc.Format, desc.Encoding = "jsonl", "utf-8"
		prov.kind = schemas.KindScan
		s := &scanSource{f: f, desc: desc, prov: prov, size: st.Size(), ids: sourceIDs{format: "jsonl"}}
		s.r = bufio.NewReaderSize(byteCounter{f, &s.read}, 64<<10)
		return s, nil
	case ext == ".csv" || ext == ".tsv" || ext == ".txt" || looksText(head):
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		c, enc, err := newCSVReader(f, st.Size())
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		desc.Format, desc.Encoding = "csv", enc
		prov.kind = schemas.KindCSV
		return &tabular{opts: opts, desc: desc, prov: prov, rd: c, want: want, legacyBytes: enc == "windows-1258"}, nil
	}
	return nil, fmt.Errorf("open %s: %w: not xlsx, xls, delimited text or JSON lines (ods and others: save as xlsx first)", path, ErrUnsupported)
}

// formatMatchesName refuses a file whose content is not the format its
// name says and is no other format dancu reads either: random bytes
// named .xlsx, a binary file named .csv. (A workbook named .csv, or an
// .xls workbook named .xlsx, is read for what it is.)
func formatMatchesName(head []byte, ext string) error {
	zip, ole := bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, oleMagic)
	if zip || ole {
		return nil
	}
	switch ext {
	case ".xlsx", ".xlsm":
		return fmt.Errorf("not an Excel workbook, though its name says so (an .xlsx file is a zip archive starting with \"PK\"; this one starts with %s); "+
			"save it again from Excel or LibreOffice as .xlsx, or if it is a text export, name it .csv: %w", headHex(head), ErrUnsupported)
	case ".xls":
		if !looksText(head) && legacyExcel(head) == "" {
			return fmt.Errorf("not an Excel 97–2003 workbook, though its name says so (it starts with %s); "+
				"save it again from Excel or LibreOffice as .xlsx: %w", headHex(head), ErrUnsupported)
		}
	case ".csv", ".tsv", ".txt":
		if !looksText(head) {
			return fmt.Errorf("not a text file, though its name says so (it starts with %s); "+
				"export the list from its program as CSV (UTF-8) or .xlsx: %w", headHex(head), ErrUnsupported)
		}
	}
	return nil
}

// headHex shows the first bytes of a file.
func headHex(head []byte) string {
	n := min(len(head), 8)
	return fmt.Sprintf("% x", head[:n])
}

// DefaultBatch is the import batch id used when none is given: derived from
// the file's content hash, so that re-importing the same file (or resuming
// an interrupted import) stamps the same batch id.
func DefaultBatch(fileHash string) string {
	if len(fileHash) > 16 {
		fileHash = fileHash[:16]
	}
	return "b" + fileHash
}

// hashFile returns the hex SHA-256 of the file and its first 512 bytes.
func hashFile(path string) (string, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", nil, err
	}
	head = head[:n]
	h := sha256.New()
	h.Write(head)
	if _, err := io.Copy(h, f); err != nil {
		return "", nil, fmt.Errorf("hash file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), head, nil
}

// looksText reports a head with no NUL bytes outside a UTF-16 pattern.
func looksText(head []byte) bool {
	if len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
		return true
	}
	return bytes.IndexByte(head, 0) < 0
}

// unwrapPath drops the operation and path of an *fs.PathError, which the
// caller's "open PATH:" already says, keeping its cause ("no such file or
// directory"); errors.Is(err, fs.ErrNotExist) still holds.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// askedSheets checks that a workbook has every sheet --sheet (or a
// mapping's sheets:) names: a name mistyped would otherwise leave its rows
// out without a word, or end in "nothing to import". With inSome (the
// names are those of several workbooks: Options.SheetsInSome) it needs
// one of them only.
func askedSheets(want map[string]bool, sheets []string, inSome bool) error {
	var missing []string
	for name := range want {
		if !slices.Contains(sheets, name) {
			missing = append(missing, strconv.Quote(name))
		}
	}
	if len(missing) == 0 || inSome && len(missing) < len(want) {
		return nil
	}
	sort.Strings(missing)
	have := make([]string, len(sheets))
	for i, s := range sheets {
		have[i] = strconv.Quote(s)
	}
	if inSome {
		return fmt.Errorf("none of the sheets named (%s) is in this workbook; its sheets are %s", strings.Join(missing, ", "), strings.Join(have, ", "))
	}
	return fmt.Errorf("no sheet named %s; the workbook's sheets are %s", strings.Join(missing, ", "), strings.Join(have, ", "))
}

// SheetsNotFound returns the names of sheets (as Options.Sheets gives
// them, with SheetsInSome) that none of the workbooks srcs (as Open
// returned them, before any is read) has, in the order given: a name
// mistyped, which the workbooks that lack it could not tell.
func SheetsNotFound(sheets []string, srcs []Source) []string {
	have := map[string]bool{}
	for _, src := range srcs {
		for _, s := range sheetNames(src) {
			have[s] = true
		}
	}
	var out []string
	for _, s := range sheets {
		if !have[s] && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// sheetNames lists the sheets of the workbook src reads, known when it is
// opened; nil for a source without sheets (CSV, JSON lines).
func sheetNames(src Source) []string {
	if t, ok := src.(*tabular); ok {
		if x, ok := t.rd.(*xlsxReader); ok {
			return x.sheets
		}
	}
	return nil
}
