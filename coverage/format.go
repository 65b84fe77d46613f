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

// WriteCSV writes every row and then the total row (kind "total"), with a
// header of snake_case column names.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	u := func(n uint64) string { return strconv.FormatUint(n, 10) }
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	rows := append(append([]Row(nil), r.Rows...), r.Total)
	for _, x := range rows {
		cw.Write([]string{x.Kind, x.Code, x.Name, x.ProvinceCode, i(x.Records), i(x.RecordsScanned), i(x.RecordsSpreadsheet),
			i(x.RecordsWithID), i(x.RecordsCMNDOnly), i(x.Persons), i(x.PersonsWithID), i(x.PersonsCMNDOnly), i(x.ChildrenUnder6), i(x.ChildrenUnder6ID),
			i(x.ConflictsOpen), i(x.ConflictsDecided), u(x.Population2019), u(x.Population2024), f(x.PersonsPct), f(x.WithIDPct),
			i(x.PersonsSince), i(x.WithIDSince), f(x.WithIDPctSince), f(x.WithIDPctChange)})
	}
	cw.Flush()
	return cw.Error()
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
