package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/internal/progress"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// importOptions are the flags of dancu import.
type importOptions struct {
	batch      string // default: from the file's content hash (ingest.DefaultBatch)
	sourceDate string // default: a date in the file name, else unknown
	mapping    string
	dryRun     bool
	report     string
	strict     bool
	skipHidden bool // --skip-hidden-rows (ingest.Options.SkipHiddenRows)
	sheets     []string
	// sheetsInSome: --sheet names the sheets of several files
	// (ingest.Options.SheetsInSome), set when more than one is imported.
	sheetsInSome bool
	showRows     int // rows shown by --dry-run. Default: 5
	batchRows    int // records per Kafka message. Default: 2000
	dateOrder    string
	replaces     string // the file or batch (b…) the one file imported replaces
	loadedOn     string // --loaded-on: the day the records are counted as loaded (default: now)
}

// loadedAt is --loaded-on's day (00:00 UTC), zero when not given.
func (o *importOptions) loadedAt() time.Time {
	t, _ := time.Parse("2006-01-02", o.loadedOn)
	return t
}

// validate checks the flags and returns every problem at once.
func (o *importOptions) validate(args []string) error {
	var errs []error
	if len(args) == 0 {
		errs = append(errs, errors.New("import: name at least one file"))
	}
	if o.sourceDate != "" {
		if _, err := time.Parse("2006-01-02", o.sourceDate); err != nil {
			errs = append(errs, fmt.Errorf("import: --source-date %q: want YYYY-MM-DD", o.sourceDate))
		}
	}
	if o.batch != "" && len(args) > 1 {
		errs = append(errs, errors.New("import: --batch names the batch of one file; give one file, or let each file's batch come from its hash"))
	}
	if o.dateOrder != "" && o.dateOrder != ingest.DateOrderDMY && o.dateOrder != ingest.DateOrderMDY {
		errs = append(errs, fmt.Errorf("import: --date-order %q: want dmy (day/month/year) or mdy (month/day/year)", o.dateOrder))
	}
	if o.replaces != "" && len(args) != 1 {
		errs = append(errs, errors.New("import: --replaces names the file one corrected file replaces; give one file (one import --replaces per corrected file)"))
	}
	if o.loadedOn != "" {
		if t, err := time.Parse("2006-01-02", o.loadedOn); err != nil {
			errs = append(errs, fmt.Errorf("import: --loaded-on %q: want YYYY-MM-DD", o.loadedOn))
		} else if t.After(time.Now()) {
			errs = append(errs, fmt.Errorf("import: --loaded-on %s: in the future: a load date is a day that has begun (UTC)", o.loadedOn))
		} else if t.Before(pipelines.FirstLoadDay) {
			errs = append(errs, fmt.Errorf("import: --loaded-on %s: before %s, the first day coverage's months hold (a year mistyped?)",
				o.loadedOn, pipelines.FirstLoadDay.Format(time.DateOnly)))
		}
	}
	if o.showRows < 0 {
		errs = append(errs, fmt.Errorf("import: --rows %d: must not be negative", o.showRows))
	}
	return errors.Join(errs...)
}

