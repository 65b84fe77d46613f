package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/strtab"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry/offline"
	"github.com/dancu-vn/dancu/schemas"
)

// linkOptions are the flags of dancu link (and train / explain, which
// read the same inputs).
type linkOptions struct {
	in       []string
	mapping  string
	settings string
	// sourceDate is --source-date (YYYY-MM-DD): the date every input
	// describes. Default "": each file's date from its name, as dancu
	// import reads it (sourceDateOf).
	sourceDate string
	// sheets is --sheet: the sheets of each workbook to read, as dancu
	// import reads them (a sheet without header whose rows read as
	// persons' stops the read; a cover or a summary is skipped as not a
	// list). Default: every sheet.
	sheets []string
	// dateOrder is --date-order: the order of the text dates of files in
	// the register layout, as dancu import --date-order (ingest.Options).
	dateOrder string

	// labels holds, in the order records were read, each record's own code
	// in its source ("Mã bản ghi", form id) when it differs from the
	// record's identity, else "". Identities are file-scoped (content
	// hash + sheet + row); labels are what a truth file or a clerk knows
	// the record by, written beside the identity in link's outputs.
	// They are held back to back (strtab): a string each took a header
	// and an allocation of its own.
	labels strtab.Table
	// expect is the number of records load expects (estimateRows; 0:
	// none): labels is sized for them once it holds labelsPresizeAt,
	// where it grew by a quarter at a time, copying all it held each time
	// (33 MB of the 613 MB the read of 399,465 records allocated).
	expect int
	// readBy is the settings settingsAndMapping chose: a mapped file's
	// header must hold every field its columns read.
	readBy *settings.Settings
	// warn receives notes about the inputs (rows rejected, ids scoped).
	// Default: os.Stderr.
	warn io.Writer
}

func (o *linkOptions) warnings() io.Writer {
	if o.warn == nil {
		return os.Stderr
	}
	return o.warn
}

// label returns the source code of frame row i, or its id. The records
// read last are the frame's last rows (a registry frame has its earlier
// records first).
func (o *linkOptions) label(f *matching.Frame, i int) string {
	if j := i - (f.Len() - o.labels.Len()); j >= 0 && j < o.labels.Len() {
		if l := o.labels.At(j); l != "" {
			return l
		}
	}
	return f.ID(i)
}

func (o *linkOptions) flags(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&o.in, "in", nil, "input file (CSV or XLSX, Vietnamese or canonical headers); repeat for several")
	cmd.Flags().StringVar(&o.mapping, "mapping", "", "mapping file for a CSV or XLSX not in the Vietnamese register layout: its record id column (id: COLUMN) and optionally settings, renames, link_type — see \"Reading your CSV\" in dancu settings doc")
	cmd.Flags().StringVar(&o.settings, "settings", "", "settings file (YAML/JSON, trained model included when present); default: the mapping's, else the embedded Vietnamese settings")
	cmd.Flags().StringSliceVar(&o.sheets, "sheet", nil, "read only these sheets of each workbook (repeatable), as dancu import --sheet: leave out a sheet without header that is taken for a list (a cover or a summary is skipped as not a list); with several workbooks, each is read for the named sheets it has, and a name none has is an error")
	cmd.Flags().StringVar(&o.dateOrder, "date-order", "", "order of the text dates of files in the register layout: dmy or mdy (a workbook saved in US formats), as dancu import --date-order; default: day first unless a date column's first rows can only be month first")
	cmd.Flags().StringVar(&o.sourceDate, "source-date", "", "date the inputs describe, YYYY-MM-DD, which decides whether their addresses name the units before or after the 1 July 2025 reform (default: a date in each file's name such as _20240501, else unknown; scans use collected_on) — as dancu import reads them")
}

// dated returns opts with the source date of path: --source-date, else a
// date in the file's name, as dancu import sets it (sourceDateOf); and
// the sheets --sheet names.
func (o *linkOptions) dated(opts ingest.Options, path string) ingest.Options {
	opts.SourceDate, _ = sourceDateOf(o.sourceDate, path)
	opts.Sheets = o.sheets
	opts.SheetsInSome = len(o.in) > 1 // each file need have only some of them
	opts.DateOrder = o.dateOrder
	return opts
}

// settingsAndMapping reads the mapping and the settings to use.
func (o *linkOptions) settingsAndMapping() (*settings.Settings, *matching.Mapping, error) {
	if len(o.in) == 0 {
		return nil, nil, fmt.Errorf("no input: give --in FILE")
	}
	if o.sourceDate != "" {
		if _, err := time.Parse("2006-01-02", o.sourceDate); err != nil {
			return nil, nil, fmt.Errorf("--source-date %q: want YYYY-MM-DD", o.sourceDate)
		}
	}
	var mp *matching.Mapping
	var err error
	if o.mapping != "" {
		if mp, err = matching.LoadMapping(o.mapping); err != nil {
			return nil, nil, err
		}
	}
	var s *settings.Settings
	switch {
	case o.settings != "":
		if s, err = settings.Load(o.settings); err != nil {
			return nil, nil, err
		}
	case mp == nil || mp.Settings == "" || mp.Settings == "vietnamese":
		// Canonical records (or a mapping naming no other settings): the
		// Vietnamese settings, beside the adapter whose fields they read.
		if s, err = vietnamese.Settings(); err != nil {
			return nil, nil, err
		}
	default:
		if s, err = mp.LoadSettings(); err != nil {
			return nil, nil, err
		}
	}
	if len(o.in) > 1 && mp != nil && mp.LinkType != "" {
		s.LinkType = mp.LinkType
	}
	o.readBy = s
	return s, mp, nil
}

