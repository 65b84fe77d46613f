package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/internal/progress"
	"github.com/dancu-vn/dancu/pipelines"
)

// coverageFlags are the settings of `dancu coverage`.
type coverageFlags struct {
	level    string // Default: province
	era      string // Default: old
	province string // Default: all provinces
	format   string // Default: table
	out      string // Default: stdout
	since    string // Default: none
	metric   string // Default: persons_pct (svg only)
	sort     string // Default: code
	desc     bool
	all      bool
	rebuild  bool
}

func newCoverageCmd(g *globals) *cobra.Command {
	var f coverageFlags
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "report collection coverage by province, district or commune",
		Long: `Reports collection coverage from ClickHouse's materialised aggregates
(coverage_records, coverage_persons): records (scanned forms and
spreadsheets, with a 12-digit number or only a 9-digit CMND), distinct
living persons and their share of the expected population (2024 estimate,
else 2019 census), persons with an identification number and with only a
CMND, children under 6 with one, open and decided conflicts (below the
province: in the unit of the conflict's first person), by unit.

--era old uses the 63 provinces (with districts) in force until 30 June
2025, --era new the 34 since 1 July 2025 (no districts). Addresses that
could not be resolved are reported as their own rows, so the rows always
sum to the total. --since YYYY-MM adds the share of persons with a number
at the start of that month (by load date: the persons loaded before it;
the load date is the import's, dancu import --loaded-on for a backfill)
and the change since; a unit nobody in it was loaded by then has neither
(empty in CSV and xlsx, absent from JSON). A unit without persons has no
share with a number either, nor a commune a share of an expected
population (none is known by commune): empty, absent from JSON; --sort by
a share lists such units last.

--format csv is UTF-8 without a byte order mark, with commas and decimal
points, for tools; Excel would read it in the computer's code page and
drop the codes' leading zeros, so --format xlsx writes the same columns
as a workbook, codes as text.

--format json also gives "months", progress in the scope, one entry per
month in which something was loaded ("loaded": true) or which a source
describes: by load date the records, persons and persons with a number at
the end of the month; records_by_source_date those whose source describes
it. The page's two charts draw them.

--format svg writes the choropleth map of the provinces of the era
(coloured by --metric) to --out, for reports.`,
		Example: `  dancu coverage --era new --level commune --province 40 --since 2026-03 --sort with_id_pct
  dancu coverage --era new --format json
  dancu coverage --era new --level commune --province 40 --format xlsx --out nghe-an.xlsx
  dancu coverage --era new --format svg --metric with_id_pct --out map.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := coverage.Options{Era: coverage.Era(f.era), Level: coverage.Level(f.level), Province: f.province}
			if f.since != "" {
				t, err := time.Parse("2006-01", f.since)
				if err != nil {
					return fmt.Errorf("coverage: --since %q: want YYYY-MM", f.since)
				}
				opt.Since = t
			}
			if err := opt.Validate(); err != nil {
				return err
			}
			switch f.format {
			case "table", "csv", "xlsx", "json", "svg":
			default:
				return fmt.Errorf("coverage: --format %q: want table, csv, xlsx, json or svg", f.format)
			}
			if f.format == "svg" && f.metric != "persons_pct" && f.metric != "with_id_pct" {
				return fmt.Errorf("coverage: --metric %q: want persons_pct or with_id_pct", f.metric)
			}
			if f.format == "svg" && (f.province != "" || f.level != string(coverage.Province)) {
				return fmt.Errorf("coverage: --format svg draws the map of every province of the era: drop --province and --level (a province's districts or communes: --format table, csv, xlsx or json)")
			}
			if f.format == "xlsx" && f.out == "" && progress.IsTerminal(g.stdout) {
				// A workbook is a zip: on a terminal it is a screen of
				// garbage and nothing saved (user24).
				return fmt.Errorf("coverage: --format xlsx writes a workbook, not text for a terminal: give --out FILE.xlsx (or send it to a file: > FILE.xlsx)")
			}
			ctx := cmd.Context()
			conn, err := openClickHouse(ctx, g)
			if err != nil {
				return err
			}
			defer conn.Close()
			if f.rebuild {
				// The inserts of deltas a load process of this home left
				// unfinished: the rebuild counts their rows from the
				// tables (pipelines.DropPendingInserts).
				n, err := pipelines.DropPendingInserts(filepath.Join(g.home, "load"))
				if err != nil {
					return fmt.Errorf("coverage: --rebuild: %w", err)
				}
				if n > 0 {
					fmt.Fprintf(g.stderr, "coverage: %d unfinished inserts of deltas dropped from %s (the rebuild counts their rows)\n", n, filepath.Join(g.home, "load"))
				}
				if err := coverage.Rebuild(ctx, conn); err != nil {
					return err
				}
			}
			opt.Months = f.format == "json"
			rep, err := coverage.Compute(ctx, conn, opt)
			if err != nil {
				return err
			}
			if err := rep.Sort(f.sort, f.desc); err != nil {
				return fmt.Errorf("coverage: --%w", err)
			}
			var w io.Writer = g.stdout
			if f.out != "" {
				file, err := os.Create(f.out)
				if err != nil {
					return fmt.Errorf("coverage: %w", err)
				}
				defer file.Close()
				w = file
			}
			switch f.format {
			case "csv":
				err = rep.WriteCSV(w)
			case "xlsx":
				err = rep.WriteXLSX(w)
			case "json":
				err = rep.WriteJSON(w)
			case "svg":
				err = rep.WriteMap(w, f.metric)
			default:
				err = rep.WriteTable(w, f.all)
			}
			if err != nil {
				return fmt.Errorf("coverage: write: %w", err)
			}
			if f.out != "" {
				if err := w.(*os.File).Close(); err != nil {
					return fmt.Errorf("coverage: %w", err)
				}
				fmt.Fprintln(g.stderr, "wrote", f.out)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.level, "level", "province", "province, district (old era only) or commune")
	fl.StringVar(&f.era, "era", "old", "old (63 provinces, until 30 June 2025) or new (34, since 1 July 2025)")
	fl.StringVar(&f.province, "province", "", "only units inside this province of the era (2-digit code)")
	fl.StringVar(&f.format, "format", "table", "table, csv (UTF-8 for tools), xlsx (for Excel: codes keep their leading zeros), json or svg (the province map)")
	fl.StringVarP(&f.out, "out", "o", "", "write to this file instead of stdout")
	fl.StringVar(&f.since, "since", "", "YYYY-MM: add the share of persons with a number at the start of that month (by load date) and the change")
	fl.StringVar(&f.metric, "metric", "persons_pct", "svg colour: persons_pct (of expected population) or with_id_pct")
	fl.StringVar(&f.sort, "sort", "code", "order units by code, records, persons, persons_pct, with_id_pct or with_id_pct_change")
	fl.BoolVar(&f.desc, "desc", false, "sort descending")
	fl.BoolVar(&f.all, "all", false, "table: list units with no record too")
	fl.BoolVar(&f.rebuild, "rebuild", false, "recompute the aggregates from the records and persons tables first (FINAL)")
	return cmd
}