func newImportCmd(g *globals) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "import spreadsheets and scanned-form batches into Kafka",
		Long: `import reads provincial spreadsheets (.xlsx, .xls via LibreOffice, .csv in UTF-8,
UTF-16 or Windows-1258) and scanned-form batches (.jsonl), finds each sheet's header,
decodes legacy font encodings (TCVN3, VNI), validates every row and publishes the
accepted records to Kafka topic dancu.records and the rejected rows, with their
reasons, to dancu.rejects.

Every physical row is accounted for: rows = accepted + rejected + skipped, per
sheet, where a skipped row has a kind (title, header, column numbers, blank,
section heading, repeated header, footer). The summary lists the skipped rows
(blank ones excepted) and the rejected rows with a masked preview; --report
writes all of them as JSON. A file that gives no data rows, a sheet whose header
is not found, or a file that is not the format its name says makes the command
fail, naming the file and what was expected; the other files are still imported.
A workbook's sheet with no header and no row that reads as a person's (a cover,
a "Tổng hợp" of counts) is not a list: its rows are skipped ("not a list:
cover", "not a list: summary") and the workbook imports.

Text dates are read day/month/year, as Vietnamese lists write them; a date column
(or a "Năm sinh" column holding whole dates) whose first rows can only be month/day/year (a CSV saved from a workbook in United
States formats) is read so, with a warning, and --date-order dmy|mdy (or date_order
in the mapping) says the order outright. The summary warns of a date column whose
order stays in doubt, of a source record id (Mã bản ghi) used by two rows, of a
row hidden in the workbook (read as the others: Excel does not show it; with
--skip-hidden-rows each is skipped, "hidden row", and listed), and of a field
dropped from every accepted row (its column is perhaps another's).

A list whose header is not found, or whose columns are read wrong (--dry-run shows
the mapping detected), is read through a mapping file, --mapping FILE (YAML; every
key optional; columns not named keep what detection found):

  sheets: [Thôn 1, Thôn 2]        # read only these sheets
  header_rows: [6, 7]             # 1-based header row(s); two for a merged header
  data_start: 9                   # first data row (default: the row after the header)
  columns:                        # field: column letter, or header text as written
    full_name: B
    birth_date: "Ngày, tháng, năm sinh"
    id_any: F                     # 9 or 12 digits, by length
    stt: "-"                      # "-": leave the column detected as stt unread
  encodings:                      # force a column's legacy encoding
    full_name: tcvn3              # utf-8, tcvn3, vni, viqr or windows-1258
  date_order: mdy                 # as --date-order

The fields are the records table's columns (full_name, birth_date, sex, id_number,
cmnd, perm_address, cur_address, father_name, …) and stt, family_middle,
birth_year, birth_day and birth_month (a date in three columns), birth_date_male
and birth_date_female, sex_male and sex_female (a mark under "Nam", under "Nữ")
and id_any, remark (a "Ghi chú" column: a remark there starting with a death
or a move away, "Đã chết năm 2023", "Chuyển đi", rejects the row as one after the
name does; any other remark, "Tạm vắng", is kept with the record, column remark,
and counted among the values kept) and household_no ("Số hộ", "Hộ số", "Mã hộ",
"Sổ hộ khẩu số": the household's number on the list, kept as written; merged
over a household's rows, each member gets it).
An address naming a commune no list of dancu holds ("Xã Thạch Bằng", merged
before 2021) is listed after the summary, with what to do. A column is named by its header text as written (under a merged
header, the lower row's text will do) or by its letter; a text the header does
not have, or a letter past the last column, fails the import and lists the
header's columns (nothing of that sheet is published).

A row is rejected only when it is unusable: no name, a name with no letters, or
one that only says none (NA, KR, N/A, không rõ …; the given name Na is a name).
A bad optional field (impossible date, malformed identification number, unknown
sex) is dropped from an accepted record and counted as a note; --strict rejects
such rows instead.

Record ids come from the file's content hash, sheet and row, and the import batch
id defaults to one derived from the file's hash, so running the same import again
(or again after Ctrl-C) adds nothing twice downstream.

A corrected list is imported with --replaces OLD, OLD the list it corrects (its
path, or its import batch b… as the summary printed it, read from ClickHouse): once
the corrected file is published, every record of OLD is withdrawn from the register
(record ids are the file's, so the corrected rows are new records); --dry-run with
it says how many rows are unchanged, changed, new and gone, and what it would withdraw.
Both refuse, before publishing and saying what to name instead, a list already
replaced (a correction of a correction names the correction), one never imported,
one with no row in common, and a corrected file not read whole (--sheet). The same
correction run again says "done already", publishes nothing and succeeds. A list a
correction replaced is refused if imported again, with or without --replaces (its
records stay withdrawn): the message says how to bring it back.

Progress goes to standard error: on a terminal a bar (rows, rows/s, time left,
percentage of the file's bytes, or of a workbook's unpacked sheets); otherwise a
line about a second in, then every 5 seconds, and one at the end of each file.`,
		Example: `  dancu import danhsach_xa_dong_anh.xlsx
  dancu import --dry-run thon1.xls
  dancu import --mapping layout.yaml --source-date 2024-05-01 --report report.json list.csv
  dancu import phieu_dc01_20190607.jsonl
  dancu import --replaces danhsach_20240501.xlsx danhsach_sua_20240501.xlsx`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			raiseGCTarget()
			if err := o.validate(args); err != nil {
				return err
			}
			return runImport(cmd.Context(), g, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.batch, "batch", "", "import batch id (default: derived from the file's SHA-256, so re-runs reuse it)")
	f.StringVar(&o.sourceDate, "source-date", "", "date the source describes, YYYY-MM-DD (default: a date in the file name such as _20240501, else unknown; scans use collected_on)")
	f.StringVar(&o.mapping, "mapping", "", "YAML file naming the columns of a layout detection cannot read")
	f.BoolVar(&o.dryRun, "dry-run", false, "show the detected mapping, encodings and first rows normalised; publish nothing")
	f.StringVar(&o.report, "report", "", "write the per-sheet counts and mappings as JSON to this file")
	f.BoolVar(&o.strict, "strict", false, "reject rows with an impossible birth date or malformed identification number instead of dropping the field")
	f.BoolVar(&o.skipHidden, "skip-hidden-rows", false, "skip the rows a workbook hides below its header (a clerk hides the persons who left), each counted and listed as \"hidden row\"; default: read them as the others, with a warning")
	f.StringSliceVar(&o.sheets, "sheet", nil, "import only these sheets (repeatable); with several files, each is read for the named sheets it has, and a name none has is an error")
	f.IntVar(&o.showRows, "rows", 5, "rows shown by --dry-run")
	f.IntVar(&o.batchRows, "batch-rows", 2000, "records per Kafka message")
	f.StringVar(&o.replaces, "replaces", "", "the earlier file (its path, or its import batch b…, read from ClickHouse) this corrected file replaces: once the file is published, every record of the earlier one is withdrawn from the register; with --dry-run, say how many rows are unchanged, changed, new and gone")
	f.StringVar(&o.loadedOn, "loaded-on", "", "the day (YYYY-MM-DD, UTC, not in the future, from 1970-01-01) the records count as loaded: the month of coverage's load_month and change_month (dancu coverage --since), for backfilling lists of past months; default: now. The summary and --report say it was set by hand")
	f.StringVar(&o.dateOrder, "date-order", "", "order of text dates in spreadsheets and CSV: dmy (day/month/year) or mdy (month/day/year, a workbook saved in US formats); default: day first unless a date column's first rows can only be month first (a warning says so)")
	return cmd
}