// adder receives each input record.
type adder func(id string, source int, get matching.Getter, conf matching.ConfidenceGetter) error

// labelled wraps add so that each record added also records its label
// ("" when it is the id itself).
func (o *linkOptions) labelled(add adder) func(id, label string, source int, get matching.Getter, conf matching.ConfidenceGetter) error {
	o.labels = strtab.Table{}
	return func(id, label string, source int, get matching.Getter, conf matching.ConfidenceGetter) error {
		if err := add(id, source, get, conf); err != nil {
			return err
		}
		return o.addLabel(id, label)
	}
}

// addLabel records the label of the record added last (a copy: not a
// slice of the whole source line).
func (o *linkOptions) addLabel(id, label string) error {
	if label == id {
		label = ""
	}
	n, ok := o.labels.Add(label)
	if !ok {
		return fmt.Errorf("more than %d bytes of source record codes", strtab.MaxBytes)
	}
	if n+1 == labelsPresizeAt && o.expect > labelsPresizeAt {
		o.labels.Grow(o.expect-labelsPresizeAt, 0) // as long as the labels so far, on average
	}
	return nil
}

// labelsPresizeAt is the number of labels after which linkOptions.labels
// is sized for the records expected.
const labelsPresizeAt = 4096

// read feeds every input record to add: canonical records through ingest
// (Vietnamese or canonical headers; CSV, XLSX, scanned-form JSON lines)
// when there is no mapping, else the mapped table rows.
//
// A record's identity is file-scoped: through ingest it is the canonical
// record id (content hash + sheet + row); through a mapping it is the
// mapping's id column, prefixed with the file name when another file
// already used the same id, so that two files reusing local codes link
// as two sets of records instead of stopping the run.
//
// When into is not nil, add is into.Add, and records read through ingest
// are prepared for it on all cores and added in batches (the same frame).
func (o *linkOptions) read(mp *matching.Mapping, add adder, into *matching.Frame) error {
	addL := o.labelled(add)
	if mp == nil {
		ad := vietnamese.NewAdapter()
		sink := recordSink{add: addL}
		if into != nil {
			sink = recordSink{frame: into, label: o.addLabel}
		}
		// Opening a file hashes all of it (the hash is in every record
		// id) on one core: the gazetteer is built meanwhile, and each
		// next file is opened while the one before is read.
		go address.Warm() // Resolve builds it if this has not yet
		opts, free := recordOptions(sink)
		var files []opened
		if len(o.in) > 1 && len(o.sheets) > 0 {
			// --sheet names the sheets of several workbooks: a name none
			// has is told before a row is read.
			files = openEach(o.in, func(p string) ingest.Options { return o.dated(opts, p) })
			err := sheetsNotFound(o.sheets, files)
			for _, f := range files {
				if f.err != nil {
					err = f.err // the first file refused, as when read in turn
					break
				}
			}
			if err != nil {
				closeEach(files)
				return err
			}
		}
		open := func(i int) func() (ingest.Source, error) {
			if files != nil {
				return func() (ingest.Source, error) { return files[i].src, nil }
			}
			return openAsync(o.in[i], o.dated(opts, o.in[i]))
		}
		next := open(0)
		for i, p := range o.in {
			src, err := next()
			if i+1 < len(o.in) {
				next = open(i + 1)
			}
			if err == nil {
				err = addRecords(ad, src, free, p, i, sink, o.warnings())
			}
			if err != nil {
				if i+1 < len(o.in) {
					if src, err := next(); err == nil {
						src.Close()
					}
				}
				closeEach(files[min(i+2, len(files)):])
				return err
			}
		}
		return nil
	}
	if len(o.sheets) > 0 {
		return fmt.Errorf("--sheet reads workbooks in the register layout; with --mapping a file is read as one table (its first sheet): save the sheet to link as a file of its own")
	}
	if err := mp.NamesInputs(o.in); err != nil {
		return err
	}
	owner := map[string]int{} // id → the input that used it first
	for i, p := range o.in {
		t, err := matching.ReadTable(p)
		if err != nil {
			return err
		}
		if len(t.Rows) == 0 {
			return fmt.Errorf("%s: nothing to link: no data rows below the header (%s): %w", p, strings.Join(t.Header, ", "), ingest.ErrNoData)
		}
		fm := mp.For(p) // the file's own id and renames, when the mapping names it under files
		if err := t.CheckFields(o.readBy, fm); err != nil {
			if o.settings == "" && (mp.Settings == "" || mp.Settings == "vietnamese") {
				return fmt.Errorf("no settings given, so the Vietnamese settings were used, which read the register layout only — write settings for this file and give --settings FILE (or settings: in the mapping): %w", err)
			}
			return err
		}
		ids, err := t.RecordIDs(fm)
		if err != nil {
			return err
		}
		scoped := 0
		for r := range t.Rows {
			id := ids[r]
			if first, ok := owner[id]; ok && first != i {
				id = filepath.Base(p) + ":" + id
				scoped++
			} else if !ok && len(o.in) > 1 {
				owner[id] = i
			}
			if err := addL(id, ids[r], i, t.Getter(fm, r), nil); err != nil {
				// The line names the row; a repeated id is named masked.
				return fmt.Errorf("%s line %d: %w", p, t.Line[r], withRecordID(err))
			}
		}
		if scoped > 0 {
			fmt.Fprintf(o.warnings(), "%s: %d record ids already used by an earlier file: linked as %s:ID\n", p, scoped, filepath.Base(p))
		}
	}
	return nil
}

