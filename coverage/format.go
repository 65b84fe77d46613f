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
	head := "code\t" + string(r.Level) + "\trecords\tscanned\tpersons\twith id\twith id %\tcmnd only\tchildren<6\t<6 with id\tconflicts open\tdecided\tpopulation\tpersons %\t"
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
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t", row.Code, row.Name, row.Records, row.RecordsScanned,
			row.Persons, row.PersonsWithID, share(row.withIDPct(), "%.2f"), row.PersonsCMNDOnly, row.ChildrenUnder6, row.ChildrenUnder6ID,
			row.ConflictsOpen, row.ConflictsDecided, popS, pctS)
		if since {
			fmt.Fprintf(tw, "%s\t%s\t", share(row.WithIDPctSince, "%.2f"), share(row.WithIDPctChange, "%+.2f"))
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

// share formats a share, or "" where it is not defined.
func share(v *float64, format string) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf(format, *v)
}

// personsPct is x.PersonsPct, nil where no expected population is known
// (communes; 0.00% would read as none of a population counted).
func (x *Row) personsPct() *float64 {
	if x.Population2024 == 0 && x.Population2019 == 0 {
		return nil
	}
	return &x.PersonsPct
}

// withIDPct is x.WithIDPct, nil where the unit has no person: a share of
// nothing is not 0%, and would sort first among the worst units.
func (x *Row) withIDPct() *float64 {
	if x.Persons <= 0 {
		return nil
	}
	return &x.WithIDPct
}

// MarshalJSON leaves out, as CSV leaves empty, the shares a row does not
// have: with_id_pct where the unit has no person, persons_pct where no
// expected population is known (communes, unresolved rows). Written as
// 0, a tool sorting the JSON by share put every empty commune first. The
// keys keep Row's order: the fields after the shares are written again
// after them.
func (x Row) MarshalJSON() ([]byte, error) {
	type plain Row // Row without this method
	return json.Marshal(struct {
		plain
		PersonsPct      *float64 `json:"persons_pct,omitempty"`
		WithIDPct       *float64 `json:"with_id_pct,omitempty"`
		PersonsSince    int64    `json:"persons_since,omitempty"`
		WithIDSince     int64    `json:"persons_with_id_since,omitempty"`
		WithIDPctSince  *float64 `json:"with_id_pct_since,omitempty"`
		WithIDPctChange *float64 `json:"with_id_pct_change,omitempty"`
	}{plain(x), x.personsPct(), x.withIDPct(), x.PersonsSince, x.WithIDSince, x.WithIDPctSince, x.WithIDPctChange})
}

// fields returns the values of x in the order of csvHeader: strings,
// int64, uint64, *float64 (shares, rounded to hundredths; nil where not
// defined) and nil (the Since columns of a report without Since).
func (x *Row) fields(since bool) []any {
	f := []any{x.Kind, x.Code, x.Name, x.ProvinceCode, x.Records, x.RecordsScanned, x.RecordsSpreadsheet,
		x.RecordsWithID, x.RecordsCMNDOnly, x.Persons, x.PersonsWithID, x.PersonsCMNDOnly, x.ChildrenUnder6, x.ChildrenUnder6ID,
		x.ConflictsOpen, x.ConflictsDecided, x.Population2019, x.Population2024, x.personsPct(), x.withIDPct(),
		nil, nil, nil, nil}
	if since {
		copy(f[len(f)-4:], []any{x.PersonsSince, x.WithIDSince, x.WithIDPctSince, x.WithIDPctChange})
	}
	return f
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
		for _, v := range x.fields(r.Since != "") {
			switch v := v.(type) {
			case string:
				rec = append(rec, v)
			case int64:
				rec = append(rec, strconv.FormatInt(v, 10))
			case uint64:
				rec = append(rec, strconv.FormatUint(v, 10))
			case *float64:
				rec = append(rec, share(v, "%.2f"))
			default:
				rec = append(rec, "")
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
		vals := x.fields(r.Since != "")
		for j, v := range vals {
			if p, ok := v.(*float64); ok {
				vals[j] = nil // an empty cell where a share is not defined
				if p != nil {
					vals[j] = *p
				}
			}
		}
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
// units whose share is not defined (no person, no expected population,
// no person at the Since date) come after the others either way, so that
// the first rows are the lowest (highest) shares there are; rows of
// other kinds (unknown codes, unresolved) stay at the end.
func (r *Report) Sort(key string, desc bool) error {
	count := func(n int64) *float64 { v := float64(n); return &v }
	val := map[string]func(x *Row) *float64{
		"records":            func(x *Row) *float64 { return count(x.Records) },
		"persons":            func(x *Row) *float64 { return count(x.Persons) },
		"persons_pct":        (*Row).personsPct,
		"with_id_pct":        (*Row).withIDPct,
		"with_id_pct_change": func(x *Row) *float64 { return x.WithIDPctChange },
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
		va, vb := f(a), f(b)
		if (va == nil) != (vb == nil) {
			return vb == nil
		}
		if va == nil || *va == *vb {
			return a.Code < b.Code
		}
		return (*va < *vb) != desc
	})
	return nil
}