// fileReport is what --report writes for one file.
type fileReport struct {
	ingest.Description
	SourceDate string           `json:"source_date,omitempty"`
	Stats      pipelines.Stats  `json:"stats"`
	Replaces   *replaceReport   `json:"replaces,omitempty"`
	Error      string           `json:"error,omitempty"`
	Rows       []map[string]any `json:"first_rows,omitempty"`
	// UnknownCommunes are the communes the file's addresses name that no
	// list of the gazetteer holds (pipelines.CommuneCheck).
	UnknownCommunes []pipelines.UnknownCommune `json:"unknown_communes,omitempty"`
}

var fileDateRE = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12][0-9]|3[01])(?:[^0-9]|$)`)

// sourceDateOf returns the flag's date, else a date in the file name: the
// date dancu import and dancu link read path's addresses at. A batch of
// scanned forms (.jsonl, .ndjson, .json) takes no date from its name:
// each form is read at its own collected_on (ingest does so when the
// source date is zero), which a batch's name must not override.
func sourceDateOf(flag, path string) (time.Time, string) {
	if flag != "" {
		t, _ := time.Parse("2006-01-02", flag)
		return t, "--source-date"
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson", ".json":
		return time.Time{}, ""
	}
	if m := fileDateRE.FindStringSubmatch(filepath.Base(path)); m != nil {
		if t, err := time.Parse("20060102", m[1]+m[2]+m[3]); err == nil {
			return t, "file name"
		}
	}
	return time.Time{}, ""
}

func runImport(ctx context.Context, g *globals, o *importOptions, files []string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var mapping *ingest.Mapping
	if o.mapping != "" {
		f, err := os.Open(o.mapping)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		mapping, err = ingest.ParseMapping(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("import: mapping %s: %w (its keys: sheets, header_rows, data_start, columns, encodings, date_order; an example in dancu import --help)", o.mapping, err)
		}
	}
	if o.report != "" {
		// A report that cannot be written must fail before anything is
		// published, not after: create (or truncate) it now.
		f, err := os.OpenFile(o.report, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return fmt.Errorf("import: --report: %w", err)
		}
		f.Close()
	}
	if !o.dryRun {
		// Before anything else is printed: a broker that is down is the
		// one line the operator needs to read.
		if err := kafkax.Reachable(ctx, splitList(g.kafka), 0); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	// A file that fails (unreadable, not its format, no header, no data)
	// does not stop the others; the command fails at the end.
	var old *replaced
	if o.replaces != "" {
		r, err := readReplaced(ctx, g, o, mapping, o.replaces)
		if err != nil {
			return err
		}
		old = &r
	}
	reg := &registerCheck{g: g}
	defer reg.close()
	var reports []fileReport
	var failed []string
	var firstErr error
	o.sheetsInSome = len(files) > 1
	var pre []opened
	if o.sheetsInSome && len(o.sheets) > 0 {
		// --sheet names the sheets of several workbooks: a name none has
		// is told before a row is read (a file that cannot be opened
		// fails when its turn comes, as it would).
		pre = openEach(files, func(p string) ingest.Options { return o.openOptions(p, mapping) })
		if err := sheetsNotFound(o.sheets, pre); err != nil {
			closeEach(pre)
			return fmt.Errorf("import: %w", err)
		}
	}
	for i, path := range files {
		var f *opened
		if pre != nil {
			f = &pre[i]
		}
		rep, err := importFile(ctx, g, o, mapping, path, f, old, reg)
		if errors.Is(err, ingest.ErrMapping) {
			err = fmt.Errorf("%w (--mapping %s; nothing of the sheet was published)", err, o.mapping)
		}
		if err != nil {
			rep.Error = err.Error()
			if firstErr == nil {
				firstErr = err
			}
			failed = append(failed, path)
			if len(files) > 1 && ctx.Err() == nil {
				fmt.Fprintf(g.stderr, "FAILED: %v\n", err)
			}
		}
		reports = append(reports, rep)
		if ctx.Err() != nil {
			break
		}
	}
	if pre != nil {
		closeEach(pre[len(reports):]) // not reached: cancelled
	}
	if len(failed) > 0 && len(files) > 1 && ctx.Err() == nil {
		firstErr = fmt.Errorf("import: %d of %d files failed: %s (each error above)", len(failed), len(files), strings.Join(failed, ", "))
	}
	if o.report != "" {
		b, err := json.MarshalIndent(map[string]any{"dry_run": o.dryRun, "files": reports}, "", "  ")
		if err == nil {
			err = os.WriteFile(o.report, append(b, '\n'), 0o644)
		}
		if err != nil {
			return fmt.Errorf("import: write report: %w", err)
		}
		fmt.Fprintf(g.stdout, "report written to %s\n", o.report)
	}
	return firstErr
}

// sheetsNotFound is the error of --sheet names given for several files
// that are a sheet of none of those opened (ingest.SheetsNotFound: each
// file is read for the names it has), nil when each is some file's.
func sheetsNotFound(sheets []string, files []opened) error {
	var srcs []ingest.Source
	for _, f := range files {
		if f.err == nil {
			srcs = append(srcs, f.src)
		}
	}
	nf := ingest.SheetsNotFound(sheets, srcs)
	if len(nf) == 0 {
		return nil
	}
	for i, s := range nf {
		nf[i] = strconv.Quote(s)
	}
	return fmt.Errorf("--sheet %s: a sheet of none of the files", strings.Join(nf, ", "))
}

// openOptions are the options path is imported with.
func (o *importOptions) openOptions(path string, mapping *ingest.Mapping) ingest.Options {
	sd, _ := sourceDateOf(o.sourceDate, path)
	return ingest.Options{Batch: o.batch, SourceDate: sd, Mapping: mapping, Strict: o.strict, SkipHiddenRows: o.skipHidden, Sheets: o.sheets, SheetsInSome: o.sheetsInSome, DateOrder: o.dateOrder}
}

// importFile imports path, opened already when f is not nil (openEach).
func importFile(ctx context.Context, g *globals, o *importOptions, mapping *ingest.Mapping, path string, f *opened, old *replaced, reg *registerCheck) (fileReport, error) {
	sd, sdFrom := sourceDateOf(o.sourceDate, path)
	rep := fileReport{Description: ingest.Description{File: path}}
	if !sd.IsZero() {
		rep.SourceDate = sd.Format("2006-01-02")
	}
	if f == nil {
		f = &opened{}
		f.src, f.err = ingest.Open(path, o.openOptions(path, mapping))
	}
	src, err := f.src, f.err
	if err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}
	defer src.Close()
	d := src.(ingest.Describer).Describe()
	fmt.Fprintf(g.stdout, "%s: %s", path, d.Format)
	if d.Encoding != "" {
		fmt.Fprintf(g.stdout, ", %s", d.Encoding)
	}
	if d.Note != "" {
		fmt.Fprintf(g.stdout, " (%s)", d.Note)
	}
	fmt.Fprintf(g.stdout, ", sha256 %s…, batch %s", d.FileHash[:12], d.Batch)
	if sdFrom != "" {
		fmt.Fprintf(g.stdout, ", source date %s (from %s)", rep.SourceDate, sdFrom)
	}
	fmt.Fprintln(g.stdout)
	// A file replaced since (its records withdrawn) is not imported
	// again, unless it replaces old and did already: B --replaces A run
	// again after C replaced B is done already (C does not undo it).
	var withdrawn *withdrawnError
	if err := reg.notWithdrawn(ctx, path, d.Batch, d.FileHash); err != nil && (old == nil || !errors.As(err, &withdrawn)) {
		return rep, err
	}
	if old != nil {
		if err := old.sameAs(path, d.Batch, d.FileHash); err != nil {
			return rep, err
		}
		err := old.inForce(ctx, reg, path, d.Batch)
		var done *doneAlreadyError
		if err != nil && !errors.As(err, &done) {
			return rep, err
		}
		if withdrawn != nil {
			if done == nil {
				return rep, withdrawn
			}
			if err := done.replacedSince(ctx, reg, withdrawn.by); err != nil {
				return rep, fmt.Errorf("import: --replaces %s: %w", old.name, err)
			}
		}
		if done != nil {
			fmt.Fprintln(g.stdout, strings.TrimPrefix(done.Error(), "import: "))
			rep.Replaces = &replaceReport{Replaces: old.name, Batch: old.batch, DoneAlready: true}
			if done.since != nil {
				rep.Replaces.ReplacedSince = done.since.batch
			}
			return rep, nil
		}
		if !o.dryRun {
			// Read once more before it is published (the dry run
			// compares the rows it reads, and publishes nothing).
			if err := old.checkCorrected(ctx, o, mapping, path); err != nil {
				return rep, err
			}
		}
	}

	var st pipelines.Stats
	var cur *[]schemas.Record // the file's records, for --dry-run --replaces
	if o.dryRun && old != nil {
		cur = new([]schemas.Record)
	}
	communes := &pipelines.CommuneCheck{}
	if o.dryRun {
		st, rep.Rows, err = dryRun(ctx, src, o.showRows, cur, communes)
	} else {
		st, err = publish(ctx, g, o, src, communes)
	}
	rep.UnknownCommunes = communes.Found()
	rep.Description = src.(ingest.Describer).Describe()
	if err == nil {
		// Nothing imported, or a sheet that could not be read, is an
		// error: never a quiet success.
		err = readWhole(rep.Description, o.dryRun)
	}
	rep.Stats = st
	printSummary(g.stdout, rep.Description, st, o.dryRun)
	printUnknownCommunes(g.stdout, rep.UnknownCommunes, rep.Description.Format)
	if st.LoadedAtSet {
		fmt.Fprintf(g.stdout, "  loaded on %s: set by --loaded-on, not the import's clock (coverage counts these records in %s)\n",
			st.LoadedAt.Format("2006-01-02"), st.LoadedAt.Format("2006-01"))
	}
	if o.dryRun && len(rep.Rows) > 0 {
		fmt.Fprintf(g.stdout, "first rows, normalised (names and numbers masked):\n")
		for _, r := range rep.Rows {
			b, _ := json.Marshal(r)
			fmt.Fprintf(g.stdout, "  %s\n", b)
		}
	}
	if err == nil && old != nil {
		rep.Replaces, err = replace(ctx, g, o, path, rep.Description, st.LoadedAt, old, cur)
	}
	if err != nil && !o.dryRun && !st.Done {
		// Interrupted, or stopped by Kafka (a broker down or out of
		// disk): say what was published and that a re-run finishes it.
		what := "interrupted"
		if ctx.Err() == nil {
			what = "stopped by an error"
		}
		again := "Run the same command again to finish"
		if errors.Is(err, ingest.ErrMapping) {
			again = "Mend the mapping (the error below says how), then run the command again"
		}
		fmt.Fprintf(g.stdout, "%s: %d rows read (%d accepted, %d rejected), %d records and %d rejects published; last: %s.\n"+
			"%s: record ids are deterministic, so rows already published are not duplicated downstream.\n",
			what, st.Read, st.Accepted, st.Rejected, st.PublishedRecords, st.PublishedRejects, rowPlace(rep.Description.Format, st.Sheet, int(st.Row)), again)
	}
	return rep, err
}

// dryRun reads the whole file, counting, and keeps the first n rows (and
// every record in recs, when not nil).
func dryRun(ctx context.Context, src ingest.Source, n int, recs *[]schemas.Record, communes *pipelines.CommuneCheck) (pipelines.Stats, []map[string]any, error) {
	var st pipelines.Stats
	var rows []map[string]any
	for ctx.Err() == nil {
		it, err := src.Next()
		if errors.Is(err, io.EOF) {
			st.Done = true
			if d, ok := src.(ingest.Describer); ok {
				if err := st.Account(d.Describe()); err != nil {
					return st, rows, fmt.Errorf("import: %w", err)
				}
			}
			return st, rows, nil
		}
		if err != nil {
			return st, rows, err
		}
		st.Count(it)
		if it.Record != nil {
			communes.Check(it.Record)
		}
		if recs != nil && it.Record != nil {
			*recs = append(*recs, *it.Record)
		}
		if len(rows) < n {
			rows = append(rows, maskedRow(it))
		}
	}
	return st, rows, fmt.Errorf("import: stopped after %d rows: %w", st.Read, ctx.Err())
}

// maskedRow shows an item without full names or full numbers.
func maskedRow(it ingest.Item) map[string]any {
	if it.Reject != nil {
		x := it.Reject
		// The value may be a name (one over 120 characters, garbled),
		// or a remark masked already.
		return map[string]any{"sheet": x.Sheet, "row": x.Row, "rejected": x.Reason, "column": x.Column, "value": ingest.MaskRejectValue(x)}
	}
	r := it.Record
	m := map[string]any{"sheet": r.Sheet, "row": r.Row, "record_id": r.RecordID, "full_name": vn.MaskName(r.FullName)}
	add := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	add("birth_date", r.BirthDate)
	add("sex", r.Sex)
	if r.IDNumber != "" {
		m["id_number"] = vn.MaskID(r.IDNumber)
	}
	if r.CMND != "" {
		m["cmnd"] = vn.MaskID(r.CMND)
	}
	add("ethnicity", r.Ethnicity)
	add("perm_address", r.PermAddress)
	add("cur_address", r.CurAddress)
	add("relation_to_head", r.RelationToHead)
	add("household_no", r.HouseholdNo)
	if r.Remark != "" {
		m["remark"] = ingest.MaskText(r.Remark) // a remark may name persons
	}
	if r.FatherName != "" {
		m["father_name"] = vn.MaskName(r.FatherName)
	}
	if r.MotherName != "" {
		m["mother_name"] = vn.MaskName(r.MotherName)
	}
	if len(r.OCRConfidence) > 0 {
		m["ocr_confidence"] = r.OCRConfidence
	}
	for _, n := range it.Notes {
		k := "dropped"
		if ingest.NoteKept(n.Reason) {
			k = "kept"
		}
		notes, _ := m[k].([]string)
		m[k] = append(notes, n.Field+": "+n.Reason)
	}
	return m
}

// publish runs the import with a progress bar on a terminal, progress lines
// otherwise.
func publish(ctx context.Context, g *globals, o *importOptions, src ingest.Source, communes *pipelines.CommuneCheck) (pipelines.Stats, error) {
	// The addresses' unit codes are filled here, so that the match stage
	// (the pipeline's slowest) passes the messages on as they came; an
	// address left without a commune's code is looked at for a commune
	// no list holds (communes).
	cfg := pipelines.ImportConfig{Brokers: splitList(g.kafka), BatchRows: o.batchRows, FlushTimeout: 15 * time.Second, LoadedAt: o.loadedAt(),
		Enrich: func(r *schemas.Record) bool {
			changed := pipelines.ResolveAddresses(r)
			communes.Check(r)
			return changed
		}}
	// A bar on a terminal, lines otherwise; the total is the file's bytes
	// (a workbook's unpacked worksheets), as the source reads them.
	var total func() (int64, int64)
	if p, ok := src.(ingest.Progresser); ok {
		total = p.Progress
	} else {
		total = func() (int64, int64) { return 0, 0 }
	}
	_, size := total()
	label := "import"
	if d, ok := src.(ingest.Describer); ok {
		label += " " + filepath.Base(d.Describe().File)
	}
	bar := progress.New(g.stderr, progress.Options{Label: label, Total: size})
	progress := func(s pipelines.Stats) {
		done, _ := total()
		if s.Done {
			done = size
		}
		bar.Update(done, s.Read, fmt.Sprintf("%d accepted, %d rejected, %d published", s.Accepted, s.Rejected, s.PublishedRecords+s.PublishedRejects))
	}
	defer bar.Finish()
	// Two-phase stop: the first Ctrl-C (ctx) stops reading and publishes
	// what was read; a second one exits at once.
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		fmt.Fprintln(g.stderr, "\nimport: stopping: publishing the rows already read (Ctrl-C again to quit at once)")
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sig)
		select {
		case <-sig:
			fmt.Fprintln(g.stderr, "import: quit before publishing everything read; run the same command again: record ids are deterministic")
			os.Exit(130)
		case <-done:
		}
	}()
	return pipelines.Import(ctx, cfg, src, progress)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rowPlace names a row of a file of format (ingest.Description.Format):
// "sheet Danh sách row 12", "row 12" (CSV), "line 12" (JSON lines).
func rowPlace(format, sheet string, row int) string {
	p := ingest.RowWord(format) + " " + strconv.Itoa(row)
	if sheet != "" {
		p = "sheet " + sheet + " " + p
	}
	return p
}

// consoleListed is how many skipped and rejected rows the console lists
// per sheet; --report lists them all (up to ingest.MaxListed).
const consoleListed = 10

// printSummary prints the mapping and the account of each sheet's rows,
// and lists its skipped (not blank) and rejected rows, masked.
func printSummary(w io.Writer, d ingest.Description, st pipelines.Stats, dry bool) {
	row := ingest.RowWord(d.Format)
	counts := map[string]pipelines.SheetStats{}
	for _, s := range st.Sheets {
		counts[s.Sheet] = s
	}
	for _, l := range d.Sheets {
		name := l.Sheet
		if name == "" {
			name = "(file)"
		}
		if l.Hidden {
			name += " (hidden)"
		}
		c := counts[l.Sheet]
		switch {
		case l.Problem != "":
			fmt.Fprintf(w, "  sheet %s: NOT READ: %s\n", name, l.Problem)
		case strings.HasPrefix(l.Skipped, ingest.NotAList):
			// A cover, a summary: its rows listed, so that a list taken
			// for none would be seen.
			fmt.Fprintf(w, "  sheet %s: %s: %ss %d, all skipped (%s)\n", name, l.Skipped, row, l.Rows, kinds(l.ByKind))
			if l.Note != "" {
				fmt.Fprintf(w, "    note: %s\n", l.Note)
			}
			printRows(w, l, d.Format)
			continue
		case l.Skipped != "" && l.Rows == 0:
			fmt.Fprintf(w, "  sheet %s: skipped: %s\n", name, l.Skipped)
			continue
		case l.Skipped != "":
			fmt.Fprintf(w, "  sheet %s: skipped: %s (%d blank rows)\n", name, l.Skipped, l.Rows)
			continue
		}
		fmt.Fprintf(w, "  sheet %s: %ss %d = accepted %d + rejected %d + skipped %d", name, row, l.Rows, c.Accepted, c.Rejected, l.SkippedRows)
		if len(l.ByKind) > 0 {
			fmt.Fprintf(w, " (%s)", kinds(l.ByKind))
		}
		fmt.Fprintln(w)
		if l.Note != "" {
			fmt.Fprintf(w, "    note: %s\n", l.Note)
		}
		if l.Problem == "" {
			if len(l.HeaderRows) > 0 {
				fmt.Fprintf(w, "    header row(s) %v:\n", l.HeaderRows)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, c := range l.Columns {
				if c.Header == "" && c.Field == "" {
					continue
				}
				field := c.Field
				if field == "" {
					field = "(unused)"
				}
				extra := ""
				if c.Encoding != "" && c.Encoding != "unicode" {
					extra = " [" + c.Encoding + "]"
				}
				if c.Font != "" {
					extra += " font " + c.Font
				}
				fmt.Fprintf(tw, "    %s\t%s\t→ %s%s\n", c.Letter, c.Header, field, extra)
			}
			tw.Flush()
		}
		printRows(w, l, d.Format)
		printWarnings(w, l, d.Format)
	}
	verb := "published"
	if dry {
		verb = "dry run: nothing published"
	}
	if st.Done || st.Rows > 0 {
		fmt.Fprintf(w, "  total: %ss %d = accepted %d + rejected %d + skipped %d; %s", row, st.Rows, st.Accepted, st.Rejected, st.Skipped, verb)
	} else {
		// Not finished: the rows are not accounted (Stats.Account), and
		// "rows 0 = accepted 9130 + …" would not add up.
		fmt.Fprintf(w, "  total, NOT FINISHED: %d %ss read = accepted %d + rejected %d; %s", st.Read, row, st.Accepted, st.Rejected, verb)
	}
	if !dry {
		fmt.Fprintf(w, " %d records, %d rejects in %d messages", st.PublishedRecords, st.PublishedRejects, st.Messages)
	}
	if st.Elapsed > 0 {
		fmt.Fprintf(w, " in %s (%.0f rows/s)", st.Elapsed.Round(time.Millisecond), float64(st.Read)/st.Elapsed.Seconds())
	}
	fmt.Fprintln(w)
	if n := warnings(d); n != "" {
		fmt.Fprintf(w, "  warnings (rows accepted, to look at): %s\n", n)
	}
	// Notes and Kept are "field: reason": the dates read with day and
	// month exchanged, or a lunar year's name read as a year, were kept,
	// the other fields dropped.
	printNotes(w, "fields dropped from accepted "+row+"s", st.Notes, st.NoteExamples, row)
	printWholeColumnDropped(w, st.Accepted, st.Notes, st.NoteExamples, row)
	printNotes(w, "values kept, read another way (check them)", st.Kept, st.KeptExamples, row)
}

// printWholeColumnDropped says, of a field dropped from every accepted row
// (three or more), that its column may not be the one read for it: two
// columns exchanged (dates under "Giới tính", sexes under "Ngày sinh")
// otherwise pass as a list whose every date is "impossible" (user24).
func printWholeColumnDropped(w io.Writer, accepted int64, counts map[string]int64, examples map[string][]pipelines.NoteExample, row string) {
	if accepted < 3 {
		return
	}
	byField := map[string]int64{}
	column := map[string]string{}
	for k, n := range counts {
		f, _, _ := strings.Cut(k, ":")
		byField[f] += n
		if e := examples[k]; len(e) > 0 && column[f] == "" {
			column[f] = e[0].Column
		}
	}
	for _, f := range slices.Sorted(maps.Keys(byField)) {
		if byField[f] < accepted {
			continue
		}
		fmt.Fprintf(w, "  warning: %s was dropped from every accepted %s: if column %q does not hold it, the columns are read wrong; "+
			"--dry-run shows which column feeds which field, and --mapping FILE names them (dancu import --help)\n", f, row, column[f])
	}
}

// printNotes prints, under heading, the notes' counts (by "field:
// reason") and where the first of each were.
func printNotes(w io.Writer, heading string, counts map[string]int64, examples map[string][]pipelines.NoteExample, row string) {
	if len(counts) == 0 {
		return
	}
	fmt.Fprintf(w, "  %s:\n", heading)
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(w, "    %6d  %s\n", counts[k], k)
		for _, e := range examples[k] {
			where := fmt.Sprintf("%s %d", row, e.Row)
			if e.Sheet != "" {
				where = fmt.Sprintf("sheet %q %s", e.Sheet, where)
			}
			fmt.Fprintf(w, "            %s, column %q: %q\n", where, e.Column, e.Value)
		}
		if n := int64(len(examples[k])); counts[k] > n {
			fmt.Fprintf(w, "            … and %d more\n", counts[k]-n)
		}
	}
}

// kinds lists skipped-row counts by kind: "2 title, 1 header, 3 blank";
// every kind counted, those of no fixed place after the others, by name
// (the hidden rows skipped were left out of it: user27).
func kinds(m map[ingest.SkipKind]int) string {
	order := []ingest.SkipKind{ingest.SkipTitle, ingest.SkipHeader, ingest.SkipColumnNumbers, ingest.SkipBlank, ingest.SkipSection,
		ingest.SkipRepeatedHeader, ingest.SkipFooter, ingest.SkipHidden, ingest.SkipNoHeader, ingest.SkipNotList}
	var rest []ingest.SkipKind
	for k := range m {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	var parts []string
	for _, k := range append(order, rest...) {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
		}
	}
	return strings.Join(parts, ", ")
}

// printRows lists the first skipped rows that are not blank, and the
// first rejected rows, of a sheet, with their masked previews.
func printRows(w io.Writer, l ingest.Layout, format string) {
	row := ingest.RowWord(format)
	var skips []ingest.SkipRun
	hidden := 0
	for _, s := range l.Skips {
		if s.Kind == ingest.SkipBlank {
			continue
		}
		if len(skips) < consoleListed {
			skips = append(skips, s)
		} else {
			hidden++
		}
	}
	rowLabel := func(from, to int) string {
		if to > from {
			return fmt.Sprintf("%ss %d–%d", row, from, to)
		}
		return fmt.Sprintf("%s %d", row, from)
	}
	if len(skips) > 0 {
		fmt.Fprintf(w, "    skipped %ss (blank %ss not listed):\n", row, row)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, s := range skips {
			note := ""
			if s.Note != "" {
				note = "  ← " + s.Note
			}
			fmt.Fprintf(tw, "      %s\t%s\t%q%s\n", rowLabel(s.Row, s.To), s.Kind, s.Preview, note)
		}
		tw.Flush()
	}
	if len(l.Rejects) > 0 {
		fmt.Fprintf(w, "    rejected %ss:\n", row)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for i, r := range l.Rejects {
			if i == consoleListed {
				hidden += len(l.Rejects) - i
				break
			}
			col := ""
			if r.Column != "" {
				col = " (" + r.Column + ")"
			}
			fmt.Fprintf(tw, "      %s\t%s%s\t%q\n", rowLabel(r.Row, 0), r.Reason, col, r.Preview)
		}
		tw.Flush()
	}
	if hidden+l.Unlisted > 0 {
		fmt.Fprintf(w, "    … %d more skipped or rejected %ss: see --report FILE (JSON) for every one\n", hidden+l.Unlisted, row)
	}
}

// printWarnings lists a sheet's first warnings of each kind (a source
// record id used twice, a date column's order in doubt), masked.
func printWarnings(w io.Writer, l ingest.Layout, format string) {
	if len(l.Warnings) == 0 {
		return
	}
	listed := map[string]int{}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, x := range l.Warnings {
		if listed[x.Kind]++; listed[x.Kind] > consoleListed {
			continue
		}
		where := ""
		if x.Row > 0 {
			where = fmt.Sprintf("%s %d", ingest.RowWord(format), x.Row)
		}
		if x.Column != "" {
			where = strings.TrimSpace(where + fmt.Sprintf(" column %q", x.Column))
		}
		val := ""
		if x.Value != "" {
			val = fmt.Sprintf(" %q:", x.Value)
		}
		fmt.Fprintf(tw, "    warning: %s\t%s%s %s\n", x.Kind, where, val, x.Message)
	}
	tw.Flush()
	for _, k := range slices.Sorted(maps.Keys(l.WarningCounts)) {
		if n, shown := l.WarningCounts[k], min(listed[k], consoleListed); n > shown {
			fmt.Fprintf(w, "    … %d more %q warnings: see --report FILE (JSON)\n", n-shown, k)
		}
	}
}

// warnings counts the file's warnings by kind: "2 duplicate source id, 1
// date order"; "" when there are none.
func warnings(d ingest.Description) string {
	total := map[string]int{}
	for _, l := range d.Sheets {
		for k, n := range l.WarningCounts {
			total[k] += n
		}
	}
	keys := slices.Sorted(maps.Keys(total))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", total[k], k)
	}
	return strings.Join(parts, ", ")
}

// readWhole is the error of a file not read whole (Description.Check:
// nothing imported, a sheet that could not be read), with how to leave
// its unreadable sheets out (otherSheets); nil when it was.
func readWhole(d ingest.Description, dryRun bool) error {
	err := d.Check()
	if err == nil {
		return nil
	}
	if hint := otherSheets(d, dryRun); hint != "" {
		err = fmt.Errorf("%w; %s", err, hint)
	}
	return fmt.Errorf("import: %w", err)
}

// otherSheets says, for a workbook where some sheets have no header and
// rows that read as persons' (a list whose header is not recognised) and
// others were read, what became of the others and how to leave the
// unreadable ones out: --sheet with the sheets that have data. "" when
// no sheet was read or none failed.
func otherSheets(d ingest.Description, dryRun bool) string {
	var read []string
	failed := false
	for _, l := range d.Sheets {
		switch {
		case l.Problem != "":
			failed = true
		case l.Accepted+l.Rejected > 0:
			read = append(read, "--sheet "+strconv.Quote(l.Sheet))
		}
	}
	if !failed || len(read) == 0 || d.Sheets[0].Sheet == "" {
		return ""
	}
	done := "were imported"
	if dryRun {
		done = "were read"
	}
	return fmt.Sprintf("the other sheets %s; to import only the sheets with data, name them: %s", done, strings.Join(read, " "))
}

// printUnknownCommunes says which communes the file's addresses name that
// no list of the gazetteer holds, where, and what the team can do (user28:
// Xã Thạch Bằng, merged before 2021, left 56 records without a commune's
// code and without a word).
func printUnknownCommunes(w io.Writer, us []pipelines.UnknownCommune, format string) {
	if len(us) == 0 {
		return
	}
	n := 0
	for _, u := range us {
		n += u.Count
	}
	fmt.Fprintf(w, "  communes in no list dancu holds: %d %ss' addresses; their records keep the district's and province's codes, none of a commune (coverage counts them in the district)\n", n, ingest.RowWord(format))
	for _, u := range us {
		rows := make([]string, len(u.Rows))
		for i, r := range u.Rows {
			rows[i] = strconv.Itoa(int(r))
		}
		more := ""
		if u.Count > len(u.Rows) {
			more = ", …"
		}
		within := ""
		if u.Within != "" {
			within = " in " + u.Within
		}
		where := ingest.RowWord(format) + "s " + strings.Join(rows, ", ") + more
		if u.Sheet != "" {
			where = "sheet " + u.Sheet + " " + where
		}
		fmt.Fprintf(w, "    %q%s, %s (%d), column %s\n", u.Commune, within, where, u.Count, u.Column)
	}
	fmt.Fprintf(w, "    what to do: dancu's lists are the communes of February 2021 to June 2025 (earlier names of those included) and those since the 2025 reform\n"+
		"    (internal/refdata/data/SOURCES.md); a commune merged before 2021 is in none, and no list says which took it over. Check the spelling\n"+
		"    (dancu normalize address); if it is right, write the commune that took it over in the address column and import the corrected\n"+
		"    file with --replaces; imported as it is, its records are matched on the address's text and counted in the district.\n")
}
