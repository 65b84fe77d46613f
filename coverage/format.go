package coverage

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/xuri/excelize/v2"
)

// WriteTable prints the report as an aligned text table. Units with no
// record and no person are left out unless all is set; unresolved rows
// and the total are always printed.
func (r *Report) WriteTable(w io.Writer, all bool) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	since := r.Since != ""
	head := "code\t" + string(r.Level) + "\trecords\tscanned\tpersons\twith id\twith id %\tcmnd only\tchildren<6\twith id\tconflicts open\tpopulation\tpersons %\t"
	if since {
		head += "with id % " + r.Since + "\tchange\t"
	}
	fmt.Fprintln(tw, head)
	line := func(row *Row) {
		pop := row.Population2024
		if pop == 0 {
			pop = row.Population2019
		}
		popS, pctS := "", ""
		if pop > 0 {
			popS, pctS = strconv.FormatUint(pop, 10), fmt.Sprintf("%.2f", row.PersonsPct)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%.2f\t%d\t%d\t%d\t%d\t%s\t%s\t", row.Code, row.Name, row.Records, row.RecordsScanned,
			row.Persons, row.PersonsWithID, row.WithIDPct, row.PersonsCMNDOnly, row.ChildrenUnder6, row.ChildrenUnder6ID, row.ConflictsOpen, popS, pctS)
		if since {
			fmt.Fprintf(tw, "%.2f\t%+.2f\t", row.WithIDPctSince, row.WithIDPctChange)
		}
		fmt.Fprintln(tw)
	}
	for i := range r.Rows {
		row := &r.Rows[i]
		if row.Kind == KindUnit && row.Records == 0 && row.Persons == 0 && !all {
			continue
		}
		line(row)
	}
	line(&r.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if _, err := fmt.Fprintln(w, strings.TrimRight(l, " ")); err != nil {
			return err
		}
	}
	if r.Province == "" {
		_, err := fmt.Fprintf(w, "rejected rows: %d\n", r.Rejects)
		return err
	}
	return nil
}

// csvHeader is the header of WriteCSV; the names are the JSON keys.
var csvHeader = []string{"kind", "code", "name", "province_code", "records", "records_scanned", "records_spreadsheet",
	"records_with_id", "records_cmnd_only", "persons", "persons_with_id", "persons_cmnd_only", "children_under_6", "children_under_6_with_id",
	"conflicts_open", "conflicts_decided", "population_2019", "population_2024", "persons_pct", "with_id_pct",
	"persons_since", "persons_with_id_since", "with_id_pct_since", "with_id_pct_change"}

// fields returns the values of x in the order of csvHeader: strings,
// int64, uint64 and float64 (shares, rounded to hundredths).
func (x *Row) fields() []any {
	return []any{x.Kind, x.Code, x.Name, x.ProvinceCode, x.Records, x.RecordsScanned, x.RecordsSpreadsheet,
		x.RecordsWithID, x.RecordsCMNDOnly, x.Persons, x.PersonsWithID, x.PersonsCMNDOnly, x.ChildrenUnder6, x.ChildrenUnder6ID,
		x.ConflictsOpen, x.ConflictsDecided, x.Population2019, x.Population2024, x.PersonsPct, x.WithIDPct,
		x.PersonsSince, x.WithIDSince, x.WithIDPctSince, x.WithIDPctChange}
}

// rowsAndTotal returns the rows and then the total row.
func (r *Report) rowsAndTotal() []Row { return append(append([]Row(nil), r.Rows...), r.Total) }

// WriteCSV writes every row and then the total row (kind "total"), with a
// header of snake_case column names: UTF-8 without a byte order mark,
// commas, decimal points, for tools. Excel reads such a file in the
// computer's code page and drops the codes' leading zeros: WriteXLSX is
// for it.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, x := range r.rowsAndTotal() {
		var rec []string
		for _, v := range x.fields() {
			switch v := v.(type) {
			case string:
				rec = append(rec, v)
			case int64:
				rec = append(rec, strconv.FormatInt(v, 10))
			case uint64:
				rec = append(rec, strconv.FormatUint(v, 10))
			case float64:
				rec = append(rec, strconv.FormatFloat(v, 'f', 2, 64))
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the rows of WriteCSV as an Excel workbook, one sheet
// named after the report: codes as text (leading zeros kept), counts and
// shares as numbers, names in Unicode whatever the computer's language
// settings, the header row frozen.
func (r *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := fmt.Sprintf("%s %s", r.Era, r.Level)
	if r.Province != "" {
		sheet += " " + r.Province
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	header := make([]any, len(csvHeader))
	for i, h := range csvHeader {
		header[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	for i, x := range r.rowsAndTotal() {
		vals := x.fields()
		if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+2), &vals); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "C", "C", 36); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.Write(w)
}

// WriteJSON writes the report as one indented JSON object (snake_case keys).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// SortKeys are the columns Report.Sort accepts.
var SortKeys = []string{"code", "records", "persons", "persons_pct", "with_id_pct", "with_id_pct_change"}

// Sort orders the unit rows by key, ascending (descending with desc);
// rows of other kinds (unknown codes, unresolved) stay at the end.
func (r *Report) Sort(key string, desc bool) error {
	val := map[string]func(x *Row) float64{
		"records":            func(x *Row) float64 { return float64(x.Records) },
		"persons":            func(x *Row) float64 { return float64(x.Persons) },
		"persons_pct":        func(x *Row) float64 { return x.PersonsPct },
		"with_id_pct":        func(x *Row) float64 { return x.WithIDPct },
		"with_id_pct_change": func(x *Row) float64 { return x.WithIDPctChange },
	}
	f, ok := val[key]
	if key != "code" && !ok {
		return fmt.Errorf("sort %q: want one of %s", key, strings.Join(SortKeys, ", "))
	}
	sort.SliceStable(r.Rows, func(i, j int) bool {
		a, b := &r.Rows[i], &r.Rows[j]
		if ka, kb := kindRank(a.Kind), kindRank(b.Kind); ka != kb {
			return ka < kb
		}
		if key == "code" {
			return (a.Code < b.Code) != desc
		}
		if f(a) == f(b) {
			return a.Code < b.Code
		}
		return (f(a) < f(b)) != desc
	})
	return nil
}