// withRecordID names the id of a repeated record id error
// (matching.RepeatedIDError, whose message leaves it out) masked by
// ingest.MaskRecordID — with a mapping, the id may be an identification
// number or a name. Other errors are returned as they are.
func withRecordID(err error) error {
	var rep *matching.RepeatedIDError
	if errors.As(err, &rep) {
		return fmt.Errorf("record id %s: %w", ingest.MaskRecordID(rep.ID), err)
	}
	return err
}

// loadUnlessStopped runs load (the read phase, which writes nothing: with
// --registry too, which reads the registry into memory) and
// returns its result, or ctx's error as soon as ctx is done: the first
// SIGTERM or Ctrl-C of a long read (38 s at 5M records) stops the link at
// once instead of when the read ends. The read is then abandoned, not
// waited for; the process is about to exit.
func loadUnlessStopped(ctx context.Context, load func() (*settings.Settings, *matching.Mapping, *matching.Frame, error)) (*settings.Settings, *matching.Frame, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("stopped before reading: %w", err)
	}
	type loaded struct {
		s   *settings.Settings
		f   *matching.Frame
		err error
	}
	done := make(chan loaded, 1)
	go func() {
		s, _, f, err := load()
		done <- loaded{s, f, err}
	}()
	select {
	case l := <-done:
		return l.s, l.f, l.err
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("stopped while reading, nothing written: %w", ctx.Err())
	}
}

// load reads the settings and the inputs into a frame.
func (o *linkOptions) load() (*settings.Settings, *matching.Mapping, *matching.Frame, error) {
	s, mp, err := o.settingsAndMapping()
	if err != nil {
		return nil, nil, nil, err
	}
	f := matching.NewFrame(s)
	o.expect = estimateRows(o.in)
	f.Grow(o.expect)
	if err := o.read(mp, f.Add, f); err != nil {
		return nil, nil, nil, err
	}
	return s, mp, f, nil
}

// estimateRows guesses how many records the CSV files among paths hold,
// from their sizes and the length of their first lines, so that the
// frame sizes its tables once (a guess: 0 for other formats; a wrong one
// only costs memory or growth).
func estimateRows(paths []string) int {
	n := 0
	for _, p := range paths {
		if !strings.EqualFold(filepath.Ext(p), ".csv") {
			continue
		}
		fh, err := os.Open(p)
		if err != nil {
			continue // read reports it
		}
		st, err := fh.Stat()
		buf := make([]byte, 64<<10)
		k, _ := io.ReadFull(fh, buf)
		fh.Close()
		lines := bytes.Count(buf[:k], []byte{'\n'})
		if err != nil || lines < 2 {
			continue
		}
		n += int(st.Size() * int64(lines) / int64(k))
	}
	return n
}

// loadRegistry reads the registry, adds the inputs' new records to it and
// builds the frame of all its records. The registry's trained settings
// win over --settings, so that every run scores with the same model.
func (o *linkOptions) loadRegistry(dir string) (*settings.Settings, *matching.Frame, *offline.Registry, error) {
	reg, err := offline.Load(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	s, mp, err := o.settingsAndMapping()
	if err != nil {
		return nil, nil, nil, err
	}
	if reg.Settings != nil {
		s = reg.Settings
	}
	base := 0
	for _, r := range reg.Records {
		base = max(base, r.Source+1)
	}
	err = o.read(mp, func(id string, source int, get matching.Getter, conf matching.ConfidenceGetter) error {
		reg.Add(offline.Capture(s, id, base+source, get, conf))
		return nil
	}, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := reg.Frame(s)
	if err != nil {
		return nil, nil, nil, err
	}
	return s, f, reg, nil
}

func newLinkCmd(g *globals) *cobra.Command {
	o := linkOptions{warn: g.stderr}
	var out, conflicts, registry, memprofile string
	var analyse, strict, unmasked bool
	var truthFiles []string
	memLimit := byteSize(3 << 30)
	cmd := &cobra.Command{
		Use:   "link --in FILE [--in FILE ...] --out clusters.csv",
		Short: "link records offline into persons",
		Long: `Link reads CSV or XLSX files, scores candidate pairs with the Fellegi–Sunter
model of the settings (trained on the fly, without labels, when the settings
carry no model), clusters them into persons and writes one row per record:
record_id, source_record_id, person_id, identification_number, id_status,
match_probability. record_id is the record's identity, scoped to its file
(content hash + sheet + row for spreadsheets read through import's reader),
so two files that reuse the same local codes ("Mã bản ghi") link as different
records; source_record_id is that local code (or record_id when there is none).
With a trained model (--settings), it first compares the model's u with random
pairs of the records and warns ("model fit") when they agree on a level at
least 8× more often than the model says (records from a few communes scored
with a model trained on the whole country): the model then links namesakes,
and linking without --settings trains on the records themselves.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			applyMemoryLimit(memLimit)
			start, startCPU := time.Now(), cputime.Process()
			var s *settings.Settings
			var f *matching.Frame
			var reg *offline.Registry
			var err error
			if registry != "" {
				if err := privateDir(g.stderr, registry); err != nil {
					return err
				}
				// reg is set by the read, before loadUnlessStopped has its result.
				s, f, err = loadUnlessStopped(ctx, func() (*settings.Settings, *matching.Mapping, *matching.Frame, error) {
					s, f, r, err := o.loadRegistry(registry)
					reg = r
					return s, nil, f, err
				})
			} else {
				s, f, err = loadUnlessStopped(ctx, o.load)
			}
			if err != nil {
				return fmt.Errorf("link: %w", err)
			}
			f.Compact()
			read, readCPU := time.Since(start), cputime.Process()-startCPU
			fmt.Fprintf(g.stderr, "read %d records in %v\n", f.Len(), read.Round(time.Millisecond))
			if st := address.Stats(); st.Hits+st.Misses > 0 {
				fmt.Fprintf(g.stderr, "address cache: %d lookups, %d answered (%.1f%%), %d searched\n",
					st.Hits+st.Misses, st.Hits, 100*float64(st.Hits)/float64(st.Hits+st.Misses), st.Searches)
			}
			for _, u := range f.UnreadDates() {
				fmt.Fprintf(g.stderr, "warning: column %s: %d values are not blank but could not be read as dates (first in record %s); they count as missing — see date_format in dancu settings doc\n",
					u.Column, u.Count, ingest.MaskRecordID(u.FirstRecord))
			}
			if analyse {
				st, err := matching.AnalyseBlocking(f, s, 5)
				if err != nil {
					return err
				}
				printBlocking(g.stdout, st, s, unmasked)
				for _, w := range settings.BlockingEscapes(s) {
					fmt.Fprintf(g.stdout, "blocking warning: %s\n", w)
				}
				if len(truthFiles) > 0 {
					c, err := o.completeness(f, s, truthFiles)
					if err != nil {
						return err
					}
					fmt.Fprintf(g.stdout, "pairs completeness: %d of %d true pairs are candidates (%.5f)\n", c.Covered, c.TruePairs, float64(c.Covered)/float64(max(c.TruePairs, 1)))
					for r, n := range c.PerRule {
						fmt.Fprintf(g.stdout, "  %-22s makes %d true pairs, %d that no other rule makes\n", st.Rules[r].Name, n, c.Only[r])
					}
				}
				return nil
			}
			if out == "" {
				return fmt.Errorf("link: give --out FILE")
			}
			// Values too many records carry (generic_values: a number
			// copied down a column) are read as missing before anything
			// weighs them, the model's fit included; masked in the report.
			gen, err := f.MaskGenericValues(s.WithDefaults())
			if err != nil {
				return fmt.Errorf("link: %w", err)
			}
			printGeneric(g.stderr, gen)
			if s.Model != nil {
				mis, err := matching.ModelFit(f, s)
				if err != nil {
					return fmt.Errorf("link: %w", err)
				}
				for _, m := range mis {
					fmt.Fprintf(g.stderr, "warning: model fit: %s\n", m)
				}
				if len(mis) > 0 {
					fmt.Fprintf(g.stderr, "warning: model fit: these records agree on the level(s) above far more often than the model's training data did (fewer places or values): the model takes such agreement for stronger evidence than it is here and links namesakes; linked without --settings, the records train their own model\n")
				}
			}
			res, err := matching.Link(ctx, f, s)
			if err != nil {
				return err
			}
			if res.Train != nil {
				fmt.Fprint(g.stderr, res.Train.String())
				if strict && len(res.Train.Warnings) > 0 {
					return fmt.Errorf("link: --strict: %d training warnings (above)", len(res.Train.Warnings))
				}
			}
			el := res.Predict.Elapsed.Seconds()
			if res.Predict.Reused {
				// Training compared them; scoring read their vectors.
				el = res.Phases.Training.Seconds()
				fmt.Fprintf(g.stderr, "compared %d candidate pairs once, in training (%.2fs with u and EM), scored them in %.2fs, kept %d\n",
					res.Predict.Comparisons, el, res.Predict.Elapsed.Seconds(), res.Predict.Kept)
			} else {
				fmt.Fprintf(g.stderr, "compared %d candidate pairs in %.2fs (%.0f comparisons/s), kept %d\n",
					res.Predict.Comparisons, el, float64(res.Predict.Comparisons)/max(el, 1e-9), res.Predict.Kept)
			}
			fmt.Fprintf(g.stderr, "phases: read %v, %v\n", read.Round(time.Millisecond), res.Phases)
			fmt.Fprintf(g.stderr, "phases' CPU: read %v, %s\n", readCPU.Round(time.Millisecond), res.Phases.CPUString())
			tail, tailCPU := time.Now(), cputime.Process()
			var names map[int32]string
			if reg != nil {
				if reg.Settings == nil || res.Train != nil {
					reg.Settings = res.Settings
				}
				ev := len(reg.Events)
				names = reg.Name(res, time.Now().UTC())
				for _, e := range reg.Events[ev:] {
					fmt.Fprintf(g.stderr, "%s: %s keeps its id, with %s\n", e.Kind, e.Kept, strings.Join(e.Others, ", "))
				}
				if err := reg.Save(registry); err != nil {
					return err
				}
			}
			if memprofile != "" {
				if err := writeHeapProfile(memprofile); err != nil {
					return err
				}
			}
			checks, err := matching.CheckLargest(res, 5)
			if err != nil {
				return err
			}
			implausible := printClusterChecks(g.stderr, f, checks)
			if strict && implausible > 0 {
				return fmt.Errorf("link: --strict: %d of the largest clusters are implausible (above)", implausible)
			}
			rows, persons, confs := matching.Assign(res, names)
			// Assign's rows are the frame's, in order: each row's label is
			// read by its row, not by its id through the frame's id table,
			// which Compact dropped and a look-up would rebuild for every
			// record (0.32 s of CPU at 1M); the few records of conflicts
			// are found by one pass over the ids.
			if err := writeClusterRows(out, rows, func(i int) string { return o.label(f, i) }); err != nil {
				return err
			}
			if conflicts != "" {
				if err := writeConflicts(conflicts, confs, conflictLabels(f, confs, o.label)); err != nil {
					return err
				}
				fmt.Fprintf(g.stderr, "wrote %d conflicts to %s\n", len(confs), conflicts)
			}
			fmt.Fprintf(g.stderr, "wrote %d records in %d persons to %s (checks, conflicts and writing %v, CPU %v; total %v, CPU %v)\n", len(rows), len(persons), out,
				time.Since(tail).Round(time.Millisecond), (cputime.Process() - tailCPU).Round(time.Millisecond), time.Since(start).Round(time.Millisecond), (cputime.Process() - startCPU).Round(time.Millisecond))
			if len(truthFiles) > 0 {
				// After the totals, which it is not part of: the true
				// blocking recall beside training's estimate of it.
				c, err := o.completeness(f, s, truthFiles)
				if err != nil {
					return err
				}
				fmt.Fprintln(g.stderr, blockingRecallLine(res.Train, c))
			}
			_ = registry
			return nil
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&out, "out", "", "clusters CSV to write")
	cmd.Flags().StringVar(&conflicts, "conflicts", "", "conflicts CSV to write")
	cmd.Flags().StringVar(&memprofile, "memprofile", "", "write a heap profile (what is live once the persons are found: the frame, the scored pairs, the clusters) to this file")
	cmd.Flags().StringVar(&registry, "registry", "", "registry directory: add the inputs to it, relink everything with its saved model, keep person ids stable; --out then lists every record of the registry")
	cmd.Flags().StringArrayVar(&truthFiles, "truth", nil, "truth file(s): with --analyse-blocking, measure pairs completeness per rule; else, after the link, print the true blocking recall beside training's estimate")
	cmd.Flags().Var(&memLimit, "memory-limit", "soft memory limit for the Go runtime, e.g. 3GiB or 512MiB (garbage collects harder near it); 0 = none")
	cmd.Flags().BoolVar(&strict, "strict", false, "fail, writing nothing, when training warns (a session matching over 0.9 of its pairs, sessions disagreeing, an implausible λ) or a largest cluster is implausible")
	cmd.Flags().BoolVar(&unmasked, "unmasked", false, "with --analyse-blocking: print the largest blocks' key values in full (only where the operator may see the data)")
	cmd.Flags().BoolVar(&analyse, "analyse-blocking", false, "print candidate pairs per blocking rule, the largest blocks and the fields every rule keys on, then stop")
	return cmd
}

// recordSink is where addRecords puts the records it reads: add, one
// by one, or frame, in batches prepared on the workers, with label told
// each record added.
type recordSink struct {
	add   func(id, label string, source int, get matching.Getter, conf matching.ConfidenceGetter) error
	frame *matching.Frame
	label func(id, label string) error
}

// recordOptions returns the ingest options of the files addRecords reads
// into sink, and with a frame the records' pool.
func recordOptions(sink recordSink) (ingest.Options, *sync.Pool) {
	// The adapter parses the full name itself; the records are assembled
	// on all cores.
	opts := ingest.Options{NoNameParts: true, Workers: runtime.GOMAXPROCS(0)}
	// With a frame, a record is done with once its batch is added and
	// labelled: its room goes back to ingest for a later row (a record
	// allocated for every row was a fifth of the bytes the read allocated,
	// each fresh page a fault). The getters of the other path keep theirs.
	var free *sync.Pool
	if sink.frame != nil {
		free = new(sync.Pool)
		opts.NewRecord = func() *schemas.Record {
			if r, ok := free.Get().(*schemas.Record); ok {
				return r
			}
			return new(schemas.Record)
		}
	}
	return opts, free
}

// openAsync opens path with ingest.Open on another goroutine; the
// function it returns waits for the source (or the error, which names the
// file).
func openAsync(path string, opts ingest.Options) func() (ingest.Source, error) {
	c := make(chan opened, 1)
	go func() {
		src, err := ingest.Open(path, opts)
		c <- opened{src, err}
	}()
	return func() (ingest.Source, error) {
		o := <-c
		return o.src, o.err
	}
}

// opened is a file opened for reading, or why it could not be.
type opened struct {
	src ingest.Source
	err error
}

// openEach opens each of paths, read with opts(path), before any is read:
// for --sheet naming the sheets of several workbooks, whose names are
// checked (sheetsNotFound) before a row is read.
func openEach(paths []string, opts func(path string) ingest.Options) []opened {
	files := make([]opened, len(paths))
	for i, p := range paths {
		files[i].src, files[i].err = ingest.Open(p, opts(p))
	}
	return files
}

// closeEach closes the files opened of files.
func closeEach(files []opened) {
	for _, f := range files {
		if f.err == nil {
			f.src.Close()
		}
	}
}

// addRecords reads one file, src opened from path with recordOptions
// (free its pool of records), through ingest and adds its records in file
// order; the fields of each batch of records (name parsing, address
// resolution, and with a frame its columns' values) are derived on all
// cores while the next batch is read. Rejected rows are counted, not
// linked (dancu import reports them). It closes src.
func addRecords(ad *vietnamese.Adapter, src ingest.Source, free *sync.Pool, path string, source int, sink recordSink, warn io.Writer) error {
	defer src.Close()
	type job struct {
		recs  []*schemas.Record
		gets  []matching.Getter
		confs []matching.ConfidenceGetter
		batch *matching.Batch // with a frame
		done  chan struct{}
		// touched keeps what TouchRecord read of each next record
		touched byte
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *job, workers+1) // in file order
	sem := make(chan struct{}, workers)
	stop := make(chan struct{})
	// batches are reused: at most workers+3 are in flight
	var batches chan *matching.Batch
	if sink.frame != nil {
		batches = make(chan *matching.Batch, workers+4)
		for range workers + 4 {
			batches <- sink.frame.NewBatch()
		}
	}
	var readErr error
	rejects := 0
	go func() {
		defer close(jobs)
		for {
			j := &job{done: make(chan struct{})}
			for len(j.recs) < 512 {
				it, err := src.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					readErr = fmt.Errorf("read %s: %w", path, err)
					break
				}
				if it.Record == nil {
					rejects++
					continue
				}
				j.recs = append(j.recs, it.Record)
			}
			if len(j.recs) == 0 {
				return
			}
			select {
			case sem <- struct{}{}:
			case <-stop:
				return
			}
			if batches != nil {
				select {
				case j.batch = <-batches:
				case <-stop:
					<-sem
					return
				}
			}
			go func() {
				defer func() { <-sem }()
				if b := j.batch; b != nil {
					b.Reset()
					var touched byte
					for i, r := range j.recs {
						if i+1 < len(j.recs) {
							touched ^= vietnamese.TouchRecord(j.recs[i+1])
						}
						ad.AddTo(b, r, source)
					}
					j.touched = touched
				} else {
					j.gets = make([]matching.Getter, len(j.recs))
					j.confs = make([]matching.ConfidenceGetter, len(j.recs))
					for i, r := range j.recs {
						j.gets[i], j.confs[i] = ad.Fields(r)
					}
				}
				close(j.done)
			}()
			select {
			case jobs <- j:
			case <-stop:
				return
			}
			if readErr != nil {
				return
			}
		}
	}()
	var addErr error
	for j := range jobs {
		<-j.done
		if addErr != nil {
			continue
		}
		if j.batch != nil {
			k, err := sink.frame.AddBatch(j.batch)
			for _, r := range j.recs[:k] {
				if lerr := sink.label(vietnamese.RecordKey(r), vietnamese.RecordLabel(r)); lerr != nil {
					k, err = len(j.recs), lerr
					break
				}
			}
			batches <- j.batch
			if err != nil {
				if k < len(j.recs) {
					addErr = fmt.Errorf("%s %s %d: %w", path, rowWord(src), j.recs[k].Row, withRecordID(err))
				} else {
					addErr = fmt.Errorf("%s: %w", path, err)
				}
				close(stop)
			}
			for _, r := range j.recs {
				*r = schemas.Record{}
				free.Put(r)
			}
			continue
		}
		for i, r := range j.recs {
			if err := sink.add(vietnamese.RecordKey(r), vietnamese.RecordLabel(r), source, j.gets[i], j.confs[i]); err != nil {
				addErr = fmt.Errorf("%s %s %d: %w", path, rowWord(src), r.Row, err)
				close(stop)
				break
			}
		}
	}
	if addErr != nil {
		return addErr
	}
	if readErr != nil {
		return readErr
	}
	// A file that gives nothing to link (no header found, no data rows)
	// stops the run with the reason, as import does.
	dups := 0
	if d, ok := src.(ingest.Describer); ok {
		desc := d.Describe()
		if err := desc.Check(); err != nil {
			return err
		}
		for _, l := range desc.Sheets {
			dups += l.WarningCounts[ingest.WarnDuplicateID]
			for _, w := range l.Warnings {
				if w.Kind == ingest.WarnDateOrder {
					fmt.Fprintf(warn, "%s: %s %s %d: %s\n", path, sheetColumn(l.Sheet, w.Column), ingest.RowWord(desc.Format), w.Row, w.Message)
				}
			}
		}
	}
	if rejects > 0 {
		fmt.Fprintf(warn, "%s: %d rows rejected by ingest (not linked; see dancu import)\n", path, rejects)
	}
	if dups > 0 {
		fmt.Fprintf(warn, "%s: %d rows use the source record id (Mã bản ghi) of an earlier row (both linked, as records of their own; dancu import --dry-run lists them)\n", path, dups)
	}
	return nil
}

// rowWord is what a row of src is called: "line" in JSON lines.
func rowWord(src ingest.Source) string {
	if d, ok := src.(ingest.Describer); ok {
		return ingest.RowWord(d.Describe().Format)
	}
	return "row"
}

func printBlocking(w io.Writer, st *matching.BlockingStats, s *settings.Settings, unmasked bool) {
	keys := map[string][]string{} // a rule's key columns, by rule name
	kinds := map[string]string{}  // a column's kind, by name
	if s != nil {
		for _, r := range s.Blocking {
			keys[r.Name] = r.Keys
		}
		for _, c := range s.Columns {
			kinds[c.Name] = c.Kind
		}
	}
	fmt.Fprintf(w, "%-22s %14s %14s %8s %6s  largest blocks\n", "rule", "pairs", "new pairs", "blocks", "split")
	for _, r := range st.Rules {
		fmt.Fprintf(w, "%-22s %14d %14d %8d %6d ", r.Name, r.Pairs, r.New, r.Blocks, r.Split)
		for _, b := range r.Largest {
			// Keys hold names and numbers: masked as in logs.
			parts := strings.Split(b.Key, " | ")
			for i, p := range parts {
				if !unmasked {
					key := ""
					if i < len(keys[r.Name]) {
						key = keys[r.Name][i]
					}
					parts[i] = maskKeyPart(key, kinds, p)
				}
			}
			fmt.Fprintf(w, " [%s]=%d", strings.Join(parts, " | "), b.Records)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "candidate pairs %d of %d (%.4g%%)\n", st.Candidates, st.TotalPairs, 100*float64(st.Candidates)/float64(max(st.TotalPairs, 1)))
}

// writeClusters writes one row per record: its identity (record_id), its
// code in its source (source_record_id: "Mã bản ghi", form id, else the
// identity again) and its person.
func writeClusters(path string, rows []matching.Assignment, label func(id string) string) error {
	return writeClusterRows(path, rows, func(i int) string { return label(rows[i].RecordID) })
}

// writeClusterRows is writeClusters with the label of rows[i] given by i.
func writeClusterRows(path string, rows []matching.Assignment, label func(i int) string) error {
	fh, err := createPrivate(path)
	if err != nil {
		return fmt.Errorf("create clusters: %w", err)
	}
	w := csv.NewWriter(fh)
	w.Write([]string{"record_id", "source_record_id", "person_id", "identification_number", "id_status", "match_probability"})
	for i, r := range rows {
		w.Write([]string{r.RecordID, label(i), r.PersonID, r.IDNumber, r.IDStatus, strconv.FormatFloat(r.MatchProbability, 'f', 4, 64)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fh.Close()
		return fmt.Errorf("write clusters: %w", err)
	}
	return fh.Close()
}

// conflictLabels returns the label of a record id of cs: label of the
// frame's row of that id (the id itself when the frame has none), the
// rows found by one pass over the frame's ids.
func conflictLabels(f *matching.Frame, cs []schemas.Conflict, label func(f *matching.Frame, i int) string) func(id string) string {
	rowOf := map[string]int{}
	for _, c := range cs {
		for _, id := range c.RecordIDs {
			rowOf[id] = -1
		}
	}
	for i, left := 0, len(rowOf); i < f.Len() && left > 0; i++ {
		if r, ok := rowOf[f.ID(i)]; ok && r < 0 {
			rowOf[f.ID(i)] = i
			left--
		}
	}
	return func(id string) string {
		if i, ok := rowOf[id]; ok && i >= 0 {
			return label(f, i)
		}
		return id
	}
}

func writeConflicts(path string, cs []schemas.Conflict, label func(id string) string) error {
	fh, err := createPrivate(path)
	if err != nil {
		return fmt.Errorf("create conflicts: %w", err)
	}
	w := csv.NewWriter(fh)
	w.Write([]string{"conflict_id", "kind", "province_code", "id_number", "person_ids", "record_ids", "source_record_ids", "score", "explanation"})
	for _, c := range cs {
		labels := make([]string, len(c.RecordIDs))
		for i, id := range c.RecordIDs {
			labels[i] = label(id)
		}
		w.Write([]string{c.ConflictID, c.Kind, c.ProvinceCode, c.IDNumber, strings.Join(c.PersonIDs, ";"),
			strings.Join(c.RecordIDs, ";"), strings.Join(labels, ";"), strconv.FormatFloat(c.Score, 'f', 4, 64), c.Explanation})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fh.Close()
		return fmt.Errorf("write conflicts: %w", err)
	}
	return fh.Close()
}

// printClusterChecks prints the largest clusters (record id of their
// first row, size, mean pair probability, plausibility) and returns how
// many are implausible.
func printClusterChecks(w io.Writer, f *matching.Frame, checks []matching.ClusterCheck) int {
	bad := 0
	fmt.Fprintf(w, "largest clusters:")
	for _, c := range checks {
		fmt.Fprintf(w, " %d records (mean p %.2f)", c.Records, c.MeanProbability)
	}
	fmt.Fprintln(w)
	for _, c := range checks {
		if !c.Plausible {
			bad++
			fmt.Fprintf(w, "warning: implausible cluster of %d records from record %s: %s\n", c.Records, ingest.MaskRecordID(f.ID(int(c.Root))), c.Why)
		}
	}
	return bad
}

// writeHeapProfile writes the heap profile of the values live after a
// garbage collection to path.
func writeHeapProfile(path string) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("memprofile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(fh); err != nil {
		fh.Close()
		return fmt.Errorf("memprofile: %w", err)
	}
	return fh.Close()
}

// truthByID reads truth files (record → entity) and keys them by the
// frame's record ids: the truth names records by their code in the source
// (truth.csv's source_record_id), the frame by identity.
func (o *linkOptions) truthByID(f *matching.Frame, files []string) (map[string]string, error) {
	mp, _ := matching.LoadMapping(o.mapping)
	if o.mapping == "" {
		mp = nil
	}
	truth := map[string]string{}
	for _, tf := range files {
		if err := readTruth(tf, mp, truth); err != nil {
			return nil, err
		}
	}
	byID := make(map[string]string, len(truth))
	for i := 0; i < f.Len(); i++ {
		if e, ok := truth[f.ID(i)]; ok {
			byID[f.ID(i)] = e
		} else if e, ok := truth[o.label(f, i)]; ok {
			byID[f.ID(i)] = e
		}
	}
	return byID, nil
}

// completeness measures the blocking's pairs completeness against the
// truth files: the true pairs that are candidates, per rule and in all.
func (o *linkOptions) completeness(f *matching.Frame, s *settings.Settings, files []string) (*matching.Completeness, error) {
	byID, err := o.truthByID(f, files)
	if err != nil {
		return nil, err
	}
	return matching.PairsCompleteness(f, s, byID)
}

// blockingRecallLine prints the true blocking recall (the true pairs that
// are candidates) beside training's estimate of it (none when the model
// was not trained here, or with fewer than two captures): saying which, so
// that "not estimated" is not read as a fault of the blocking.
func blockingRecallLine(tr *matching.TrainReport, c *matching.Completeness) string {
	est := "not estimated (the settings carry a trained model: dancu train printed its estimate)"
	if tr != nil {
		est = "not estimated (the rules count as fewer than two captures)"
	}
	if tr != nil && tr.Coverage != nil && !math.IsNaN(tr.Coverage.Recall) {
		cov := tr.Coverage
		est = fmt.Sprintf("estimated %.5f (%.0f missed, %d captures)", cov.Recall, cov.Missed, cov.Captures)
	}
	return fmt.Sprintf("blocking recall: %s, true %.5f (%d of %d true pairs are candidates, %d missed)",
		est, float64(c.Covered)/float64(max(c.TruePairs, 1)), c.Covered, c.TruePairs, c.TruePairs-c.Covered)
}

// placeWords name the columns of places and their codes (a commune's code,
// a postcode, a state): values that identify no one, shown in a block key.
var placeWords = []string{"commune", "district", "province", "ward", "postcode", "zip", "suburb", "city", "state", "country"}

// dateWords name date columns kept as codes ("dob_s", 19530306).
var dateWords = []string{"dob", "birth", "date"}

// maskKeyPart masks one part of a block key printed by --analyse-blocking,
// by the key column it comes from (key, "col" or "col.year"; "" when
// unknown) and the columns' kinds. Dates (a date column, col.year,
// col.monthday) and places' names and codes are shown, as mask shows them;
// names are masked as their comparison would be (a given name to
// initials, a full name to the family name and initials); what mask would
// show in full as a short code — a piece of an identification or social
// security number ("5304218", "001079"), a name's soundex — keeps its first
// character only ("5******"): short keys are the pieces of numbers and
// names that rules block on.
func maskKeyPart(key string, kinds map[string]string, v string) string {
	base, sub, _ := strings.Cut(key, ".")
	lower := strings.ToLower(base)
	if sub != "" || kinds[base] == "date" || containsAny(lower, dateWords) || containsAny(lower, placeWords) {
		return v
	}
	m := mask(base, v)
	if m == v && strings.ContainsAny(v, "0123456789") {
		return maskWords(v)
	}
	return m
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// sheetColumn names a column of a sheet ("" for a CSV file's) in a warning.
func sheetColumn(sheet, column string) string {
	if sheet == "" {
		return "column " + strconv.Quote(column)
	}
	return "sheet " + strconv.Quote(sheet) + " column " + strconv.Quote(column)
}

// printGeneric says how many records carried a generic value (more records
// than the settings' generic_values allow), by column, and the ten values
// carried most, masked.
func printGeneric(w io.Writer, gen []matching.GenericValue) {
	if len(gen) == 0 {
		return
	}
	records := map[string]int{}
	values := map[string]int{}
	var cols []string
	for _, g := range gen {
		if values[g.Column] == 0 {
			cols = append(cols, g.Column)
		}
		records[g.Column] += g.Records
		values[g.Column]++
	}
	for _, c := range cols {
		fmt.Fprintf(w, "generic values: %d records carried one of %d %s values that too many records carry; read as no %s on all of them\n", records[c], values[c], c, c)
	}
	top := slices.Clone(gen)
	slices.SortStableFunc(top, func(a, b matching.GenericValue) int { return b.Records - a.Records })
	for _, g := range top[:min(len(top), 10)] {
		fmt.Fprintf(w, "  %s\n", g)
	}
}
